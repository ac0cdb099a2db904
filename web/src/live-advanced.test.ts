/**
 * The advanced re-weighting in Node: indicator weights, another normalisation and another aggregation in
 * the page's `LiveSession` give the same scores and ranks as the engine's plain build of the project with
 * those settings written into its framework and spec (tests/e2e/site-reference.ts); back to the published
 * settings restores the published results bit for bit.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runProject } from '../../src/app/project.ts';
import { siteData, type SiteData } from '../../src/app/site.ts';
import { column } from '../../src/engine/core/dataset.ts';
import { LiveSession, type LiveSettings } from './live.ts';
import { indexSite, type Site } from './site.ts';
import { referenceBuild } from '../../tests/e2e/site-reference.ts';

let site: Site;
let live: LiveSession;
beforeAll(async () => {
  const run = await runProject('examples/cdgi-2020', { analyses: false });
  site = indexSite(JSON.parse(JSON.stringify(siteData(run))) as SiteData);
  live = new LiveSession(site.data.live, site.aggregateCodes, site.weightLevel);
}, 120_000);

async function expectSameAsReference(settings: LiveSettings): Promise<number> {
  const r = live.recompute(settings);
  const ref = await referenceBuild('examples/cdgi-2020', settings);
  let n = 0;
  for (const code of site.aggregateCodes) {
    const s = column(ref.results.scores, code);
    const k = column(ref.results.ranks, code);
    r.units.forEach((u, i) => {
      const j = ref.results.scores.unitCodes.indexOf(u);
      expect(r.scores[code][i], `${u} ${code}`).toBeCloseTo(s[j], 9);
      expect(r.ranks[code][i], `${u} ${code} rank`).toBe(k[j]);
      n++;
    });
  }
  return n;
}

describe('advanced re-weighting equals a plain engine build with the same settings', () => {
  it('indicator weights (two indicators of one dimension) and a dimension weight', async () => {
    const [a, b] = site.data.live.input.framework.nodes.filter((x) => x.level === 1).map((x) => x.code);
    const settings = { weights: { [site.weightCodes[0]]: 2 }, indicators: { [a]: 3, [b]: 0 } };
    const r = live.recompute(settings);
    const ix = site.data.indexCode;
    // the settings move someone
    expect(r.units.some((u, i) => r.ranks[ix][i] !== site.data.results.ranks[ix][site.rowOf.get(u)!])).toBe(true);
    expect(await expectSameAsReference(settings)).toBe(100 * site.aggregateCodes.length);
  });

  it('z-scores and a geometric mean, with weights', async () => {
    const settings: LiveSettings = {
      weights: { [site.weightCodes[1]]: 0.5 },
      normalise: 'zScore',
      aggregate: 'geometric',
    };
    expect(await expectSameAsReference(settings)).toBe(100 * site.aggregateCodes.length);
  });

  it('min–max 1–100 and a harmonic mean; a refused combination is a located error; back to published', async () => {
    await expectSameAsReference({ normalise: 'minMax1', aggregate: 'harmonic' });
    // percentile ranks give 0s, which a harmonic mean refuses: the page shows the engine's error
    expect(() => live.recompute({ normalise: 'percentileRank', aggregate: 'harmonic' })).toThrow(/E_HMEAN_NONPOSITIVE/);
    const back = live.recompute({ weights: live.publishedWeights() });
    const ix = site.data.indexCode;
    back.units.forEach((u, i) => expect(back.scores[ix][i]).toBe(site.data.results.scores[ix][site.rowOf.get(u)!]));
  });
});
