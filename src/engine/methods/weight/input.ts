/**
 * Shared input checks for the weighting kernels: a column-major m × n matrix of finite numbers, with
 * optional unit and indicator labels so that every error names where the problem is.
 */
import { CityIndexError, type Issue } from '../../core/errors.ts';

/** Labels used in located errors (row = unit, column = indicator). */
export interface MatrixLabels {
  /** Unit codes in row order (for error messages). */
  unitCodes?: readonly string[];
  /** Indicator codes in column order (for error messages). */
  indicatorCodes?: readonly string[];
}

/**
 * Name of column j for messages: its code when known, else `column j+1`.
 * @example indicatorName({ indicatorCodes: ['GDP'] }, 1) // => 'column 2'
 */
export function indicatorName(labels: MatrixLabels | undefined, j: number): string {
  return labels?.indicatorCodes?.[j] ?? `column ${j + 1}`;
}

/**
 * Name of row i for messages: its unit code when known, else `row i+1`.
 * @example unitName({ unitCodes: ['CHE', 'NLD'] }, 1) // => 'NLD'
 */
export function unitName(labels: MatrixLabels | undefined, i: number): string {
  return labels?.unitCodes?.[i] ?? `row ${i + 1}`;
}

/**
 * Check shape and finiteness of a column-major matrix; throws one `CityIndexError` listing every
 * non-finite cell (up to 20) with its unit and indicator.
 * @example checkMatrix(new Float64Array([1, 2, 3, 4]), 2, 2, 'entropy') // => undefined (no throw)
 */
export function checkMatrix(
  X: Float64Array,
  m: number,
  n: number,
  method: string,
  labels?: MatrixLabels,
  minRows = 2,
): void {
  if (!Number.isInteger(m) || !Number.isInteger(n) || m < 0 || n < 1 || X.length !== m * n) {
    throw new CityIndexError({
      code: 'E_SHAPE',
      message: `${method}: matrix has ${X.length} values, expected ${m} units × ${n} indicators`,
      expected: 'X.length = m × n with n ≥ 1',
    });
  }
  if (m < minRows) {
    throw new CityIndexError({
      code: 'E_TOO_FEW_UNITS',
      message: `${method} weights need at least ${minRows} units with complete data, found ${m}`,
      expected: `≥ ${minRows} units`,
    });
  }
  const issues: Issue[] = [];
  for (let j = 0; j < n && issues.length < 20; j++) {
    for (let i = 0; i < m && issues.length < 20; i++) {
      if (!Number.isFinite(X[j * m + i])) {
        issues.push({
          code: 'E_NOT_FINITE',
          message: `${method}: value is missing or not finite`,
          unit: unitName(labels, i),
          indicator: indicatorName(labels, j),
          expected: 'a finite number (drop or impute missing values first)',
        });
      }
    }
  }
  if (issues.length) throw new CityIndexError(issues);
}

/**
 * Divide by the sum so the weights add to 1 (in place); throws when the sum is not positive, with one
 * issue per indicator (named from `labels` when given).
 * @example Array.from(normaliseToUnitSum(new Float64Array([1, 3]), 'x')) // => [0.25, 0.75]
 */
export function normaliseToUnitSum(w: Float64Array, method: string, labels?: MatrixLabels): Float64Array {
  let s = 0;
  for (let j = 0; j < w.length; j++) s += w[j];
  if (!(s > 0) || !Number.isFinite(s)) {
    const message =
      `${method}: the raw weights sum to ${s}, so they cannot be normalised ` +
      '(every indicator is constant or carries no information)';
    const expected = 'at least one indicator with variation';
    throw new CityIndexError(
      w.length
        ? Array.from(w, (v, j) => ({
            code: 'E_WEIGHTS_UNDEFINED',
            message: `${message}; raw weight ${v}`,
            indicator: indicatorName(labels, j),
            expected,
          }))
        : { code: 'E_WEIGHTS_UNDEFINED', message, expected },
    );
  }
  for (let j = 0; j < w.length; j++) w[j] /= s;
  return w;
}

/**
 * Population mean and standard deviation of column j of a column-major m × n matrix.
 * @example columnMeanSd(new Float64Array([2, 4, 4, 4, 5, 5, 7, 9]), 8, 0) // => { mean: 5, sd: 2 }
 */
export function columnMeanSd(X: Float64Array, m: number, j: number): { mean: number; sd: number } {
  let s = 0;
  for (let i = 0; i < m; i++) s += X[j * m + i];
  const mu = s / m;
  let ss = 0;
  for (let i = 0; i < m; i++) {
    const d = X[j * m + i] - mu;
    ss += d * d;
  }
  return { mean: mu, sd: Math.sqrt(ss / m) };
}
