/**
 * The report's data-trust section: which values are imputed (*) or borrowed from another table (†), each
 * unit's share of index weight resting on them, the project's "insufficient data" share, and the share of
 * effective weight per data source with a warning when one source carries more than half. Pure: no Node
 * API (the browser renders the same model).
 */
import {
  dataQuality,
  sourceShares,
  type DataQuality,
  type SourceShare,
  type ValueFlag,
} from '../../engine/pipeline/data-quality.ts';
import type { Build } from '../../engine/pipeline/build.ts';
import { formatList, t, type Lang } from '../../engine/i18n/index.ts';
import { escapeHtml as esc } from '../markdown.ts';
import { table } from './table.ts';
import { isCityReport, pct, reportIndex, type ReportContext } from '../context.ts';

/** The marker printed after an imputed (`*`) or borrowed (`†`) value. */
export const VALUE_MARKER: Readonly<Record<ValueFlag, string>> = { imputed: '*', copied: '†' };

/** Share above which one source is said to dominate the index. */
export const DOMINANT_SOURCE_SHARE = 0.5;

const cache = new WeakMap<Build, DataQuality>();

/**
 * The build's imputed and borrowed values and each unit's share of weight on them (computed once per build).
 * @example
 * import { loadProject } from '../../formats/index.ts';
 * import { build } from '../../engine/pipeline/build.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const b = build(project.input, project.spec);
 * reportDataQuality({ project, build: b }).flagged.length // => 72 (68 imputed, 4 borrowed)
 */
export function reportDataQuality(ctx: Pick<ReportContext, 'project' | 'build'>): DataQuality {
  let q = cache.get(ctx.build);
  if (!q) {
    q = dataQuality(ctx.build, { valueSources: ctx.project.valueSources });
    cache.set(ctx.build, q);
  }
  return q;
}

/**
 * The project's `report.insufficientDataShare` (0–1), or undefined when the project sets none.
 * @example
 * const project = { project: { report: { insufficientDataShare: 0.5 } } };
 * insufficientDataShare({ project } as never) // => 0.5
 */
