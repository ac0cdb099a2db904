/**
 * More maps for the map section (issue 11, item 9): one map per dimension (same legend with class
 * values and the five best units named, as the index map) and a map of the tiers, coloured by tier with
 * the tier names and score ranges in the legend. The boundary note is printed once for the section by
 * html.ts, not on every map. Pure ECharts options; `renderSectionMaps` renders them to SVG.
 */
import { formatList, pickText, t } from '../../engine/i18n/index.ts';
import {
  choroplethOption,
  mapDataOrder,
  mapRegionTitles,
  registerChinaMap,
  renderSvg,
  SCORE_PALETTE,
  type ChartOption,
} from '../charts.ts';
import { reportIndex, type ReportContext } from '../context.ts';
import { unitMarker } from './quality.ts';

/**
 * The tier map: every unit coloured by its tier (top tier darkest), the legend naming each tier with
 * its score range and count. Undefined when the tiers analysis did not run.
 * @example
 * import { loadProject } from '../../formats/index.ts';
 * import { build } from '../../engine/pipeline/build.ts';
 * import { prepareReportContext } from '../index.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const ctx = { ...(await prepareReportContext(project, build(project.input, project.spec))), lang: 'en' as const };
 * (tierMapOption(ctx)?.visualMap as { pieces: unknown[] }).pieces.length // => 4
 */
export function tierMapOption(ctx: ReportContext): ChartOption | undefined {
  const tr = ctx.analyses?.tiers;
  if (!tr) return undefined;
  const k = tr.labels.length;
  const codes = ctx.build.results.scores.unitCodes;
  // palette from light (lowest tier) to dark (top tier)
  const colour = (cls: number) => SCORE_PALETTE[Math.round((cls * (SCORE_PALETTE.length - 1)) / Math.max(1, k - 1))];
  const pieces = tr.labels
    .slice()
    .reverse()
    .map((cls, j) => {
      const n = tr.classOf.filter((c) => c === cls.class).length;
      const lo = Number.isFinite(cls.lower) ? cls.lower.toFixed(1) : '';
      const hi = Number.isFinite(cls.upper) ? cls.upper.toFixed(1) : '';
      const range = lo && hi ? `${lo} – ${hi}` : lo ? `≥ ${lo}` : hi ? `≤ ${hi}` : '';
      return {
        value: cls.class,
        label: `${pickText(tr.tierNames[j], ctx.lang, cls.label)} (${range}; ${n})`,
        color: colour(cls.class),
      };
    });
  const base = choroplethOption(ctx);
  const series = base.series[0];
  return {
    visualMap: { type: 'piecewise', left: 16, bottom: 30, seriesIndex: 0, textStyle: { fontSize: 11 }, pieces },
    series: [
      {
        ...series,
        data: (series.data as Array<{ name: string; value?: number | null }>).map((d) => {
          const i = codes.indexOf(d.name);
          if (i < 0) return d;
          const { label, ...rest } = d as { name: string; label?: unknown };
          void label;
          return { ...rest, value: tr.classOf[i] >= 0 ? tr.classOf[i] : null };
        }),
      },
    ],
  };
}

/** Width of the index map and of every map's drawing (px). */
const MAP_WIDTH = 820;
/** Width a dimension map is meant to be read at (two or three to a row). */
const DIMENSION_MAP_WIDTH = 500;

/**
 * A map option with its text, legend keys, label padding and borders enlarged `k` times: drawn `k` times
 * larger and shown at 1/k, it reads as the original would.
 * @example
 * const o = { visualMap: { left: 16, bottom: 30, textStyle: { fontSize: 11 } }, series: [{ type: 'map', data: [] }] };
 * (enlargeMapOption(o, 2).visualMap as { textStyle: { fontSize: number } }).textStyle.fontSize // => 22
 */
export function enlargeMapOption(option: ChartOption, k: number): ChartOption {
  type Style = { borderWidth?: number } & Record<string, unknown>;
  type Label = { fontSize?: number; padding?: number[] } & Record<string, unknown>;
  const vm = (option.visualMap ?? {}) as Record<string, unknown> & { textStyle?: { fontSize?: number } };
  const times = (x: unknown, dflt: number) => (typeof x === 'number' ? x : dflt) * k;
  const style = (st: Style | undefined) => (st ? { ...st, borderWidth: times(st.borderWidth, 0) } : st);
  return {
    ...option,
    visualMap: {
      ...vm,
      left: times(vm.left, 0),
      bottom: times(vm.bottom, 0),
      itemWidth: times(vm.itemWidth, 20),
      itemHeight: times(vm.itemHeight, 14),
      itemGap: times(vm.itemGap, 10),
      textStyle: { ...vm.textStyle, fontSize: times(vm.textStyle?.fontSize, 12) },
    },
    series: option.series.map((se) => ({
      ...se,
      itemStyle: style(se.itemStyle as Style | undefined),
      data: (se.data as Array<{ label?: Label; itemStyle?: Style }>).map((d) => ({
        ...d,
        ...(d.itemStyle ? { itemStyle: style(d.itemStyle) } : {}),
        ...(d.label
          ? {
              label: {
                ...d.label,
                fontSize: times(d.label.fontSize, 12),
                ...(d.label.padding ? { padding: d.label.padding.map((x) => x * k) } : {}),
              },
            }
          : {}),
      })),
    })),
  };
}

