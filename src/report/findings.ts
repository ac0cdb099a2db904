/**
 * Key findings written from the results (PRODUCT §1: the ranking and its leaders, tiers, the share of
 * cities below the mean, regional gaps, a cluster against the national mean, a leader's spillover,
 * spatial autocorrelation, and the comparison with published reference figures). Pure: every finding
 * carries the numbers it rests on and one sentence in Chinese and English built from those numbers —
 * nothing is hand-written, so a rebuilt index rewrites its own findings.
 */
import type { LocalText } from '../engine/core/framework.ts';
import { LISA_LABEL_NAMES, type LisaLabel } from '../engine/analysis/spatial/local-moran.ts';
import type { SpilloverPattern } from '../engine/analysis/spatial/spillover.ts';
import { describeWeights, fmtRank, groupLabel, isCityReport, reportIndex, spaceMixed, type ReportContext, type ReportIndex } from './context.ts';

type Bilingual = { zh: string; en: string };

interface FindingBase {
  /** Stable id, e.g. `leader`, `compare-region-东部-西部`. */
  id: string;
  /** The sentence, in both languages. */
  text: Bilingual;
  /** Units the finding names (for links and highlighting). */
  units: string[];
}

export interface UnitScore { unit: string; score: number; rank: number }

export type Finding = FindingBase & (
  | { kind: 'leader'; data: { leader: UnitScore; topTen: UnitScore[]; n: number } }
  | { kind: 'dimensionLeaders'; data: { leaders: Array<{ dimension: string; name: LocalText } & UnitScore> } }
  | { kind: 'tiers'; data: { method: string; rule: string; tiers: Array<{ name: LocalText; n: number; units: string[]; lower: number; upper: number }>; topTierNonCapital: string[] | null } }
  | { kind: 'belowMean'; data: { mean: number; n: number; nBelow: number; share: number; gini?: number; cv?: number } }
  | { kind: 'groupComparison'; data: { grouping: string; a: string; b: string; meanA: number; meanB: number; difference: number; ratio: number | null } }
  | { kind: 'clusters'; data: { grouping: string; nationalMean: number; groups: Array<{ group: string; n: number; mean: number; gap: number; ratio: number | null }> } }
  | { kind: 'spillover'; data: { leader: UnitScore & { label: LisaLabel }; pattern: SpilloverPattern; mean: number; neighbourMean: number; neighboursAboveMean: number; neighbours: Array<UnitScore & { label: LisaLabel }> } }
  | { kind: 'moran'; data: { I: number; EI: number; p: number; pSource: 'p_sim' | 'p_norm'; permutations: number; seed?: number; weights: string; alpha: number; significant: boolean } }
  | { kind: 'reference'; data: { publishedTopTen: string[]; ourTopTen: string[]; overlap: string[]; publishedLeader: string | null; sameLeader: boolean; shareBelowMeanPublished?: number; shareBelowMeanOurs: number } }
  | { kind: 'rankUncertainty'; data: { leader: { unit: string; nominal: number; q5: number; q95: number }; medianWidth: number; topTenStable: string[] } }
  | { kind: 'coverage'; data: { collected: number; notCollected: number; notCollectedCodes: string[] } }
);

export type FindingKind = Finding['kind'];

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—');
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '—');
const f3 = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x.toFixed(3) : '—');
const pc = (x: number) => `${Math.round(x * 100)}%`;
const rk = fmtRank;

/** Names in both languages (the report writes both sentences from the same numbers). */
function namers(ctx: ReportContext): { zh: ReportIndex; en: ReportIndex } {
  return { zh: reportIndex({ ...ctx, lang: 'zh' }), en: reportIndex({ ...ctx, lang: 'en' }) };
}

const CAPITAL = /直辖市|省会|首府|首都/;

/**
 * Compute the key findings of a report from a build and its analyses. Each finding is present only
 * when its inputs are (e.g. no spillover finding without a spatial leader).
 * @example computeFindings(ctx).find((f) => f.kind === 'leader')!.data.leader.unit // => '330100' for cdgi-2020 (杭州)
 */