export function insufficientDataShare(ctx: Pick<ReportContext, 'project'>): number | undefined {
  const r = ctx.project.project.report as { insufficientDataShare?: unknown } | undefined;
  const v = r?.insufficientDataShare;
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/**
 * Units whose score rests more than the project's share on imputed or borrowed values (reported as
 * "insufficient data" instead of a rank); empty when the project sets no share.
 * @example insufficientUnits({ project: { project: {} } } as never).size // => 0
 */
export function insufficientUnits(ctx: Pick<ReportContext, 'project' | 'build'>): Set<string> {
  const limit = insufficientDataShare(ctx);
  if (limit === undefined) return new Set();
  return new Set(
    reportDataQuality(ctx)
      .shares.filter((s) => s.share > limit + 1e-12)
      .map((s) => s.unit),
  );
}

/**
 * For one unit, the codes (indicators and every aggregate above them) whose score rests on a flagged value,
 * with the flag (`imputed` wins over `copied` on an aggregate).
 * @example
 * import { loadProject } from '../../formats/index.ts';
 * import { build } from '../../engine/pipeline/build.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const b = build(project.input, project.spec);
 * flaggedCodes({ project, build: b }, '440900').get('ADMIN') // => 'imputed'
 */
export function flaggedCodes(ctx: Pick<ReportContext, 'project' | 'build'>, unit: string): Map<string, ValueFlag> {
  const q = reportDataQuality(ctx);
  const out = new Map<string, ValueFlag>();
  const m = q.flagOf.get(unit);
  if (!m) return out;
  const last = ctx.build.steps.length ? ctx.build.steps[ctx.build.steps.length - 1] : undefined;
  const fw = last ? last.framework : ctx.build.input.framework;
  const parentOf = new Map(fw.nodes.map((n) => [n.code, n.parent]));
  for (const [code, flag] of m) {
    let c: string | null | undefined = code;
    while (c) {
      if (out.get(c) !== 'imputed') out.set(c, flag);
      c = parentOf.get(c);
    }
  }
  return out;
}

/** The marker of a code's value for a unit ('' when observed). */
export function markerOf(flags: ReadonlyMap<string, ValueFlag>, code: string): string {
  const f = flags.get(code);
  return f ? VALUE_MARKER[f] : '';
}

/**
 * The marker of a unit's score on `code` ('' when observed): what the ranking table prints after it, and
 * what a chart prints after the unit's name or value.
 * @example
 * import { loadProject } from '../../formats/index.ts';
 * import { build } from '../../engine/pipeline/build.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const ctx = { project, build: build(project.input, project.spec) };
 * [unitMarker(ctx, '440900', 'CDGI'), unitMarker(ctx, '440900', 'INFRA')] // => ['*', '']
 */
export function unitMarker(ctx: Pick<ReportContext, 'project' | 'build'>, unit: string, code: string): string {
  return markerOf(flaggedCodes(ctx, unit), code);
}

/**
 * The marker for a unit drawn over several codes at once (a radar over the dimensions): `*` when any of
 * them rests on an imputed value, else `†` when any rests on a borrowed one, else ''.
 * @example
 * import { loadProject } from '../../formats/index.ts';
 * import { build } from '../../engine/pipeline/build.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const ctx = { project, build: build(project.input, project.spec) };
 * unitMarkerAny(ctx, '440900', ['INFRA', 'ADMIN']) // => '*'
 */
export function unitMarkerAny(
  ctx: Pick<ReportContext, 'project' | 'build'>,
  unit: string,
  codes: readonly string[],
): string {
  const flags = flaggedCodes(ctx, unit);
  const found = codes.map((c) => flags.get(c));
  return found.includes('imputed') ? VALUE_MARKER.imputed : found.includes('copied') ? VALUE_MARKER.copied : '';
}

/**
 * The legend under a chart that marks names or values (`radar`: the marker stands for any dimension).
 * @example chartLegendHtml('en', true).includes('data-legend="imputed"') // => true
 */
export function chartLegendHtml(lang: Lang, cities: boolean, radar = false): string {
  const text = radar ? t(lang, 'quality.radarLegend') : t(lang, 'quality.chartLegend', { cities });
  return `<p class="sub legend" data-legend="imputed">${esc(text)}</p>`;
}

/**
 * The source-share table rows (source, indicators, share) with a total row, and the dominance warning.
 * @example
 * import { loadProject } from '../../formats/index.ts';
 * import { build } from '../../engine/pipeline/build.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const ctx = { project, build: build(project.input, project.spec), lang: 'en' as const };
 * sourceShareHtml(ctx, 'en').includes('62.5%') // => true
 */
export function sourceShareHtml(ctx: Omit<ReportContext, 'lang'>, lang: Lang): string {
  const ix = reportIndex({ ...ctx, lang });
  const shares: SourceShare[] = sourceShares(ctx.build);
  const rows = shares.map((s) => [
    s.source ? esc(s.source) : t(lang, 'quality.noSource'),
    esc(
      formatList(
        lang,
        s.indicators.map((c) => ix.nodeName(c)),
      ),
    ),
    pct(s.share, 1),
  ]);
  const total = shares.reduce((a, s) => a + s.share, 0);
  rows.push([`<strong>${t(lang, 'quality.total')}</strong>`, '', `<strong>${pct(total, 1)}</strong>`]);
  const head = [t(lang, 'quality.sourceHead'), t(lang, 'quality.indicatorsHead'), t(lang, 'quality.weightHead')];
  const warn = dominantSourceText(ctx, lang);
  return (
    `<h3 id="source-shares">${t(lang, 'quality.sourcesTitle')}</h3>` +
    `<p class="sub">${esc(t(lang, 'quality.sourcesIntro'))}</p>` +
    (warn ? `<div class="alert" role="note" data-dominant-source>${esc(warn)}</div>` : '') +
    table(head, rows, [2], undefined, { className: 'source-share' })
  );
}

/**
 * The warning sentence when one source carries more than half of the effective weight (else undefined).
 * @example
 * import { loadProject } from '../../formats/index.ts';
 * import { build } from '../../engine/pipeline/build.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * dominantSourceText({ build: build(project.input, project.spec) }, 'en')!.includes('62.5%') // => true
 */
export function dominantSourceText(ctx: Pick<ReportContext, 'build'>, lang: Lang): string | undefined {
  const shares = sourceShares(ctx.build);
  const top = shares[0];
  if (!top || top.share <= DOMINANT_SOURCE_SHARE || !top.source) return undefined;
  const total = shares.reduce((a, s) => a + s.indicators.length, 0);
  return t(lang, 'quality.sourceDominant', { source: top.source, share: top.share, n: top.indicators.length, total });
}

/**
 * The data-trust section: legend, the "insufficient data" rule, units with imputed or borrowed values,
 * values per indicator, and the warning when one data source dominates (its table is in the methods).
 * @example
 * import { loadProject } from '../../formats/index.ts';
 * import { build } from '../../engine/pipeline/build.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const ctx = { project, build: build(project.input, project.spec), lang: 'zh' as const };
 * qualitySection(ctx, '数据可信度').includes('数据不足') // => true
 */
export function qualitySection(ctx: ReportContext, title: string): string {
  const lang = ctx.lang;
  const ix = reportIndex(ctx);
  const q = reportDataQuality(ctx);
  const cities = isCityReport(ctx.build.results.scores.unitCodes);
  const limit = insufficientDataShare(ctx);
  const insufficient = insufficientUnits(ctx);
  const parts = [`<section class="major" id="quality"><h2>${esc(title)}</h2>`];
  parts.push(`<p class="sub">${esc(t(lang, 'quality.legend'))}</p>`);
  parts.push(
    `<p data-insufficient-share="${limit ?? ''}">${esc(
      limit === undefined
        ? t(lang, 'quality.noThreshold')
        : t(lang, 'quality.threshold', { share: limit, n: insufficient.size }),
    )}</p>`,
  );
  const flaggedUnits = q.shares
    .filter((s) => s.share > 0)
    .sort((a, b) => b.share - a.share || ix.rank(a.unit) - ix.rank(b.unit));
  if (!flaggedUnits.length) parts.push(`<p>${esc(t(lang, 'quality.noneFlagged'))}</p>`);
  else {
    const max = flaggedUnits[0].share;
    parts.push(
      `<p>${esc(t(lang, 'quality.sharesIntro', { n: flaggedUnits.length, total: q.shares.length, max, cities }))}</p>`,
    );
    for (const b of q.byIndicator) {
      const k = b.imputed + b.copied;
      if (k * 2 > b.n)
        parts.push(
          `<div class="alert" role="note">${esc(
            t(lang, 'quality.mostlyImputed', { indicator: ix.nodeName(b.indicator), imputed: k, n: b.n }),
          )}</div>`,
        );
    }
    // units with the same values flagged and the same share form one row (72 identical rows told nothing)
    const groups = new Map<string, { value: number; share: string; inds: string; names: string[] }>();
    for (const s of flaggedUnits) {
      const m = q.flagOf.get(s.unit) ?? new Map<string, ValueFlag>();
      const inds = formatList(
        lang,
        [...m].map(([c, f]) => `${esc(ix.nodeName(c))}${VALUE_MARKER[f]}`),
      );
      const share = pct(s.share, 1);
      const key = `${share}\u0000${inds}`;
      const g = groups.get(key) ?? { value: s.share, share, inds, names: [] };
      g.names.push(
        esc(ix.unitName(s.unit)) + (insufficient.has(s.unit) ? ` (${t(lang, 'quality.insufficient')})` : ''),
      );
      groups.set(key, g);
    }
    // highest share first, then the largest group
    const ordered = [...groups.values()].sort((a, b) => b.value - a.value || b.names.length - a.names.length);
    const rows = ordered.map((g) => [
      g.inds,
      g.share,
      `<span class="count">${t(lang, 'quality.unitCount', { n: g.names.length, cities })}</span> ` +
        `<span class="units">${formatList(lang, g.names)}</span>`,
    ]);
    const head = [
      t(lang, 'quality.valuesHead'),
      t(lang, 'quality.shareHead'),
      cities ? t(lang, 'published.cityHead') : t(lang, 'label.unitGeneric'),
    ];
    parts.push(table(head, rows, [1], undefined, { className: 'imputed-share' }));
    const indRows = q.byIndicator
      .filter((b) => b.imputed + b.copied > 0)
      .map((b) => [
        esc(ix.nodeName(b.indicator)),
        String(b.n - b.imputed - b.copied),
        String(b.imputed),
        String(b.copied),
      ]);
    parts.push(
      `<h3>${t(lang, 'quality.byIndicatorTitle')}</h3>` +
        table(
          [
            t(lang, 'quality.indicatorsHead'),
            t(lang, 'quality.observed'),
            t(lang, 'quality.imputed'),
            t(lang, 'quality.copied'),
          ],
          indRows,
          [1, 2, 3],
        ),
    );
  }
  // the table of effective weight per source is in the methods (html.ts); the warning stays here too
  const warn = dominantSourceText(ctx, lang);
  if (warn) parts.push(`<div class="alert" role="note" data-dominant-source>${esc(warn)}</div>`);
  parts.push(`<p>${esc(t(lang, 'quality.sourcesInMethods'))}</p>`);
  parts.push('</section>');
  return parts.join('\n');
}

/** Pearson r at or above which two dimensions count as highly correlated. */
export const HIGH_CORRELATION = 0.7;

/**
 * Pairs of dimensions (children of the index) that are highly correlated on the final scores and draw
 * indicators from the same data source, with that source (from the audit's level correlations).
 * @example
 * import { loadProject } from '../../formats/index.ts';
 * import { build } from '../../engine/pipeline/build.ts';
 * import { auditBuild } from '../../engine/analysis/audit/index.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const b = build(project.input, project.spec);
 * const links = sharedSourceLinks({ project, build: b, audit: auditBuild(b), lang: 'en' });
 * links.every((l) => l.source.includes('PKU-DFIIC')) // => true
 */
export function sharedSourceLinks(ctx: ReportContext): Array<{ a: string; b: string; r: number; source: string }> {
  const audit = ctx.audit ?? (ctx.analyses as { audit?: ReportContext['audit'] } | undefined)?.audit;
  if (!audit) return [];
  const ix = reportIndex(ctx);
  const dims = new Set(ix.dimensions);
  const level = audit.correlations.levels.find((l) => l.codes.length > 1 && l.codes.every((c) => dims.has(c)));
  if (!level) return [];
  const sourcesBelow = (code: string): Map<string, number> => {
    const out = new Map<string, number>();
    const walk = (c: string) => {
      for (const n of ix.nodes.values()) {
        if (n.parent !== c || n.status === 'not_collected') continue;
        if (n.kind === 'indicator') {
          const s = n.source?.name?.trim();
          if (s) out.set(s, (out.get(s) ?? 0) + (ctx.build.results.effectiveWeights[n.code] ?? 0));
        } else walk(n.code);
      }
    };
    walk(code);
    return out;
  };
  const links: Array<{ a: string; b: string; r: number; source: string }> = [];
  level.codes.forEach((a, i) =>
    level.codes.forEach((b, j) => {
      if (j <= i) return;
      const r = level.pearson[i][j];
      if (!(r >= HIGH_CORRELATION)) return;
      const sa = sourcesBelow(a),
        sb = sourcesBelow(b);
      const shared = [...sa.keys()].filter((s) => sb.has(s));
      if (!shared.length) return;
      shared.sort((x, y) => sa.get(y)! + sb.get(y)! - sa.get(x)! - sb.get(x)!);
      links.push({ a, b, r, source: shared[0] });
    }),
  );
  return links;
}

/**
 * The audit's sentences linking highly correlated dimensions to their shared source (empty when none).
 * @example sharedSourceHtml({ analyses: undefined } as never) // => ''
 */
export function sharedSourceHtml(ctx: ReportContext): string {
  const links = sharedSourceLinks(ctx);
  if (!links.length) return '';
  const ix = reportIndex(ctx);
  const items = links.map(
    (l) =>
      `<li>${esc(
        t(ctx.lang, 'quality.sharedSource', {
          a: ix.nodeName(l.a),
          b: ix.nodeName(l.b),
          r: l.r.toFixed(2),
          source: l.source,
        }),
      )}</li>`,
  );
  return `<ul class="shared-source">${items.join('')}</ul>`;
}
