/**
 * Key findings written from the results (PRODUCT §1: the ranking and its leaders, tiers, the share of
 * cities below the mean, regional gaps, a cluster against the national mean, a leader's spillover,
 * spatial autocorrelation, and the comparison with published reference figures). Pure: one function
 * per finding computes the numbers it rests on and names a catalogue message (`src/engine/i18n`)
 * that turns them into a sentence in Chinese and English — nothing is hand-written, so a rebuilt index
 * rewrites its own findings.
 */
import type { LocalText } from '../engine/core/framework.ts';
import type { LisaLabel } from '../engine/analysis/spatial/local-moran.ts';
import type { SpilloverPattern } from '../engine/analysis/spatial/spillover.ts';
import {
  formatList,
  formatRank,
  pickText,
  sourceLabel,
  t,
  TYPESET,
  type Bilingual,
  type Lang,
  type MessageCode,
} from '../engine/i18n/index.ts';
import {
  describeWeights,
  groupLabel,
  isCityReport,
  reportIndex,
  type ReportContext,
  type ReportIndex,
} from './context.ts';
import { sourceShares } from '../engine/pipeline/data-quality.ts';
import { DOMINANT_SOURCE_SHARE, reportDataQuality } from './sections/quality.ts';

interface FindingBase {
  /** Stable id, e.g. `leader`, `compare-region-东部-西部`. */
  id: string;
  /** The catalogue message the sentence is written with. */
  message: MessageCode;
  /** The sentence, in both languages. */
  text: Bilingual;
  /** Units the finding names (for links and highlighting). */
  units: string[];
}

export interface UnitScore {
  unit: string;
  score: number;
  rank: number;
}

export type Finding = FindingBase &
  (
    | { kind: 'leader'; data: { leader: UnitScore; topTen: UnitScore[]; n: number } }
    | { kind: 'dimensionLeaders'; data: { leaders: Array<{ dimension: string; name: LocalText } & UnitScore> } }
    | {
        kind: 'tiers';
        data: {
          method: string;
          rule: string;
          topTierNonCapital: string[] | null;
          tiers: Array<{ name: LocalText; n: number; units: string[]; lower: number; upper: number }>;
        };
      }
    | {
        kind: 'belowMean';
        data: { mean: number; n: number; nBelow: number; share: number; gini?: number; cv?: number };
      }
    | {
        kind: 'groupComparison';
        data: {
          grouping: string;
          a: string;
          b: string;
          meanA: number;
          meanB: number;
          difference: number;
          ratio: number | null;
        };
      }
    | {
        kind: 'clusters';
        data: {
          grouping: string;
          nationalMean: number;
          groups: Array<{ group: string; n: number; mean: number; gap: number; ratio: number | null }>;
        };
      }
    | {
        kind: 'spillover';
        data: {
          leader: UnitScore & { label: LisaLabel };
          pattern: SpilloverPattern;
          mean: number;
          neighbourMean: number;
          neighboursAboveMean: number;
          neighbours: Array<UnitScore & { label: LisaLabel }>;
        };
      }
    | {
        kind: 'moran';
        data: {
          I: number;
          EI: number;
          p: number;
          pSource: 'p_sim' | 'p_norm';
          permutations: number;
          seed?: number;
          weights: string;
          alpha: number;
          significant: boolean;
        };
      }
    | {
        kind: 'reference';
        data: {
          publishedTopTen: string[];
          ourTopTen: string[];
          overlap: string[];
          publishedLeader: string | null;
          sameLeader: boolean;
          shareBelowMeanPublished?: number;
          shareBelowMeanOurs: number;
        };
      }
    | {
        kind: 'rankUncertainty';
        data: {
          leader: { unit: string; nominal: number; q5: number; q95: number };
          medianWidth: number;
          topTenStable: string[];
        };
      }
    | { kind: 'coverage'; data: { collected: number; notCollected: number; notCollectedCodes: string[] } }
    | { kind: 'sourceShare'; data: { source: string; share: number; indicators: string[]; total: number } }
    | { kind: 'imputedShare'; data: { units: number; total: number; max: number } }
  );

export type FindingKind = Finding['kind'];

/** What every finding function reads: the context, its lookups in both languages, and the scored units. */
interface FindingInput {
  ctx: ReportContext;
  /** Lookups (scores, ranks, names) per language; scores and ranks are the same in both. */
  ix: Readonly<Record<Lang, ReportIndex>>;
  /** Units with a finite index score, best first. */
  scored: string[];
  /** True for Chinese cities (the report speaks of cities and the national mean). */
  cities: boolean;
  /** Findings computed so far (a later finding may compare with an earlier one). */
  earlier: readonly Finding[];
}

