/**
 * Dataset: a units × codes matrix of numbers, column-major in one Float64Array (NaN = missing).
 * Column-major because nearly every step works one indicator at a time (treat, normalise, weights);
 * a column is a zero-copy `subarray`. Datasets are treated as immutable: steps return new ones.
 */
import { CityIndexError } from './errors.ts';

export interface Dataset {
  /** Row labels: unit codes (adcodes for cities, uCodes for COINr data), in row order. */
  readonly unitCodes: readonly string[];
  /** Column labels: indicator or aggregate codes, in column order. */
  readonly codes: readonly string[];
  /** Column-major values: `values[col * unitCodes.length + row]`; NaN marks a missing value. */
  readonly values: Float64Array;
}

/**
 * Make a dataset, checking shape and duplicate labels.
 * @example createDataset(['A','B'], ['x'], new Float64Array([1, 2])).values[1] // => 2
 * @example createDataset(['A', 'B'], ['x'], new Float64Array(3)) // => throws E_SHAPE (3 values for 2 × 1)
 */
export function createDataset(unitCodes: readonly string[], codes: readonly string[], values?: Float64Array): Dataset {
  const n = unitCodes.length * codes.length;
  const v = values ?? new Float64Array(n).fill(NaN);
  if (v.length !== n) {
    throw new CityIndexError({
      code: 'E_SHAPE',
      message: `dataset has ${v.length} values, expected ${unitCodes.length} units × ${codes.length} codes = ${n}`,
    });
  }
  assertUnique(unitCodes, 'unit code');
  assertUnique(codes, 'code');
  return { unitCodes: [...unitCodes], codes: [...codes], values: v };
}

/**
 * Make a dataset whose labels are already known to be unique (taken from another dataset, or checked by
 * the caller) and whose `values` has the right length: the labels are copied, not re-checked. The fast
 * path for build steps, which would otherwise re-validate every label at every step.
 * @example datasetOf(['A', 'B'], ['x'], new Float64Array(2)).codes // => ['x']
 */
export function datasetOf(unitCodes: readonly string[], codes: readonly string[], values: Float64Array): Dataset {
  if (values.length !== unitCodes.length * codes.length) return createDataset(unitCodes, codes, values);
  return { unitCodes: unitCodes.slice(), codes: codes.slice(), values };
}

function assertUnique(list: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const c of list) {
    if (seen.has(c)) throw new CityIndexError({ code: 'E_DUPLICATE', message: `duplicate ${what} "${c}"` });
    seen.add(c);
  }
}

/** Number of rows (units). */
export function nUnits(ds: Dataset): number {
  return ds.unitCodes.length;
}

/** Index of a column code, or -1. */
export function colIndex(ds: Dataset, code: string): number {
  return ds.codes.indexOf(code);
}

/** Zero-copy view of one column (do not write into it unless you own the dataset). */
export function column(ds: Dataset, code: string | number): Float64Array {
  const j = typeof code === 'number' ? code : colIndex(ds, code);
  if (j < 0)
    throw new CityIndexError({
      code: 'E_UNKNOWN_CODE',
      message: `no column "${String(code)}" in dataset`,
      indicator: String(code),
    });
  const n = ds.unitCodes.length;
  return ds.values.subarray(j * n, (j + 1) * n);
}

/** Value at (unit, code); NaN when missing. */
export function getValue(ds: Dataset, unitCode: string, code: string): number {
  const i = ds.unitCodes.indexOf(unitCode);
  const j = colIndex(ds, code);
  if (i < 0 || j < 0) return NaN;
  return ds.values[j * ds.unitCodes.length + i];
}

/** A deep copy with its own buffer. */
export function cloneDataset(ds: Dataset): Dataset {
  return { unitCodes: [...ds.unitCodes], codes: [...ds.codes], values: ds.values.slice() };
}

/** Keep the given columns, in the given order (unknown codes are an error). */
export function selectColumns(ds: Dataset, codes: readonly string[]): Dataset {
  const n = ds.unitCodes.length;
  const out = new Float64Array(n * codes.length);
  // one lookup table instead of an indexOf per column (quadratic for wide datasets); first occurrence wins, as indexOf
  const colOf = new Map<string, number>();
  for (let j = ds.codes.length - 1; j >= 0; j--) colOf.set(ds.codes[j], j);
  for (let k = 0; k < codes.length; k++) {
    const j = colOf.get(codes[k]);
    out.set(j === undefined ? column(ds, codes[k]) : ds.values.subarray(j * n, (j + 1) * n), k * n);
  }
  return { unitCodes: [...ds.unitCodes], codes: [...codes], values: out };
}

/** Keep the given rows (by unit code), in the given order. */
export function selectUnits(ds: Dataset, unitCodes: readonly string[]): Dataset {
  const n = ds.unitCodes.length;
  const m = unitCodes.length;
  const rowOf = new Map(ds.unitCodes.map((u, i) => [u, i] as const));
  const rows = unitCodes.map((u) => {
    const i = rowOf.get(u);
    if (i === undefined)
      throw new CityIndexError({ code: 'E_UNKNOWN_UNIT', message: `no unit "${u}" in dataset`, unit: u });
    return i;
  });
  let identity = m === n;
  for (let k = 0; identity && k < m; k++) identity = rows[k] === k;
  // all rows in their order (nothing screened out): one block copy instead of a gather
  const out = identity ? ds.values.slice() : new Float64Array(m * ds.codes.length);
  if (!identity)
    for (let j = 0; j < ds.codes.length; j++) for (let k = 0; k < m; k++) out[j * m + k] = ds.values[j * n + rows[k]];
  return { unitCodes: [...unitCodes], codes: [...ds.codes], values: out };
}

/** Append columns of `b` (same units, same order) to `a`. */
export function bindColumns(a: Dataset, b: Dataset): Dataset {
  if (a.unitCodes.length !== b.unitCodes.length || a.unitCodes.some((u, i) => u !== b.unitCodes[i])) {
    throw new CityIndexError({ code: 'E_SHAPE', message: 'bindColumns: datasets have different units' });
  }
  const out = new Float64Array(a.values.length + b.values.length);
  out.set(a.values, 0);
  out.set(b.values, a.values.length);
  return createDataset(a.unitCodes, [...a.codes, ...b.codes], out);
}

/** Rows as plain objects, for printing and tests: `[{ unitCode, [code]: value }]`. */
export function toRecords(ds: Dataset): Array<Record<string, string | number>> {
  const n = ds.unitCodes.length;
  return ds.unitCodes.map((u, i) => {
    const rec: Record<string, string | number> = { unitCode: u };
    ds.codes.forEach((c, j) => {
      rec[c] = ds.values[j * n + i];
    });
    return rec;
  });
}

/** Build a dataset from row records `{ [code]: number | null }` keyed by unit code. */
export function fromRows(
  unitCodes: readonly string[],
  codes: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<number | null | undefined>>,
): Dataset {
  const n = unitCodes.length;
  const out = new Float64Array(n * codes.length).fill(NaN);
  rows.forEach((r, i) =>
    r.forEach((v, j) => {
      out[j * n + i] = v === null || v === undefined ? NaN : v;
    }),
  );
  return createDataset(unitCodes, codes, out);
}