export function computeFindings(ctx: ReportContext): Finding[] {
  const { zh, en } = namers(ctx);
  const ix = zh;
  const out: Finding[] = [];
  const scored = ix.order.filter((u) => Number.isFinite(ix.score(u)));
  const n = scored.length;
  if (n === 0) return out;
  const us = (u: string, code?: string): UnitScore => ({ unit: u, score: ix.score(u, code), rank: ix.rank(u, code) });
  const listZh = (units: string[]) => units.map(zh.unitName).join('、');
  const listEn = (units: string[]) => units.map(en.unitName).join(', ');
  const cities = isCityReport(ctx.build.results.scores.unitCodes);
  const meanZh = cities ? '全国均值' : '总体均值';
  const meanEn = cities ? 'the national mean' : 'the overall mean';

  // 1. Leader and top ten
  const leader = us(scored[0]);
  const topTen = scored.slice(0, 10).map((u) => us(u));
  const tied = scored.filter((u) => ix.rank(u) === 1);
  out.push({
    id: 'leader', kind: 'leader', units: topTen.map((t) => t.unit),
    data: { leader, topTen, n },
    text: {
      zh: `${tied.length > 1 ? `${listZh(tied)}并列第一` : `${zh.unitName(leader.unit)}排名第一`}（${zh.nodeName(ix.indexCode)} ${f1(leader.score)}，共 ${n} 个${cities ? '城市' : '评价对象'}）；前十名：${listZh(topTen.map((t) => t.unit))}。`,
      en: `${tied.length > 1 ? `${listEn(tied)} share first place` : `${en.unitName(leader.unit)} ranks first`} (${en.nodeName(ix.indexCode)} ${f1(leader.score)}; ${n} ${cities ? 'cities' : 'units'} evaluated); top ten: ${listEn(topTen.map((t) => t.unit))}.`,
    },
  });

  // 2. Dimension leaders
  if (ix.dimensions.length) {
    const leaders = ix.dimensions.map((d) => {
      const best = [...scored].filter((u) => Number.isFinite(ix.score(u, d))).sort((a, b) => ix.score(b, d) - ix.score(a, d) || (a < b ? -1 : 1))[0];
      return { dimension: d, name: ix.nodes.get(d)?.name ?? { en: d }, ...us(best, d) };
    }).filter((l) => l.unit !== undefined);
    out.push({
      id: 'dimension-leaders', kind: 'dimensionLeaders', units: [...new Set(leaders.map((l) => l.unit))],
      data: { leaders },
      text: {
        zh: `各维度第一：${leaders.map((l) => `${zh.nodeName(l.dimension)} ${zh.unitName(l.unit)}（${f1(l.score)}）`).join('；')}。`,
        en: `Dimension leaders: ${leaders.map((l) => `${en.nodeName(l.dimension)}, ${en.unitName(l.unit)} (${f1(l.score)})`).join('; ')}.`,
      },
    });
  }

  // 3. Tiers (top tier first) and the non-capital cities in the top tier
  const tiers = ctx.analyses?.tiers;
  if (tiers) {
    const codes = ctx.build.results.scores.unitCodes;
    const k = tiers.labels.length;
    const list = tiers.labels.slice().reverse().map((cls, t) => {
      const members = codes.filter((_, i) => tiers.classOf[i] === cls.class).sort((a, b) => ix.score(b, tiers.code) - ix.score(a, tiers.code));
      return { name: tiers.tierNames[t] ?? { zh: cls.label, en: cls.label }, n: members.length, units: members, lower: cls.lower, upper: cls.upper };
    });
    const top = list[0];
    const hasRank = [...ix.units.values()].some((u) => 'admin_rank' in u.groups);
    const nonCapital = hasRank ? top.units.filter((u) => !CAPITAL.test(ix.units.get(u)?.groups.admin_rank ?? '')) : null;
    const nameZh = (t: LocalText) => t.zh ?? t.en ?? '';
    const nameEn = (t: LocalText) => t.en ?? t.zh ?? '';
    out.push({
      id: 'tiers', kind: 'tiers', units: top.units,
      data: { method: tiers.method, rule: tiers.rule, tiers: list, topTierNonCapital: nonCapital },
      text: {
        zh: `按 ${tiers.method === 'fisherJenks' ? 'Fisher–Jenks 自然断点' : tiers.method} 分为 ${k} 档：${list.map((t) => `${nameZh(t.name)} ${t.n} 个`).join('，')}；${nameZh(top.name)}为 ${listZh(top.units)}${nonCapital ? (nonCapital.length ? `，其中非直辖市、非省会城市有 ${listZh(nonCapital)}` : '，均为直辖市或省会城市') : ''}。`,
        en: `${k} tiers by ${tiers.method === 'fisherJenks' ? 'Fisher–Jenks natural breaks' : tiers.method}: ${list.map((t) => `${nameEn(t.name)}, ${t.n}`).join('; ')}. The top tier is ${listEn(top.units)}${nonCapital ? (nonCapital.length ? `; of these, ${listEn(nonCapital)} ${nonCapital.length === 1 ? 'is' : 'are'} neither a municipality nor a provincial capital` : '; all are municipalities or provincial capitals') : ''}.`,
      },
    });
  }

  // 4. Share below the mean (and inequality when the regional analysis ran)
  {
    const vals = scored.map((u) => ix.score(u));
    const mean = vals.reduce((s, v) => s + v, 0) / n;
    const nBelow = vals.filter((v) => v < mean).length;
    const ineq = ctx.analyses?.regional?.inequality;
    out.push({
      id: 'below-mean', kind: 'belowMean', units: [],
      data: { mean, n, nBelow, share: nBelow / n, gini: ineq?.gini, cv: ineq?.cv },
      text: {
        zh: `${n} 个${cities ? '城市' : '评价对象'}中有 ${nBelow} 个（${pc(nBelow / n)}）低于平均分 ${f1(mean)}${ineq?.cv !== undefined ? `；变异系数 ${f3(ineq.cv)}` : ''}${ineq?.gini !== undefined ? `${ineq.cv !== undefined ? '，' : '；'}基尼系数 ${f3(ineq.gini)}` : ''}。`,
        en: `${nBelow} of ${n} ${cities ? 'cities' : 'units'} (${pc(nBelow / n)}) score below the mean of ${f1(mean)}${ineq?.cv !== undefined ? `; coefficient of variation ${f3(ineq.cv)}` : ''}${ineq?.gini !== undefined ? `${ineq.cv !== undefined ? ',' : ';'} Gini ${f3(ineq.gini)}` : ''}.`,
      },
    });
  }

  // 5. Group comparisons (east vs west, south vs north …)
  const regional = ctx.analyses?.regional;
  for (const c of regional?.comparisons ?? []) {
    const aZh = groupLabel(c.a, 'zh'), bZh = groupLabel(c.b, 'zh'), aEn = groupLabel(c.a, 'en'), bEn = groupLabel(c.b, 'en');
    const above = c.difference > 0;
    out.push({
      id: `compare-${c.grouping}-${c.a}-${c.b}`, kind: 'groupComparison', units: [],
      data: { grouping: c.grouping, a: c.a, b: c.b, meanA: c.meanA, meanB: c.meanB, difference: c.difference, ratio: c.ratio },
      text: {
        zh: `${aZh}平均 ${f1(c.meanA)}，${above ? '高于' : c.difference < 0 ? '低于' : '等于'}${bZh}（${f1(c.meanB)}）${c.difference !== 0 ? `，相差 ${f1(Math.abs(c.difference))} 分` : ''}${c.ratio !== null ? `（${f2(c.ratio)} 倍）` : ''}。`,
        en: `${aEn} averages ${f1(c.meanA)}, ${above ? 'above' : c.difference < 0 ? 'below' : 'equal to'} ${bEn} (${f1(c.meanB)})${c.difference !== 0 ? ` by ${f1(Math.abs(c.difference))} points` : ''}${c.ratio !== null ? ` (ratio ${f2(c.ratio)})` : ''}.`,
      },
    });
  }

  // 6. Clusters against the national mean
  for (const g of regional?.groupings ?? []) {
    if (!cities || !/cluster/i.test(g.grouping)) continue;
    const s = g.byCode[0]?.summary;
    if (!s || s.groups.length === 0) continue;
    const groups = s.groups.map((x) => ({ group: x.group, n: x.nScored, mean: x.mean, gap: x.gap, ratio: x.ratio })).sort((a, b) => b.mean - a.mean);
    const sentence = (lang: 'zh' | 'en') => groups.map((x) => lang === 'zh'
      ? `${groupLabel(x.group, 'zh')} ${f1(x.mean)}（${x.gap >= 0 ? '高于' : '低于'}${meanZh} ${f1(Math.abs(x.gap))} 分${x.ratio !== null ? `，${f2(x.ratio)} 倍` : ''}，${x.n} 个城市）`
      : `${groupLabel(x.group, 'en')} ${f1(x.mean)} (${f1(Math.abs(x.gap))} points ${x.gap >= 0 ? 'above' : 'below'} ${meanEn}${x.ratio !== null ? `, ratio ${f2(x.ratio)}` : ''}; ${x.n} ${x.n === 1 ? 'city' : 'cities'} evaluated)`);
    out.push({
      id: `clusters-${g.grouping}`, kind: 'clusters', units: [],
      data: { grouping: g.grouping, nationalMean: s.national.mean, groups },
      text: {
        zh: `城市群平均分（${meanZh} ${f1(s.national.mean)}）：${sentence('zh').join('；')}。`,
        en: `City clusters (${meanEn.replace('the ', '')} ${f1(s.national.mean)}): ${sentence('en').join('; ')}.`,
      },
    });
  }

  // 7. The leader's spillover
  const sp = ctx.analyses?.spatial?.spillover;
  if (sp) {
    const nb = sp.neighbours.map((u) => ({ unit: u.id, score: u.score, rank: u.rank, label: u.label }));
    const lab = (l: LisaLabel, lang: 'zh' | 'en') => LISA_LABEL_NAMES[l][lang];
    const patternZh: Record<SpilloverPattern, string> = { 'high-cluster': '高值被高值包围（与带动效应一致）', 'high-island': '高值被低值包围（“高地”，与虹吸或孤岛一致）', 'low-in-high': '低值被高值包围', 'low-cluster': '低值聚集', isolated: '无邻居' };
    const patternEn: Record<SpilloverPattern, string> = { 'high-cluster': 'a high score among high neighbours (consistent with spillover)', 'high-island': 'a high score among low neighbours (consistent with a siphon or island effect)', 'low-in-high': 'a low score among high neighbours', 'low-cluster': 'a low score among low neighbours', isolated: 'no neighbours' };
    out.push({
      id: 'spillover', kind: 'spillover', units: [sp.leader.id, ...nb.map((x) => x.unit)],
      data: { leader: { unit: sp.leader.id, score: sp.leader.score, rank: sp.leader.rank, label: sp.leader.label }, pattern: sp.pattern, mean: sp.mean, neighbourMean: sp.neighbourMean, neighboursAboveMean: sp.neighboursAboveMean, neighbours: nb },
      text: {
        zh: `${zh.unitName(sp.leader.id)}排名第 ${sp.leader.rank}，局部 Moran 分类为“${lab(sp.leader.label, 'zh')}”，属于${patternZh[sp.pattern]}；所列 ${nb.length} 个周边城市中 ${sp.neighboursAboveMean} 个高于均值 ${f1(sp.mean)}，平均 ${f1(sp.neighbourMean)}：${nb.map((x) => `${zh.unitName(x.unit)} ${f1(x.score)}（第 ${x.rank} 名，${lab(x.label, 'zh')}）`).join('，')}。这是描述性结果，不是因果估计。`,
        en: `${en.unitName(sp.leader.id)} ranks ${sp.leader.rank} with local Moran class "${lab(sp.leader.label, 'en')}": ${patternEn[sp.pattern]}; ${sp.neighboursAboveMean} of the ${nb.length} listed neighbours score above the mean of ${f1(sp.mean)}, averaging ${f1(sp.neighbourMean)}: ${nb.map((x) => `${en.unitName(x.unit)} ${f1(x.score)} (rank ${x.rank}, ${lab(x.label, 'en')})`).join(', ')}. This is descriptive, not a causal estimate.`,
      },
    });
  }

  // 8. Global spatial autocorrelation
  const spatial = ctx.analyses?.spatial;
  if (spatial) {
    const m = spatial.moran;
    const perm = m.permutation as { R?: number; p_sim?: number } | undefined;
    const p = perm?.p_sim ?? m.p_norm;
    const pSource = perm?.p_sim !== undefined ? 'p_sim' as const : 'p_norm' as const;
    const alpha = ctx.analyses?.settings.spatial?.alpha ?? 0.05;
    const significant = p <= alpha;
    const dir = m.I > m.EI;
    const ws = ctx.analyses?.settings.spatial?.weights;
    const seed = ctx.analyses?.settings.spatial?.seed ?? ctx.build.spec.seed;
    const wZh = ws ? describeWeights(ws, 'zh') : spatial.weights, wEn = ws ? describeWeights(ws, 'en') : spatial.weights;
    const pZh = pSource === 'p_sim' ? `${perm?.R} 次置换检验${seed !== undefined ? `（种子 ${seed}）` : ''}` : '正态近似';
    const pEn = pSource === 'p_sim' ? `${perm?.R} permutations${seed !== undefined ? `, seed ${seed}` : ''}` : 'normal approximation';
    out.push({
      id: 'moran', kind: 'moran', units: [],
      data: { I: m.I, EI: m.EI, p, pSource, permutations: perm?.R ?? 0, seed: pSource === 'p_sim' ? seed : undefined, weights: spatial.weights, alpha, significant },
      text: {
        zh: `全局 Moran's I = ${f3(m.I)}（期望 ${f3(m.EI)}，${pZh}，p = ${f3(p)}；空间权重：${wZh}）：${significant ? (dir ? `得分存在显著的正空间自相关，得分相近的${cities ? '城市' : '对象'}在空间上聚集` : '得分存在显著的负空间自相关') : `在 α = ${alpha} 水平上未发现显著的空间自相关`}。`,
        en: `Global Moran's I = ${f3(m.I)} (expected ${f3(m.EI)}; ${pEn}; p = ${f3(p)}; weights: ${wEn}): ${significant ? (dir ? 'significant positive spatial autocorrelation — similar scores cluster in space' : 'significant negative spatial autocorrelation') : `no significant spatial autocorrelation at α = ${alpha}`}.`,
      },
    });
  }

  // 9. Published reference figures
  const ref = ctx.analyses?.settings.reference;
  if (ref && (ref.topTen?.length || ref.shareBelowMean !== undefined)) {
    const published = ref.topTen ?? [];
    const ours = topTen.map((t) => t.unit);
    const overlap = ours.filter((u) => published.includes(u));
    const below = out.find((x) => x.kind === 'belowMean') as Extract<Finding, { kind: 'belowMean' }>;
    const pubLeader = published[0] ?? null;
    const nameOr = (ixr: ReportIndex, u: string) => (ixr.units.has(u) ? ixr.unitName(u) : u);
    out.push({
      id: 'reference', kind: 'reference', units: overlap,
      data: { publishedTopTen: published, ourTopTen: ours, overlap, publishedLeader: pubLeader, sameLeader: pubLeader === leader.unit, shareBelowMeanPublished: ref.shareBelowMean, shareBelowMeanOurs: below.data.share },
      text: {
        zh: `与已发布的参照值比较：${published.length ? `已发布前十名中有 ${overlap.length} 个也在本结果前十（${overlap.map((u) => nameOr(zh, u)).join('、') || '无'}）；已发布第一名${pubLeader ? nameOr(zh, pubLeader) : ''}在本结果中${pubLeader && ix.units.has(pubLeader) ? `排名第 ${ix.rank(pubLeader)}` : '未参评'}` : ''}${ref.shareBelowMean !== undefined ? `${published.length ? '；' : ''}已发布“低于均值”比例约 ${pc(ref.shareBelowMean)}，本结果为 ${pc(below.data.share)}` : ''}。`,
        en: `Against the published reference figures: ${published.length ? `${overlap.length} of the published top ten are also in this top ten (${overlap.map((u) => nameOr(en, u)).join(', ') || 'none'}); the published leader${pubLeader ? `, ${nameOr(en, pubLeader)},` : ''} ranks ${pubLeader && ix.units.has(pubLeader) ? ix.rank(pubLeader) : '— (not evaluated)'} here` : ''}${ref.shareBelowMean !== undefined ? `${published.length ? '; ' : ''}the published share below the mean is about ${pc(ref.shareBelowMean)}, here ${pc(below.data.share)}` : ''}.`,
      },
    });
  }

  // 10. Rank intervals
  if (ctx.rankIntervals?.length) {
    const byUnit = new Map(ctx.rankIntervals.map((r) => [r.unit, r]));
    const li = byUnit.get(leader.unit);
    if (li) {
      const widths = ctx.rankIntervals.map((r) => r.q95 - r.q5).sort((a, b) => a - b);
      const medianWidth = widths.length % 2 ? widths[(widths.length - 1) / 2] : (widths[widths.length / 2 - 1] + widths[widths.length / 2]) / 2;
      const stable = topTen.map((t) => t.unit).filter((u) => { const r = byUnit.get(u); return r !== undefined && r.q95 <= 10; });
      out.push({
        id: 'rank-uncertainty', kind: 'rankUncertainty', units: stable,
        data: { leader: { unit: leader.unit, nominal: li.nominal, q5: li.q5, q95: li.q95 }, medianWidth, topTenStable: stable },
        text: {
          zh: `方法选择的不确定性：${zh.unitName(leader.unit)}排名的 90% 区间（5%–95% 分位）为 [${rk(li.q5)}, ${rk(li.q95)}]；各${cities ? '城市' : '评价对象'}排名区间宽度的中位数为 ${f1(medianWidth)} 位；前十名中 ${stable.length} 个的整个区间都在前十以内（${listZh(stable) || '无'}）。`,
          en: `Uncertainty of the method choices: ${en.unitName(leader.unit)}'s 90% rank interval (5th–95th percentile) is [${rk(li.q5)}, ${rk(li.q95)}]; the median interval width is ${f1(medianWidth)} ranks; ${stable.length} of the top ten have their whole interval within the top ten (${listEn(stable) || 'none'}).`,
        },
      });
    }
  }

  // 11. Coverage: indicators without public data
  const gaps = ctx.project.gaps;
  if (gaps.length) {
    const collected = ctx.build.raw.codes.length;
    out.push({
      id: 'coverage', kind: 'coverage', units: [],
      data: { collected, notCollected: gaps.length, notCollectedCodes: gaps.map((g) => g.code) },
      text: {
        zh: `指标体系共 ${collected + gaps.length} 项指标，其中 ${collected} 项有数据，${gaps.length} 项未采集（列为数据缺口，不参与计算）。`,
        en: `The framework has ${collected + gaps.length} indicators: ${collected} with data and ${gaps.length} not collected (listed as gaps, not computed).`,
      },
    });
  }
  for (const f of out) f.text.zh = spaceMixed(f.text.zh);
  return out;
}
