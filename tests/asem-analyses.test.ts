/**
 * Every analysis declared in examples/asem/project.yaml runs from the project file (audit, regional,
 * tiers, gaps/what-if, COINr's four-assumption uncertainty analysis) without errors.
 */
import { describe, expect, it } from 'vitest';
import { loadProject } from '../src/formats/project.ts';
import { build } from '../src/engine/pipeline/build.ts';
import { runAnalyses } from '../src/engine/analysis/run.ts';

describe('examples/asem analyses', () => {
  it('run from project.yaml', async () => {
    const p = await loadProject('examples/asem');
    const b = build(p.input, p.spec);
    const a = runAnalyses(b, p.project.analyses!);
    expect(a.errors).toEqual([]);
    // COINr's audit: 15 indicators fail the skew/kurtosis test on the screened data
    const screened = a.audit!.stats.find((s) => s.step !== 'raw')!;
    expect(screened.rows.length).toBe(49);
    const eur = a.regional!.comparisons[0];
    expect(eur.a).toBe('Europe');
    expect(eur.aAbove).toBe(true);
    expect(a.tiers!.counts.reduce((s, c) => s + c, 0)).toBe(51);
    expect(a.gaps!.map((g) => g.unit)).toEqual(['CHN', 'GBR']);
    const u = a.uncertainty!;
    expect(u.nRuns).toBe(1000);
    expect(u.failures).toEqual([]);
    const che = u.rankStats.find((r) => r.unit === 'CHE')!;
    expect(che.nominal).toBe(1);
    expect(che.q5).toBeGreaterThanOrEqual(1);
  });
});
