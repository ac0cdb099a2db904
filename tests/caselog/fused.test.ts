/**
 * Speed without new numbers (issue 15): the import reads a large log on two threads with no window or join
 * (row ids, MAP lookups), and the KPIs run fused (one scan per level over every granularity, quantiles of
 * the same values sharing one aggregate). Checked on a SIMULATED log of 240 000 cases in two files with
 * bad and duplicate records planted at known lines: every record is reported at its line, the imported
 * table keeps file order, and every KPI equals what its own SQL (kpiSql, one query per KPI × level ×
 * granularity, as run before the fusion) gives — exactly, with the grouping sets nested (each granularity also
 * grouped by the coarser ones asked for, in any order) so that PostgreSQL needs one sort for all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCaseLogProject } from '../../src/caselog/generate.ts';
import { importCaseLog, type ImportReport } from '../../src/caselog/import.ts';
import { readCaseLogs } from '../../src/caselog/project.ts';
import { computeKpis, duckKpiEngine } from '../../src/caselog/kpi.ts';
import { openDuck, sqlString } from '../../src/caselog/duck.ts';
import { GRANULARITIES, PERIOD_COLUMN } from '../../src/engine/caselog/periods.ts';
import {
  backlogSql,
  finishKpi,
  fusedKpiScan,
  KPI_DEFINITIONS,
  kpiDefinition,
  kpiSql,
  type KpiLevel,
  type KpiSqlRow,
  type KpiValue,
  unitExpression,
} from '../../src/engine/caselog/kpis.ts';
import { toNumber } from '../../src/caselog/duck.ts';
import { CityIndexError } from '../../src/engine/core/errors.ts';
import { tempProject } from './helpers.ts';

const tmp = tempProject({});
afterAll(() => tmp.dispose());
const dir = join(tmp.dir, 'sim');
let report: ImportReport;
/** id → [file, line] of every record the import should accept, from the files' own text. */
const lineOf = new Map<string, [string, number]>();

beforeAll(async () => {
  const g = await generateCaseLogProject({ dir, city: '440300', year: 2024, cases: 240_000, seed: 7, parts: 2 });
  // plant: a malformed line (too many fields) at line 50 001 of part 1, a bad timestamp at line 100 001 of
  // part 2 and a repeat of part 1's first id at the end of part 2
  const [f1, f2] = g.files;
  const l1 = readFileSync(join(dir, f1), 'utf8').split('\n');
  l1.splice(50_000, 0, `X-1,2024-01-01 00:00:00${',x'.repeat(20)}`);
  writeFileSync(join(dir, f1), l1.join('\n'));
  const l2 = readFileSync(join(dir, f2), 'utf8').split('\n');
  const cells = l2[100_000].split(',');
  cells[1] = '2024-13-01 00:00:00';
  l2[100_000] = cells.join(',');
  const dupe = l1[1].split(',');
  l2.splice(l2.length - 1, 0, dupe.join(','));
  writeFileSync(join(dir, f2), l2.join('\n'));
  for (const [f, lines] of [
    [f1, l1],
    [f2, l2],
  ] as const)
    lines.forEach((line, i) => {
      const id = line.slice(0, line.indexOf(','));
      if (i > 0 && id && !lineOf.has(id) && !line.includes('2024-13-01') && !line.startsWith('X-1'))
        lineOf.set(id, [f, i + 1]);
    });
  const [log] = await readCaseLogs(dir);
  report = await importCaseLog({ projectDir: dir, log, threads: 2 });
}, 120_000);