const LANGS: readonly Lang[] = ['zh', 'en'];

/** The sentence of a finding in both languages, from parameters that may depend on the language's names. */
function say<C extends MessageCode>(
  code: C,
  params: (lang: Lang, ix: ReportIndex) => Parameters<typeof t<C>>[2],
  ix: FindingInput['ix'],
): Bilingual {
  const one = (lang: Lang) =>
    TYPESET[lang]((t as (l: Lang, c: C, p: unknown) => string)(lang, code, params(lang, ix[lang])));
  return { zh: one(LANGS[0]), en: one(LANGS[1]) };
}

const unitScore = (ix: ReportIndex, u: string, code?: string): UnitScore => ({
  unit: u,
  score: ix.score(u, code),
  rank: ix.rank(u, code),
});
const names = (lang: Lang, ix: ReportIndex, units: readonly string[]) => formatList(lang, units.map(ix.unitName));

/** 1. The leader (or the units tied first) and the top ten. */
function leaderFinding({ ix, scored, cities }: FindingInput): Finding {
  const z = ix.zh;
  const leader = unitScore(z, scored[0]);
  const topTen = scored.slice(0, 10).map((u) => unitScore(z, u));
  const tied = scored.filter((u) => z.rank(u) === 1);
  const n = scored.length;
  return {
    id: 'leader',
    kind: 'leader',
    message: 'finding.leader',
    units: topTen.map((x) => x.unit),
    data: { leader, topTen, n },
    text: say(
      'finding.leader',
      (lang, L) => ({
        tied: tied.length > 1 ? names(lang, L, tied) : null,
        leader: L.unitName(leader.unit),
        indexName: L.nodeName(L.indexCode),
        score: leader.score,
        n,
        cities,
        topTen: names(
          lang,
          L,
          topTen.map((x) => x.unit),
        ),
      }),
      ix,
    ),
  };
}

/** 2. The best unit of each dimension. */
function dimensionLeadersFinding({ ix, scored }: FindingInput): Finding | undefined {
  const z = ix.zh;
  if (!z.dimensions.length) return undefined;
  const leaders = z.dimensions
    .map((d) => {
      const best = [...scored]
        .filter((u) => Number.isFinite(z.score(u, d)))
        .sort((a, b) => z.score(b, d) - z.score(a, d) || (a < b ? -1 : 1))[0];
      return { dimension: d, name: z.nodes.get(d)?.name ?? { en: d }, ...unitScore(z, best, d) };
    })
    .filter((l) => l.unit !== undefined);
  return {
    id: 'dimension-leaders',
    kind: 'dimensionLeaders',
    message: 'finding.dimensionLeaders',
    units: [...new Set(leaders.map((l) => l.unit))],
    data: { leaders },
    text: say(
      'finding.dimensionLeaders',
      (_lang, L) => ({
        leaders: leaders.map((l) => ({ dimension: L.nodeName(l.dimension), unit: L.unitName(l.unit), score: l.score })),
      }),
      ix,
    ),
  };
}

const CAPITAL = /直辖市|省会|首府|首都/;

/** 3. Tiers (top tier first) and the non-capital cities in the top tier. */
function tiersFinding({ ctx, ix }: FindingInput): Finding | undefined {
  const tiers = ctx.analyses?.tiers;
  if (!tiers) return undefined;
  const z = ix.zh;
  const codes = ctx.build.results.scores.unitCodes;
  const k = tiers.labels.length;
  const list = tiers.labels
    .slice()
    .reverse()
    .map((cls, j) => {
      const members = codes
        .filter((_, i) => tiers.classOf[i] === cls.class)
        .sort((a, b) => z.score(b, tiers.code) - z.score(a, tiers.code));
      return {
        name: tiers.tierNames[j] ?? { zh: cls.label, en: cls.label },
        n: members.length,
        units: members,
        lower: cls.lower,
        upper: cls.upper,
      };
    });
  const top = list[0];
  const hasRank = [...z.units.values()].some((u) => 'admin_rank' in u.groups);
  const nonCapital = hasRank ? top.units.filter((u) => !CAPITAL.test(z.units.get(u)?.groups.admin_rank ?? '')) : null;
  return {
    id: 'tiers',
    kind: 'tiers',
    message: 'finding.tiers',
    units: top.units,
    data: { method: tiers.method, rule: tiers.rule, tiers: list, topTierNonCapital: nonCapital },
    text: say(
      'finding.tiers',
      (lang, L) => ({
        method: tiers.method,
        k,
        tiers: list.map((x) => ({ name: pickText(x.name, lang), n: x.n })),
        topName: pickText(top.name, lang),
        top: names(lang, L, top.units),
        nonCapital: nonCapital ? { list: names(lang, L, nonCapital), n: nonCapital.length } : null,
      }),
      ix,
    ),
  };
}

