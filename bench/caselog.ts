/**
 * Case logs (issue 15): SIMULATED 12345 logs of one large city-year (1 million and 10 million cases by default;
 * generated with seed 1, never committed) are imported and aggregated into every KPI by the CLI as a user runs
 * it, each a new process with its wall time, CPU time (user + sys, children included) and peak memory.
 * Target: import + KPIs of 10 million cases with DuckDB ≤ 60 s and ≤ 2 GiB peak (100 million ≤ 900 s).
 * Beside it, the PostgreSQL path (load the checked cases, same KPI SQL) on the 1 million log (a database
 * created and dropped here, on CITYINDEX_TEST_PG or 127.0.0.1:5432).
 *
 * Generated logs are cached by size, seed and parts in `<tmp>/cityindex-bench-cache/` (generation is not part
 * of the target; a log is reused only when its generation finished, marked by a `.complete` file);
 * CASELOG_NO_CACHE=1 generates into a temporary folder removed afterwards.
 * `npm run bench -- --only caselog`; sizes: `--cases=N[,N…]` and `--pg-cases=N` (or CASELOG_CASES,
 * CASELOG_PG_CASES; `--pg-cases=0` skips PostgreSQL); `--huge` adds 100 million: one project holding the logs
 * of all top-100 cities (data/sources/gdp_top100_2019), one log per city as the product keeps them, sized by
 * the city's 2020 census population (≈ 13 GB of CSV, cached like the others), imported and aggregated by the
 * same two commands (`--top100=N` for another total).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { generateCaseLogProject } from '../src/caselog/generate.ts';
import { runCli, type BenchRow } from './harness.ts';

const ADMIN = process.env.CITYINDEX_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SEED = 1;
const PARTS = 4;

function step(name: string, args: string[], rows: BenchRow[], extra: Partial<BenchRow> = {}) {
  const r = runCli(args);
  if (r.status !== 0) throw new Error(`${args.slice(0, 2).join(' ')} failed: ${r.stderr.slice(-400)}`);
  const cpu = Number.isFinite(r.cpu) ? `, CPU ${r.cpu.toFixed(1)} s` : '';
  rows.push({ name, seconds: r.seconds, notes: `peak ${r.mib.toFixed(0)} MiB${cpu}`, ...extra });
  return r;
}

function label(n: number): string {
  return n >= 1e6 ? `${+(n / 1e6).toFixed(1)} M SIMULATED cases` : `${n} SIMULATED cases`;
}

/** The project folder of a generated log of `n` cases: cached by size/seed/parts, generated when missing. */
function generated(n: number, scratch: string, rows: BenchRow[]): string {
  const cache = process.env.CASELOG_NO_CACHE === '1' ? scratch : join(tmpdir(), 'cityindex-bench-cache');
  const proj = join(cache, `caselog-440300-2024-${n}-seed${SEED}-parts${PARTS}`);
  if (existsSync(join(proj, '.complete'))) {
    rows.push({ name: `caselog generate ${label(n)} (cached: ${proj})`, seconds: 0 });
    return proj;
  }
  rmSync(proj, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  const gen = ['cases-log', 'generate', proj, '--city', '440300', '--year', '2024', '--cases', String(n)];
  step(
    `caselog generate ${label(n)} (${PARTS} CSV files)`,
    [...gen, '--seed', String(SEED), '--parts', `${PARTS}`],
    rows,
  );
  writeFileSync(join(proj, '.complete'), `${new Date().toISOString()}\n`);
  return proj;
}

/**
 * The project of all top-100 cities' SIMULATED logs, `total` cases shared by 2020 census population (one log
 * per city, in `cities/<adcode>/`), cached like the single-city logs.
 */
async function top100Project(total: number, rows: BenchRow[]): Promise<string> {
  const proj = join(tmpdir(), 'cityindex-bench-cache', `caselog-top100-2024-${total}-seed${SEED}`);
  if (existsSync(join(proj, '.complete'))) {
    rows.push({ name: `caselog generate ${label(total)}, top-100 cities (cached: ${proj})`, seconds: 0 });
    return proj;
  }
  rmSync(proj, { recursive: true, force: true });
  const read = (p: string) => parseCsv(readFileSync(p), { columns: true }) as Record<string, string>[];
  const census = new Map(
    read('data/sources/census_population_2020/census_city_population_2010_2020.csv').map((r) => [
      r.adcode,
      Number(r.population_2020),
    ]),
  );
  const cities = read('data/sources/gdp_top100_2019/gdp_top100_2019.csv').map((r) => r.adcode);
  const sum = cities.reduce((a, c) => a + (census.get(c) ?? 0), 0);
  const t0 = performance.now();
  const logs: unknown[] = [];
  let left = total;
  for (const [i, code] of cities.entries()) {
    const n = i === cities.length - 1 ? left : Math.round((total * census.get(code)!) / sum);
    left -= n;
    const dir = join(proj, 'cities', code);
    await generateCaseLogProject({ dir, city: code, year: 2024, cases: n, seed: SEED + i });
    const own = parseYaml(readFileSync(join(dir, 'project.yaml'), 'utf8')) as {
      caselogs: Array<{ files: string[]; categories: { file: string }; population: { file: string } }>;
    };
    for (const log of own.caselogs) {
      log.files = log.files.map((f) => `cities/${code}/${f}`);
      log.categories.file = `cities/${code}/${log.categories.file}`;
      log.population.file = `cities/${code}/${log.population.file}`;
      logs.push(log);
    }
    rmSync(join(dir, 'project.yaml'));
  }
  writeFileSync(
    join(proj, 'project.yaml'),
    '# SIMULATED / 模拟数据 — generated 12345 logs of the top-100 cities (bench/caselog.ts), NOT real cases\n' +
      stringifyYaml({
        name: { zh: '百城 12345 工单（模拟数据）', en: 'Top-100 cities 12345 cases (SIMULATED)' },
        caselogs: logs,
      }),
  );
  rows.push({
    name: `caselog generate ${label(total)}, top-100 cities (${cities.length} logs)`,
    seconds: (performance.now() - t0) / 1000,
  });
  writeFileSync(join(proj, '.complete'), `${new Date().toISOString()}\n`);
  return proj;
}

export async function benchCaseLog(): Promise<BenchRow[]> {
  const huge = process.argv.includes('--huge');
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const sizes = String(arg('cases') ?? process.env.CASELOG_CASES ?? '1000000,10000000')
    .split(',')
    .map(Number)
    .filter((x) => Number.isInteger(x) && x > 0);

  const nPg = Number(arg('pg-cases') ?? process.env.CASELOG_PG_CASES ?? 1_000_000);
  const rows: BenchRow[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'cityindex-caselog-bench-'));
  try {
    const imported = new Set<number>();
    for (const n of sizes) {
      const proj = generated(n, scratch, rows);
      const imp = step(`caselog import ${label(n)} (DuckDB)`, ['cases-log', 'import', proj], rows);
      imported.add(n);
      const kpi = step(
        `caselog KPIs ${label(n)} (DuckDB, 11 KPIs × 2 levels × 3 period kinds)`,
        ['cases-log', 'kpi', proj],
        rows,
      );
      const total = imp.seconds + kpi.seconds;
      const peak = Math.max(imp.mib, kpi.mib);
      const target = n >= 100_000_000 ? 900 : n >= 10_000_000 ? 60 : undefined;
      rows.push({
        name: `caselog import + KPIs ${label(n)} (DuckDB)`,
        seconds: total,
        ...(target !== undefined ? { target: `≤ ${target} s, ≤ 2048 MiB`, pass: total <= target && peak <= 2048 } : {}),
        notes: `peak ${peak.toFixed(0)} MiB, CPU ${(imp.cpu + kpi.cpu).toFixed(1)} s`,
      });
    }
    // `--huge` is `--top100=100000000`; a smaller total checks the set-up
    const top100 = Number(arg('top100') ?? (huge ? 100_000_000 : 0));
    if (top100 > 0) {
      const n = top100;
      const proj = await top100Project(n, rows);
      const imp = step(`caselog import ${label(n)}, top-100 cities (DuckDB)`, ['cases-log', 'import', proj], rows);
      const kpi = step(`caselog KPIs ${label(n)}, top-100 cities (DuckDB)`, ['cases-log', 'kpi', proj], rows);
      const total = imp.seconds + kpi.seconds;
      const peak = Math.max(imp.mib, kpi.mib);
      rows.push({
        name: `caselog import + KPIs ${label(n)}, top-100 cities (DuckDB)`,
        seconds: total,
        ...(n >= 100_000_000 ? { target: '≤ 900 s, ≤ 2048 MiB', pass: total <= 900 && peak <= 2048 } : {}),
        notes: `peak ${peak.toFixed(0)} MiB, CPU ${(imp.cpu + kpi.cpu).toFixed(1)} s`,
      });
    }
    if (nPg > 0) {
      // PostgreSQL path: the same checked cases loaded into a fresh database, same KPI SQL
      const pgProj = generated(nPg, scratch, rows);
      if (!imported.has(nPg)) step(`caselog import ${label(nPg)} (DuckDB)`, ['cases-log', 'import', pgProj], rows);
      const name = `cityindex_bench_${randomBytes(5).toString('hex')}`;
      const admin = new pg.Client({ connectionString: ADMIN });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      try {
        const url = ADMIN.replace(/\/[^/]*$/, `/${name}`);
        step(
          `caselog load + KPIs ${label(nPg)} (PostgreSQL)`,
          ['cases-log', 'kpi', pgProj, '--engine', 'postgres', '--database-url', url],
          rows,
        );
      } finally {
        const a = new pg.Client({ connectionString: ADMIN });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await a.end();
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return rows;
}
