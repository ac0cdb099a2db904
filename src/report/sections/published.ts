/**
 * "Compared with the published report": for every unit a published source names (its top ten, its named
 * tiers), the published rank or tier beside ours, and for each large difference the reason — the dimension
 * where the unit ranks lowest here, the indicator that pulls it down and that indicator's data source.
 * Every published figure carries its source (title, date, URL; required by the project schema), listed
 * under the table. Pure: no Node API.
 */
import { joinClauses, pickText, t, type Lang } from '../../engine/i18n/index.ts';
import type { PublishedSource } from '../../engine/analysis/config.ts';
import { escapeHtml as esc } from '../markdown.ts';
import { table } from './table.ts';
import { reportIndex, type ReportContext, type ReportIndex } from '../context.ts';
import { flaggedCodes, insufficientUnits } from './quality.ts';

/** A rank difference above this (or a published first tier we do not share) counts as large. */
export const LARGE_RANK_DIFFERENCE = 5;

/** One unit a published source names. */
export interface PublishedRow {
  unit: string;
  /** Published rank (top ten), when given. */
  publishedRank?: number;
  /** Published tier labels naming the unit. */
  publishedTiers: string[];
  /** Our rank (NaN when the unit is not in the build). */
  rank: number;
  /** Our tier name (when tiers ran), and whether it is our first tier. */
  tier?: string;
  firstTier: boolean;
  /** True when ours differs a lot: more than `LARGE_RANK_DIFFERENCE` ranks, or a published tier we do not give. */
  large: boolean;
  /** Why, for a large difference: the unit's weakest dimension and indicator here. */
  reason?: { dimension: string; dimensionRank: number; indicator: string; source: string; flagged: boolean };
}

/**
 * True when the project gives published reference figures to compare with (a top ten or named tiers).
 * @example publishedPresent({ analyses: undefined } as never) // => false
 */
export function publishedPresent(ctx: Pick<ReportContext, 'analyses'>): boolean {
  const ref = ctx.analyses?.settings.reference;
  return !!(ref?.topTen?.units.length || ref?.tiers?.length);
}

/** The short name of a source (up to the first comma). */
function shortSource(name: string | undefined): string {
  if (!name) return '';
  const k = name.search(/[，,]/);
  return (k < 0 ? name : name.slice(0, k)).trim();
}

/** The leaf indicators below `code`. */
function leavesBelow(ix: ReportIndex, code: string): string[] {
  const out: string[] = [];
  const kids = [...ix.nodes.values()].filter((n) => n.parent === code && n.status !== 'not_collected');
  for (const k of kids) {
    if (k.kind === 'indicator') out.push(k.code);
    else out.push(...leavesBelow(ix, k.code));
  }
  return out;
}

/**
 * Every unit the published sources name, with the published and our rank or tier and, for each large
 * difference, its reason.
 * @example
 * import { loadProject } from '../../formats/index.ts';
 * import { build } from '../../engine/pipeline/build.ts';
 * import { parseAnalysesConfig, runAnalyses } from '../../engine/analysis/run.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const b = build(project.input, project.spec);
 * const { reference, tiers } = project.project.analyses as Record<string, unknown>;
 * const analyses = runAnalyses(b, parseAnalysesConfig({ reference, tiers }));
 * const rows = publishedRows({ project, build: b, analyses, lang: 'en' });
 * rows.find((r) => r.unit === '610100')!.publishedRank // => 10
 */
export function publishedRows(ctx: ReportContext): PublishedRow[] {
  const ref = ctx.analyses?.settings.reference;
  if (!ref) return [];
  const ix = reportIndex(ctx);
  const lang = ctx.lang;
  const order: string[] = [];
  const rankOf = new Map<string, number>();
  const tiersOf = new Map<string, string[]>();
  (ref.topTen?.units ?? []).forEach((u, i) => {
    if (!rankOf.has(u)) rankOf.set(u, i + 1);
    if (!order.includes(u)) order.push(u);
  });
  for (const tr of ref.tiers ?? [])
    for (const u of tr.units) {
      const list = tiersOf.get(u) ?? [];
      list.push(pickText(tr.label, lang, ''));
      tiersOf.set(u, list);
      if (!order.includes(u)) order.push(u);
    }
  const tiers = ctx.analyses?.tiers;
  const codes = ctx.build.results.scores.unitCodes;
  return order.map((unit): PublishedRow => {
    const i = codes.indexOf(unit);
    const rank = i < 0 ? NaN : ix.rank(unit);
    let tier: string | undefined;
    let firstTier = false;
    if (tiers && i >= 0 && tiers.classOf[i] >= 0) {
      const k = tiers.labels.length;
      const c = tiers.classOf[i];
      tier = pickText(tiers.tierNames[k - 1 - c], lang, tiers.labelOf[i] ?? '');
      firstTier = c === k - 1;
    }
    const publishedRank = rankOf.get(unit);
    const publishedTiers = tiersOf.get(unit) ?? [];
    const large =
      i >= 0 &&
      ((publishedRank !== undefined && Math.abs(rank - publishedRank) > LARGE_RANK_DIFFERENCE) ||
        (publishedTiers.length > 0 && tiers !== undefined && !firstTier));
    let reason: PublishedRow['reason'];
    if (large) {
      const dims = [...ix.dimensions].sort((a, b) => ix.rank(unit, b) - ix.rank(unit, a));
      const d = dims[0];
      const leaves = leavesBelow(ix, d).filter((c) => !Number.isNaN(ix.rank(unit, c)));
      leaves.sort((a, b) => ix.rank(unit, b) - ix.rank(unit, a));
      const ind = leaves[0];
      if (d && ind)
        reason = {
          dimension: d,
          dimensionRank: ix.rank(unit, d),
          indicator: ind,
          source: shortSource(ix.nodes.get(ind)?.source?.name),
          flagged: flaggedCodes(ctx, unit).has(ind),
        };
    }
    return {
      unit,
      ...(publishedRank !== undefined ? { publishedRank } : {}),
      publishedTiers,
      rank,
      ...(tier !== undefined ? { tier } : {}),
      firstTier,
      large,
      ...(reason ? { reason } : {}),
    };
  });
}