/** 4. Share below the mean (and inequality when the regional analysis ran). */
function belowMeanFinding({ ctx, ix, scored, cities }: FindingInput): Finding {
  const n = scored.length;
  const vals = scored.map((u) => ix.zh.score(u));
  const mean = vals.reduce((s, v) => s + v, 0) / n;
  const nBelow = vals.filter((v) => v < mean).length;
  const ineq = ctx.analyses?.regional?.inequality;
  return {
    id: 'below-mean',
    kind: 'belowMean',
    message: 'finding.belowMean',
    units: [],
    data: { mean, n, nBelow, share: nBelow / n, gini: ineq?.gini, cv: ineq?.cv },
    text: say('finding.belowMean', () => ({ n, cities, nBelow, mean, cv: ineq?.cv, gini: ineq?.gini }), ix),
  };
}

/** 5. Group comparisons (east vs west, south vs north …). */
function groupComparisonFindings({ ctx, ix }: FindingInput): Finding[] {
  return (ctx.analyses?.regional?.comparisons ?? []).map((c) => ({
    id: `compare-${c.grouping}-${c.a}-${c.b}`,
    kind: 'groupComparison',
    message: 'finding.groupComparison',
    units: [],
    data: {
      grouping: c.grouping,
      a: c.a,
      b: c.b,
      meanA: c.meanA,
      meanB: c.meanB,
      difference: c.difference,
      ratio: c.ratio,
    },
    text: say(
      'finding.groupComparison',
      (lang) => ({
        a: groupLabel(c.a, lang),
        b: groupLabel(c.b, lang),
        meanA: c.meanA,
        meanB: c.meanB,
        difference: c.difference,
        ratio: c.ratio,
      }),
      ix,
    ),
  }));
}

/** 6. City clusters against the national mean. */
function clusterFindings({ ctx, ix, cities }: FindingInput): Finding[] {
  const out: Finding[] = [];
  for (const g of ctx.analyses?.regional?.groupings ?? []) {
    if (!cities || !/cluster/i.test(g.grouping)) continue;
    const s = g.byCode[0]?.summary;
    if (!s || s.groups.length === 0) continue;
    const groups = s.groups
      .map((x) => ({ group: x.group, n: x.nScored, mean: x.mean, gap: x.gap, ratio: x.ratio }))
      .sort((a, b) => b.mean - a.mean);
    out.push({
      id: `clusters-${g.grouping}`,
      kind: 'clusters',
      message: 'finding.clusters',
      units: [],
      data: { grouping: g.grouping, nationalMean: s.national.mean, groups },
      text: say(
        'finding.clusters',
        (lang) => ({
          cities,
          nationalMean: s.national.mean,
          groups: groups.map((x) => ({ ...x, group: groupLabel(x.group, lang) })),
        }),
        ix,
      ),
    });
  }
  return out;
}

/** 7. The leader's spillover: its local Moran class and its neighbours. */
function spilloverFinding({ ctx, ix }: FindingInput): Finding | undefined {
  const sp = ctx.analyses?.spatial?.spillover;
  if (!sp) return undefined;
  const nb = sp.neighbours.map((u) => ({ unit: u.id, score: u.score, rank: u.rank, label: u.label }));
  return {
    id: 'spillover',
    kind: 'spillover',
    message: 'finding.spillover',
    units: [sp.leader.id, ...nb.map((x) => x.unit)],
    data: {
      leader: { unit: sp.leader.id, score: sp.leader.score, rank: sp.leader.rank, label: sp.leader.label },
      pattern: sp.pattern,
      mean: sp.mean,
      neighbourMean: sp.neighbourMean,
      neighboursAboveMean: sp.neighboursAboveMean,
      neighbours: nb,
    },
    text: say(
      'finding.spillover',
      (lang, L) => ({
        leader: L.unitName(sp.leader.id),
        rank: sp.leader.rank,
        label: t(lang, 'name.lisa', { label: sp.leader.label }),
        pattern: t(lang, `spillover.${sp.pattern}`),
        nNeighbours: nb.length,
        above: sp.neighboursAboveMean,
        mean: sp.mean,
        neighbourMean: sp.neighbourMean,
        neighbours: nb.map((x) => ({
          unit: L.unitName(x.unit),
          score: x.score,
          rank: x.rank,
          label: t(lang, 'name.lisa', { label: x.label }),
        })),
      }),
      ix,
    ),
  };
}

