/**
 * The report's charts as ECharts options, rendered server-side to SVG strings (echarts 6,
 * `ssr: true` + `renderToSVGString`, no DOM): a choropleth map of the index by city, the LISA cluster
 * map, radar charts of the top five over the dimensions, and regional bar charts. Maps use the
 * simplified prefecture-level map in `data/maps/` (see its PROVENANCE.md), registered as `china` so
 * ECharts adds the South China Sea inset; regions are matched to units by adcode (`nameProperty`).
 *
 * Browser-safe: nothing is read at import time. The map's TopoJSON is passed to `registerChinaMap`
 * (on Node, `readChinaMap()` from `./china-map-file.ts` reads it; a web page fetches it); every text
 * comes from the message catalogue.
 */
import * as echarts from 'echarts';
import { feature } from 'topojson-client';
import type { GeometryObject, Topology } from 'topojson-specification';
import { CityIndexError } from '../engine/core/errors.ts';
import type { LisaLabel } from '../engine/analysis/spatial/local-moran.ts';
import { labels as catalogueLabels, otherLang, t } from '../engine/i18n/index.ts';
import { groupLabel, isCityReport, reportIndex, type ReportContext, type ReportLang } from './context.ts';
import { stripNul } from '../formats/safe-text.ts';
import { escapeHtml } from './markdown.ts';
import { unitMarker, unitMarkerAny } from './sections/quality.ts';

/** Fill of map regions without data. */
export const NO_DATA_COLOUR = '#e4e4e4';
/** Fill of the South China Sea inset islands. */
const NANHAI_COLOUR = '#b9b9b9';
/** Sequential palette of the choropleth (low → high). */
export const SCORE_PALETTE = ['#fde0c5', '#fdae6b', '#f16913', '#c64102', '#7f2704'];
/** LISA cluster colours (GeoDa's conventions). */
export const LISA_COLOURS: Readonly<Record<LisaLabel, string>> = {
  HH: '#d7191c',
  LH: '#abd9e9',
  LL: '#2c7bb6',
  HL: '#fdae61',
  ns: '#f2f2f2',
  island: '#999999',
};
/** Series colours (radar, bars). */
const COLOURS = ['#c23531', '#2f4554', '#61a0a8', '#d48265', '#749f83', '#ca8622', '#bda29a', '#6e7074'];

/**
 * The boundary note printed on every map (public maps of China need a review number, 审图号).
 * @example mapSourceNote('en').startsWith('Schematic') // => true
 */
export function mapSourceNote(lang: ReportLang): string {
  return t(lang, 'map.sourceNote');
}

let chinaRegions: string[] | undefined;

/**
 * Register the simplified city map under the name `china` (once per process or page) and return the
 * region keys (adcodes) in ECharts' region order, the inset `南海诸岛` last. The first call needs the
 * map's TopoJSON (`readChinaMap()` on Node); later calls may omit it.
 * @example
 * import { readChinaMap } from './china-map-file.ts';
 * registerChinaMap(readChinaMap()).length // => 368 (367 features + the South China Sea inset)
 */
export function registerChinaMap(topology?: Topology): string[] {
  if (chinaRegions) return chinaRegions;
  if (!topology) {
    throw new CityIndexError({
      code: 'E_MAP_MISSING',
      message: 'the China map is not registered yet',
      expected: 'registerChinaMap(topology) first (on Node: registerChinaMap(readChinaMap()))',
    });
  }
  const fc = feature(topology, topology.objects.cities as GeometryObject) as unknown as GeoJSON.FeatureCollection<
    GeoJSON.Geometry,
    { adcode: string; name: string }
  >;
  echarts.registerMap('china', fc as unknown as Parameters<typeof echarts.registerMap>[1]);
  const drawn = fc.features.filter((f) => f.geometry && (f.geometry as GeoJSON.Polygon).coordinates.length > 0);
  chinaRegions = [...drawn.map((f) => f.properties.adcode), '南海诸岛'];
  return chinaRegions;
}

/**
 * Adcodes present on the map (registering it first when `topology` is given).
 * @example
 * import { readChinaMap } from './china-map-file.ts';
 * mapAdcodes(readChinaMap()).has('330100') // => true
 */
export function mapAdcodes(topology?: Topology): Set<string> {
  return new Set(registerChinaMap(topology));
}

