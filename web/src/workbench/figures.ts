/**
 * The figures the workbench computes from an edition's results table (pure): the audit (correlation of
 * each dimension with the index, Cronbach's α of the dimensions, with the engine's own kernels) and a
 * city's line at each level beside the median of all cities.
 */
import { correlation } from '../../../src/engine/analysis/audit/correlations.ts';
import { cronbachAlphaPairwise } from '../../../src/engine/analysis/audit/cronbach.ts';

/** An edition's results table: `code, name_zh, name_en`, then `<agg>` and `<agg>_rank` per aggregate. */
export interface ResultsTable {
  header: string[];
  rows: Array<Array<string | number | null>>;
}

/**
 * The correlations of each dimension with the index and Cronbach's α of the dimensions, from a results
 * table (`code, name_zh, name_en, <agg>, <agg>_rank, …`) and the dimension codes.
 * @example
 * const table = { header: ['code', 'name_zh', 'name_en', 'I', 'I_rank', 'A', 'A_rank', 'B', 'B_rank'],
 *   rows: [['1', '', '', 1, 3, 1, 3, 2, 3], ['2', '', '', 2, 2, 2, 2, 3, 2], ['3', '', '', 3, 1, 3, 1, 5, 1]] };
 * const a = auditOf(table, 'I', ['A', 'B']);
 * [a.correlations.get('A'), a.alpha] // => [1, 0.9473684210526316]
 */
export function auditOf(
  table: ResultsTable,
  index: string,
  dims: readonly string[],
): { correlations: Map<string, number>; alpha: number } {
  const col = (code: string) => {
    const i = table.header.indexOf(code);
    return Float64Array.from(table.rows, (r) => (i >= 0 && typeof r[i] === 'number' ? (r[i] as number) : NaN));
  };
  const ix = col(index);
  const columns = dims.map(col);
  const correlations = new Map(dims.map((d, k) => [d, correlation(columns[k], ix, 'pearson')] as const));
  return { correlations, alpha: columns.length >= 2 ? cronbachAlphaPairwise(columns) : NaN };
}

/** A city's line at each aggregate of a results table, with the median of all cities. */
export interface CityLine {
  code: string;
  score: number | null;
  rank: number | null;
  median: number | null;
}

/**
 * The lines of a unit in a results table for the given aggregates.
 * @example
 * const table = { header: ['code', 'name_zh', 'name_en', 'I', 'I_rank'],
 *   rows: [['1', '', '', 10, 3], ['2', '', '', 30, 1], ['3', '', '', 20, 2]] };
 * cityLines(table, '1', ['I']) // => [{ code: 'I', score: 10, rank: 3, median: 20 }]
 */
export function cityLines(table: ResultsTable, unit: string, codes: readonly string[]): CityLine[] {
  const row = table.rows.find((r) => String(r[0]) === unit);
  return codes.map((code) => {
    const i = table.header.indexOf(code);
    const j = table.header.indexOf(`${code}_rank`);
    const all = table.rows
      .map((r) => r[i])
      .filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
      .sort((a, b) => a - b);
    const m = all.length >> 1;
    const median = all.length === 0 ? null : all.length % 2 ? all[m] : (all[m - 1] + all[m]) / 2;
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
    return { code, score: row && i >= 0 ? num(row[i]) : null, rank: row && j >= 0 ? num(row[j]) : null, median };
  });
}
