/**
 * The flagship's uncertainty analysis from project.yaml: every run succeeds (an excluded indicator's
 * per-indicator override is a warning, not a failure), each city gets a rank interval containing its
 * median, and the analysis is seeded (same seed → same bytes).
 */
import { describe, expect, it } from 'vitest';
import { loadProject } from '../src/formats/project.ts';
import { build } from '../src/engine/pipeline/build.ts';
import { runAnalysis } from '../src/engine/analysis/uncertainty/analyse.ts';

describe('cdgi-2020 uncertainty analysis', () => {
  it("runs the project's design without failures and gives rank intervals", async () => {
    const p = await loadProject('examples/cdgi-2020');
    const b = build(p.input, p.spec);
    const u = p.project.analyses!.uncertainty!;
    const r = runAnalysis(p.input, p.spec, { ...u, N: 200 }, { nominal: b });
    expect(r.failures).toEqual([]);
    expect(r.rankStats).toHaveLength(100);
    for (const s of r.rankStats) {
      expect(s.q5).toBeLessThanOrEqual(s.median);
      expect(s.median).toBeLessThanOrEqual(s.q95);
      expect(s.q5).toBeGreaterThanOrEqual(1);
      expect(s.q95).toBeLessThanOrEqual(100);
    }
    const hz = r.rankStats.find((s) => s.unit === '330100')!;
    expect(hz.nominal).toBe(1);
    const again = runAnalysis(p.input, p.spec, { ...u, N: 200 }, { nominal: b });
    expect(Buffer.from(again.ranks.buffer).equals(Buffer.from(r.ranks.buffer))).toBe(true);
  });
});
