/**
 * The public dashboard's data: a project run (the same build `cityindex build` makes, with its analyses)
 * turned into one plain JSON object the site reads (`web/`): results per level (scores and ranks as in
 * results.csv), the framework, units with both names, pinyin and their groups, the serialised build
 * input and spec the page's live engine re-builds from, rank intervals of the uncertainty analysis,
 * tiers, imputed and borrowed values, the methodology (steps, methods, weights, sources, gaps) and the
 * case list. `siteDataFiles` wraps it as `site-data.js` (a classic script, so the site opens from files).
 */
import { pinyin } from 'pinyin-pro';
import type { Build } from '../engine/pipeline/build.ts';
import type { BuildSpec } from '../engine/spec/spec.ts';
import type { Dataset } from '../engine/core/dataset.ts';
import { column } from '../engine/core/dataset.ts';
import type { Framework, LocalText, SourceRef, Unit } from '../engine/core/framework.ts';
import { CityIndexError } from '../engine/core/errors.ts';
import { labels, pickText, tBoth } from '../engine/i18n/index.ts';
import { describeStep } from '../engine/methods/describe.ts';
import { dataQuality, type ValueFlag } from '../engine/pipeline/data-quality.ts';
import { resultUnits } from '../engine/analysis/run.ts';
import type { AnalysesResult } from '../engine/analysis/run.ts';
import type { RegionalConfig, SpatialConfig } from '../engine/analysis/config.ts';
import type { Case } from '../engine/cases/search.ts';
import { runArtifacts, runProject, type ProjectRun, type ProjectSource, type RunProjectOptions } from './project.ts';
import { checkAborted, emitterOf } from './events.ts';
import { resolveHost } from './host.ts';
import type { OutputFiles } from '../formats/output.ts';
import type { AppHost } from './host.ts';
import { kpiPage, type KpiPage, type KpiPageLog } from '../engine/caselog/pages.ts';
import { kpiDefinition } from '../engine/caselog/kpis.ts';
import { kpiCaseLogIds, parseKpisCsv } from '../caselog/kpis-csv.ts';
import { bodyForLanguage, escapeHtml } from '../report/markdown.ts';
import { caselogSectionHtml } from '../report/sections/caselog.ts';

/** Version tag of the site data format (the page refuses another). */
export const SITE_FORMAT = 'cityindex-site/1';

/** A dataset as JSON: column-major values, `null` for a missing value (NaN). */
export interface SerialDataset {
  unitCodes: string[];
  codes: string[];
  values: Array<number | null>;
}

/** One unit of the site: names, pinyin (search and sort), groups for the filters. */
export interface SiteUnit {
  code: string;
  name: LocalText;
  /** Toneless pinyin of the Chinese name without spaces, lower case (`hangzhoushi`); '' when none. */
  pinyin: string;
  /** Initials of the pinyin (`hzs`). */
  initials: string;
  groups: Record<string, string | null>;
  /** Tier label (tiers analysis) or null. */
  tier: string | null;
}

/** A framework level of aggregates, top level first. */
export interface SiteLevel {
  level: number;
  name: LocalText;
  codes: string[];
}

