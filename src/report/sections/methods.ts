/**
 * The methods written for readers (issue 11, item 10): the analyses' settings as a table of sentences
 * (never the settings as JSON), and the formulas of the build's normalisation, aggregation and
 * effective weights in words a reader can follow, in the report's language. Pure and browser-safe.
 */
import { formatList, pickText, t, type Lang } from '../../engine/i18n/index.ts';
import type { StepSpec } from '../../engine/spec/spec.ts';
import { describeWeights, groupingName, reportIndex, type ReportContext } from '../context.ts';
import { escapeHtml as esc } from '../markdown.ts';
import { describeUncertainInput } from './uncertainty.ts';
import { table } from './table.ts';

/** Names of the tier methods, as the tiers section prints them. */
const tierMethod = (lang: Lang, method: string): string => t(lang, 'name.tierMethod', { key: method });

/**
 * One row per analysis that ran: its name and what it did with which settings, in a sentence.
 * @example
 * import { loadProject } from '../../formats/index.ts';
 * import { build } from '../../engine/pipeline/build.ts';
 * import { prepareReportContext } from '../index.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const ctx = { ...(await prepareReportContext(project, build(project.input, project.spec))), lang: 'en' as const };
 * analysisSettingRows(ctx).find((r) => r[0] === 'Tiers')?.[1] // => 'Tiers by Fisher–Jenks natural breaks, 4 tiers.'
 */
export function analysisSettingRows(ctx: ReportContext): Array<[string, string]> {
  const set = ctx.analyses?.settings;
  if (!set) return [];
  const lang = ctx.lang;
  const ix = reportIndex(ctx);
  const rows: Array<[string, string]> = [];
  const name = (key: string) => t(lang, 'analysis.name', { key });
  const seedOf = (s?: number) => String(s ?? ctx.build.spec.seed ?? '—');
  if (set.regional) {
    const den = set.regional.populationWeights;
    const denName = den ? (ctx.build.input.framework.denominators ?? []).find((d) => d.code === den)?.name : undefined;
    rows.push([
      name('regional'),
      t(lang, 'analysis.regional', {
        groupings: formatList(
          lang,
          set.regional.groupings.map((g) => groupingName(g, lang)),
        ),
        population: den ? pickText(denName, lang, den) : null,
      }),
    ]);
  }
  if (set.spatial)
    rows.push([
      name('spatial'),
      t(lang, 'analysis.spatial', {
        weights: describeWeights(set.spatial.weights, lang),
        permutations: set.spatial.permutations,
        seed: seedOf(set.spatial.seed),
        alpha: set.spatial.alpha,
      }),
    ]);
  if (set.tiers)
    rows.push([
      name('tiers'),
      t(lang, 'analysis.tiers', { method: tierMethod(lang, set.tiers.method), k: set.tiers.k ?? null }),
    ]);
  if (set.gaps) {
    const p = set.gaps.peers;
    const peers =
      p.by === 'nearest'
        ? t(lang, 'gaps.peers.nearestShort', { k: p.k })
        : p.by === 'group'
          ? t(lang, 'gaps.peers.groupShort', { grouping: groupingName(p.field, lang) })
          : t(lang, 'gaps.peers.allShort');
    rows.push([
      name('gaps'),
      t(lang, 'analysis.gaps', {
        units: formatList(lang, set.gaps.units.map(ix.unitName)),
        peers,
        k: set.gaps.k,
        budget: set.gaps.budget ?? null,
      }),
    ]);
  }
  if (set.audit) rows.push([name('audit'), t(lang, 'analysis.audit')]);
  if (set.uncertainty) {
    const choices = set.uncertainty.inputs.map((i) => describeUncertainInput(ctx, i, lang).name);
    rows.push([
      name('uncertainty'),
      t(lang, 'analysis.uncertainty', {
        runs: set.uncertainty.N,
        seed: seedOf(set.uncertainty.seed),
        choices: formatList(lang, choices),
      }),
    ]);
  }
  if (set.change) rows.push([name('change'), t(lang, 'analysis.change')]);
  if (set.reference) rows.push([name('reference'), t(lang, 'analysis.reference')]);
  return rows;
}

/**
 * The formulas of the build for readers: normalisation (min–max or z-score), aggregation (arithmetic
 * or geometric) and the effective weight, one sentence each; other methods keep the step's sentence.
 * @example
 * import { loadProject } from '../../formats/index.ts';
 * import { build } from '../../engine/pipeline/build.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const ctx = { project, build: build(project.input, project.spec), lang: 'zh' as const };
 * readerFormulas(ctx)[0] // => '指标得分 = (城市值 − 最小值) ÷ (最大值 − 最小值) × 100；数值越小越好的指标先反向。'
 */
export function readerFormulas(ctx: ReportContext): string[] {
  const lang = ctx.lang;
  const out: string[] = [];
  for (const step of ctx.build.spec.steps as StepSpec[]) {
    if (step.kind === 'normalise') {
      const o = (step.options ?? { method: 'minMax' }) as { method: string; range?: [number, number] } & Record<
        string,
        unknown
      >;
      if (o.method === 'minMax') {
        const [lo, hi] = o.range ?? [0, 100];
        out.push(t(lang, 'formula.minMax', { lo, hi }));
      } else if (o.method === 'zScore')
        out.push(t(lang, 'formula.zScore', { mean: Number(o.mean ?? 0), sd: Number(o.sd ?? 1) }));
    }
    if (step.kind === 'aggregate') {
      const m = (step.options as { aggregation?: { method?: string } } | undefined)?.aggregation?.method;
      if (m === undefined || m === 'arithmetic') out.push(t(lang, 'formula.arithmetic'));
      else if (m === 'geometric') out.push(t(lang, 'formula.geometric'));
    }
  }
  out.push(t(lang, 'formula.effectiveWeight'));
  return out;
}

/**
 * The methods' reader part as HTML: the analyses table and the formulas list (empty parts left out).
 * @example
 * import { loadProject } from '../../formats/index.ts';
 * import { build } from '../../engine/pipeline/build.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * methodsReaderHtml({ project, build: build(project.input, project.spec), lang: 'en' }).includes('{') // => false
 */
export function methodsReaderHtml(ctx: ReportContext): string {
  const lang = ctx.lang;
  const formulas = readerFormulas(ctx)
    .map((f) => `<li>${esc(f)}</li>`)
    .join('');
  const rows = analysisSettingRows(ctx).map(([a, b]) => [esc(a), esc(b)]);
  return (
    `<h3>${t(lang, 'label.formulas')}</h3><ul class="formulas">${formulas}</ul>` +
    (rows.length
      ? `<h3>${t(lang, 'label.analysisSettings')}</h3>` +
        table([t(lang, 'label.analysis'), t(lang, 'label.settingsInWords')], rows)
      : '')
  );
}
