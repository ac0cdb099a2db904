/**
 * Derive the DFIIC panel example's files from the bundled public data in `data/sources/`.
 *
 *   npx tsx examples/dfiic-panel/prepare.ts          # (re)write units.csv and data/panel_long.csv
 *   npx tsx examples/dfiic-panel/prepare.ts --check  # exit 1 if the committed files differ
 *
 * Deterministic: cities in the order of `gdp_top100_2019` (2019 GDP rank), periods oldest first,
 * indicators in framework order, numbers copied as printed in the source (no float round-trips).
 * Checks: every city × year × indicator has a value, names match between the two sources, units.csv
 * is `examples/cdgi-2020/units.csv` unchanged (same 100 cities, same order), and the goalposts in
 * framework.yaml are lower 0 and upper = the pooled 2011–2019 maximum of each indicator over the
 * 100 cities. Any failure stops the script with a message naming the file, city and year.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { parse as parseYaml } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const sources = join(root, 'data', 'sources');

type Row = Record<string, string>;

function readCsv(path: string): Row[] {
  return parse(readFileSync(path, 'utf8'), { columns: true, bom: true, skip_empty_lines: true }) as Row[];
}

function die(message: string): never {
  console.error(`prepare: ${message}`);
  process.exit(1);
}

const F = {
  gdp: 'gdp_top100_2019/gdp_top100_2019.csv',
  pku: 'pku_dfiic_city/all_cities.csv',
  units: 'examples/cdgi-2020/units.csv',
} as const;

/** The years of the panel. The source has these five columns for all 100 cities through 2023 as well. */
const YEARS = [2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019].map(String);
const YEAR_SPAN = `${YEARS[0]}–${YEARS[YEARS.length - 1]}`;

/** Framework indicator → PKU-DFIIC column. */
const COLUMN: Record<string, string> = {
  DF_COVERAGE: 'coverage_breadth',
  DF_PAYMENT: 'payment',
  DF_CREDIT: 'credit',
  DF_INSURANCE: 'insurance',
  DF_DIGITIZATION: 'digitization_level',
};

// ---------- framework: indicator codes in order, with their goalposts ----------
interface Node {
  code: string;
  goalposts?: { lower: number; upper: number };
  children?: Node[];
}
const framework = parseYaml(readFileSync(join(here, 'framework.yaml'), 'utf8'), { maxAliasCount: 100 }) as {
  tree: Node;
};
const indicators: Node[] = [];
(function walk(n: Node): void {
  if (n.children?.length) n.children.forEach(walk);
  else indicators.push(n);
})(framework.tree);
for (const n of indicators)
  if (!COLUMN[n.code]) die(`framework.yaml: indicator ${n.code} has no source column in prepare.ts`);
for (const c of Object.keys(COLUMN))
  if (!indicators.some((n) => n.code === c)) die(`prepare.ts: ${c} is not an indicator of framework.yaml`);

// ---------- sources ----------
const gdp = readCsv(join(sources, F.gdp));
if (gdp.length !== 100) die(`${F.gdp}: expected 100 cities, found ${gdp.length}`);
const pku = new Map<string, Row>();
for (const r of readCsv(join(sources, F.pku))) {
  const key = `${r.adcode}|${r.year}`;
  if (pku.has(key)) die(`${F.pku}: duplicate row for ${r.adcode} ${r.year}`);
  pku.set(key, r);
}

// units.csv: the flagship example's file, unchanged (same cities, same order as gdp_top100_2019)
const unitsText = readFileSync(join(root, F.units), 'utf8');
const unitRows = parse(unitsText, { columns: true, bom: true }) as Row[];
unitRows.forEach((u, i) => {
  if (u.code !== gdp[i]?.adcode || u.name_zh !== gdp[i]?.name_zh) {
    const gdpRow = `${F.gdp} rank ${i + 1} is ${gdp[i]?.adcode} ${gdp[i]?.name_zh}`;
    die(`${F.units}: row ${i + 2} is ${u.code} ${u.name_zh}, ${gdpRow}`);
  }
});
if (unitRows.length !== gdp.length) die(`${F.units}: ${unitRows.length} rows, expected ${gdp.length}`);

// ---------- long data ----------
const long: string[][] = [];
const pooledMax = new Map<string, number>();
const pooledMin = new Map<string, number>();
for (const year of YEARS) {
  for (const g of gdp) {
    const r = pku.get(`${g.adcode}|${year}`);
    if (!r) die(`${F.pku}: no row for ${g.adcode} ${g.name_zh} in ${year}`);
    if (r.name_zh !== g.name_zh) die(`${F.pku}: ${g.adcode} ${year} is "${r.name_zh}", ${F.gdp} says "${g.name_zh}"`);
    for (const n of indicators) {
      const col = COLUMN[n.code];
      const v = r[col];
      if (v === '' || !Number.isFinite(Number(v)))
        die(`${F.pku}: ${g.adcode} ${g.name_zh} ${year} ${col} = "${v}" (a number is expected)`);
      pooledMax.set(n.code, Math.max(pooledMax.get(n.code) ?? -Infinity, Number(v)));
      pooledMin.set(n.code, Math.min(pooledMin.get(n.code) ?? Infinity, Number(v)));
      long.push([g.adcode, n.code, year, v, `${F.pku} (${col})`]);
    }
  }
}

// ---------- goalposts in framework.yaml must be [0, pooled max] ----------
for (const n of indicators) {
  const hi = pooledMax.get(n.code)!;
  const lo = pooledMin.get(n.code)!;
  if (!(lo > 0))
    die(`${n.code}: pooled minimum ${lo} is not positive; a lower goalpost of 0 no longer keeps every score positive`);
  if (n.goalposts?.lower !== 0 || n.goalposts?.upper !== hi) {
    const expected = `{ lower: 0, upper: ${hi} } (pooled ${YEAR_SPAN} maximum)`;
    die(`framework.yaml: goalposts of ${n.code} must be ${expected}, found ${JSON.stringify(n.goalposts)}`);
  }
}

// ---------- write (or check) ----------
const outputs: Array<[string, string]> = [
  ['units.csv', unitsText],
  ['data/panel_long.csv', stringify([['unit', 'indicator', 'period', 'value', 'source'], ...long])],
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
const panelShape = `${gdp.length} cities × ${YEARS.length} years (${YEAR_SPAN}) × ${indicators.length} indicators`;
console.log(`${panelShape} = ${long.length} values`);
if (check && stale) process.exit(1);
