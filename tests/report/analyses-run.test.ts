/**
 * runAnalyses: statistics that cannot be computed are reported with their reason (never silently
 * absent), and every section failure is recorded with issues located under `analyses.<section>`.
 */
import { describe, expect, it } from 'vitest';
import { runAnalyses, parseAnalysesConfig } from '../../src/engine/analysis/run.ts';
import { sixCities } from './fixture.ts';

describe('regional: Theil, Dagum and Gini are computed or their absence explained', () => {
  it('min–max scores (all ≥ 0): region decomposed, Theil T and Gini by hand', () => {
    const { build } = sixCities();
    const r = runAnalyses(
      build,
      parseAnalysesConfig({ regional: { groupings: ['region', 'clusters', 'admin_rank'], populationWeights: 'pop' } }),
    );
    expect(r.errors).toEqual([]);
    const reg = r.regional!;
    // IDX = [5, 60, 87.5, 77.5, 10, 42.5], s_i = y_i/282.5, T = Σ s_i ln(6 s_i) = 0.270214 (numpy);
    // east (A–D) share 230/282.5 over population share 4/6, west 52.5/282.5 over 2/6: between 0.054145.
    const region = reg.groupings.find((g) => g.grouping === 'region')!;
    expect(region.skipped).toEqual([]);
    expect(region.theil!.T).toBeCloseTo(0.2702139166579695, 12);
    expect(region.theil!.between).toBeCloseTo(0.054144644019385374, 12);
    expect(region.dagum).toBeDefined();
    // Gini = 2 Σ i·v_(i) / (m Σ v) − (m + 1)/m over the sorted values = 0.373156 (numpy)
    expect(reg.inequality.gini).toBeCloseTo(0.37315634218289073, 12);
    expect(reg.inequality.theil).toBeCloseTo(0.2702139166579695, 12);
    expect(reg.inequality.theilPopulationWeighted).toBeGreaterThan(0);
    expect(reg.skipped).toEqual([]);
    // clusters: Xi'an has none → decompositions skipped as 'ungrouped'; admin_rank has '|' → multiMembership
    const clusters = reg.groupings.find((g) => g.grouping === 'clusters')!;
    expect(clusters.theil).toBeUndefined();
    expect(clusters.skipped.map((s) => [s.statistic, s.reason])).toEqual([
      ['theil', 'ungrouped'],
      ['dagum', 'ungrouped'],
    ]);
    expect(clusters.skipped[0].message).toContain('1 unit(s) have no "clusters" group');
    const admin = reg.groupings.find((g) => g.grouping === 'admin_rank')!;
    expect(admin.multiMembership).toBe(true);
    expect(admin.skipped.map((s) => s.reason)).toEqual(['multiMembership', 'multiMembership']);
  });

  it('z-scores (negative): Theil, Dagum and Gini skipped with the kernel issue, not silently', () => {
    const { build } = sixCities({ method: 'zScore', mean: 0, sd: 1 });
    const r = runAnalyses(build, parseAnalysesConfig({ regional: { groupings: ['region'] } }));
    expect(r.errors).toEqual([]);
    const reg = r.regional!;
    expect(reg.inequality.gini).toBeUndefined();
    expect(reg.inequality.theil).toBeUndefined();
    // the mean of z-scores is 0 (up to rounding): the CV is not defined either
    expect(reg.inequality.cv).toBeUndefined();
    expect(reg.skipped.map((s) => [s.statistic, s.reason])).toEqual([
      ['gini', 'undefined'],
      ['theil', 'undefined'],
      ['cv', 'undefined'],
    ]);
    expect(reg.skipped[0].issues[0].code).toBe('E_NEGATIVE');
    expect(reg.skipped[0].issues[0].unit).toBeDefined();
    const region = reg.groupings[0];
    expect(region.theil).toBeUndefined();
    expect(region.dagum).toBeUndefined();
    expect(region.skipped.map((s) => [s.statistic, s.reason, s.issues[0]?.code])).toEqual([
      ['theil', 'undefined', 'E_NEGATIVE'],
      ['dagum', 'undefined', 'E_NEGATIVE'],
    ]);
  });
});

describe('runAnalyses records every section failure with located issues', () => {
  const { build } = sixCities();
  const fieldsOf = (cfg: unknown) => {
    const r = runAnalyses(build, parseAnalysesConfig(cfg));
    return r.errors.map((e) => [e.analysis, ...new Set(e.issues.map((i) => i.field))]);
  };
  const cases: Array<[string, unknown, string[]]> = [
    ['unknown grouping', { regional: { groupings: ['nope'] } }, ['regional', 'analyses.regional.groupings']],
    [
      'unknown group in a comparison',
      { regional: { groupings: ['region'], compare: [{ grouping: 'region', a: '东部', b: 'Mars' }] } },
      ['regional', 'analyses.regional.compare'],
    ],
    [
      'comparison on a grouping not listed',
      { regional: { groupings: ['region'], compare: [{ grouping: 'clusters', a: 'x', b: 'y' }] } },
      ['regional', 'analyses.regional.compare'],
    ],
    [
      'population column missing',
      { regional: { groupings: ['region'], populationWeights: 'nope' } },
      ['regional', 'analyses.regional.populationWeights'],
    ],
    [
      'unknown regional code',
      { regional: { groupings: ['region'], codes: ['NOPE'] } },
      ['regional', 'analyses.regional.codes'],
    ],
    [
      'coordinates missing',
      { spatial: { coordinates: ['x', 'y'], permutations: 9 } },
      ['spatial', 'analyses.spatial.coordinates'],
    ],
    [
      'k too large',
      { spatial: { weights: { method: 'knn', k: 9 }, permutations: 9 } },
      ['spatial', 'analyses.spatial.weights.k'],
    ],
    [
      'unknown leader',
      { spatial: { weights: { method: 'knn', k: 2 }, permutations: 9, leader: { unit: '999999' } } },
      ['spatial', 'analyses.spatial.leader.unit'],
    ],
    [
      'unknown follower',
      { spatial: { weights: { method: 'knn', k: 2 }, permutations: 9, leader: { unit: '330100', followers: ['1'] } } },
      ['spatial', 'analyses.spatial.leader.followers'],
    ],
    ['thresholds without cuts', { tiers: { method: 'thresholds' } }, ['tiers', 'analyses.tiers.cuts']],
    ['labels ≠ k', { tiers: { k: 3, labels: ['a', 'b'] } }, ['tiers', 'analyses.tiers.labels']],
    ['unknown tier code', { tiers: { code: 'NOPE' } }, ['tiers', 'analyses.tiers.code']],
    ['unknown gaps unit', { gaps: { units: ['1'] } }, ['gaps', 'analyses.gaps.units']],
    ['unknown audit step', { audit: { statsOn: ['nope'] } }, ['audit', 'analyses.audit.statsOn']],
  ];
  for (const [what, cfg, expected] of cases) it(what, () => expect(fieldsOf(cfg)).toEqual([expected]));

  it('one failing section does not stop the others', () => {
    const r = runAnalyses(build, parseAnalysesConfig({ regional: { groupings: ['nope'] }, tiers: { k: 2 } }));
    expect(r.errors.map((e) => e.analysis)).toEqual(['regional']);
    expect(r.tiers?.k).toBe(2);
  });
});