/** What the page shows before (and besides) running the engine. */
export interface SiteData {
  format: typeof SITE_FORMAT;
  project: { name: LocalText; edition: string | null; period: string | null; description: LocalText | null };
  indexCode: string;
  levels: SiteLevel[];
  framework: Framework;
  /** Group columns offered as filters (keys of `SiteUnit.groups`), in table order. */
  filters: string[];
  units: SiteUnit[];
  /** Results as in results.csv: units in rank order; per aggregate code a score and a rank per unit. */
  results: {
    units: string[];
    scores: Record<string, Array<number | null>>;
    ranks: Record<string, Array<number | null>>;
  };
  /** Rank intervals of the index (uncertainty analysis: 5th–95th percentile), by unit; null when not run. */
  intervals: Record<string, { q5: number; q95: number; median: number }> | null;
  /** What the live engine re-builds from (bit-identical to the published build). */
  live: {
    input: {
      framework: Framework;
      units: Unit[];
      raw: SerialDataset;
      denominators: SerialDataset | null;
      history: Array<{ period: string; dataset: SerialDataset }> | null;
    };
    spec: BuildSpec;
    /** Per-value sources (lineage), keyed `unit\u0000indicator`. */
    valueSources: Record<string, string>;
  };
  /** Normalised indicator values (the last normalise step), for the what-if sliders. */
  normalised: SerialDataset | null;
  /** Imputed or borrowed values. */
  flagged: Array<{ unit: string; indicator: string; flag: ValueFlag; detail: string }>;
  methodology: {
    steps: Array<{ id: string; kind: string; text: { zh: string; en: string } }>;
    indicators: Array<{
      code: string;
      name: LocalText;
      parent: string | null;
      weight: number;
      direction: 1 | -1;
      unit: string | null;
      source: SourceRef | null;
    }>;
    /** Indicators listed without data (`not_collected`): shown as gaps. */
    gaps: Array<{ code: string; name: LocalText; parent: string | null; notes: string | null }>;
  };
  /** The boundary note every map carries (public maps of China need a review number, 审图号). */
  mapNote: { zh: string; en: string };
  /** Files in the export's `downloads/` folder (set by `export-site`). */
  downloads?: string[];
  /**
   * Governance KPI pages (case logs read through `kind: kpi`): their data is in `file` (a script assigning
   * `globalThis.__CITYINDEX_KPI__`, loaded only by the KPI view); `units` are the cities and districts with
   * KPIs (the city profile links to the view). Labelled simulated per log inside the file.
   */
  kpi?: { file: string; units: string[]; simulated: boolean; html?: string };
  /**
   * Tier names in both languages, best tier first, keyed by the tier label units carry (`SiteUnit.tier`):
   * the page shows `name` in its language (第一档 / Tier 1). Absent when no tiers analysis ran.
   */
  tierNames?: Array<{ label: string; name: LocalText }>;
  /**
   * The project's regional and spatial analysis settings: the page's engine re-runs them on the results it
   * shows (published or re-weighted) for the regional findings. Absent when the project declares neither.
   */
  analyses?: { regional?: RegionalConfig; spatial?: SpatialConfig };
  /**
   * Change over time (the change analysis over the project's editions/periods): the followed score and its
   * rank per period, oldest first, per unit (`units` order). Absent when the project has fewer than two periods.
   */
  change?: {
    code: string;
    periods: string[];
    /** Scores are rescaled within each period (min–max, z-score …): compare ranks across periods, not scores. */
    relativeScores: boolean;
    units: string[];
    /** [period][unit]. */
    scores: Array<Array<number | null>>;
    ranks: Array<Array<number | null>>;
  };
  cases: Array<{
    id: string;
    title: LocalText;
    city: string;
    cityName: LocalText;
    year: number;
    domains: LocalText[];
    indicators: string[];
    sources: Case['sources'];
    /** The first words of the case in each language (from its `## English summary` part for English). */
    summary: LocalText;
  }>;
}

/**
 * A dataset as JSON (NaN → null).
 * @example
 * const d = { unitCodes: ['a'], codes: ['x', 'y'], values: new Float64Array([1, NaN]) };
 * serialDataset(d).values // => [1, null]
 */
export function serialDataset(d: Dataset): SerialDataset {
  return {
    unitCodes: [...d.unitCodes],
    codes: [...d.codes],
    values: Array.from(d.values, (v) => (Number.isNaN(v) ? null : v)),
  };
}

/**
 * Toneless pinyin of a Chinese name (letters only, lower case) and its initials.
 * @example pinyinOf('杭州市') // => { pinyin: 'hangzhoushi', initials: 'hzs' }
 * @example pinyinOf('') // => { pinyin: '', initials: '' }
 */
export function pinyinOf(zh: string | undefined): { pinyin: string; initials: string } {
  if (!zh) return { pinyin: '', initials: '' };
  const syllables = pinyin(zh, { toneType: 'none', type: 'array', nonZh: 'removed' }) as string[];
  const clean = syllables.map((s) => s.toLowerCase().replace(/[^a-zü]/g, '')).filter((s) => s.length > 0);
  return { pinyin: clean.join(''), initials: clean.map((s) => s[0]).join('') };
}

function frameworkOf(b: Build): Framework {
  return b.steps.length ? b.steps[b.steps.length - 1].framework : b.input.framework;
}

/** Group columns shown as filters: the well-known ones first, then any other column with few values. */
const KNOWN_FILTERS = ['region', 'north_south', 'province', 'clusters', 'admin_rank', 'Group', 'group'];