/** Round for chart data; NaN → null. */
const r2 = (v: number): number | null => (Number.isFinite(v) ? Math.round(v * 100) / 100 : null);

type Option = Record<string, unknown>;

/** One ECharts series (plain data). */
export interface ChartSeries {
  type: string;
  data: unknown[];
  [key: string]: unknown;
}
/** An ECharts option with its series (plain JSON apart from label formatters). */
export interface ChartOption {
  series: ChartSeries[];
  [key: string]: unknown;
}

/**
 * Render an ECharts option to an SVG string server-side (no animation). With `regions` (the names in
 * the map series' data order, see `mapDataOrder`), map regions get a `data-region="<adcode>"` attribute
 * so the SVG can be checked and styled.
 * @example
 * const option = { xAxis: { type: 'category', data: ['a'] }, yAxis: {}, series: [{ type: 'bar', data: [1] }] };
 * renderSvg(option, 300, 200).startsWith('<svg') // => true
 */
export function renderSvg(
  option: ChartOption | Option,
  width: number,
  height: number,
  regions?: readonly string[],
  titles?: Readonly<Record<string, string>>,
): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      textStyle: {
        fontFamily:
          // single quotes: ECharts writes the family into a double-quoted style attribute, where double quotes
          // would end it (the SVG then is not well-formed XML: an <img> of it shows nothing)
          "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif",
      },
      ...option,
    });
    let svg = chart.renderToSVGString();
    if (regions)
      svg = svg.replace(
        /ecmeta_series_index="0" ecmeta_data_index="(\d+)"/g,
        (m, k: string) => `${m} data-region="${regions[Number(k)] ?? ''}"`,
      );
    if (regions && titles) svg = withRegionTitles(svg, titles);
    return svg;
  } finally {
    chart.dispose();
  }
}

/**
 * Give each map region (`data-region="<key>"`) a `<title>` child: the tooltip a browser shows on hover
 * (a static SVG has no script). Keys without a title are left as they are.
 * @example
 * withRegionTitles('<path d="M0 0" data-region="330100"></path>', { '330100': 'Hangzhou 96.2' })
 * // => '<path d="M0 0" data-region="330100"><title>Hangzhou 96.2</title></path>'
 */
export function withRegionTitles(svg: string, titles: Readonly<Record<string, string>>): string {
  return svg.replace(/(<path [^>]*data-region="([^"]*)"[^>]*>)<\/path>/g, (m, open: string, key: string) =>
    Object.prototype.hasOwnProperty.call(titles, key) ? `${open}<title>${escapeHtml(titles[key])}</title></path>` : m,
  );
}

/**
 * The tooltip of each unit on a map of `code`: name (and the other language's name), score with its
 * imputed (*) or borrowed (†) marker, and `extra` (e.g. the tier) when given. Keyed by adcode.
 * @example
 * import { loadProject } from '../formats/index.ts';
 * import { build } from '../engine/pipeline/build.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const ctx = { project, build: build(project.input, project.spec), lang: 'en' as const };
 * mapRegionTitles(ctx, 'ADMIN')['440900'] // => 'Maoming 茂名市: 98.8*'
 */
export function mapRegionTitles(
  ctx: ReportContext,
  code?: string,
  extra?: (unit: string) => string | undefined,
): Record<string, string> {
  const ix = reportIndex(ctx);
  const c = code ?? ix.indexCode;
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const u of ix.order) {
    const other = ix.units.get(u)?.name[otherLang(ctx.lang)];
    const name = other && other !== ix.unitName(u) ? `${ix.unitName(u)} ${other}` : ix.unitName(u);
    const v = ix.score(u, c);
    const value = Number.isFinite(v) ? `${v.toFixed(1)}${unitMarker(ctx, u, c)}` : '—';
    const more = extra?.(u);
    out[u] = `${name}: ${more ? `${more} (${value})` : value}`;
  }
  return out;
}

// The boundary note is printed once, under the report's first map (html.ts), not inside every map.
function mapBase(_lang: ReportLang): Option {
  return {};
}

/**
 * Class breaks of a legend with values: `k` classes of (about) equal counts, as ECharts piecewise
 * pieces labelled "lower – upper" (one decimal), lowest class first.
 * @example
 * scoreClasses([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5).map((p) => p.label)
 * // => ['1.0 – 2.0', '3.0 – 4.0', '5.0 – 6.0', '7.0 – 8.0', '9.0 – 10.0']
 */