describe('parallel import (two threads, row ids, MAP lookups)', () => {
  it('reports the planted records at their lines', () => {
    expect(report.rejected).toBe(3);
    expect(report.issues.map((i) => [i.code, i.file, i.row])).toEqual([
      ['E_CASE_MALFORMED', report.files[0].path, 50_001],
      ['E_CASE_TIMESTAMP', report.files[1].path, 100_001],
      ['E_CASE_DUPLICATE_ID', report.files[1].path, 120_002],
    ]);
    expect(report.accepted).toBe(239_999); // the case given month 13 is rejected
  });

  it('stops at an unterminated quote that would swallow the lines after it, naming its line', async () => {
    const p = tempProject({ 'log.csv': readFileSync(join(dir, report.files[0].path)) });
    try {
      const text = readFileSync(join(p.dir, 'log.csv'), 'utf8').split('\n');
      text[70_000] = text[70_000].replace(',', ',"');
      writeFileSync(join(p.dir, 'log.csv'), text.join('\n'));
      const [log] = await readCaseLogs(dir);
      const e = await importCaseLog({
        projectDir: p.dir,
        log: { ...log, files: ['log.csv'], categories: undefined, population: undefined },
        threads: 2,
      }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(CityIndexError);
      expect((e as CityIndexError).issues[0]).toMatchObject({
        code: 'E_CASE_UNTERMINATED_QUOTE',
        file: 'log.csv',
        row: 70_001,
      });
      expect(existsSync(join(p.dir, '.cityindex', 'caselog', log.id))).toBe(false);
    } finally {
      p.dispose();
    }
  });

  it('keeps every accepted case at its line, in file order, with the project lookups applied', async () => {
    const db = await openDuck();
    try {
      const rows = await db.all(
        `SELECT id, src_file, rec, category, source_category, district, due_s - received_s AS sla_s ` +
          `FROM read_parquet(${sqlString(join(report.outDir, 'cases.parquet'))})`,
      );
      expect(rows.length).toBe(239_999);
      let wrong = 0;
      let unordered = 0;
      for (const [i, r] of rows.entries()) {
        const at = lineOf.get(String(r.id));
        if (!at || at[0] !== r.src_file || at[1] !== Number(r.rec)) wrong++;
        const prev = rows[i - 1];
        if (prev && prev.src_file === r.src_file && Number(prev.rec) >= Number(r.rec)) unordered++;
      }
      expect([wrong, unordered]).toEqual([0, 0]);
      // categories mapped through the project's table, SLA hours by standard category (no due column)
      const cats = new Map(
        readFileSync(join(dir, 'categories.csv'), 'utf8')
          .trim()
          .split('\n')
          .slice(1)
          .map((l) => l.split(',') as [string, string]),
      );
      const [log] = await readCaseLogs(dir);
      const sla = new Map(Object.entries(log.sla ?? {}));
      const bad = rows.filter(
        (r) =>
          r.category !== cats.get(String(r.source_category)) ||
          Number(r.sla_s) !== Math.round(sla.get(String(r.category))! * 3600),
      );
      expect(bad.length).toBe(0);
    } finally {
      db.close();
    }
  });
});

/** Every KPI × level × granularity by its own SQL, one query each (the reference the fusion must equal). */
async function ownSql(
  engine: Awaited<ReturnType<typeof duckKpiEngine>>['engine'],
  level: KpiLevel,
  grans: readonly (typeof GRANULARITIES)[number][],
): Promise<KpiValue[]> {
  const out: KpiValue[] = [];
  const asRow = (r: Record<string, unknown>): KpiSqlRow => {
    const o: Record<string, unknown> = { unit: String(r.unit), period: String(r.period) };
    for (const [k, v] of Object.entries(r)) if (k !== 'unit' && k !== 'period') o[k] = toNumber(v);
    return o as unknown as KpiSqlRow;
  };
  for (const g of grans)
    for (const def of KPI_DEFINITIONS) {
      const rows = (await engine.all(kpiSql(def, level, g))).map(asRow);
      if (def.id === 'backlog_end') {
        const cells = await engine.all(
          `SELECT DISTINCT ${unitExpression(level)} AS unit, ${PERIOD_COLUMN[g]} AS period FROM cases ` +
            `WHERE ${unitExpression(level)} IS NOT NULL`,
        );
        const have = new Set(rows.map((r) => `${r.unit}|${r.period}`));
        for (const c of cells)
          if (!have.has(`${String(c.unit)}|${String(c.period)}`))
            rows.push({ unit: String(c.unit), period: String(c.period), num: 0 });
      }
      out.push(...finishKpi(def, level, rows));
    }
  return out;
}

describe('fused KPI scans', () => {
  it('give exactly the numbers of each KPI’s own SQL, at every level and granularity', async () => {
    const { engine, close } = await duckKpiEngine(join(report.outDir, 'cases.parquet'));
    try {
      const cases: Array<[KpiLevel[], (typeof GRANULARITIES)[number][]]> = [
        [['city', 'district'], [...GRANULARITIES]],
        [['category'], ['month', 'year']],
        // coarse first: the nested grouping sets must still label each group by its finest key
        [['district'], ['year', 'quarter']],
      ];
      for (const [levels, grans] of cases) {
        const fused = await computeKpis(engine, { offsetS: 8 * 3600, levels, granularities: grans });
        const own: KpiValue[] = [];
        for (const level of levels) own.push(...(await ownSql(engine, level, grans)));
        const key = (v: KpiValue) => `${v.kpi}|${v.level}|${v.unit}|${v.category ?? ''}|${v.period}`;
        expect(fused.length).toBe(own.length);
        expect(fused.length).toBeGreaterThan(400);
        const byKey = new Map(own.map((v) => [key(v), v]));
        for (const v of fused) expect(v, key(v)).toEqual(byKey.get(key(v)));
      }
    } finally {
      close();
    }
  }, 120_000);

  it('share one quantile aggregate between the median and the 90th percentile of handling time', () => {
    const defs = ['handling_median_h', 'handling_p90_h', 'first_response_median_h'].map((id) => kpiDefinition(id)!);
    const f = fusedKpiScan(defs, 'district', ['month']);
    expect(f.sql.match(/percentile_cont\(ARRAY\[0\.5, 0\.9\]\)/g)?.length).toBe(2);
    expect(f.sql.match(/percentile_cont\(0\.5\)/g)?.length).toBe(1);
    expect(f.sql).toContain('GROUP BY GROUPING SETS ((unit, p_month))');
    // the shared counts (x_rule, x_open) are one column each
    expect(f.columns.get('handling_median_h')!.find(([a]) => a === 'x_rule')![1]).toBe(
      f.columns.get('first_response_median_h')!.find(([a]) => a === 'x_rule')![1],
    );
    expect(() => fusedKpiScan([kpiDefinition('backlog_end')!], 'city', ['year'])).toThrow(/not a single scan/);
    expect(backlogSql('district', ['month', 'quarter'])).toContain("p.granularity IN ('month', 'quarter')");
    // the sets nest (coarser keys added to each), so PostgreSQL computes them from one sort
    expect(fusedKpiScan(defs, 'city', ['year', 'month', 'quarter']).sql).toContain(
      'GROUP BY GROUPING SETS ((unit, p_year), (unit, p_year, p_quarter, p_month), (unit, p_year, p_quarter))',
    );
  });
});
