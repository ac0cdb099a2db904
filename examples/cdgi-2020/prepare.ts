/**
 * Derive the CDGI 2020 example project's CSVs from the bundled public data in `data/sources/`.
 *
 *   npx tsx examples/cdgi-2020/prepare.ts          # (re)write units.csv and data/*.csv
 *   npx tsx examples/cdgi-2020/prepare.ts --check  # exit 1 if the committed files differ
 *
 * Deterministic: rows in the order of `gdp_top100_2019` (2019 GDP rank), columns in framework order,
 * numbers copied as printed in the sources (no float round-trips) except the documented derived
 * values. Every join is checked: a missing city, a province name that does not match, or a framework
 * indicator without a column stops the script with a message naming the file and the city.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { parse as parseYaml } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const sources = join(here, '..', '..', 'data', 'sources');

type Row = Record<string, string>;

function readCsv(rel: string): Row[] {
  const text = readFileSync(join(sources, rel), 'utf8');
  return parse(text, { columns: true, bom: true, skip_empty_lines: true }) as Row[];
}

function die(message: string): never {
  console.error(`prepare: ${message}`);
  process.exit(1);
}

function indexBy(rows: Row[], key: string, file: string): Map<string, Row> {
  const m = new Map<string, Row>();
  for (const r of rows) {
    if (m.has(r[key])) die(`${file}: duplicate ${key} ${r[key]}`);
    m.set(r[key], r);
  }
  return m;
}

function need(m: Map<string, Row>, code: string, file: string, name: string): Row {
  const r = m.get(code);
  if (!r) die(`${file}: no row for ${code} ${name}`);
  return r;
}

/** Round to `digits` decimals and print without trailing zeros (deterministic, no exponent). */
function fmt(x: number, digits: number): string {
  if (!Number.isFinite(x)) die(`non-finite derived value ${x}`);
  return String(Number(x.toFixed(digits)));
}

// ---------- sources ----------
const F = {
  gdp: 'gdp_top100_2019/gdp_top100_2019.csv',
  admin: 'admin_divisions/prefecture_level_divisions.csv',
  groups: 'city_groupings/city_groupings.csv',
  census: 'census_population_2020/census_city_population_2010_2020.csv',
  broadband: 'broadband_china_pilot/broadband_china_top100.csv',
  pku: 'pku_dfiic_city/dfiic_top100_2019.csv',
  osiCity: 'gov_online_service_index_2019/key_cities_online_service_index_2019.csv',
  osiProv: 'gov_online_service_index_2019/provinces_online_service_index_2019.csv',
} as const;

const gdp = readCsv(F.gdp);
if (gdp.length !== 100) die(`${F.gdp}: expected 100 cities, found ${gdp.length}`);
const admin = indexBy(readCsv(F.admin), 'adcode', F.admin);
const groups = indexBy(readCsv(F.groups), 'adcode', F.groups);
const census = indexBy(readCsv(F.census), 'adcode', F.census);
const broadband = indexBy(readCsv(F.broadband), 'adcode', F.broadband);
const pku = indexBy(readCsv(F.pku), 'adcode', F.pku);
const osiCity = indexBy(readCsv(F.osiCity), 'adcode', F.osiCity);
const osiProv = readCsv(F.osiProv);

const MUNICIPALITIES = new Set(['110100', '120100', '310100', '500100']);

/** The provinces file uses short names (浙江, 广西); match them to full names (浙江省, 广西壮族自治区). */
function provinceRow(provinceZh: string): Row {
  const hits = osiProv.filter((r) => r.name_zh !== '新疆生产建设兵团' && provinceZh.startsWith(r.name_zh));
  if (hits.length !== 1) die(`${F.osiProv}: province "${provinceZh}" matched ${hits.length} rows`);
  if (hits[0].overall_index_2019 === '') die(`${F.osiProv}: province "${provinceZh}" has no value`);
  return hits[0];
}

// ---------- framework: the collected indicator codes, in order ----------
interface Node {
  code: string;
  status?: string;
  children?: Node[];
}
const framework = parseYaml(readFileSync(join(here, 'framework.yaml'), 'utf8')) as { tree: Node };
const collected: string[] = [];
(function walk(n: Node): void {
  if (n.children?.length) n.children.forEach(walk);
  else if (n.status !== 'not_collected') collected.push(n.code);
})(framework.tree);

// ---------- build rows ----------
const unitsHeader = [
  'code',
  'name_zh',
  'name_en',
  'province',
  'region',
  'north_south',
  'clusters',
  'admin_rank',
  'lon',
  'lat',
  'population_2020',
  'gdp_2019',
  'urbanisation_rate_2020',
  'gdp_per_capita_approx',
];
const units: string[][] = [];
const wide: string[][] = [];
const long: string[][] = [];