export function scoreClasses(
  values: readonly number[],
  k = SCORE_PALETTE.length,
): Array<{ gte: number; lte: number; label: string; color: string }> {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  const out: Array<{ gte: number; lte: number; label: string; color: string }> = [];
  for (let c = 0; c < k && v.length; c++) {
    const lo = v[Math.floor((c * v.length) / k)];
    const hi = v[Math.min(v.length - 1, Math.floor(((c + 1) * v.length) / k) - 1)];
    if (out.length && lo <= out[out.length - 1].lte) continue;
    out.push({ gte: lo, lte: hi, label: `${lo.toFixed(1)} – ${hi.toFixed(1)}`, color: SCORE_PALETTE[c] });
  }
  // close the gaps between classes so every value falls in one (a value between hi and the next lo)
  for (let c = 1; c < out.length; c++) out[c].gte = out[c - 1].lte + 1e-9;
  return out;
}

function mapSeries(data: Array<Record<string, unknown>>): ChartSeries {
  return {
    type: 'map',
    map: 'china',
    nameProperty: 'adcode',
    roam: false,
    selectedMode: false,
    layoutCenter: ['50%', '50%'],
    layoutSize: '118%',
    itemStyle: { areaColor: NO_DATA_COLOUR, borderColor: '#ffffff', borderWidth: 0.35 },
    emphasis: { disabled: true },
    label: { show: false },
    // named cities close together (上海/杭州/金华, 南京/苏州) are moved apart vertically, not drawn over each other
    labelLayout: { moveOverlap: 'shiftY' },
    data: [
      ...data,
      { name: '南海诸岛', itemStyle: { areaColor: NANHAI_COLOUR, borderColor: '#888888', borderWidth: 0.6 } },
    ],
  };
}

/**
 * Choropleth of a score by city (default: the index): five classes of equal counts, their value ranges in
 * the legend, and the `named` best units (default five) named on the map. Names that overlap are moved
 * apart vertically; with `hideOverlap` (small maps), one that still overlaps is left out.
 * @example
 * import { loadProject } from '../formats/index.ts';
 * import { build } from '../engine/pipeline/build.ts';
 * import { prepareReportContext } from './index.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const ctx = { ...(await prepareReportContext(project, build(project.input, project.spec))), lang: 'zh' as const };
 * choroplethOption(ctx).series[0].data.length // => 101 (100 cities + the inset)
 */
export function choroplethOption(
  ctx: ReportContext,
  code?: string,
  { named = 5, hideOverlap = false }: { named?: number; hideOverlap?: boolean } = {},
): ChartOption {
  const ix = reportIndex(ctx);
  const c = code ?? ix.indexCode;
  const units = ix.order.filter((u) => Number.isFinite(ix.score(u, c)));
  const values = units.map((u) => ix.score(u, c));
  // the `named` best units are named on the map
  const best = new Set(
    units
      .slice()
      .sort((a, b) => ix.score(b, c) - ix.score(a, c))
      .slice(0, named),
  );
  const label = (u: string) =>
    best.has(u)
      ? {
          label: {
            show: true,
            formatter: ix.unitName(u) + unitMarker(ctx, u, c),
            fontSize: 11,
            color: '#222',
            backgroundColor: 'rgba(255,255,255,0.8)',
            padding: [1, 3],
          },
        }
      : {};
  return {
    ...mapBase(ctx.lang),
    visualMap: {
      type: 'piecewise',
      left: 16,
      bottom: 30,
      seriesIndex: 0,
      textStyle: { fontSize: 11 },
      // no high/low text: ECharts then prints each class's value range beside its colour
      showLabel: true,
      pieces: scoreClasses(values).reverse(),
    },
    series: [
      {
        ...mapSeries(units.map((u) => ({ name: u, value: r2(ix.score(u, c)), ...label(u) }))),
        ...(hideOverlap ? { labelLayout: { moveOverlap: 'shiftY', hideOverlap: true } } : {}),
      },
    ],
  };
}

/** LISA labels in legend order. */
const LISA_ORDER: LisaLabel[] = ['HH', 'HL', 'LH', 'LL', 'ns', 'island'];

