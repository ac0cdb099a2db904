/**
 * The flagship example: its derived files are up to date with data/sources (prepare.ts --check), it
 * loads and builds, and its framework lists gaps instead of inventing data.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { loadProject } from '../src/formats/project.ts';
import { build } from '../src/engine/pipeline/build.ts';
import { column, getValue } from '../src/engine/core/dataset.ts';
import { loadCases } from '../src/formats/cases.ts';
import { checkCaseLinks } from '../src/engine/cases/search.ts';

describe('examples/cdgi-2020', () => {
  it('derived files are up to date (prepare.ts --check)', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'examples/cdgi-2020/prepare.ts', '--check'], {
      encoding: 'utf8',
    });
    expect(r.status, r.stderr + r.stdout).toBe(0);
  });

  it('loads 100 cities and builds the index with 杭州 first', async () => {
    const p = await loadProject('examples/cdgi-2020');
    expect(p.input.units).toHaveLength(100);
    expect(p.gaps.length).toBeGreaterThan(0);
    expect(p.input.raw.codes).not.toContain(p.gaps[0].code);
    const b = build(p.input, p.spec);
    const idx = column(b.results.scores, 'CDGI');
    expect(idx.every((v) => v >= 0 && v <= 100)).toBe(true);
    expect(getValue(b.results.ranks, '330100', 'CDGI')).toBe(1);
    const hz = p.input.units.find((u) => u.code === '330100')!;
    expect(hz.name.zh).toBe('杭州市');
  });

  it('every case links to a city and indicators of the example', async () => {
    const p = await loadProject('examples/cdgi-2020');
    const cases = await loadCases('cases');
    expect(cases.length).toBeGreaterThanOrEqual(3);
    expect(checkCaseLinks(cases, p.input.framework, p.input.units)).toEqual([]);
  });
});

describe('lineage on examples/cdgi-2020', () => {
  it('traces 北京 ADM_OSI_CITY to the provinces table (per-value source); contributions sum to the score', async () => {
    const { explainScore } = await import('../src/engine/pipeline/lineage.ts');
    const p = await loadProject('examples/cdgi-2020');
    const b = build(p.input, p.spec);
    const ex = explainScore(b, '110100', 'CDGI', { valueSources: p.valueSources });
    expect(ex.indicators.reduce((s, i) => s + i.contribution, 0)).toBeCloseTo(ex.score, 10);
    const osi = ex.indicators.find((i) => i.code === 'ADM_OSI_CITY')!;
    expect(osi.valueSource).toMatch(/provinces/);
    expect(osi.source?.name).toBeTruthy();
  });
});