function filtersOf(units: readonly Unit[]): string[] {
  const keys = new Set<string>();
  for (const u of units) for (const k of Object.keys(u.groups)) keys.add(k);
  const known = KNOWN_FILTERS.filter((k) => keys.has(k));
  const rest = [...keys]
    .filter((k) => !known.includes(k))
    .filter((k) => new Set(units.map((u) => u.groups[k])).size <= 40)
    .sort();
  return [...known, ...rest];
}

/** Tier labels (as units carry them) with their names in both languages, best tier first. */
function tierNamesOf(analyses: AnalysesResult | undefined): SiteData['tierNames'] {
  const tiers = analyses?.tiers;
  if (!tiers) return undefined;
  const k = tiers.labels.length;
  // classes are ascending (0 = lowest); tierNames run from the top tier down
  return tiers.labels
    .map((cls, c) => ({ label: cls.label, name: { ...(tiers.tierNames[k - 1 - c] ?? { zh: cls.label }) } }))
    .reverse();
}

/** The regional and spatial settings the page's engine re-runs (contiguity needs the map: left out). */
function analysesOf(analyses: AnalysesResult | undefined): SiteData['analyses'] {
  const s = analyses?.settings;
  if (!s?.regional && !s?.spatial) return undefined;
  const out: NonNullable<SiteData['analyses']> = {};
  if (s.regional) out.regional = s.regional;
  if (s.spatial && s.spatial.weights.method !== 'contiguity') out.spatial = s.spatial;
  return out;
}

/** The change analysis as the profile's change over time; undefined with fewer than two periods. */
function changeOf(analyses: AnalysesResult | undefined): SiteData['change'] {
  const c = analyses?.change;
  if (!c || c.periods.length < 2) return undefined;
  const nums = (v: Float64Array) => Array.from(v, (x) => (Number.isNaN(x) ? null : x));
  return {
    code: c.code,
    periods: [...c.periods],
    relativeScores: c.relativeScores,
    units: [...c.units],
    scores: c.scores.values.map(nums),
    ranks: c.ranks.values.map(nums),
  };
}

function intervalsOf(analyses: AnalysesResult | undefined): SiteData['intervals'] {
  const stats = analyses?.uncertainty?.rankStats;
  if (!stats?.length) return null;
  const out: Record<string, { q5: number; q95: number; median: number }> = Object.create(null);
  for (const s of stats) out[s.unit] = { q5: s.q5, q95: s.q95, median: s.median };
  return out;
}