/**
 * LISA cluster map: each unit coloured by its local Moran class at the analysis' α.
 * @example
 * import { loadProject } from '../formats/index.ts';
 * import { build } from '../engine/pipeline/build.ts';
 * import { prepareReportContext } from './index.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const ctx = { ...(await prepareReportContext(project, build(project.input, project.spec))), lang: 'zh' as const };
 * lisaMapOption(ctx)?.series[0].data.length // => 101
 */
export function lisaMapOption(ctx: ReportContext): ChartOption | undefined {
  const lisa = ctx.analyses?.spatial?.localMoran;
  if (!lisa?.significance) return undefined;
  const labels = lisa.significance.labels;
  const present = LISA_ORDER.filter((l) => labels.includes(l));
  return {
    ...mapBase(ctx.lang),
    visualMap: {
      type: 'piecewise',
      left: 16,
      bottom: 40,
      seriesIndex: 0,
      textStyle: { fontSize: 11 },
      pieces: present.map((l) => ({
        value: LISA_ORDER.indexOf(l),
        label:
          t(ctx.lang, 'name.lisa', { label: l }) +
          (l === 'ns' || l === 'island' ? '' : ` (${l})`) +
          ` ${lisa.significance!.counts[l]}`,
        color: LISA_COLOURS[l],
      })),
    },
    series: [mapSeries(lisa.ids.map((u, i) => ({ name: u, value: LISA_ORDER.indexOf(labels[i]) })))],
  };
}

/** Tooltips of the LISA map: each unit's cluster class beside its score. */
function lisaTitles(ctx: ReportContext): Record<string, string> | undefined {
  const lisa = ctx.analyses?.spatial?.localMoran;
  const labels = lisa?.significance?.labels;
  if (!lisa || !labels) return undefined;
  const at = new Map(lisa.ids.map((u, i) => [u, labels[i]] as const));
  return mapRegionTitles(ctx, undefined, (u) => {
    const l = at.get(u);
    return l === undefined ? undefined : t(ctx.lang, 'name.lisa', { label: l });
  });
}

/**
 * Radar chart of the top `n` units over the dimensions (scores of the dimensions as built).
 * @example
 * import { loadProject } from '../formats/index.ts';
 * import { build } from '../engine/pipeline/build.ts';
 * import { prepareReportContext } from './index.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const ctx = { ...(await prepareReportContext(project, build(project.input, project.spec))), lang: 'zh' as const };
 * radarOption(ctx).series[0].data.length // => 5
 */
export function radarOption(ctx: ReportContext, n = 5): ChartOption {
  const ix = reportIndex(ctx);
  const top = ix.order.slice(0, n);
  const all = ix.order.flatMap((u) => ix.dimensions.map((d) => ix.score(u, d))).filter(Number.isFinite);
  const max = Math.max(100, Math.ceil(Math.max(...all)));
  const min = Math.min(0, Math.floor(Math.min(...all)));
  // a name is marked when any of its dimension scores rests on an imputed (*) or borrowed (†) value
  const name = (u: string) => ix.unitName(u) + unitMarkerAny(ctx, u, ix.dimensions);
  return {
    color: COLOURS,
    legend: { bottom: 0, data: top.map(name), textStyle: { fontSize: 12 } },
    radar: {
      center: ['50%', '47%'],
      radius: '62%',
      indicator: ix.dimensions.map((d) => ({ name: ix.nodeName(d), max, min })),
      axisName: { color: '#333', fontSize: 12 },
      splitArea: { show: false },
    },
    series: [
      {
        type: 'radar',
        symbolSize: 4,
        lineStyle: { width: 1.6 },
        data: top.map((u) => ({ name: name(u), value: ix.dimensions.map((d) => r2(ix.score(u, d))) })),
      },
    ],
  };
}

/**
 * Bar chart of group means of a regional grouping with the national mean as a line.
 * @example
 * import { loadProject } from '../formats/index.ts';
 * import { build } from '../engine/pipeline/build.ts';
 * import { prepareReportContext } from './index.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const ctx = { ...(await prepareReportContext(project, build(project.input, project.spec))), lang: 'zh' as const };
 * regionalBarOption(ctx, 'region')?.series[0].data.length // => 4 (东部, 中部, 西部, 东北)
 */