/**
 * A dimension map's caption: its name and its three best units (with their markers), saying how many more
 * share the third-best score when there is a tie (cdgi-2020's administrative services: 14 cities at 98.8).
 * @example
 * import { loadProject } from '../../formats/index.ts';
 * import { build } from '../../engine/pipeline/build.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const ctx = { project, build: build(project.input, project.spec), lang: 'en' as const };
 * dimensionMapCaption(ctx, 'PUBLIC') // => 'Digital public services (highest: Hangzhou, Shanghai, Jinhua)'
 */
export function dimensionMapCaption(ctx: ReportContext, d: string): string {
  const ix = reportIndex(ctx);
  const ranked = ix.order
    .filter((u) => Number.isFinite(ix.score(u, d)))
    .sort((a, b) => ix.score(b, d) - ix.score(a, d));
  const best = ranked.slice(0, 3);
  const third = best.length ? ix.score(best[best.length - 1], d) : NaN;
  const tied = ranked.slice(3).filter((u) => ix.score(u, d) === third).length;
  return t(ctx.lang, 'map.dimensionCaption', {
    name: ix.nodeName(d),
    best: formatList(
      ctx.lang,
      best.map((u) => ix.unitName(u) + unitMarker(ctx, u, d)),
    ),
    tied,
  });
}

/**
 * The extra maps of the map section as SVG: one per dimension (titled by the dimension's name) and the
 * tier map (titled by the section's tier heading, given as `tierTitle`). Needs the China map registered.
 * @example
 * import { loadProject } from '../../formats/index.ts';
 * import { build } from '../../engine/pipeline/build.ts';
 * import { prepareReportContext } from '../index.ts';
 * import { readChinaMap } from '../china-map-file.ts';
 * import { registerChinaMap } from '../charts.ts';
 * registerChinaMap(readChinaMap());
 * const project = await loadProject('examples/cdgi-2020');
 * const ctx = { ...(await prepareReportContext(project, build(project.input, project.spec))), lang: 'en' as const };
 * renderSectionMaps(ctx).map((m) => m.id) // => ['INFRA', 'ADMIN', 'PUBLIC', 'LIFE', 'tiers']
 */
export function renderSectionMaps(ctx: ReportContext): Array<{ id: string; title: string; svg: string }> {
  const ix = reportIndex(ctx);
  const regions = registerChinaMap();
  const draw = (option: ChartOption, w: number, h: number, titles: Record<string, string>) =>
    renderSvg(option, w, h, mapDataOrder(regions, option), titles);
  // drawn at the index map's size (so every map shares one geometry in the HTML, svg-share.ts) and shown
  // smaller by the page: text, keys and borders are enlarged by the same factor to print at the same size
  const out = ix.dimensions.map((d) => ({
    id: d,
    // the map names only the names that fit; the caption names the three best in words
    title: dimensionMapCaption(ctx, d),
    svg: draw(
      // a half-width map has room for the three best names at most (the caption names them all)
      enlargeMapOption(choroplethOption(ctx, d, { named: 3, hideOverlap: true }), MAP_WIDTH / DIMENSION_MAP_WIDTH),
      820,
      640,
      mapRegionTitles(ctx, d),
    ),
  }));
  const tiers = tierMapOption(ctx);
  const tr = ctx.analyses?.tiers;
  if (tiers && tr) {
    const k = tr.labels.length;
    const codes = ctx.build.results.scores.unitCodes;
    const tierOf = (u: string) => {
      const c = tr.classOf[codes.indexOf(u)];
      return c >= 0 ? pickText(tr.tierNames[k - 1 - c], ctx.lang, tr.labelOf[codes.indexOf(u)] ?? '') : undefined;
    };
    out.push({ id: 'tiers', title: '', svg: draw(tiers, 820, 640, mapRegionTitles(ctx, undefined, tierOf)) });
  }
  return out;
}
