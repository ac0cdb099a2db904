/**
 * Case-log import: located rejects, stop/continue, nothing half-imported, hostile files (10 MB fields, bad
 * encodings, malformed quoting and JSON), the four formats giving the same cases, path confinement.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { importCaseLog } from '../../src/caselog/import.ts';
import { openDuck, sqlString } from '../../src/caselog/duck.ts';
import { computeKpis, duckKpiEngine } from '../../src/caselog/kpi.ts';
import { CityIndexError } from '../../src/engine/core/errors.ts';
import { FIXTURES, smallLogConfig, tempProject } from './helpers.ts';

const SMALL = readFileSync(join(FIXTURES, 'small-log.csv'), 'utf8');
const disposers: Array<() => void> = [];
afterAll(() => disposers.forEach((d) => d()));
function project(files: Parameters<typeof tempProject>[0]) {
  const p = tempProject(files);
  disposers.push(p.dispose);
  return p.dir;
}
async function kpisOf(parquet: string) {
  const { engine, close } = await duckKpiEngine(parquet);
  try {
    return await computeKpis(engine, { offsetS: 8 * 3600 });
  } finally {
    close();
  }
}
async function thrown(p: Promise<unknown>): Promise<CityIndexError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CityIndexError) return e;
    throw e;
  }
  throw new Error('expected a CityIndexError');
}

describe('case-log import', () => {
  it('reports every bad record by file, row, case id and field, and imports the rest', async () => {
    const dir = project({ 'log.csv': SMALL });
    const r = await importCaseLog({ projectDir: dir, log: smallLogConfig() });
    expect([r.records, r.accepted, r.rejected]).toEqual([11, 7, 4]);
    expect(r.issues.map((i) => [i.code, i.file, i.row, i.field])).toEqual([
      ['E_CASE_CATEGORY', 'log.csv', 7, 'category'], // C6 其他: not in the mapping
      ['E_CASE_ORDER', 'log.csv', 8, 'closed'], // C7 closed before received
      ['E_CASE_DUPLICATE_ID', 'log.csv', 9, 'id'], // second C1
      ['E_CASE_TIMESTAMP', 'log.csv', 11, 'received'], // C10 month 13
    ]);
    expect(r.excludedByRule).toEqual({ duplicate: 1 });
    const rejects = parse(readFileSync(join(r.outDir, 'rejects.csv')), { columns: true }) as Record<string, string>[];
    expect(rejects.map((x) => `${x.row}:${x.id}:${x.code}`)).toEqual([
      '7:C6:E_CASE_CATEGORY',
      '8:C7:E_CASE_ORDER',
      '9:C1:E_CASE_DUPLICATE_ID',
      '11:C10:E_CASE_TIMESTAMP',
    ]);
    const report = JSON.parse(readFileSync(join(r.outDir, 'import.json'), 'utf8')) as { files: { sha256: string }[] };
    expect(report.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('onError: stop fails with the located problems and leaves the previous import untouched', async () => {
    const dir = project({ 'log.csv': SMALL });
    const first = await importCaseLog({ projectDir: dir, log: smallLogConfig() });
    const before = readFileSync(join(first.outDir, 'cases.parquet'));
    const e = await thrown(importCaseLog({ projectDir: dir, log: smallLogConfig({ onError: 'stop' }) }));
    expect(e.issues[0].code).toBe('E_CASE_IMPORT_STOPPED');
    expect(e.issues.slice(1).map((i) => i.row)).toEqual([7, 8, 9, 11]);
    expect(readFileSync(join(first.outDir, 'cases.parquet')).equals(before)).toBe(true);
    expect(readdirSync(join(dir, '.cityindex/caselog'))).toEqual(['small']); // no temporary folder left
    const tooMany = await thrown(importCaseLog({ projectDir: dir, log: smallLogConfig({ maxErrors: 3 }) }));
    expect(tooMany.issues[0].message).toContain('maxErrors: 3');
  });

  it('a 10 MB field, invalid UTF-8 and a broken quote are rejected by row; the other records load', async () => {
    const lines = SMALL.trimEnd().split('\n');
    const huge = `H1,2024-01-11 09:00:00,,,,办理中,噪音扰民,福田区,电话,,,"${'x'.repeat(10 * 1024 * 1024)}"`;
    const latin = Buffer.from('L1,2024-01-12 09:00:00,,,,办理中,噪音扰民,福田区,T\xe9l\xe9phone,,,\n', 'latin1');
    const text = Buffer.concat([
      Buffer.from([lines[0], lines[1], huge, lines[2]].join('\n') + '\n'),
      latin,
      Buffer.from(lines[3] + '\n' + 'Q1,2024-01-13 09:00:00,,,,办理中,噪音扰民,福田区,"电话,,,\n'),
    ]);
    const dir = project({ 'log.csv': text });
    const r = await importCaseLog({ projectDir: dir, log: smallLogConfig() });
    const byRow = new Map(r.issues.map((i) => [i.row, i.code]));
    expect(byRow.get(3)).toBe('E_CASE_TOO_LONG'); // the 10 MB record (row 3)
    expect(byRow.get(5)).toBe('E_CASE_ENCODING'); // Latin-1 bytes (row 5)
    expect(byRow.get(7)).toBe('E_CASE_MALFORMED'); // unterminated quote (row 7)
    expect(r.accepted).toBe(3); // C1 C2 C3, with their true rows
    const ids = await (async () => {
      const db = await openDuck();
      try {
        const q = `SELECT id, rec FROM read_parquet(${sqlString(join(r.outDir, 'cases.parquet'))}) ORDER BY rec`;
        return (await db.all(q)).map((x) => `${String(x.id)}@${Number(x.rec)}`);
      } finally {
        db.close();
      }
    })();
    expect(ids).toEqual(['C1@2', 'C2@4', 'C3@6']);
  });

  it('CSV, JSON Lines and Parquet of the same log give the same cases and KPIs', async () => {
    const rows = parse(SMALL, { columns: true }) as Record<string, string>[];
    const jsonl = rows.map((o) => JSON.stringify(Object.fromEntries(Object.entries(o).filter(([, v]) => v !== ''))));
    const dir = project({ 'log.csv': SMALL, 'log.jsonl': jsonl.join('\n') + '\n' });
    const db = await openDuck();
    await db.run(
      `COPY (SELECT * FROM read_csv(${sqlString(join(dir, 'log.csv'))}, all_varchar = true)) ` +
        `TO ${sqlString(join(dir, 'log.parquet'))} (FORMAT PARQUET)`,
    );
    db.close();
    const csv = await importCaseLog({ projectDir: dir, log: smallLogConfig() });
    const results = [await kpisOf(join(csv.outDir, 'cases.parquet'))];
    for (const format of ['jsonl', 'parquet'] as const) {
      const log = smallLogConfig({ id: `small-${format}`, format, files: [`log.${format}`] });
      const r = await importCaseLog({ projectDir: dir, log });
      expect([r.accepted, r.rejected]).toEqual([7, 4]);
      expect(r.issues.map((i) => i.row)).toEqual(format === 'jsonl' ? [6, 7, 8, 10] : [6, 7, 8, 10]);
      results.push(await kpisOf(join(r.outDir, 'cases.parquet')));
    }
    expect(results[0].length).toBeGreaterThan(100);
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });

  it('JSON Lines: malformed, non-object, over-long and non-UTF-8 lines are rejected by line number', async () => {
    const good = (id: string) =>
      JSON.stringify({
        id,
        received: '2024-01-10 09:00:00',
        status: '办理中',
        category: '噪音扰民',
        district: '福田区',
      });
    const text = Buffer.concat([
      Buffer.from(`${good('A')}\n{"id": "B", broken\n[1, 2]\n`),
      Buffer.from(`{"id": "C", "note": "${'y'.repeat(3 * 1024 * 1024)}"}\n`),
      Buffer.from('{"id": "D\xff"}\n', 'latin1'),
      Buffer.from(`\n${good('E')}\n`),
    ]);
    const dir = project({ 'log.jsonl': text });
    const r = await importCaseLog({ projectDir: dir, log: smallLogConfig({ format: 'jsonl', files: ['log.jsonl'] }) });
    expect(r.issues.map((i) => [i.row, i.code])).toEqual([
      [2, 'E_CASE_MALFORMED'],
      [3, 'E_CASE_MALFORMED'],
      [4, 'E_CASE_TOO_LONG'],
      [5, 'E_CASE_ENCODING'],
    ]);
    expect(r.accepted).toBe(2);
  });

  it('Open311 GeoReport v2: zoned date-times to the log’s local time, closed time from updated_datetime', async () => {
    const requests = [
      {
        service_request_id: '638344',
        status: 'closed',
        service_name: 'Sidewalk and Curb Issues',
        requested_datetime: '2010-04-14T06:37:38-08:00',
        updated_datetime: '2010-04-14T15:37:38-08:00',
        expected_datetime: '2010-04-15T06:37:38-08:00',
        lat: 37.76524078,
        long: -122.4212043,
      },
      {
        service_request_id: '638349',
        status: 'open',
        service_name: 'Sidewalk and Curb Issues',
        requested_datetime: '2010-04-19T06:37:38-08:00',
        updated_datetime: '2010-04-19T07:00:00-08:00',
      },
      'not a request',
    ];
    const dir = project({ 'requests.json': JSON.stringify(requests) });
    const log = smallLogConfig({
      id: 'sf',
      format: 'open311',
      files: ['requests.json'],
      utcOffset: '-08:00',
      categories: undefined,
      districts: undefined,
      exclude: undefined,
      status: undefined,
    });
    const r = await importCaseLog({ projectDir: dir, log });
    expect([r.accepted, r.rejected, r.issues[0]?.row]).toEqual([2, 1, 3]);
    const v = await kpisOf(join(r.outDir, 'cases.parquet'));
    const get = (kpi: string) => v.find((x) => x.kpi === kpi && x.level === 'city' && x.period === '2010-04');
    expect(get('handling_median_h')?.value).toBe(9); // 06:37:38 → 15:37:38
    expect(get('on_time_rate')?.value).toBe(1);
    expect(get('backlog_end')?.value).toBe(1); // the open one
  });

  it('refuses files outside the project folder and columns the file does not have', async () => {
    const dir = project({ 'log.csv': SMALL });
    const out = await thrown(importCaseLog({ projectDir: dir, log: smallLogConfig({ files: ['../x.csv'] }) }));
    expect(out.issues[0].code).toBe('E_PATH_OUTSIDE');
    const cols = { ...smallLogConfig().columns, received: 'opened_at' };
    const e = await thrown(importCaseLog({ projectDir: dir, log: smallLogConfig({ columns: cols }) }));
    expect(e.issues[0]).toMatchObject({ code: 'E_MISSING_COLUMN', file: 'log.csv', row: 1, column: 'opened_at' });
    expect(existsSync(join(dir, '.cityindex/caselog/small'))).toBe(false);
  });
});