export function regionalBarOption(ctx: ReportContext, grouping: string): ChartOption | undefined {
  const g = ctx.analyses?.regional?.groupings.find((x) => x.grouping === grouping);
  const s = g?.byCode[0]?.summary;
  if (!s) return undefined;
  const groups = [...s.groups].sort((a, b) => b.mean - a.mean);
  const lang = ctx.lang;
  const labels = groups.map((x) => groupLabel(x.group, lang));
  // Rotate the category labels when they would not fit side by side (~6 px per Latin character, 12 per CJK).
  const width = (t: string) => [...t].reduce((w, ch) => w + (/[\u3400-\u9fff]/.test(ch) ? 12 : 6.2), 0);
  const slot = 294 / Math.max(1, groups.length);
  const rotate = labels.some((l) => width(l) > slot - 6) ? 30 : 0;
  const national = isCityReport(ctx.build.results.scores.unitCodes);
  return {
    color: COLOURS,
    grid: { left: 48, right: 78, top: 30, bottom: rotate ? 110 : 40, containLabel: false },
    xAxis: {
      type: 'category',
      data: labels,
      axisLabel: { interval: 0, rotate, fontSize: 11, width: rotate ? 175 : slot, overflow: 'truncate' },
    },
    yAxis: { type: 'value', name: catalogueLabels(lang).meanScore, nameTextStyle: { fontSize: 11 } },
    series: [
      {
        type: 'bar',
        barMaxWidth: 42,
        // the label prints the mean itself (one rounding, as the table), not the rounded bar height
        data: groups.map((x) => ({
          value: r2(x.mean),
          itemStyle: { color: x.gap >= 0 ? '#d94801' : '#6baed6' },
          label: { formatter: x.mean.toFixed(1) },
        })),
        label: { show: true, position: 'top', fontSize: 11 },
        markLine: {
          symbol: 'none',
          lineStyle: { type: 'dashed', color: '#333' },
          label: {
            formatter: `${t(lang, 'chart.meanLine', { cities: national })}\n${s.national.mean.toFixed(1)}`,
            position: 'end',
            fontSize: 11,
          },
          data: [{ yAxis: r2(s.national.mean) }],
        },
      },
    ],
  };
}

/**
 * Horizontal bar chart of the index for all units, best first (used when there is no map).
 * @example
 * import { loadProject } from '../formats/index.ts';
 * import { build } from '../engine/pipeline/build.ts';
 * import { prepareReportContext } from './index.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const ctx = { ...(await prepareReportContext(project, build(project.input, project.spec))), lang: 'zh' as const };
 * rankingBarOption(ctx).series[0].data.length // => 100 (one bar per unit)
 */
export function rankingBarOption(ctx: ReportContext): ChartOption {
  const ix = reportIndex(ctx);
  const units = ix.order.filter((u) => Number.isFinite(ix.score(u))).reverse();
  return {
    grid: { left: 110, right: 40, top: 10, bottom: 30 },
    xAxis: { type: 'value' },
    yAxis: {
      type: 'category',
      data: units.map((u) => ix.unitName(u) + unitMarker(ctx, u, ix.indexCode)),
      axisLabel: { fontSize: 10, interval: 0 },
    },
    series: [
      { type: 'bar', data: units.map((u) => r2(ix.score(u))), itemStyle: { color: '#d94801' }, barCategoryGap: '25%' },
    ],
  };
}

/**
 * Names in the order of a map series' data list, which is the index ECharts writes on each region
 * (`ecmeta_data_index`): the option's data items first, then the map's regions that have no item.
 * @example mapDataOrder(['a', 'b', 'c'], { series: [{ type: 'map', data: [{ name: 'c' }] }] }) // => ['c', 'a', 'b']
 */
export function mapDataOrder(regions: readonly string[], option: ChartOption): string[] {
  const names = (option.series[0].data as Array<{ name: string }>).map((d) => d.name);
  const seen = new Set(names);
  return [...names, ...regions.filter((r) => !seen.has(r))];
}

/** All chart SVGs of a report, keyed by role; absent when the inputs are missing. */
export interface ReportCharts {
  /** Choropleth of the index (Chinese adcodes only). */
  map?: string;
  lisaMap?: string;
  radar?: string;
  /** One bar chart per regional grouping. */
  regional: Array<{ grouping: string; svg: string }>;
  /** Ranking bars (when there is no map). */
  rankingBars?: string;
}

