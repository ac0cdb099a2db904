/**
 * The audit and the what-if on COINr's ASEM build (examples/asem): indicator statistics against COINr's
 * own skew/kurtosis, correlations and PCA against numpy, leave-one-out against rebuilds, and the what-if
 * against the arithmetic closed form and rebuilds.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadProject, type LoadedProject } from '../../src/formats/project.ts';
import { build, stepDataset, type Build } from '../../src/engine/pipeline/build.ts';
import { column, createDataset } from '../../src/engine/core/dataset.ts';
import { rankDescending } from '../../src/engine/stats/descriptive.ts';
import {
  auditBuild,
  auditCorrelations,
  correlation,
  groupPca,
  indicatorStats,
  leaveOneOut,
  aggregationContext,
} from '../../src/engine/analysis/audit/index.ts';
import { bestUnderBudget, smallestImprovements, unitGaps } from '../../src/engine/analysis/whatif/index.ts';
import { readCoinrTable } from './asem-fixtures.ts';

let project: LoadedProject;
let b: Build;
beforeAll(async () => {
  project = await loadProject('examples/asem');
  b = build(project.input, project.spec);
});

describe('indicator statistics (COINr get_stats)', () => {
  it('skew and kurtosis of the Screened data equal COINr check_SkewKurt0 (Treated_details.csv) to 1e-9', () => {
    const stats = indicatorStats(stepDataset(b, 'screen'));
    const rows = readCoinrTable('Treated_details');
    expect(rows).toHaveLength(49);
    for (const row of rows) {
      const s = stats.rows.find((r) => r.code === row.iCode)!;
      expect(Math.abs(s.skew - Number(row['check_SkewKurt0.Skew'])), `${row.iCode} skew`).toBeLessThan(1e-9);
      expect(Math.abs(s.kurt - Number(row['check_SkewKurt0.Kurt'])), `${row.iCode} kurt`).toBeLessThan(1e-9);
      // COINr's Treat pass rule is the negation of get_stats' OUT flag (|skew| > 2 & kurt > 3.5)
      expect(s.flagSkewKurt === 'OUT', row.iCode).toBe(row['check_SkewKurt0.Pass'] === 'FALSE');
    }
    expect(stats.rows.filter((r) => r.flagSkewKurt === 'OUT')).toHaveLength(15);
  });
  it('availability on the raw data: ConSpeed has 8 of 51 missing', () => {
    const s = indicatorStats(b.raw).rows.find((r) => r.code === 'ConSpeed')!;
    expect([s.nAvailable, s.fracAvailable]).toEqual([43, 43 / 51]);
  });
});

describe('correlations against numpy', () => {
  // python3: for a pair, m = ~isnan(x) & ~isnan(y); numpy.corrcoef(x[m], y[m])[0, 1]; scipy.stats.spearmanr(x[m], y[m])
  // over data/sources/coinr-asem/expected-default/Raw.csv and Aggregated.csv.
  it.each([
    ['Goods', 'Services', 0.888672912612749, 0.8849773755656108],
    ['Research', 'Pat', 0.7961669363345303, 0.9198945981554676], // 45 complete pairs
    ['ConSpeed', 'Cov4G', 0.5005777515201385, 0.5610569412548487], // 43 complete pairs
    ['Renew', 'CO2', -0.598633829919432, -0.6879638009049773],
  ])('raw %s–%s (pairwise complete)', (x, y, r, rho) => {
    expect(correlation(column(b.raw, x), column(b.raw, y), 'pearson')).toBeCloseTo(r, 12);
    expect(correlation(column(b.raw, x), column(b.raw, y), 'spearman')).toBeCloseTo(rho, 12);
  });
  it('aggregated: with parents and with the index', () => {
    const res = auditCorrelations(b.results.scores, b.steps.at(-1)!.framework);
    const fam = (code: string, anc: string) => res.family.find((f) => f.code === code && f.ancestor === anc)!;
    expect(fam('Physical', 'Conn').pearson).toBeCloseTo(0.8679441014540166, 12);
    expect(fam('Physical', 'Conn').spearman).toBeCloseTo(0.8542081447963801, 12);
    expect(fam('Environ', 'Index').pearson).toBeCloseTo(0.12092037508854353, 12);
    expect(fam('Environ', 'Index').spearman).toBeCloseTo(0.09891402714932127, 12);
    expect(fam('LPI', 'Physical').pearson).toBeCloseTo(0.7670016533434035, 12);
    // every weakParent flag is a parent correlation below the 0.3 threshold
    for (const f of res.flags.filter((x) => x.kind === 'weakParent')) expect(fam(f.a, f.b).pearson).toBeLessThan(0.3);
  });
});

describe('PCA per group', () => {
  it('Physical pillar: eigenvalues of the correlation matrix equal numpy.linalg.eigvalsh; shares sum to 1', () => {
    // numpy.linalg.eigvalsh(corrcoef(Aggregated[LPI … Cov4G]))[::-1]
    const expected = [2.90125969, 1.50350028, 1.17086253, 0.8316233, 0.6416982, 0.40089279, 0.34487519, 0.20528803];
    const g = groupPca(b.results.scores, b.steps.at(-1)!.framework).groups.find((x) => x.group === 'Physical')!;
    g.eigenvalues.forEach((v, k) => expect(v).toBeCloseTo(expected[k], 7));
    expect(g.varianceExplained[0]).toBeCloseTo(0.36265746, 7);
    expect(g.varianceExplained.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14);
  });
});

describe('leave-one-out', () => {
  it('removing a pillar gives the ranks of a rebuild with its weight set to 0', () => {
    const r = leaveOneOut(b, { level: 2 });
    expect(r.removals).toHaveLength(8);
    for (const code of ['Physical', 'Environ', 'Social']) {
      const fw = project.input.framework;
      const rebuilt = build(
        {
          ...project.input,
          framework: { ...fw, nodes: fw.nodes.map((nd) => (nd.code === code ? { ...nd, weight: 0 } : nd)) },
        },
        project.spec,
      );
      const ranks = Array.from(rankDescending(column(rebuilt.results.scores, 'Index')));
      const removal = r.removals.find((x) => x.code === code)!;
      expect(removal.ranks).toEqual(ranks);
      const mean = ranks.reduce((s, v, i) => s + Math.abs(r.nominalRanks[i] - v), 0) / ranks.length;
      expect(removal.meanAbsRankChange).toBeCloseTo(mean, 14);
    }
  });
});

describe('what-if on ASEM', () => {
  it('smallest improvements match (score to reach − score)/effective weight and rebuilds', () => {
    const unit = 'CHN';
    const r = smallestImprovements(b, { unit, k: 2 });
    const index = column(b.results.scores, 'Index');
    const sorted = Array.from(index).sort((p, q) => q - p);
    const toReach = sorted[r.targetRank - 1];
    const ctx = aggregationContext(b);
    let checked = 0;
    for (const x of r.indicators) {
      const closed = (toReach - r.score) / x.effectiveWeight;
      if (closed <= x.room) {
        expect(x.status, x.code).toBe('ok');
        expect(x.improvement).toBeCloseTo(closed, 6);
        // rebuild from the normalised data with the improvement, and with slightly less
        for (const [delta, ok] of [
          [x.improvement, true],
          [x.improvement - 2 * r.tolerance, false],
        ] as const) {
          const ds = ctx.input.dataset;
          const v = ds.values.slice();
          const m = ds.unitCodes.length;
          v[ds.codes.indexOf(x.code) * m + ds.unitCodes.indexOf(unit)] += delta;
          const rebuilt = build(
            {
              framework: ctx.input.framework,
              units: [...ctx.input.units],
              raw: createDataset(ds.unitCodes, ds.codes, v),
            },
            { version: 1, steps: [{ id: 'aggregate', kind: 'aggregate', options: ctx.options }] },
          );
          const rank = rankDescending(column(rebuilt.results.scores, 'Index'))[ds.unitCodes.indexOf(unit)];
          if (ok) expect(rank).toBe(r.targetRank);
          else expect(rank).toBeGreaterThan(r.targetRank);
        }
        checked++;
      } else {
        expect(x.status === 'unreachable' || x.status === 'noRoom', x.code).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(5);
  });
  it('a budget plan is within budget and no worse than the best single indicator', () => {
    const r = bestUnderBudget(b, { unit: 'CHN', budget: 100 });
    expect(r.plan.spent).toBeLessThanOrEqual(100 * (1 + 1e-12));
    expect(r.plan.rank).toBeLessThanOrEqual(r.bestSingle.rank);
    expect(r.plan.rank).toBeLessThan(r.rank);
  });
  it('gaps against the same EurAsia group add up to the index gap (arithmetic, complete data)', () => {
    const g = unitGaps(b, { unit: 'CHN', peers: { by: 'group', field: 'EurAsia_group' } });
    expect(g.peers.length).toBeGreaterThan(5);
    expect(g.indicators.reduce((s, x) => s + x.weightedGap, 0)).toBeCloseTo(g.index.gap, 9);
    expect(g.rawStep).toBe('screen');
  });
});

describe('auditBuild', () => {
  it('runs every part on the ASEM build', () => {
    const a = auditBuild(b);
    expect(a.stats.map((s) => s.step)).toEqual(['raw', 'normalise']);
    expect(a.cronbach.map((c) => c.group)).toContain('Physical');
    expect(a.pca.groups.length + a.pca.skipped.length).toBe(11);
    expect(a.leaveOneOut.map((l) => l.level)).toEqual([1, 2, 3]);
    expect(a.leaveOneOut[0].removals).toHaveLength(49);
  });
});
