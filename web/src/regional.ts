/**
 * The overview's regional findings, computed in the engine worker from the build the page shows (the
 * published one, or the reader's re-weighted one): the engine's own analyses (`runAnalyses` with the
 * project's `regional:` and `spatial:` settings — regional summaries, group comparisons, Gini and CV, the
 * leader's spillover) written as sentences with the catalogue's finding messages (src/engine/i18n, the
 * same messages the report's findings use), plus the group means per grouping for a small chart.
 */
import type { Build } from '../../src/engine/browser.ts';
import { runAnalyses, type AnalysesResult } from '../../src/engine/analysis/run.ts';
import type { AnalysesConfig } from '../../src/engine/analysis/config.ts';
import { column } from '../../src/engine/core/dataset.ts';
import { t, TYPESET, type Lang, type MessageCode } from '../../src/engine/i18n/index.ts';
import type { SiteData } from './site.ts';

type Both = { zh: string; en: string };

/** One group of a grouping: its mean, size and first unit. */
export interface RegionalGroupView {
  group: string;
  name: Both;
  n: number;
  mean: number;
  leader: { unit: string; score: number } | null;
}

/** The regional findings of one build. */
export interface RegionalFindings {
  /** The code the findings are about (the analyses' target, the index by default). */
  code: string;
  /** Sentences in both languages, report order (below the mean, comparisons, clusters, leaders, spillover). */
  sentences: Array<{ id: string; text: Both }>;
  /** Group means per grouping (the chart), national mean beside them. */
  groupings: Array<{ grouping: string; name: Both; national: number; groups: RegionalGroupView[] }>;
  /** Analyses that could not run (their located messages, in English). */
  errors: string[];
}

function both<C extends MessageCode>(code: C, params: (lang: Lang) => Parameters<typeof t<C>>[2]): Both {
  const one = (lang: Lang) => TYPESET[lang]((t as (l: Lang, c: C, p: unknown) => string)(lang, code, params(lang)));
  return { zh: one('zh'), en: one('en') };
}

const groupLabel = (label: string, lang: Lang) => t(lang, 'name.groupLabel', { label });
const groupingName = (key: string, lang: Lang) => t(lang, 'name.grouping', { key });

/**
 * The analyses settings the page re-runs (regional and spatial only; no uncertainty, audit or tiers).
 * @example analysesSettings(undefined) // => null
 */
export function analysesSettings(a: SiteData['analyses']): AnalysesConfig | null {
  if (!a || (!a.regional && !a.spatial)) return null;
  return {
    ...(a.regional ? { regional: a.regional } : {}),
    ...(a.spatial ? { spatial: a.spatial } : {}),
  } as AnalysesConfig;
}

/**
 * Regional findings of a build under the project's regional/spatial settings; null when it declares none.
 * @example
 * import { runProject } from '../../src/app/project.ts';
 * import { siteData } from '../../src/app/site.ts';
 * const run = await runProject('examples/cdgi-2020', { only: 'regional,spatial' });
 * const f = regionalFindings(run.build, siteData(run).analyses)!;
 * f.sentences.find((s) => s.id === 'compare-region-东部-西部')!.text.zh.startsWith('东部平均') // => true
 */