/** One chart of a report as data: its role, ECharts option and size (render with `renderSvg` or ECharts). */
export interface ReportChartSpec {
  /** `map` (choropleth), `lisaMap`, `rankingBars`, `radar`, or `regional` (one per grouping). */
  role: 'map' | 'lisaMap' | 'rankingBars' | 'radar' | 'regional';
  /** The regional grouping of a `regional` chart. */
  grouping?: string;
  option: ChartOption;
  width: number;
  height: number;
  /** Maps: the tooltip of each region (adcode → text), drawn as the region's SVG `<title>`. */
  titles?: Record<string, string>;
}

/**
 * The charts of a report as ECharts options, in report order: the choropleth and LISA maps when
 * `useMap` (the China map must be registered), else ranking bars; a radar with three or more
 * dimensions; one bar chart per regional grouping. Pure and browser-safe.
 * @example
 * import { loadProject } from '../formats/index.ts';
 * import { build } from '../engine/pipeline/build.ts';
 * import { prepareReportContext } from './index.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const ctx = { ...(await prepareReportContext(project, build(project.input, project.spec))), lang: 'zh' as const };
 * reportChartSpecs(ctx, { useMap: false }).map((c) => c.role) // => ['rankingBars', 'radar', 'regional', …]
 */
export function reportChartSpecs(ctx: ReportContext, options: { useMap: boolean }): ReportChartSpec[] {
  const out: ReportChartSpec[] = [];
  if (options.useMap) {
    out.push({ role: 'map', option: choroplethOption(ctx), width: 820, height: 640, titles: mapRegionTitles(ctx) });
    const lisa = lisaMapOption(ctx);
    if (lisa) out.push({ role: 'lisaMap', option: lisa, width: 820, height: 640, titles: lisaTitles(ctx) });
  } else {
    const n = ctx.build.results.scores.unitCodes.length;
    out.push({ role: 'rankingBars', option: rankingBarOption(ctx), width: 760, height: Math.max(240, 14 * n + 40) });
  }
  if (reportIndex(ctx).dimensions.length >= 3)
    out.push({ role: 'radar', option: radarOption(ctx), width: 620, height: 460 });
  for (const g of ctx.analyses?.regional?.groupings ?? []) {
    const opt = regionalBarOption(ctx, g.grouping);
    if (opt) out.push({ role: 'regional', grouping: g.grouping, option: opt, width: 420, height: 280 });
  }
  return out;
}

/**
 * Render chart specs to SVG strings keyed by role (map regions get their `data-region` attribute).
 * @example
 * import { loadProject } from '../formats/index.ts';
 * import { build } from '../engine/pipeline/build.ts';
 * import { prepareReportContext } from './index.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const ctx = { ...(await prepareReportContext(project, build(project.input, project.spec))), lang: 'zh' as const };
 * renderChartSpecs(reportChartSpecs(ctx, { useMap: true })).map?.includes('data-region="330100"') // => true
 */
export function renderChartSpecs(specs: readonly ReportChartSpec[]): ReportCharts {
  const out: ReportCharts = { regional: [] };
  for (const c of specs) {
    const isMap = c.role === 'map' || c.role === 'lisaMap';
    const order = isMap ? mapDataOrder(registerChinaMap(), c.option) : undefined;
    const svg = stripNul(renderSvg(c.option, c.width, c.height, order, c.titles)); // labels carry input text
    if (c.role === 'regional') out.regional.push({ grouping: c.grouping ?? '', svg });
    else out[c.role] = svg;
  }
  return out;
}

/**
 * Render every chart of a report to SVG (the China map must be registered when `useMap`).
 * @example
 * import { loadProject } from '../formats/index.ts';
 * import { build } from '../engine/pipeline/build.ts';
 * import { prepareReportContext } from './index.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const ctx = { ...(await prepareReportContext(project, build(project.input, project.spec))), lang: 'zh' as const };
 * renderCharts(ctx, { useMap: true }).map?.includes('data-region="330100"') // => true
 */
export function renderCharts(ctx: ReportContext, options: { useMap: boolean }): ReportCharts {
  return renderChartSpecs(reportChartSpecs(ctx, options));
}