/** The first ~200 characters of a case's Markdown body as plain text. */
function summaryOf(body: string): string {
  const plain = body
    .replace(/^#+\s.*$/gm, '')
    .replace(/[*_`>#[\]]/g, '')
    .replace(/\(https?:[^)]*\)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > 200 ? plain.slice(0, 200) + '…' : plain;
}

/**
 * The site's data from a project run (and its case library, when the project has one).
 * Every score and rank equals the run's results.csv (tested).
 * @example
 * import { runProject } from './project.ts';
 * const run = await runProject('examples/asem', { analyses: false });
 * const site = siteData(run);
 * site.results.ranks.Index.slice(0, 3) // => [1, 2, 3]
 * site.units.length // => 51
 */
export function siteData(run: ProjectRun, cases: readonly Case[] = []): SiteData {
  const { build: b, project, analyses } = run;
  const fw = frameworkOf(b);
  const { scores, indexCode } = b.results;
  const ranks = b.results.ranks;
  const aggregates = fw.nodes.filter((n) => n.kind === 'aggregate' && scores.codes.includes(n.code));
  if (!aggregates.length)
    throw new CityIndexError({
      code: 'E_SITE_NO_AGGREGATES',
      message: 'the build has no aggregate scores to show',
      file: project.file,
      expected: 'a framework with at least the index above its indicators',
    });
  const levelNumbers = [...new Set(aggregates.map((n) => n.level))].sort((a, c) => c - a);
  const levelNames = fw.levelNames ?? b.input.framework.levelNames ?? [];
  const levels: SiteLevel[] = levelNumbers.map((level) => ({
    level,
    name: levelNames[level - 1] ?? { zh: `第 ${level} 层`, en: `Level ${level}` },
    codes: aggregates.filter((n) => n.level === level).map((n) => n.code),
  }));

  // rank order as results.csv: index rank, then code
  const rIndex = column(ranks, indexCode);
  const order = scores.unitCodes.map((_, i) => i);
  order.sort(
    (a, c) =>
      (Number.isNaN(rIndex[a]) ? Infinity : rIndex[a]) - (Number.isNaN(rIndex[c]) ? Infinity : rIndex[c]) ||
      (scores.unitCodes[a] < scores.unitCodes[c] ? -1 : 1),
  );
  const resultScores: Record<string, Array<number | null>> = Object.create(null);
  const resultRanks: Record<string, Array<number | null>> = Object.create(null);
  for (const n of aggregates) {
    const s = column(scores, n.code);
    const r = column(ranks, n.code);
    resultScores[n.code] = order.map((i) => (Number.isNaN(s[i]) ? null : s[i]));
    resultRanks[n.code] = order.map((i) => (Number.isNaN(r[i]) ? null : r[i]));
  }

  const tierOf = new Map<string, string | null>();
  const tiers = analyses?.tiers;
  if (tiers) resultUnits(b).forEach((u, i) => tierOf.set(u.code, tiers.labelOf[i] ?? null));
  const units: SiteUnit[] = b.input.units
    .filter((u) => scores.unitCodes.includes(u.code))
    .map((u) => ({
      code: u.code,
      name: { ...u.name },
      ...pinyinOf(u.name.zh),
      groups: { ...u.groups },
      tier: tierOf.get(u.code) ?? null,
    }));

  const normaliseStep = [...b.steps].reverse().find((s) => s.kind === 'normalise');
  const quality = dataQuality(b, { valueSources: project.valueSources });
  const input = b.input;
  return {
    format: SITE_FORMAT,
    project: {
      name: typeof project.project.name === 'string' ? { zh: project.project.name } : { ...project.project.name },
      edition: project.project.edition !== undefined ? String(project.project.edition) : null,
      period: project.project.period !== undefined ? String(project.project.period) : null,
      description:
        project.project.description === undefined
          ? null
          : typeof project.project.description === 'string'
            ? { zh: project.project.description }
            : { ...project.project.description },
    },
    indexCode,
    levels,
    framework: fw,
    filters: filtersOf(units.map((u) => ({ code: u.code, name: u.name, groups: u.groups, attributes: {} }))),
    units,
    results: { units: order.map((i) => scores.unitCodes[i]), scores: resultScores, ranks: resultRanks },
    intervals: intervalsOf(analyses),
    live: {
      input: {
        framework: input.framework,
        units: input.units,
        raw: serialDataset(input.raw),
        denominators: input.denominators ? serialDataset(input.denominators) : null,
        history: input.history
          ? input.history.map((h) => ({ period: h.period, dataset: serialDataset(h.dataset) }))
          : null,
      },
      spec: b.spec,
      valueSources: { ...project.valueSources },
    },
    normalised: normaliseStep ? serialDataset(normaliseStep.dataset) : null,
    flagged: quality.flagged.map((f) => ({ ...f })),
    mapNote: tBoth('map.sourceNote'),
    ...(tierNamesOf(analyses) ? { tierNames: tierNamesOf(analyses) } : {}),
    ...(analysesOf(analyses) ? { analyses: analysesOf(analyses) } : {}),
    ...(changeOf(analyses) ? { change: changeOf(analyses) } : {}),
    methodology: {
      steps: b.spec.steps.map((s) => ({
        id: s.id,
        kind: s.kind,
        text: { zh: describeStep(s, 'zh'), en: describeStep(s, 'en') },
      })),
      indicators: b.input.framework.nodes
        .filter((n) => n.kind === 'indicator' && n.status !== 'not_collected')
        .map((n) => ({
          code: n.code,
          name: n.name,
          parent: n.parent,
          weight: n.weight,
          direction: n.direction,
          unit: n.unit ?? null,
          source: n.source ?? null,
        })),
      gaps: project.gaps.map((n) => ({ code: n.code, name: n.name, parent: n.parent, notes: n.notes ?? null })),
    },
    cases: cases.map((c) => ({
      id: c.id,
      title: c.title,
      city: c.city,
      cityName: c.cityName,
      year: c.year,
      domains: c.domains,
      indicators: c.indicators,
      sources: c.sources,
      summary: { zh: summaryOf(bodyForLanguage(c.body, 'zh')), en: summaryOf(bodyForLanguage(c.body, 'en')) },
    })),
  };
}

/**
 * JSON text of a value, safe inside a classic `<script>` file: `<`, U+2028 and U+2029 escaped, so no
 * text in the data can close a script element or break the script.
 * @example scriptJson({ a: '</script>' }) // => '{"a":"\\u003c/script>"}'
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * The site data as `data/site-data.js`, a classic script assigning `globalThis.__CITYINDEX_SITE__`
 * (a page opened from files may not fetch JSON, but it may load a script).
 * @example siteDataScript({ format: 'x' } as never) // => 'globalThis.__CITYINDEX_SITE__ = {"format":"x"};\n'
 */
export function siteDataScript(site: SiteData): string {
  return `globalThis.__CITYINDEX_SITE__ = ${scriptJson(site)};\n`;
}

/** Files the project names besides those the build read: its series tables and its case library. */
function namedFiles(run: ProjectRun, cases: readonly Case[]): Array<{ path: string }> {
  const out: Array<{ path: string }> = [];
  const series = (run.project.project as { series?: { file?: unknown; audit?: unknown } }).series;
  for (const f of [series?.file, series?.audit]) if (typeof f === 'string') out.push({ path: f });
  const folder = run.project.project.cases;
  if (folder)
    for (const c of cases) {
      const name = c.file.split(/[\\/]/).pop();
      if (name) out.push({ path: `${folder.replace(/[\\/]+$/, '')}/${name}` });
    }
  return out;
}

/** One case log's KPI page as the dashboard gets it: the page data without the raw KPI rows. */
export type SiteKpiPage = Omit<KpiPage, 'log'> & { log: Omit<KpiPageLog, 'values'> };

/**
 * The KPI pages of the case logs a project reads through `kind: kpi` (from `kpi/<log>/kpis.csv` through the
 * host; an empty list when there are none).
 * @example
 * import { runProject } from './project.ts';
 * import { resolveHost } from './host.ts';
 * const run = await runProject('examples/service-requests-311');
 * const pages = await siteKpiPages(run, await resolveHost(undefined));
 * [pages[0].log.id, pages[0].year, pages[0].districts.length] // => ['boston-2015h1', '2015', 9]
 */
export async function siteKpiPages(run: ProjectRun, host: AppHost): Promise<SiteKpiPage[]> {
  return (await siteKpiLogs(run, host)).map((log) => {
    const { log: _all, ...page } = kpiPage(log);
    return {
      ...page,
      log: { id: log.id, name: log.name, city: log.city, simulated: log.simulated, source: log.source },
    };
  });
}

/** The case logs a project reads KPIs from, with their KPI values (`kpi/<log>/kpis.csv` through the host). */
async function siteKpiLogs(run: ProjectRun, host: AppHost): Promise<KpiPageLog[]> {
  const ids = kpiCaseLogIds(run.project.project.data);
  const logs = run.project.project.caselogs ?? [];
  const out: KpiPageLog[] = [];
  for (const id of ids) {
    const log = logs.find((l) => l.id === id);
    if (!log) continue;
    const rel = `kpi/${id}/kpis.csv`;
    const text = await host.readText(`${run.project.dir.replace(/[\\/]+$/, '')}/${rel}`);
    out.push({
      id,
      ...(log.name !== undefined ? { name: log.name } : {}),
      city: log.city,
      simulated: log.simulated === true,
      ...(log.source ? { source: log.source } : {}),
      values: parseKpisCsv(text, rel),
    });
  }
  return out;
}

/**
 * The KPI pages as the report prints them, in both languages, for the dashboard's KPI view: the report's
 * section (trends with their Wilson bands, category and district tables, formulas, simulated banner, sources)
 * with each chart as an image (an SVG data address: a strict Content-Security-Policy allows no inline styles).
 */
function kpiPagesHtml(run: ProjectRun, logs: readonly KpiPageLog[]): { zh: string; en: string } {
  const units = new Map(run.project.input.units.map((u) => [u.code, u.name] as const));
  const html = (lang: 'zh' | 'en') =>
    caselogSectionHtml(logs, lang, labels(lang).caselog, (code) => {
      const name = units.get(code);
      return name ? pickText(name, lang) : code;
    }).replace(
      /(<figure data-kpi="([a-z0-9_]+)">)(<svg[\s\S]*?<\/svg>)/g,
      (_, figure: string, id: string, svg: string) => {
        const def = kpiDefinition(id);
        const alt = def ? `${pickText(def.name, lang)} ${labels(lang).kpiTrendTitle}` : '';
        const src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
        return `${figure}<img alt="${escapeHtml(alt)}" src="${src}">`;
      },
    );
  return { zh: html('zh'), en: html('en') };
}

/** Options of `siteArtifacts`. */
export interface SiteArtifactsOptions extends RunProjectOptions {
  /** Put the results, workbook and report into `downloads/` (default true). */
  downloads?: boolean;
  /** Also print the report to PDF in both languages for the downloads (needs Chromium; default false). */
  pdf?: boolean;
  /**
   * Change over time from elsewhere (the platform's published editions), used instead of the project's own
   * change analysis when given.
   */
  change?: SiteData['change'];
}

/**
 * The `export-site` use case without the page's assets: run the project (with its analyses), and return
 * `data/site-data.js`, `data/china-map.js` (when the units are cities keyed by adcode and the host has
 * the map) and `downloads/` (results.csv, results.xlsx, the report in both languages — also as PDF with
 * `pdf: true`, which needs Chromium — and project.zip, the project's input files, when the host reads
 * bytes) in memory.
 * @example
 * const { files } = await siteArtifacts('examples/asem', { analyses: false, downloads: false });
 * [...files.keys()] // => ['data/site-data.js']
 */
export async function siteArtifacts(
  source: ProjectSource,
  options: SiteArtifactsOptions = {},
): Promise<{ run: ProjectRun; site: SiteData; files: OutputFiles }> {
  const host = await resolveHost(options.host);
  const run = await runProject(source, { ...options, host });
  checkAborted(options.signal);
  const folder = run.project.project.cases;
  const cases = folder ? await host.loadCases(folder, run.project.dir) : [];
  const site = siteData(run, cases);
  if (options.change) site.change = options.change;
  const files: OutputFiles = new Map();
  const later: OutputFiles = new Map();
  if (options.downloads !== false) {
    const downloads: OutputFiles = runArtifacts(run, { workbook: true });
    downloads.delete('build.json');
    downloads.delete('analysis.json');
    emitterOf(options)({ kind: 'info', message: 'rendering the report for the downloads' });
    const { reportArtifacts } = await import('./report.ts');
    if (options.pdf) emitterOf(options)({ kind: 'info', message: 'printing the report to PDF (Chromium)' });
    for (const [name, content] of await reportArtifacts(run, {
      pdf: options.pdf === true,
      cases: folder ? cases : undefined,
    }))
      downloads.set(name, content);
    if (host.readBytes) {
      const read = host.readBytes.bind(host);
      const { projectZip } = await import('./project-zip.ts');
      const dir = run.project.dir;
      try {
        downloads.set(
          'project.zip',
          await projectZip([...run.project.files, ...namedFiles(run, cases)], dir, (p) =>
            read(`${dir.replace(/[\\/]+$/, '')}/${p}`),
          ),
        );
      } catch (e) {
        // a zip that cannot be placed (files above an unnamed folder) leaves the other downloads intact
        if (!(e instanceof CityIndexError)) throw e;
        emitterOf(options)({ kind: 'warning', message: `project.zip left out: ${e.message}`, issues: e.issues });
      }
    }
    site.downloads = [...downloads.keys()];
    for (const [name, content] of downloads) later.set(`downloads/${name}`, content);
  }
  const kpi = await siteKpiPages(run, host);
  if (kpi.length) {
    const units = new Set<string>();
    for (const p of kpi) {
      units.add(p.log.city.code);
      for (const d of p.districts) units.add(d.key);
    }
    site.kpi = {
      file: 'data/kpi-data.js',
      units: [...units],
      simulated: kpi.some((p) => p.log.simulated),
      html: 'data/kpi-pages.js',
    };
    files.set('data/kpi-data.js', `globalThis.__CITYINDEX_KPI__ = ${scriptJson(kpi)};\n`);
    const pages = kpiPagesHtml(run, await siteKpiLogs(run, host));
    files.set('data/kpi-pages.js', `globalThis.__CITYINDEX_KPI_HTML__ = ${scriptJson(pages)};\n`);
  }
  files.set('data/site-data.js', siteDataScript(site));
  if (host.readMap && site.units.some((u) => /^[0-9]{6}$/.test(u.code))) {
    const map = await host.readMap();
    files.set('data/china-map.js', `globalThis.__CITYINDEX_MAP__ = ${scriptJson(map)};\n`);
  }
  for (const [name, content] of later) files.set(name, content);
  return { run, site, files };
}
