/**
 * The page's engine session in Node: the published build re-made from the site data alone equals the
 * export's results (every score and rank); re-weighting equals the engine's own regenerate; a what-if
 * with a unit's own values changes nothing, a better value lifts it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runProject } from '../../src/app/project.ts';
import { siteData, type SiteData } from '../../src/app/site.ts';
import { LiveSession, type Ranking } from './live.ts';
import { indexSite, type Site } from './site.ts';
import { formatWeights, parseRoute, parseWeights, formatRoute } from './route.ts';
import { groupValues, inGroups, matches, sortRows, type Row } from './table.ts';

/** The site data as the page gets it: through JSON. */
function throughJson(d: SiteData): SiteData {
  return JSON.parse(JSON.stringify(d)) as SiteData;
}

describe('LiveSession on cdgi-2020 site data', () => {
  let site: Site;
  let live: LiveSession;
  beforeAll(async () => {
    const run = await runProject('examples/cdgi-2020', { analyses: false });
    site = indexSite(throughJson(siteData(run)));
    live = new LiveSession(site.data.live, site.aggregateCodes, site.weightLevel);
  });

  function expectEqualsPublished(r: Ranking) {
    const d = site.data;
    let n = 0;
    for (const code of site.aggregateCodes)
      r.units.forEach((u, i) => {
        const row = site.rowOf.get(u)!;
        expect(r.scores[code][i]).toBe(d.results.scores[code][row]);
        expect(r.ranks[code][i]).toBe(d.results.ranks[code][row]);
        n++;
      });
    return n;
  }

  it('the published weights in the page give every published score and rank, bit for bit', () => {
    expect(site.weightCodes.length).toBe(4);
    const w = live.publishedWeights();
    expect(expectEqualsPublished(live.reweight(w))).toBe(100 * site.aggregateCodes.length);
  });

  it('re-weighting: one dimension alone ranks by that dimension; back to published restores', () => {
    const [first, ...rest] = site.weightCodes;
    const only = Object.fromEntries([[first, 1], ...rest.map((c) => [c, 0])]);
    const r = live.reweight(only);
    const ix = site.data.indexCode;
    r.units.forEach((u, i) => expect(r.ranks[ix][i]).toBe(site.data.results.ranks[first][site.rowOf.get(u)!]));
    expectEqualsPublished(live.reweight(live.publishedWeights()));
  });

  it('what-if: own values change nothing; the best value of every indicator lifts the city', () => {
    const unit = site.data.results.units[50]; // rank 51
    const ix = site.data.indexCode;
    const same = live.whatIf(unit, {});
    expect(same.ranks[ix]).toBe(site.data.results.ranks[ix][50]);
    expect(same.scores[ix]).toBe(site.data.results.scores[ix][50]);
    const raw = site.data.live.input.raw;
    const n = raw.unitCodes.length;
    const best: Record<string, number> = {};
    raw.codes.forEach((c, k) => {
      const col = raw.values.slice(k * n, (k + 1) * n).filter((v): v is number => v !== null);
      const node = site.nodeByCode.get(c)!;
      best[c] = node.direction === 1 ? Math.max(...col) : Math.min(...col);
    });
    const top = live.whatIf(unit, best);
    expect(top.ranks[ix]).toBe(1);
  });

  it('smallest improvements: applying the best one lifts the city k places (engine result checked in the page)', () => {
    const unit = site.data.results.units[20];
    const imp = live.improvements(unit, 2)!;
    expect(imp.rank).toBe(site.data.results.ranks[site.data.indexCode][20]);
    expect(imp.best).not.toBeNull();
    const ok = imp.indicators.find((x) => x.code === imp.best)!;
    expect(ok.newRank).toBeLessThanOrEqual(imp.rank - 2);
    expect(live.improvements(site.data.results.units[0], 1)).toBeNull(); // rank 1 cannot climb
  });

  it("Sobol' indices of the weights equal the engine's analysis of the folder, from the page's data", async () => {
    const got = live.weightSensitivity(32, 0.5, 50);
    expect(got.runs).toBe(32 * (4 + 2)); // Saltelli design: N(d + 2)
    expect(got.indices.map((x) => x.code)).toEqual(site.weightCodes);
    for (const x of got.indices) {
      // every weight moves some rank (a wrong path would leave every run equal: NaN indices)
      expect(Number.isFinite(x.Si), x.code).toBe(true);
      expect(x.STi, x.code).toBeGreaterThan(0.001);
      expect(x.min).toBeCloseTo(x.weight * 0.5, 12);
      expect(x.STiInterval![0]).toBeLessThanOrEqual(x.STiInterval![1]);
    }
    // the same analysis by the engine on the project folder (not through the site data)
    const { loadProject } = await import('../../src/formats/project.ts');
    const { checkedSpec, levelWeights, runAnalysis, withWeights, LIVE_WEIGHT_STEP } =
      await import('../../src/engine/browser.ts');
    const p = await loadProject('examples/cdgi-2020');
    const fw = p.input.framework;
    const level = site.weightLevel!;
    const w = levelWeights(fw, level);
    const spec = withWeights(checkedSpec(p.spec, fw), fw, level, w);
    const inputs = Object.keys(w).map((code) => ({
      kind: 'range' as const,
      name: code,
      step: LIVE_WEIGHT_STEP,
      path: ['options', 'weighting', 'weights', code],
      min: w[code] * 0.5,
      max: w[code] * 1.5,
    }));
    const ref = runAnalysis(p.input, spec, { mode: 'sensitivity', N: 32, inputs, seed: 1, bootstrap: 50 });
    ref.sensitivity!.indices.forEach((r, i) => {
      expect(got.indices[i].Si).toBe(r.Si);
      expect(got.indices[i].STi).toBe(r.STi);
      expect(got.indices[i].STiInterval).toEqual(r.STiInterval);
    });
  });

  it('lineage of a score in the page names raw values and sources', () => {
    const e = live.explain('330100');
    expect(e.score).toBe(site.data.results.scores[site.data.indexCode][site.rowOf.get('330100')!]);
    expect(e.indicators.length).toBe(site.data.live.input.raw.codes.length);
    const sum = e.indicators.reduce((a, x) => a + x.contribution, 0);
    expect(sum).toBeCloseTo(e.score, 9); // arithmetic aggregation: contributions add up
  });

  it('table: search by pinyin/adcode, filter by region, sort', () => {
    const rows: Row[] = site.data.results.units.map((c, i) => ({
      unit: site.unitByCode.get(c)!,
      score: site.data.results.scores[site.data.indexCode][i],
      rank: site.data.results.ranks[site.data.indexCode][i],
      published: site.data.results.ranks[site.data.indexCode][i],
      interval: null,
    }));
    expect(rows.filter((r) => matches(r.unit, 'hangzhou')).map((r) => r.unit.code)).toEqual(['330100']);
    expect(rows.filter((r) => matches(r.unit, '330100')).length).toBe(1);
    const east = rows.filter((r) => inGroups(r.unit, new Map([['region', '东部']])));
    expect(east.length).toBe(site.data.units.filter((u) => u.groups.region === '东部').length);
    expect(groupValues(site.data.units, 'north_south')).toEqual(['北方', '南方'].sort());
    const byScore = sortRows(rows, 'score', 'desc');
    for (let i = 1; i < byScore.length; i++) expect(byScore[i - 1].score!).toBeGreaterThanOrEqual(byScore[i].score!);
  });
});

describe('URL state', () => {
  it('round-trips a route and refuses hostile weights', () => {
    const r = parseRoute('#/city/330100?lang=en&w=A:2');
    expect(formatRoute(r)).toBe('#/city/330100?lang=en&w=A%3A2');
    expect(parseRoute(formatRoute(r))).toEqual(r);
    expect(parseRoute('#/city/../../etc?x=1').unit).toBeNull();
    expect([...parseWeights('A:1e400,B:-1,A:3,constructor:1,C:11', ['A', 'B', 'C'])]).toEqual([['A', 3]]);
    expect(formatWeights(new Map([['A', 1]]), new Map([['A', 1]]))).toBe('');
  });
});