export function regionalFindings(b: Build, settings: SiteData['analyses']): RegionalFindings | null {
  const cfg = analysesSettings(settings);
  if (!cfg) return null;
  const a: AnalysesResult = runAnalyses(b, cfg, { skipUncertainty: true });
  const code = a.target;
  const codes = b.results.scores.unitCodes;
  const scores = column(b.results.scores, code);
  const scoreOf = new Map(codes.map((u, i) => [u, scores[i]] as const));
  const nameOf = new Map(b.input.units.map((u) => [u.code, u.name] as const));
  const unitName = (u: string, lang: Lang) => {
    const n = nameOf.get(u);
    return (lang === 'zh' ? (n?.zh ?? n?.en) : (n?.en ?? n?.zh)) ?? u;
  };
  const cities = codes.every((c) => /^[0-9]{6}$/.test(c));
  const sentences: RegionalFindings['sentences'] = [];
  const reg = a.regional;
  if (reg) {
    const national = reg.groupings[0]?.byCode.find((x) => x.code === code)?.summary.national;
    if (national) {
      const { gini, cv } = reg.inequality;
      sentences.push({
        id: 'below-mean',
        text: both('finding.belowMean', () => ({
          n: national.nScored,
          cities,
          nBelow: national.nBelowNationalMean,
          mean: national.mean,
          cv,
          gini,
        })),
      });
    }
    for (const c of reg.comparisons)
      sentences.push({
        id: `compare-${c.grouping}-${c.a}-${c.b}`,
        text: both('finding.groupComparison', (lang) => ({
          a: groupLabel(c.a, lang),
          b: groupLabel(c.b, lang),
          meanA: c.meanA,
          meanB: c.meanB,
          difference: c.difference,
          ratio: c.ratio,
        })),
      });
  }
  const groupings: RegionalFindings['groupings'] = [];
  for (const g of reg?.groupings ?? []) {
    const s = g.byCode.find((x) => x.code === code)?.summary;
    if (!s || !s.groups.length) continue;
    const groups: RegionalGroupView[] = s.groups.map((x) => {
      let leader: RegionalGroupView['leader'] = null;
      for (const u of x.units) {
        const v = scoreOf.get(u);
        if (v !== undefined && !Number.isNaN(v) && (!leader || v > leader.score)) leader = { unit: u, score: v };
      }
      return {
        group: x.group,
        name: { zh: groupLabel(x.group, 'zh'), en: groupLabel(x.group, 'en') },
        n: x.nScored,
        mean: x.mean,
        leader,
      };
    });
    groupings.push({
      grouping: g.grouping,
      name: { zh: groupingName(g.grouping, 'zh'), en: groupingName(g.grouping, 'en') },
      national: s.national.mean,
      groups,
    });
    if (/cluster/i.test(g.grouping)) {
      const sorted = [...s.groups].sort((p, q) => q.mean - p.mean);
      sentences.push({
        id: `clusters-${g.grouping}`,
        text: both('finding.clusters', (lang) => ({
          cities,
          nationalMean: s.national.mean,
          groups: sorted.map((x) => ({
            group: groupLabel(x.group, lang),
            n: x.nScored,
            mean: x.mean,
            gap: x.gap,
            ratio: x.ratio,
          })),
        })),
      });
    } else {
      const leaders = groups.filter((x) => x.leader);
      if (leaders.length)
        sentences.push({
          id: `leaders-${g.grouping}`,
          text: both('finding.groupLeaders', (lang) => ({
            grouping: groupingName(g.grouping, lang),
            leaders: leaders.map((x) => ({
              group: groupLabel(x.group, lang),
              unit: unitName(x.leader!.unit, lang),
              score: x.leader!.score,
            })),
          })),
        });
    }
  }
  const sp = a.spatial?.spillover;
  if (sp)
    sentences.push({
      id: 'spillover',
      text: both('finding.spillover', (lang) => ({
        leader: unitName(sp.leader.id, lang),
        rank: sp.leader.rank,
        label: t(lang, 'name.lisa', { label: sp.leader.label }),
        pattern: t(lang, `spillover.${sp.pattern}`),
        nNeighbours: sp.neighbours.length,
        above: sp.neighboursAboveMean,
        mean: sp.mean,
        neighbourMean: sp.neighbourMean,
        neighbours: sp.neighbours.map((x) => ({
          unit: unitName(x.id, lang),
          score: x.score,
          rank: x.rank,
          label: t(lang, 'name.lisa', { label: x.label }),
        })),
      })),
    });
  return {
    code,
    sentences,
    groupings,
    errors: a.errors.map((e) => `${e.analysis}: ${e.issues.map((i) => i.message).join('; ')}`),
  };
}
