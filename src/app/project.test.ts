/**
 * The index use cases called directly (no CLI): validate, run with progress events, the files of
 * `build` and `analyse` equal to what the CLI writes, an injected host without worker threads, abort.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadProject, buildProject, type LoadedProject } from '../formats/project.ts';
import { runAnalysis } from '../engine/analysis/uncertainty/analyse.ts';
import { CityIndexError } from '../engine/core/errors.ts';
import { run } from '../cli/main.ts';
import type { AppEvent } from './events.ts';
import type { AppHost } from './host.ts';
import { nodeHost } from './node-host.ts';
import { analyseIndex, buildIndex, parseFormats, runProject, selectAnalyses, validateProject } from './project.ts';

let asem: LoadedProject;
let tmp: string;
beforeAll(async () => {
  asem = await loadProject('examples/asem');
  tmp = await mkdtemp(join(tmpdir(), 'cityindex-app-'));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

/** asem with a smaller uncertainty analysis (the test is about events, not statistics). */
function asemWithRuns(n: number): LoadedProject {
  const analyses = asem.project.analyses!;
  const uncertainty = { ...analyses.uncertainty!, N: n };
  return { ...asem, project: { ...asem.project, analyses: { ...analyses, uncertainty } } };
}

const text = (v: unknown): string => (typeof v === 'string' ? v : Buffer.from(v as Uint8Array).toString('utf8'));

async function cli(argv: string[]): Promise<number> {
  const e = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return await run(argv);
  } finally {
    e.mockRestore();
  }
}

describe('validateProject', () => {
  it('summarises a valid project and sends its warnings as events before building', async () => {
    const events: AppEvent[] = [];
    const r = await validateProject('examples/asem', { onEvent: (e) => events.push(e) });
    expect(r.summary).toEqual({ units: 51, indicators: asem.input.raw.codes.length, notCollected: 0, steps: 6 });
    expect(r.build.results.indexCode).toBe('Index');
    expect(events.filter((e) => e.kind === 'warning')).toHaveLength(r.warnings.length);
  });
  it('throws located errors (no printing, no exit)', async () => {
    await expect(validateProject('examples/asem/ASEM_iData.csv')).rejects.toThrow(CityIndexError);
  });
});

describe('runProject', () => {
  it('reports uncertainty runs through onEvent: counts increase to the total, then progress-end', async () => {
    const events: AppEvent[] = [];
    const r = await runProject(asemWithRuns(200), { onEvent: (e) => events.push(e) });
    const progress = events.flatMap((e) => (e.kind === 'progress' ? [e] : []));
    expect(progress.length).toBeGreaterThan(0);
    const total = progress[0].total;
    expect(total).toBe(200);
    for (let k = 1; k < progress.length; k++) expect(progress[k].done).toBeGreaterThan(progress[k - 1].done);
    expect(progress.at(-1)!.done).toBe(total);
    expect(progress.every((e) => e.total === total)).toBe(true);
    expect(events.findIndex((e) => e.kind === 'progress-end')).toBeGreaterThan(events.lastIndexOf(progress.at(-1)!));
    expect(r.analyses?.uncertainty?.rankStats).toHaveLength(51);
    const analysing = events.find((e) => e.kind === 'info' && e.message.startsWith('analysing: '));
    expect(analysing).toMatchObject({ message: expect.stringContaining('audit, gaps, regional') });
  }, 120_000);

  it('an injected host (no file system, no worker threads) gives the same analyses as the Node host', async () => {
    const project = asemWithRuns(100);
    const memoryHost: AppHost = {
      ...nodeHost,
      loadProject: () => Promise.reject(new Error('no file system here')),
      buildProject,
      runUncertainty: async (p, nominal, options, onProgress) =>
        runAnalysis(p.input, nominal.spec, options, { nominal, onProgress }),
    };
    const a = await runProject(project, { host: memoryHost });
    const b = await runProject(project);
    expect(JSON.stringify(a.analyses)).toBe(JSON.stringify(b.analyses));
    expect(a.build.results.scores.values).toEqual(b.build.results.scores.values);
  }, 120_000);

  it('--only selects analyses; --no-analyses skips them; an aborted signal stops before the build', async () => {
    const r = await runProject(asem, { only: 'tiers' });
    expect(Object.keys(r.analyses!).filter((k) => ['tiers', 'regional', 'uncertainty'].includes(k))).toEqual(['tiers']);
    expect((await runProject(asem, { analyses: false })).analyses).toBeUndefined();
    const controller = new AbortController();
    controller.abort(new Error('stopped by the user'));
    await expect(runProject(asem, { signal: controller.signal })).rejects.toThrow('stopped by the user');
  }, 60_000);

  it('reads the series of a project through the host (cdgi-2020: the 288 table audited)', async () => {
    const read: string[] = [];
    const loadSeriesTable: AppHost['loadSeriesTable'] = (file, dir) => {
      read.push(file);
      return nodeHost.loadSeriesTable(file, dir);
    };
    const host: AppHost = { ...nodeHost, loadSeriesTable };
    const r = await runProject('examples/cdgi-2020', { host, analyses: false });
    expect(r.series?.audit?.summary.swapped).toEqual(['2023-01', '2022-12']);
    const config = r.project.project.series!;
    expect(read).toEqual([config.file, ...(config.audit ? [config.audit] : [])]);
  }, 60_000);
});

