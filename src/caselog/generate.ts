/**
 * Write a SIMULATED 12345 case-log project (Node only): the generated log as CSV (streamed, in parts), the
 * category mapping and SLA table, the city's real census population (2020, data/sources/census_population_2020)
 * and a project.yaml declaring the log with `simulated: true`, so every KPI and indicator derived from it is
 * labelled SIMULATED. The file names start with `SIMULATED-`; README.md states the generator, seed and model.
 */
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { CityIndexError } from '../engine/core/errors.ts';
import { CATEGORY_TABLE, CHANNELS, createCaseGenerator, STANDARD_CATEGORIES } from '../engine/caselog/generate.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const CENSUS = join(ROOT, 'data/sources/census_population_2020/census_city_population_2010_2020.csv');
const TOP100 = join(ROOT, 'data/sources/gdp_top100_2019/gdp_top100_2019.csv');

export interface GenerateProjectOptions {
  /** Output folder (created; an existing project.yaml there is refused). */
  dir: string;
  /** The city's 6-digit adcode (must be in the 2020 census table, which gives its population). */
  city: string;
  year: number;
  cases: number;
  seed: number;
  /** Number of simulated districts (default 8). */
  districts?: number;
  /** Number of CSV files the log is split into (default 1). */
  parts?: number;
  onProgress?: (written: number, total: number) => void;
}

export interface GeneratedProject {
  dir: string;
  files: string[];
  city: { code: string; name: { zh: string; en: string }; population: number };
}

/** The city's census row (2020 population) and names. */
function cityOf(adcode: string): GeneratedProject['city'] {
  const census = parseCsv(readFileSync(CENSUS), { columns: true }) as Record<string, string>[];
  const row = census.find((r) => r.adcode === adcode);
  const pop = Number(row?.population_2020);
  if (!row || !(pop > 0))
    throw new CityIndexError({
      code: 'E_UNKNOWN_CITY',
      message: `adcode ${adcode} has no 2020 census population / 该代码无七普人口数据`,
      field: 'city',
      expected: 'the 6-digit adcode of a prefecture-level city, e.g. 440300 (深圳市)',
    });
  const top = existsSync(TOP100) ? (parseCsv(readFileSync(TOP100), { columns: true }) as Record<string, string>[]) : [];
  const en = top.find((r) => r.adcode === adcode)?.name_en ?? `City ${adcode}`;
  return { code: adcode, name: { zh: row.name_zh, en }, population: pop };
}

/**
 * A YAML single-quoted scalar (a quote inside doubled: Xi'an).
 * @example quoted("Xi'an") // => "'Xi''an'"
 */