/** 8. Global spatial autocorrelation (Moran's I). */
function moranFinding({ ctx, ix, cities }: FindingInput): Finding | undefined {
  const spatial = ctx.analyses?.spatial;
  if (!spatial) return undefined;
  const m = spatial.moran;
  const perm = m.permutation as { R?: number; p_sim?: number } | undefined;
  const p = perm?.p_sim ?? m.p_norm;
  const pSource = perm?.p_sim !== undefined ? ('p_sim' as const) : ('p_norm' as const);
  const alpha = ctx.analyses?.settings.spatial?.alpha ?? 0.05;
  const significant = p <= alpha;
  const ws = ctx.analyses?.settings.spatial?.weights;
  const seed = ctx.analyses?.settings.spatial?.seed ?? ctx.build.spec.seed;
  return {
    id: 'moran',
    kind: 'moran',
    message: 'finding.moran',
    units: [],
    data: {
      I: m.I,
      EI: m.EI,
      p,
      pSource,
      permutations: perm?.R ?? 0,
      seed: pSource === 'p_sim' ? seed : undefined,
      weights: spatial.weights,
      alpha,
      significant,
    },
    text: say(
      'finding.moran',
      (lang) => ({
        I: m.I,
        EI: m.EI,
        p,
        weights: ws ? describeWeights(ws, lang) : spatial.weights,
        permutations: pSource === 'p_sim' ? String(perm?.R) : null,
        seed,
        significant,
        positive: m.I > m.EI,
        alpha,
        cities,
      }),
      ix,
    ),
  };
}

/** 9. Against the published reference figures (top ten, leader, share below the mean). */
function referenceFinding({ ctx, ix, scored, earlier }: FindingInput): Finding | undefined {
  const ref = ctx.analyses?.settings.reference;
  if (!ref || !(ref.topTen?.units.length || ref.shareBelowMean !== undefined)) return undefined;
  const z = ix.zh;
  const published = ref.topTen?.units ?? [];
  const sources = [ref.topTen?.source, ref.shareBelowMean?.source].filter((s) => s !== undefined).map((s) => s.url);
  const ours = scored.slice(0, 10);
  const overlap = ours.filter((u) => published.includes(u));
  const below = earlier.find((x) => x.kind === 'belowMean') as Extract<Finding, { kind: 'belowMean' }>;
  const pubLeader = published[0] ?? null;
  const nameOr = (L: ReportIndex, u: string) => (L.units.has(u) ? L.unitName(u) : u);
  return {
    id: 'reference',
    kind: 'reference',
    message: 'finding.reference',
    units: overlap,
    data: {
      publishedTopTen: published,
      ourTopTen: ours,
      overlap,
      publishedLeader: pubLeader,
      sameLeader: pubLeader === scored[0],
      shareBelowMeanPublished: ref.shareBelowMean?.value,
      shareBelowMeanOurs: below.data.share,
    },
    text: say(
      'finding.reference',
      (lang, L) => ({
        publishedCount: published.length,
        overlapCount: overlap.length,
        overlap: formatList(
          lang,
          overlap.map((u) => nameOr(L, u)),
        ),
        publishedLeader: pubLeader ? nameOr(L, pubLeader) : null,
        publishedLeaderRank: pubLeader && z.units.has(pubLeader) ? z.rank(pubLeader) : null,
        shareBelowMeanPublished: ref.shareBelowMean?.value,
        shareBelowMeanOurs: below.data.share,
        sources: new Set(sources).size,
      }),
      ix,
    ),
  };
}

/** 10. Rank intervals of the leader and the top ten. */
function rankUncertaintyFinding({ ctx, ix, scored, cities }: FindingInput): Finding | undefined {
  if (!ctx.rankIntervals?.length) return undefined;
  const byUnit = new Map(ctx.rankIntervals.map((r) => [r.unit, r]));
  const leader = scored[0];
  const li = byUnit.get(leader);
  if (!li) return undefined;
  const widths = ctx.rankIntervals.map((r) => r.q95 - r.q5).sort((a, b) => a - b);
  const half = widths.length / 2;
  const medianWidth = widths.length % 2 ? widths[(widths.length - 1) / 2] : (widths[half - 1] + widths[half]) / 2;
  const stable = scored.slice(0, 10).filter((u) => {
    const r = byUnit.get(u);
    return r !== undefined && r.q95 <= 10;
  });
  return {
    id: 'rank-uncertainty',
    kind: 'rankUncertainty',
    message: 'finding.rankUncertainty',
    units: stable,
    data: { leader: { unit: leader, nominal: li.nominal, q5: li.q5, q95: li.q95 }, medianWidth, topTenStable: stable },
    text: say(
      'finding.rankUncertainty',
      (lang, L) => ({
        leader: L.unitName(leader),
        q5: formatRank(li.q5),
        q95: formatRank(li.q95),
        cities,
        medianWidth,
        stableCount: stable.length,
        stable: names(lang, L, stable),
      }),
      ix,
    ),
  };
}