describe('buildIndex and analyseIndex produce the files the CLI writes', () => {
  it('build: results.csv, build.json, analysis.json and results.xlsx sheets equal the CLI output', async () => {
    const out = join(tmp, 'asem');
    expect(await cli(['build', 'examples/asem', '--out', out])).toBe(0);
    const { files } = await buildIndex('examples/asem');
    expect([...files.keys()].sort()).toEqual(['analysis.json', 'build.json', 'results.csv', 'results.xlsx']);
    for (const name of ['results.csv', 'build.json', 'analysis.json']) {
      expect(text(files.get(name)), name).toBe(await readFile(join(out, name), 'utf8'));
    }
  }, 120_000);

  it('build with html: both languages of the report, in memory', async () => {
    const { files } = await buildIndex(asem, { formats: parseFormats('html'), analyses: false });
    expect([...files.keys()]).toEqual(['results.csv', 'build.json', 'results.xlsx', 'report.html', 'report.zh.html']);
    expect(text(files.get('report.html'))).toContain('<html');
  }, 60_000);

  it('analyse --only tiers equals the CLI; a project without analyses is an input error', async () => {
    const out = join(tmp, 'cdgi-tiers');
    expect(await cli(['analyse', 'examples/cdgi-2020', '--out', out, '--only', 'tiers'])).toBe(0);
    const { files, run: r } = await analyseIndex('examples/cdgi-2020', { only: 'tiers' });
    expect(text(files.get('analysis.json'))).toBe(await readFile(join(out, 'analysis.json'), 'utf8'));
    expect(r.analyses?.tiers?.counts.reduce((s, c) => s + c, 0)).toBe(100);
    const bare = { ...asem, project: { ...asem.project, analyses: undefined } };
    await expect(analyseIndex(bare)).rejects.toMatchObject({ issues: [{ code: 'E_NO_ANALYSES', field: 'analyses' }] });
  }, 120_000);
});

describe('argument helpers', () => {
  it('parseFormats and selectAnalyses name the option and what was expected', () => {
    expect([...parseFormats('html, pdf')]).toEqual(['csv', 'json', 'xlsx', 'html', 'pdf']);
    expect(() => parseFormats('docx')).toThrow(/unknown format "docx"/);
    const settings = asem.project.analyses!;
    expect(Object.keys(selectAnalyses(settings, 'tiers'))).toEqual(['target', 'reference', 'tiers']);
    expect(() => selectAnalyses(settings, 'astrology')).toThrow(/unknown analysis "astrology"/);
    expect(() => selectAnalyses(settings, 'spatial')).toThrow(/not declared in project.yaml \(analyses.spatial\)/);
  });
});
