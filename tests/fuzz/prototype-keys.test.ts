/**
 * Prototype keys (issue 10, item 3): the names of `Object.prototype` (`constructor`, `__proto__`,
 * `toString`, `valueOf`, `hasOwnProperty`, …) are ordinary codes. A project whose indicator, aggregate
 * and unit codes, group column and group labels are these words builds and analyses exactly like the
 * same project with ordinary codes; put in any key position of a project they give a build or a
 * located error (exit 1), never an internal error (exit 2) or a stack trace.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runProject, type ProjectRun } from '../../src/app/project.ts';
import { CityIndexError, type Issue } from '../../src/engine/core/errors.ts';
import { run } from '../../src/cli/main.ts';
import { baseFiles, UNITS, type Files } from '../formats/fixture.ts';

const top = mkdtempSync(join(tmpdir(), 'ci-proto-'));
afterAll(() => rmSync(top, { recursive: true, force: true }));
let serial = 0;

function write(files: Files): string {
  const dir = join(top, `p${++serial}`);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** The prototype names every test puts in key positions. */
const KEYS = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'] as const;

/** Indicator and aggregate codes (so manual-weight keys) and the group column renamed (units kept). */
const CODES = new Map<string, string>([
  ['A1', 'constructor'],
  ['A2', 'toString'],
  ['B1', 'valueOf'],
  ['B2', 'hasOwnProperty'],
  ['A', '__proto__'],
  ['B', 'isPrototypeOf'],
  ['IDX', 'propertyIsEnumerable'],
  ['region', 'toLocaleString'],
]);
/** Unit codes renamed to prototype names in their sorted order, and the group column `__proto__`. */
const SORTED = [...UNITS].sort();
const UNIT_NAMES = new Map<string, string>([
  [SORTED[0], 'constructor'],
  [SORTED[1], 'hasOwnProperty'],
  [SORTED[2], 'isPrototypeOf'],
  [SORTED[3], 'toLocaleString'],
  [SORTED[4], 'toString'],
  [SORTED[5], 'valueOf'],
  ['region', '__proto__'],
]);

/** The fixture with manual weights (keys = codes); regional, gaps, audit, tiers and spatial analyses. */
function ordinary(): Files {
  const f: Files = baseFiles();
  f['project.yaml'] = (f['project.yaml'] as string).replace(
    '    - {id: aggregate, kind: aggregate}',
    '    - {id: w1, kind: weight, options: {level: 1, weighting: {method: manual, weights: ' +
      '{A1: 2, A2: 1, B1: 1, B2: 3}}}}\n' +
      '    - {id: w2, kind: weight, options: {level: 2, weighting: {method: manual, weights: {A: 2, B: 1}}}}\n' +
      '    - {id: aggregate, kind: aggregate}\n' +
      'analyses:\n  regional: {groupings: [region]}\n  audit: true\n  tiers: {}\n  spatial: {}\n' +
      `  gaps: {units: ["${UNITS[1]}"], peers: {by: group, field: region}}\n`,
  );
  return f;
}

/** Replace whole words (codes, column names) by their names in `rename`. */
function renamed(f: Files, rename: ReadonlyMap<string, string>): Files {
  const words = [...rename.keys()].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(`(?<![\\w.])(${words.join('|')})(?![\\w])`, 'g');
  const out: Files = {};
  for (const [name, content] of Object.entries(f))
    out[name] = typeof content === 'string' ? content.replace(pattern, (w) => rename.get(w)!) : content;
  return out;
}

/** Scores and ranks of a run keyed `unit|code` in ordinary names. */
function keyed(r: ProjectRun, back: (s: string) => string): Map<string, [number, number]> {
  const { scores, ranks } = r.build.results;
  const out = new Map<string, [number, number]>();
  scores.codes.forEach((code, j) =>
    scores.unitCodes.forEach((unit, i) => {
      const n = scores.unitCodes.length;
      out.set(`${back(unit)}|${back(code)}`, [scores.values[j * n + i], ranks.values[j * n + i]]);
    }),
  );
  return out;
}