function sourceLine(s: PublishedSource, lang: Lang): string {
  const title = s.publisher ? `${s.publisher}：${s.title}` : s.title;
  const url = `<span class="url">${esc(s.url)}</span>`;
  return t(lang, 'published.sourceLine', { title: esc(title), date: esc(pickText(s.date, lang)), url });
}

/**
 * The section: the table of named units and the published sources (title, date, URL).
 * @example
 * import { loadProject } from '../../formats/index.ts';
 * import { build } from '../../engine/pipeline/build.ts';
 * import { parseAnalysesConfig, runAnalyses } from '../../engine/analysis/run.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const b = build(project.input, project.spec);
 * const { reference, tiers } = project.project.analyses as Record<string, unknown>;
 * const analyses = runAnalyses(b, parseAnalysesConfig({ reference, tiers }));
 * publishedSection({ project, build: b, analyses, lang: 'zh' }, '与已发布报告对比').includes('兰州') // => true
 */
export function publishedSection(ctx: ReportContext, title: string): string {
  const ref = ctx.analyses?.settings.reference;
  if (!ref || !publishedPresent(ctx)) return '';
  const lang = ctx.lang;
  const ix = reportIndex(ctx);
  const insufficient = insufficientUnits(ctx);
  const rows = publishedRows(ctx).map((r) => {
    const theirs = joinClauses(lang, [
      ...(r.publishedRank !== undefined ? [t(lang, 'published.rank', { rank: r.publishedRank })] : []),
      ...r.publishedTiers,
    ]);
    const inBuild = !Number.isNaN(r.rank);
    const ours = !inBuild ? '—' : insufficient.has(r.unit) ? t(lang, 'quality.insufficient') : String(r.rank);
    const why = !inBuild
      ? t(lang, 'published.notInBuild')
      : r.reason
        ? t(lang, 'published.reason', {
            dimension: ix.nodeName(r.reason.dimension),
            rank: r.reason.dimensionRank,
            indicator: ix.nodeName(r.reason.indicator),
            source: r.reason.source || t(lang, 'quality.noSource'),
            flagged: r.reason.flagged,
          })
        : t(lang, 'published.close');
    return [esc(ix.units.has(r.unit) ? ix.unitName(r.unit) : r.unit), esc(theirs), ours, esc(r.tier ?? '—'), esc(why)];
  });
  const head = [
    t(lang, 'published.cityHead'),
    t(lang, 'published.theirsHead'),
    t(lang, 'published.oursHead'),
    t(lang, 'published.oursTierHead'),
    t(lang, 'published.reasonHead'),
  ];
  const sources = [ref.topTen?.source, ...(ref.tiers ?? []).map((x) => x.source), ref.shareBelowMean?.source].filter(
    (s): s is PublishedSource => s !== undefined,
  );
  const seen = new Set<string>();
  const uniq = sources.filter((s) => (seen.has(s.url + s.title) ? false : (seen.add(s.url + s.title), true)));
  const titles = joinClauses(
    lang,
    uniq.map((s) => s.title),
  );
  const notes = ref.notes ? `<p class="sub">${esc(pickText(ref.notes, lang, ''))}</p>` : '';
  return (
    `<section class="major" id="published"><h2>${esc(title)}</h2>` +
    `<p>${esc(t(lang, 'published.intro', { title: titles }))}</p>` +
    table(
      head.map((h) => esc(h)),
      rows,
      [2],
      undefined,
      { className: 'published' },
    ) +
    `<ol class="published-sources">${uniq.map((s) => `<li>${sourceLine(s, lang)}</li>`).join('')}</ol>` +
    `${notes}</section>`
  );
}