/** Per-indicator value getter: [value as printed, source file (relative to data/sources), note]. */
type Getter = (code: string, name: string, provinceZh: string) => [string, string];
const PKU_COLUMN: Record<string, string> = {
  INF_DF_COVERAGE: 'coverage_breadth',
  PUB_DF_DIGITIZATION: 'digitization_level',
  PUB_DF_INSURANCE: 'insurance',
  LIF_DF_PAYMENT: 'payment',
  LIF_DF_CREDIT: 'credit',
  LIF_DF_INVESTMENT: 'investment',
};
const getters: Record<string, Getter> = {
  INF_BB_PILOT: (code, name) => [need(broadband, code, F.broadband, name).broadband_china_pilot, F.broadband],
  INF_BB_YEARS: (code, name) => {
    const r = need(broadband, code, F.broadband, name);
    if (r.broadband_china_pilot !== '1') return ['0', F.broadband];
    const batch = Number(r.pilot_batch_year);
    if (!(batch >= 2014 && batch <= 2016))
      die(`${F.broadband}: ${code} ${name} designated but batch year "${r.pilot_batch_year}"`);
    return [String(2019 - batch), `${F.broadband} (derived: 2019 − pilot_batch_year)`];
  },
  ADM_OSI_CITY: (code, _name, provinceZh) => {
    const r = osiCity.get(code);
    if (r) return [r.overall_index_2019, F.osiCity];
    if (MUNICIPALITIES.has(code))
      return [provinceRow(provinceZh).overall_index_2019, `${F.osiProv} (municipality assessed as a province)`];
    return ['', ''];
  },
  ADM_OSI_PROV: (_code, _name, provinceZh) => [provinceRow(provinceZh).overall_index_2019, F.osiProv],
};
for (const [ind, col] of Object.entries(PKU_COLUMN)) {
  getters[ind] = (code, name) => {
    const r = need(pku, code, F.pku, name);
    if (r.year !== '2019') die(`${F.pku}: ${code} ${name} has year ${r.year}, expected 2019`);
    return [r[col], `${F.pku} (${col})`];
  };
}
for (const c of collected)
  if (!getters[c]) die(`framework.yaml: collected indicator ${c} has no source column in prepare.ts`);
for (const g of Object.keys(getters))
  if (!collected.includes(g)) die(`prepare.ts: ${g} is not a collected indicator of framework.yaml`);

for (const g of gdp) {
  const code = g.adcode;
  const name = g.name_zh;
  const a = need(admin, code, F.admin, name);
  const grp = need(groups, code, F.groups, name);
  const c = need(census, code, F.census, name);
  if (a.name_zh !== name) die(`${F.admin}: ${code} is "${a.name_zh}", ${F.gdp} says "${name}"`);
  const provinceZh = a.province_zh;
  const pop = Number(c.population_2020);
  const gdp2019 = Number(g.gdp_2019_100m_yuan);
  if (!(pop > 0 && gdp2019 > 0)) die(`${code} ${name}: missing population or GDP`);
  // 乌鲁木齐 has no 2020 urban population in the census file: its urbanisation rate stays empty.
  const urbanisation = c.population_urban_2020 === '' ? '' : fmt((100 * Number(c.population_urban_2020)) / pop, 2);
  if (a.seat_lon === '' || a.seat_lat === '') die(`${F.admin}: ${code} ${name} has no seat coordinates`);
  units.push([
    code,
    name,
    g.name_en,
    provinceZh,
    grp.region_4,
    grp.north_south,
    grp.clusters,
    grp.admin_rank,
    a.seat_lon,
    a.seat_lat,
    c.population_2020,
    g.gdp_2019_100m_yuan,
    urbanisation,
    fmt((gdp2019 * 1e8) / pop, 0),
  ]);
  const row = [code];
  for (const ind of collected) {
    const [value, source] = getters[ind](code, name, provinceZh);
    if (value !== '' && !Number.isFinite(Number(value)))
      die(`${source}: ${code} ${name} ${ind} = "${value}" is not a number`);
    row.push(value);
    if (value !== '') long.push([code, ind, value, '2019', source]);
  }
  wide.push(row);
}

// ---------- write (or check) ----------
const outputs: Array<[string, string]> = [
  ['units.csv', stringify([unitsHeader, ...units])],
  ['data/indicators.csv', stringify([['code', ...collected], ...wide])],
  ['data/indicators_long.csv', stringify([['unit', 'indicator', 'value', 'period', 'source'], ...long])],
];
const check = process.argv.includes('--check');
let stale = 0;
mkdirSync(join(here, 'data'), { recursive: true });
for (const [rel, text] of outputs) {
  const path = join(here, rel);
  if (check) {
    let old = '';
    try {
      old = readFileSync(path, 'utf8');
    } catch {
      /* missing counts as stale */
    }
    if (old !== text) {
      console.error(`stale: ${relative(process.cwd(), path)}`);
      stale++;
    }
  } else {
    writeFileSync(path, text);
    console.log(`wrote ${relative(process.cwd(), path)}`);
  }
}
const missing = wide.filter((r) => r.includes('')).length;
const counts = [`${units.length} units`, `${collected.length} collected indicators`, `${long.length} values`];
console.log(`${counts.join(', ')}, ${missing} units with a missing value`);
if (check && stale) process.exit(1);