/** A value with every key and string mapped back through `back` (arrays kept in order). */
function mapBack(x: unknown, back: (s: string) => string): unknown {
  if (typeof x === 'string') return back(x);
  if (Array.isArray(x)) return x.map((v) => mapBack(v, back));
  if (x instanceof Float64Array) return Array.from(x);
  if (x && typeof x === 'object') {
    const out = new Map<string, unknown>();
    for (const [k, v] of Object.entries(x)) out.set(back(k), mapBack(v, back));
    return Object.fromEntries([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  return x;
}

/**
 * The run of `base` and of `base` renamed by `rename` give the same numbers, keys mapped back. (Unit
 * codes are compared as `u110100`…: integer-like keys would change the key order of JS objects.)
 */
async function sameRun(rename: ReadonlyMap<string, string>, base: Files = ordinary()): Promise<void> {
  const inverse = new Map([...rename].filter(([k]) => k !== 'region').map(([k, v]) => [v, k]));
  inverse.set(rename.get('region')!, 'region');
  const back = (s: string): string => inverse.get(s) ?? s;
  const plain = await runProject(write(base));
  const proto = await runProject(write(renamed(base, rename)));
  const a = keyed(plain, (s) => s);
  const b = keyed(proto, back);
  expect(b.size).toBe(6 * 7);
  expect(b).toEqual(a);
  expect([...a.values()].every(([s]) => Number.isFinite(s))).toBe(true);
  // the analyses: regional summaries by group, the gaps of one unit against its group peers
  expect(plain.analyses?.regional?.groupings[0].byCode.length).toBeGreaterThan(0);
  expect(mapBack(proto.analyses?.regional, back)).toEqual(mapBack(plain.analyses?.regional, (s) => s));
  expect(mapBack(proto.analyses?.gaps, back)).toEqual(mapBack(plain.analyses?.gaps, (s) => s));
  for (const name of ['audit', 'tiers', 'spatial'] as const) {
    expect(plain.analyses?.[name], name).toBeDefined();
    expect(mapBack(proto.analyses?.[name], back), name).toEqual(mapBack(plain.analyses?.[name], (s) => s));
  }
}

describe('prototype names are ordinary codes', () => {
  it('indicator and aggregate codes, manual-weight keys, a group column named constructor, __proto__, …', async () => {
    await sameRun(CODES);
  });

  it('unit codes named constructor, hasOwnProperty, toString, valueOf, …; a group column named __proto__', async () => {
    const prefixed = new Map(UNITS.map((u) => [u, `u${u}`]));
    const names = new Map([...UNIT_NAMES].map(([k, v]) => [prefixed.get(k) ?? k, v]));
    await sameRun(names, renamed(ordinary(), prefixed));
  });
});

/** Every key position of a project, each a change putting the prototype name `k` there. */
const POSITIONS: Array<[string, (k: string) => (f: Files) => void]> = [
  ['indicator code', (k) => (f) => Object.assign(f, renamed(f, new Map([['A1', k]])))],
  ['aggregate code', (k) => (f) => Object.assign(f, renamed(f, new Map([['A', k]])))],
  ['index code', (k) => (f) => Object.assign(f, renamed(f, new Map([['IDX', k]])))],
  ['unit code', (k) => (f) => Object.assign(f, renamed(f, new Map([[UNITS[2], k]])))],
  ['units group column', (k) => (f) => Object.assign(f, renamed(f, new Map([['region', k]])))],
  ['units numeric column', (k) => (f) => Object.assign(f, renamed(f, new Map([['lon', k]])))],
  ['framework denominator', (k) => (f) => Object.assign(f, renamed(f, new Map([['population', k]])))],
  ['data column not in the framework', (k) => (f) => add(f, 'data.csv', (t) => t.replace(/\n/g, `,1\n`), k)],
  ['data column of an indicator, framework unchanged', (k) => (f) => edit(f, 'data.csv', 'A1', k)],
  ['framework node field', (k) => (f) => edit(f, 'framework.yaml', '{code: B1,', `{${k}: 1, code: B1,`)],
  ['project top-level key', (k) => (f) => edit(f, 'project.yaml', 'units:', `${k}: 1\nunits:`)],
  [
    'manual weights, level 1',
    (k) => (f) => step(f, `{id: w, kind: weight, options: {level: 1, weighting: ${manual(k)}}}`),
  ],
  [
    'manual weights, level 2',
    (k) => (f) => step(f, `{id: w, kind: weight, options: {level: 2, weighting: ${manual(k)}}}`),
  ],
  [
    'perIndicator key',
    (k) => (f) => edit(f, 'project.yaml', '{method: mean}', `{method: mean, perIndicator: {${k}: {method: none}}}`),
  ],
  ['regional.groupings', (k) => (f) => analyses(f, `regional: {groupings: [${k}]}`)],
  ['regional.populationWeights', (k) => (f) => analyses(f, `regional: {groupings: [region], populationWeights: ${k}}`)],
  ['gaps.peers.field', (k) => (f) => analyses(f, `gaps: {units: ["${UNITS[0]}"], peers: {by: group, field: ${k}}}`)],
  ['gaps.units', (k) => (f) => analyses(f, `gaps: {units: [${k}]}`)],
  ['analyses key', (k) => (f) => analyses(f, `${k}: true`)],
  ['report key', (k) => (f) => report(f, `{${k}: x}`)],
  ['report.title key', (k) => (f) => report(f, `{title: {${k}: x}}`)],
  ['report.notes as a word', (k) => (f) => report(f, `{notes: ${k}}`)],
  ['report.map key', (k) => (f) => report(f, `{map: {${k}: x}}`)],
];

function edit(f: Files, name: string, from: string, to: string): void {
  f[name] = (f[name] as string).replace(from, to);
}
function add(f: Files, name: string, change: (t: string) => string, header: string): void {
  const [first, ...rest] = change(f[name] as string).split('\n');
  f[name] = [first.replace(/,1$/, `,${header}`), ...rest].join('\n');
}
const manual = (k: string) => `{method: manual, weights: {${k}: 2}}`;
function step(f: Files, yaml: string): void {
  edit(
    f,
    'project.yaml',
    '    - {id: aggregate, kind: aggregate}',
    `    - ${yaml}\n    - {id: aggregate, kind: aggregate}`,
  );
}
const analyses = (f: Files, yaml: string) => void (f['project.yaml'] += `analyses:\n  ${yaml}\n`);
const report = (f: Files, yaml: string) => void (f['project.yaml'] += `report: ${yaml}\n`);

/** Located: a file and a place in it (row, field, column), or the unit or indicator it is about. */
const located = (i: Issue) =>
  Boolean(i.file && (i.row !== undefined || i.field || i.column)) || Boolean(i.field || i.unit || i.indicator);

describe('prototype names in every key position: a build or a located error, never an internal error', () => {
  it.each(POSITIONS)('%s', async (_, position) => {
    for (const key of KEYS) {
      const files: Files = baseFiles();
      position(key)(files);
      const dir = write(files);
      const what = `${key}: ${(files['project.yaml'] as string).split('\n').slice(-3).join(' ')}`;
      // the app layer: a run, or a CityIndexError whose every issue is located
      const outcome = await runProject(dir).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (outcome !== undefined) {
        expect(outcome, what).toBeInstanceOf(CityIndexError);
        const errors = (outcome as CityIndexError).issues.filter((i) => i.severity !== 'warning');
        expect(errors.length, what).toBeGreaterThan(0);
        for (const i of errors) expect(located(i), `${what}: ${JSON.stringify(i)}`).toBe(true);
      }
      // the CLI in-process: exit 0 or 1, never 2, no stack trace
      const stderr: string[] = [];
      const write0 = process.stderr.write;
      process.stderr.write = ((x: string | Uint8Array) => stderr.push(String(x)) > 0) as typeof process.stderr.write;
      let code: number;
      try {
        const command = /analyses:/.test(files['project.yaml'] as string) ? 'analyse' : 'build';
        code = await run([command, dir, '--out', join(dir, 'out')]);
      } finally {
        process.stderr.write = write0;
      }
      expect(code, `${what}\n${stderr.join('')}`).toBe(outcome === undefined ? 0 : 1);
      expect(stderr.join(''), what).not.toMatch(/internal error|\n\s+at /);
    }
  });
});
