/**
 * The uncertainty and sensitivity section as results a reader can use (issue 11, item 8): which choices
 * were varied, in words (no JSON, no settings keys, no English labels in the Chinese report); a chart of
 * every unit's rank interval; what to conclude — which ranks are distinguishable and which are not; and
 * for a sensitivity analysis the Sobol' first-order and total indices with their intervals.
 * Reference: COINr's `get_sensitivity` (rank statistics: 5th/95th percentiles, type 7 quantiles) and
 * Saltelli et al. (2010) / Jansen (1999) for the indices. Pure and browser-safe.
 */
import { describeStep } from '../../engine/methods/describe.ts';
import type { StepSpec } from '../../engine/spec/spec.ts';
import type { UncertainInput } from '../../engine/analysis/uncertainty/inputs.ts';
import { formatList, joinClauses, t, TYPESET, type Lang } from '../../engine/i18n/index.ts';
import { fmt, fmtRank, isCityReport, reportIndex, type ReportContext, type RankInterval } from '../context.ts';
import { renderSvg, type ChartOption } from '../charts.ts';
import { escapeHtml as esc } from '../markdown.ts';
import { table } from './table.ts';
import { PHONE_CHART_WIDTH } from './summary.ts';

/** A sentence without its "Normalise: " / "标准化：" lead (the choice's name stands in the other column). */
const withoutLead = (s: string): string => s.replace(/^[^：:]{1,40}[：:]\s*/, '').replace(/[。.]$/, '');

/**
 * One uncertain input in words: the choice's name and its alternatives, from the build's steps and
 * the framework's names (never the input's own key or a JSON value).
 * @example
 * import { loadProject } from '../../formats/index.ts';
 * import { build } from '../../engine/pipeline/build.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const b = build(project.input, project.spec);
 * const ctx = { project, build: b, lang: 'zh' as const };
 * const input = { kind: 'alternatives' as const, name: 'aggregation', step: 'aggregate',
 *   path: ['options', 'aggregation'], values: [{ method: 'arithmetic' }, { method: 'geometric' }] };
 * describeUncertainInput(ctx, input, 'zh').name // => '汇总方法'
 */
export function describeUncertainInput(
  ctx: Omit<ReportContext, 'lang'>,
  input: UncertainInput,
  lang: Lang,
): { name: string; alternatives: string[] } {
  const ix = reportIndex({ ...ctx, lang });
  if (input.kind === 'weightNoise') {
    const alt = t(lang, 'uncertainty.weightNoise', {
      levels: input.levels,
      percent: fmt(input.factor * 100, 0),
      sets: input.sets ?? 100,
    });
    return { name: t(lang, 'uncertainty.choice', { kind: 'weights', indicator: null }), alternatives: [alt] };
  }
  if (input.kind === 'exclude') {
    const alternatives = input.indicators.map((list) =>
      list.length
        ? t(lang, 'uncertainty.without', { names: formatList(lang, list.map(ix.nodeName)) })
        : t(lang, 'uncertainty.allIndicators'),
    );
    return { name: t(lang, 'uncertainty.choice', { kind: 'exclude', indicator: null }), alternatives };
  }
  const step = ctx.build.spec.steps.find((s) => s.id === input.step);
  const perIndicator = input.path.indexOf('perIndicator');
  const indicator = perIndicator >= 0 ? String(input.path[perIndicator + 1] ?? '') : null;
  const name = t(lang, 'uncertainty.choice', {
    kind: step?.kind ?? input.step,
    indicator: indicator !== null ? ix.nodeName(indicator) : null,
  });
  if (input.kind === 'range') {
    const integers = input.integer ? t(lang, 'uncertainty.integers') : '';
    return { name, alternatives: [`${fmt(input.min, 2)} – ${fmt(input.max, 2)}${integers}`] };
  }
  const alternatives = input.values.map((v) => {
    if (!step) return typeof v === 'string' ? v : '';
    // the alternative as a step of its own: per-indicator values are the options themselves
    const options = indicator !== null ? v : setAt(structuredClone(step.options ?? {}), input.path.slice(1), v);
    return withoutLead(describeStep({ ...step, options } as StepSpec, lang));
  });
  return { name, alternatives };
}

/** `obj` with `value` at `path` (objects created on the way). */
function setAt(obj: unknown, path: ReadonlyArray<string | number>, value: unknown): unknown {
  if (!path.length) return value;
  const o = (obj && typeof obj === 'object' ? obj : {}) as Record<string | number, unknown>;
  o[path[0]] = setAt(o[path[0]], path.slice(1), value);
  return o;
}

