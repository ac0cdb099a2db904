/**
 * Silent degradation (issue 11, item 6): a variant that `extends` its base and lists only some build steps
 * merges them by id instead of replacing the pipeline; a pipeline without an aggregate step is refused
 * (no index-less results); an indicator mostly made of imputed values is warned about, and refused above
 * the project's `maxImputedShare`.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { CityIndexError } from '../../src/engine/core/errors.ts';
import { loadProject, buildProject } from '../../src/formats/project.ts';
import { mergeBuild } from '../../src/formats/assemble.ts';
import { validateProject } from '../../src/app/project.ts';
import type { AppEvent } from '../../src/app/events.ts';
import { writeProject, UNITS, type Files } from './fixture.ts';

const rejected = async (p: Promise<unknown>): Promise<CityIndexError> => {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof CityIndexError)) throw new Error(`expected a CityIndexError, got ${String(e)}`);
  return e;
};

describe('extends + a partial build.steps', () => {
  it('a variant changing one step keeps the others (merge by id), and builds the index', async () => {
    const dir = writeProject((f) => {
      f['variant.yaml'] =
        'extends: project.yaml\nname: {en: Variant}\nbuild:\n  steps:\n' +
        '    - {id: normalise, kind: normalise, options: {method: zScore}}\n';
    });
    const p = await loadProject(join(dir, 'variant.yaml'));
    expect(p.spec.steps.map((s) => s.id)).toEqual(['impute', 'treat', 'normalise', 'aggregate']);
    expect(p.spec.steps[2]).toEqual({ id: 'normalise', kind: 'normalise', options: { method: 'zScore' } });
    const b = await buildProject(p);
    expect(b.results.scores.codes).toContain('IDX');
    expect(b.results.scores.unitCodes).toHaveLength(UNITS.length);
  });

  it('a new step is inserted before the next step the variant shares with the base; the seed is kept', () => {
    const base = { seed: 7, steps: [{ id: 'impute' }, { id: 'normalise' }, { id: 'aggregate' }] };
    const m = mergeBuild(base, { steps: [{ id: 'screen' }, { id: 'normalise', x: 1 }, { id: 'weight' }] });
    expect(m.steps!.map((s) => s.id)).toEqual(['impute', 'screen', 'normalise', 'weight', 'aggregate']);
    expect(m.seed).toBe(7);
    expect(mergeBuild(base, { steps: [{ id: 'extra' }] }).steps!.map((s) => s.id)).toEqual([
      'impute',
      'normalise',
      'aggregate',
      'extra',
    ]);
  });

  it('a pipeline with no aggregate step is refused, located at build.steps', async () => {
    const dir = writeProject((f) => {
      f['project.yaml'] = (f['project.yaml'] as string).replace('    - {id: aggregate, kind: aggregate}\n', '');
    });
    const e = await rejected(loadProject(dir));
    const issue = e.issues.find((i) => i.code === 'E_NO_AGGREGATE')!;
    expect(issue).toMatchObject({ file: 'project.yaml', field: 'build.steps' });
    expect(issue.row).toBeGreaterThanOrEqual(5);
    expect(issue.message).toContain('steps: impute, treat, normalise');
  });
});

describe('an indicator mostly made of imputed values', () => {
  // A1 observed in 2 of the units only: the rest are imputed by the column mean
  const sparse = (f: Files, extra = '') => {
    const lines = (f['data.csv'] as string).trimEnd().split('\n');
    f['data.csv'] = lines.map((ln, i) => (i <= 2 ? ln : ln.replace(/^([^,]+),[^,]*/, '$1,'))).join('\n') + '\n';
    if (extra)
      f['project.yaml'] = (f['project.yaml'] as string).replace(
        'options: {method: mean}',
        `options: {method: mean${extra}}`,
      );
  };
  const n = UNITS.length;

  it('is warned about (step diagnostics and a warning event), with the count', async () => {
    const dir = writeProject((f) => sparse(f));
    const events: AppEvent[] = [];
    const r = await validateProject(dir, { onEvent: (e) => events.push(e) });
    const step = r.build.steps.find((s) => s.kind === 'impute')!;
    const w = (step.diagnostics as { warnings: Array<{ code: string; indicator?: string; message: string }> }).warnings;
    const mostly = w.filter((x) => x.code === 'W_MOSTLY_IMPUTED');
    expect(mostly.map((x) => x.indicator)).toEqual(['A1']);
    expect(mostly[0].message).toContain(`${n - 2} of ${n} values`);
    expect(events.some((e) => e.kind === 'warning' && e.message.includes('W_MOSTLY_IMPUTED'))).toBe(true);
  });

  it('is an error above the project-set maxImputedShare', async () => {
    const dir = writeProject((f) => sparse(f, ', maxImputedShare: 0.5'));
    const e = await rejected(buildProject(await loadProject(dir)));
    expect(e.issues[0]).toMatchObject({ code: 'E_TOO_IMPUTED', indicator: 'A1' });
    expect(e.issues[0].message).toContain('more than maxImputedShare 0.5');
  });

  it('a share above the imputed one passes (the warning stays)', async () => {
    const dir = writeProject((f) => sparse(f, ', maxImputedShare: 0.95'));
    const b = await buildProject(await loadProject(dir));
    expect(b.results.scores.codes).toContain('IDX');
  });
});