export function quoted(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** project.yaml of a generated log. */
function projectYaml(o: GenerateProjectOptions, city: GeneratedProject['city'], files: string[]): string {
  const online = CHANNELS.filter((c) => c[2]).map((c) => c[0]);
  return `# SIMULATED / 模拟数据 — a generated 12345 hotline case log, NOT real cases. Made by
# \`cityindex cases-log generate\` (src/engine/caselog/generate.ts) with seed ${o.seed}; see README.md.
name:
  zh: ${city.name.zh} 12345 热线工单（模拟数据，${o.year}年）
  en: ${quoted(`${city.name.en} 12345 hotline cases (SIMULATED, ${o.year})`)}
caselogs:
  - id: sim-${city.code}-${o.year}
    name: { zh: ${city.name.zh} 12345 工单（模拟）, en: ${quoted(`${city.name.en} 12345 cases (simulated)`)} }
    simulated: true
    city: { code: '${city.code}', name: { zh: ${city.name.zh}, en: ${quoted(city.name.en)} } }
    files: [${files.map((f) => `'${f}'`).join(', ')}]
    format: csv
    utcOffset: '+08:00'
    columns:
      id: id
      received: received
      dispatched: dispatched
      firstResponse: first_response
      closed: closed
      status: status
      category: category
      district: district
      channel: channel
      reopened: reopened
      satisfaction: satisfaction
    categories: { file: categories.csv }
    sla:
${Object.entries(STANDARD_CATEGORIES)
  .map(([k, v]) => `      ${k}: ${v.slaHours}`)
  .join('\n')}
    onlineChannels: [${online.join(', ')}]
    satisfaction: { scale: '1-5', satisfiedAtLeast: 4 }
    population: { file: population.csv, source: 'census 2020 (data/sources/census_population_2020)' }
`;
}

/**
 * Generate a simulated project folder (see the module comment).
 * @example // no-run: writes files (tests/caselog/generate.test.ts)
 * (await generateCaseLogProject({ dir: 'out/sim', city: '440300', year: 2024, cases: 1000, seed: 1 })).files
 * // => ['SIMULATED-12345-440300-2024.csv']
 */
export async function generateCaseLogProject(o: GenerateProjectOptions): Promise<GeneratedProject> {
  if (!Number.isInteger(o.cases) || o.cases < 1 || o.cases > 2_000_000_000)
    throw new CityIndexError({ code: 'E_RANGE', message: 'cases must be a whole number ≥ 1', field: 'cases' });
  if (!Number.isInteger(o.year) || o.year < 2000 || o.year > 2100)
    throw new CityIndexError({ code: 'E_RANGE', message: 'year must be between 2000 and 2100', field: 'year' });
  const city = cityOf(o.city);
  await mkdir(o.dir, { recursive: true });
  if (existsSync(join(o.dir, 'project.yaml')))
    throw new CityIndexError({
      code: 'E_EXISTS',
      message: 'the folder already has a project.yaml / 文件夹中已有 project.yaml',
      file: join(o.dir, 'project.yaml'),
      expected: 'a new or empty folder',
    });
  const nDistricts = o.districts ?? 8;
  const districts = Array.from({ length: nDistricts }, (_, i) => ({
    code: `${city.code}-SIM${String(i + 1).padStart(2, '0')}`,
    weight: 1 + ((i * 7) % 5) / 2, // unequal, fixed sizes
  }));
  const parts = Math.max(1, Math.min(o.parts ?? 1, 64));
  const files: string[] = [];
  const head = 'id,received,dispatched,first_response,closed,status,category,district,channel,reopened,satisfaction\n';
  let written = 0;
  for (let p = 0; p < parts; p++) {
    const name =
      parts === 1
        ? `SIMULATED-12345-${city.code}-${o.year}.csv`
        : `SIMULATED-12345-${city.code}-${o.year}-part${p + 1}.csv`;
    files.push(name);
    const count = Math.floor(o.cases / parts) + (p < o.cases % parts ? 1 : 0);
    const gen = createCaseGenerator({
      seed: o.seed + p * 1_000_003,
      year: o.year,
      offsetS: 8 * 3600,
      districts,
      idPrefix: parts === 1 ? 'S' : `S${p + 1}-`,
    });
    const out = createWriteStream(join(o.dir, name));
    out.write(head);
    let buf = '';
    for (let i = 0; i < count; i++) {
      const c = gen.next();
      buf +=
        `${c.id},${c.received},${c.dispatched},${c.firstResponse},${c.closed},${c.status},${c.category},` +
        `${c.district},${c.channel},${c.reopened},${c.satisfaction}\n`;
      if (buf.length > 1 << 20) {
        if (!out.write(buf)) await once(out, 'drain');
        buf = '';
        o.onProgress?.(written + i + 1, o.cases);
      }
    }
    out.end(buf);
    await once(out, 'close');
    written += count;
    o.onProgress?.(written, o.cases);
  }
  const cats = ['source,category', ...CATEGORY_TABLE.map(([s, c]) => `${s},${c}`)].join('\n') + '\n';
  await writeFile(join(o.dir, 'categories.csv'), cats);
  await writeFile(
    join(o.dir, 'population.csv'),
    `code,population,source\n${city.code},${city.population},` +
      'census 2020 (leiii/census; data/sources/census_population_2020)\n',
  );
  await writeFile(join(o.dir, 'project.yaml'), projectYaml(o, city, files));
  await writeFile(
    join(o.dir, 'README.md'),
    `# SIMULATED / 模拟数据 — ${city.name.zh} (${city.name.en}) 12345 hotline log, ${o.year}\n\n` +
      `Generated, not real: no case-level 12345 log is public. ${o.cases} cases, seed ${o.seed}, ` +
      `${nDistricts} simulated districts (codes ${city.code}-SIM01…; not real districts), ${parts} file(s).\n` +
      `Generator: \`cityindex cases-log generate\` (src/engine/caselog/generate.ts; its module comment states the ` +
      `model: daily and weekly cycles, category mix and SLA hours, lognormal handling times, reopenings, ` +
      `satisfaction). Re-running with the same seed gives the same files.\n\n` +
      `Real: the city's 2020 census population (population.csv, from data/sources/census_population_2020).\n` +
      `Every KPI computed from this log is labelled SIMULATED (kpi/*/kpis.csv, indicators.csv, lineage.json).\n`,
  );
  return { dir: o.dir, files, city };
}