/**
 * Units whose rank interval overlaps no other unit's (their place is established), best first.
 * Intervals [q5, q95] overlap when each starts before the other ends.
 * @example
 * distinguishable([
 *   { unit: 'a', nominal: 1, median: 1, q5: 1, q95: 1 },
 *   { unit: 'b', nominal: 2, median: 2, q5: 2, q95: 4 },
 *   { unit: 'c', nominal: 3, median: 3, q5: 3, q95: 4 },
 * ]) // => ['a']
 */
export function distinguishable(intervals: readonly RankInterval[]): string[] {
  return intervals
    .filter((a) => intervals.every((b) => b === a || b.q95 < a.q5 || b.q5 > a.q95))
    .sort((a, b) => a.nominal - b.nominal)
    .map((a) => a.unit);
}

/**
 * The rank-interval chart: one row per unit in rank order, a bar from the 5th to the 95th percentile
 * of its rank over the runs and a dot at its rank in this report.
 * @example
 * import { loadProject } from '../../formats/index.ts';
 * import { build } from '../../engine/pipeline/build.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const b = build(project.input, project.spec);
 * const iv = [{ unit: '330100', nominal: 1, median: 1, q5: 1, q95: 2 }];
 * rankIntervalChartOption({ project, build: b, lang: 'en', rankIntervals: iv }).series.length // => 3
 */
export function rankIntervalChartOption(ctx: ReportContext, layout: 'desktop' | 'phone' = 'desktop'): ChartOption {
  const ix = reportIndex(ctx);
  // a phone gets the chart drawn at its own width with larger names, not the desktop's shrunk to half
  const phone = layout === 'phone';
  const size = phone ? { title: 14, name: 12, axis: 11 } : { title: 13, name: 11, axis: 10 };
  const rows = [...(ctx.rankIntervals ?? [])].sort((a, b) => a.nominal - b.nominal);
  const n = ctx.build.results.scores.unitCodes.length;
  const cities = isCityReport(ctx.build.results.scores.unitCodes);
  return {
    title: {
      text: t(ctx.lang, cities ? 'label.rankIntervalChart' : 'label.rankIntervalChartUnits'),
      left: 'center',
      textStyle: { fontSize: size.title, ...(phone ? { width: PHONE_CHART_WIDTH - 20, overflow: 'break' } : {}) },
    },
    grid: { left: 8, right: phone ? 12 : 24, top: phone ? 66 : 56, bottom: 28, containLabel: true },
    xAxis: { type: 'value', min: 1, max: n, position: 'top', axisLabel: { fontSize: size.axis } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: rows.map((r) => ix.unitName(r.unit)),
      axisLabel: { fontSize: size.name, interval: 0 },
      axisTick: { show: false },
    },
    series: [
      { type: 'bar', stack: 'iv', silent: true, itemStyle: { color: 'transparent' }, data: rows.map((r) => r.q5) },
      {
        type: 'bar',
        stack: 'iv',
        barWidth: '60%',
        itemStyle: { color: '#fdae6b' },
        // a zero-width interval still shows as a sliver
        data: rows.map((r) => Math.max(r.q95 - r.q5, 0.4)),
      },
      {
        type: 'scatter',
        symbolSize: 4,
        itemStyle: { color: '#7f2704' },
        data: rows.map((r, i) => [r.nominal, i]),
      },
    ],
  };
}

/**
 * Height (px) of the rank-interval chart for `n` units: a row of 14 px (17 px on a phone, whose names are
 * larger) plus the title and the axis.
 * @example rankIntervalChartHeight(100, 'desktop') // => 1490
 */
export function rankIntervalChartHeight(n: number, layout: 'desktop' | 'phone'): number {
  return Math.max(240, n * (layout === 'phone' ? 17 : 14) + 90);
}

/**
 * The uncertainty section (`id="uncertainty"`): design in one sentence, the choices varied and their
 * alternatives, the rank-interval chart and its conclusion, and Sobol' indices when computed.
 * @example
 * import { loadProject } from '../../formats/index.ts';
 * import { build } from '../../engine/pipeline/build.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * uncertaintySectionHtml({ project, build: build(project.input, project.spec), lang: 'zh' }, 'Title') // => ''
 */