/** 11. Coverage: indicators without public data. */
function coverageFinding({ ctx, ix }: FindingInput): Finding | undefined {
  const gaps = ctx.project.gaps;
  if (!gaps.length) return undefined;
  const collected = ctx.build.raw.codes.length;
  return {
    id: 'coverage',
    kind: 'coverage',
    message: 'finding.coverage',
    units: [],
    data: { collected, notCollected: gaps.length, notCollectedCodes: gaps.map((g) => g.code) },
    text: say('finding.coverage', () => ({ collected, notCollected: gaps.length }), ix),
  };
}

/** 12. One data source carrying more than half of the index's effective weight. */
function sourceShareFinding({ ctx, ix }: FindingInput): Finding | undefined {
  const shares = sourceShares(ctx.build);
  const top = shares[0];
  if (!top || !top.source || top.share <= DOMINANT_SOURCE_SHARE) return undefined;
  const total = shares.reduce((a, x) => a + x.indicators.length, 0);
  const data = { source: top.source, share: top.share, indicators: top.indicators, total };
  return {
    id: 'source-share',
    kind: 'sourceShare',
    message: 'quality.sourceDominant',
    units: [],
    data,
    text: say(
      'quality.sourceDominant',
      (lang) => ({ source: sourceLabel(top.source, lang), share: top.share, n: top.indicators.length, total }),
      ix,
    ),
  };
}

/** 13. Units whose score rests partly on imputed or borrowed values. */
function imputedShareFinding({ ctx, ix, cities }: FindingInput): Finding | undefined {
  const q = reportDataQuality(ctx);
  const flagged = q.shares.filter((x) => x.share > 0);
  if (!flagged.length) return undefined;
  const max = Math.max(...flagged.map((x) => x.share));
  const data = { units: flagged.length, total: q.shares.length, max };
  return {
    id: 'imputed-share',
    kind: 'imputedShare',
    message: 'quality.sharesIntro',
    units: [],
    data,
    text: say('quality.sharesIntro', () => ({ n: flagged.length, total: q.shares.length, max, cities }), ix),
  };
}

/** The finding functions in report order; each returns nothing, one finding or several. */
export const FINDINGS: ReadonlyArray<(input: FindingInput) => Finding | Finding[] | undefined> = [
  leaderFinding,
  dimensionLeadersFinding,
  tiersFinding,
  belowMeanFinding,
  groupComparisonFindings,
  clusterFindings,
  spilloverFinding,
  moranFinding,
  referenceFinding,
  rankUncertaintyFinding,
  coverageFinding,
  imputedShareFinding,
  sourceShareFinding,
];

/**
 * Compute the key findings of a report from a build and its analyses. Each finding is present only
 * when its inputs are (e.g. no spillover finding without a spatial leader).
 * @example
 * import { loadProject } from '../formats/index.ts';
 * import { build } from '../engine/pipeline/build.ts';
 * import { prepareReportContext } from './index.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const ctx = { ...(await prepareReportContext(project, build(project.input, project.spec))), lang: 'zh' as const };
 * computeFindings(ctx).find((f) => f.kind === 'leader')!.data.leader.unit // => '330100' (杭州)
 */
export function computeFindings(ctx: ReportContext): Finding[] {
  const ix = { zh: reportIndex({ ...ctx, lang: 'zh' }), en: reportIndex({ ...ctx, lang: 'en' }) };
  const scored = ix.zh.order.filter((u) => Number.isFinite(ix.zh.score(u)));
  if (scored.length === 0) return [];
  const out: Finding[] = [];
  const input: FindingInput = {
    ctx,
    ix,
    scored,
    cities: isCityReport(ctx.build.results.scores.unitCodes),
    earlier: out,
  };
  for (const f of FINDINGS) {
    const r = f(input);
    if (r) out.push(...(Array.isArray(r) ? r : [r]));
  }
  return out;
}
