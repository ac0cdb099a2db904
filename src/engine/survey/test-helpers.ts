/** Small response tables for the survey tests (not part of the public API). */
import { SEX_FEMALE, SEX_MALE, SEX_UNKNOWN, type ResponseTable } from './types.ts';

export interface RowSpec {
  id?: string | null;
  city?: string | null;
  duration?: number;
  submittedAt?: string | null;
  age?: number;
  sex?: 'm' | 'f' | null;
  items?: Record<string, number>;
}

/** A response table from row objects; item columns are the union of the rows' items (NaN where absent). */
export function tableOf(rows: RowSpec[], file = 'test.csv'): ResponseTable {
  const n = rows.length;
  const itemNames = [...new Set(rows.flatMap((r) => Object.keys(r.items ?? {})))];
  const items: Record<string, Float64Array> = {};
  for (const it of itemNames) items[it] = Float64Array.from(rows, (r) => r.items?.[it] ?? NaN);
  return {
    file,
    n,
    sourceRow: Int32Array.from(rows, (_, i) => i + 2),
    id: rows.map((r, i) => (r.id === undefined ? `r${i + 1}` : r.id)),
    city: rows.map((r) => (r.city === undefined ? '110100' : r.city)),
    duration: Float64Array.from(rows, (r) => r.duration ?? NaN),
    submittedAt: rows.map((r) => r.submittedAt ?? null),
    age: Float64Array.from(rows, (r) => r.age ?? NaN),
    sex: Int8Array.from(rows, (r) => (r.sex === 'm' ? SEX_MALE : r.sex === 'f' ? SEX_FEMALE : SEX_UNKNOWN)),
    items,
  };
}