export function uncertaintySectionHtml(ctx: ReportContext, title: string): string {
  const u = ctx.analyses?.uncertainty;
  if (!u) return '';
  const lang = ctx.lang;
  const ix = reportIndex(ctx);
  const parts = [`<section class="major" id="uncertainty"><h2>${esc(title)}</h2>`];
  const summary = t(lang, 'uncertainty.summary', {
    sensitivity: u.mode === 'sensitivity',
    runs: u.nRuns,
    sobol: u.sampler === 'sobol',
    seed: u.seed,
    failed: u.failures.length,
  });
  parts.push(`<p>${summary}</p>`);
  const declared = new Map((ctx.analyses?.settings.uncertainty?.inputs ?? []).map((i) => [i.name, i] as const));
  const described = new Map(
    u.inputs.map((i) => {
      const d = declared.get(i.name);
      return [i.name, d ? describeUncertainInput(ctx, d, lang) : { name: i.name, alternatives: i.labels ?? [] }];
    }),
  );
  parts.push(
    table(
      [t(lang, 'label.uncertainChoice'), t(lang, 'label.alternativesTried')],
      [...described.values()].map((d) => [esc(d.name), esc(joinClauses(lang, d.alternatives))]),
    ),
  );
  const intervals = ctx.rankIntervals ?? [];
  if (intervals.length) {
    const desktop = renderSvg(rankIntervalChartOption(ctx), 760, rankIntervalChartHeight(intervals.length, 'desktop'));
    const phone = renderSvg(
      rankIntervalChartOption(ctx, 'phone'),
      PHONE_CHART_WIDTH,
      rankIntervalChartHeight(intervals.length, 'phone'),
    );
    parts.push(
      `<figure id="rank-intervals"><div class="chart-desktop">${desktop}</div>` +
        `<div class="chart-phone">${phone}</div></figure>`,
    );
    const clear = distinguishable(intervals);
    const widest = [...intervals]
      .sort((a, b) => b.q95 - b.q5 - (a.q95 - a.q5) || a.nominal - b.nominal)
      .slice(0, 3)
      .map((r) => t(lang, 'uncertainty.widest', { name: ix.unitName(r.unit), lo: fmtRank(r.q5), hi: fmtRank(r.q95) }));
    const conclusion = t(lang, 'uncertainty.distinguishable', {
      n: intervals.length,
      nClear: clear.length,
      clear: clear.length ? formatList(lang, clear.map(ix.unitName)) : null,
      widest: widest.length ? formatList(lang, widest) : null,
    });
    parts.push(`<p data-conclusion="distinguishable"><strong>${esc(TYPESET[lang](conclusion))}</strong></p>`);
  }
  if (u.sensitivity) {
    const iv = (x?: [number, number]) => (x ? `[${fmt(x[0], 3)}, ${fmt(x[1], 3)}]` : '—');
    const indices = u.sensitivity.indices;
    const rows = indices.map((i) => [
      esc(described.get(i.name)?.name ?? i.name),
      fmt(i.Si, 3),
      iv(i.SiInterval),
      fmt(i.STi, 3),
      iv(i.STiInterval),
    ]);
    parts.push(
      `<h3>${t(lang, 'label.sensitivityIndices')}</h3>`,
      table(
        [
          t(lang, 'label.uncertainChoice'),
          t(lang, 'label.firstOrder'),
          t(lang, 'label.interval95'),
          t(lang, 'label.totalOrder'),
          t(lang, 'label.interval95'),
        ],
        rows,
        [1, 2, 3, 4],
      ),
    );
    const total = indices.reduce((s, i) => s + Math.max(i.STi, 0), 0);
    const top = [...indices].sort((a, b) => b.STi - a.STi)[0];
    if (top && total > 0)
      parts.push(
        `<p>${esc(
          t(lang, 'uncertainty.sensitivityRead', {
            top: described.get(top.name)?.name ?? top.name,
            share: Math.max(top.STi, 0) / total,
          }),
        )}</p>`,
      );
    parts.push(`<p class="sub">${t(lang, 'uncertainty.target')}</p>`);
  }
  if (u.failures.length)
    parts.push(
      `<p class="sub">${t(lang, 'label.exampleFailures')}: ${esc(
        u.failures
          .slice(0, 3)
          .map((f) => `#${f.run}: ${f.reason}`)
          .join('; '),
      )}</p>`,
    );
  parts.push('</section>');
  return parts.join('\n');
}
