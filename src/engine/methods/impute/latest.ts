/**
 * Panel imputation, latest earlier value (COINr 1.1.14 `impute_panel(imp_type = "latest", max_time)`).
 * Deliberate difference: with no history the NAs stay and a warning is recorded (COINr stops).
 */
import * as z from 'zod';
import { colIndex, type Dataset } from '../../core/dataset.ts';
import { defineImputation } from './definition.ts';

/** Options of `{ method: 'latest', maxLag? }`: within `maxLag` periods if given. */
export const LatestImputationSchema = z.strictObject({
  method: z.literal('latest'),
  maxLag: z.number().int().min(1).optional(),
});

/**
 * Panel imputation, latest earlier value (COINr `impute_panel(imp_type = "latest", max_time)`): each
 * NaN gets the value of the same unit and indicator in the most recent earlier period that has one,
 * looking back at most `maxLag` periods. `history` is oldest first.
 * @example
 * import { fromRows } from '../../core/dataset.ts';
 * const history = [{ period: '2019', dataset: fromRows(['A'], ['x'], [[7]]) }];
 * imputeLatestColumn(new Float64Array([NaN]), ['A'], 'x', history).values // => Float64Array [7]
 */
export function imputeLatestColumn(
  x: ArrayLike<number>,
  unitCodes: readonly string[],
  code: string,
  history: ReadonlyArray<{ period: string; dataset: Dataset }>,
  maxLag?: number,
): { values: Float64Array; periods: Array<string | null> } {
  const values = Float64Array.from(x);
  const periods: Array<string | null> = new Array<string | null>(values.length).fill(null);
  const first = maxLag === undefined ? 0 : Math.max(0, history.length - maxLag);
  const lookups = history
    .slice(first)
    .reverse()
    .map((h) => ({
      period: h.period,
      ds: h.dataset,
      col: colIndex(h.dataset, code),
      rows: new Map(h.dataset.unitCodes.map((u, i) => [u, i] as const)),
    }));
  for (let i = 0; i < values.length; i++) {
    if (!Number.isNaN(values[i])) continue;
    for (const h of lookups) {
      if (h.col < 0) continue;
      const r = h.rows.get(unitCodes[i]);
      if (r === undefined) continue;
      const v = h.ds.values[h.col * h.ds.unitCodes.length + r];
      if (!Number.isNaN(v)) {
        values[i] = v;
        periods[i] = h.period;
        break;
      }
    }
  }
  return { values, periods };
}

/** `latest`. */
export const latestImputation = defineImputation<typeof LatestImputationSchema>({
  method: 'latest',
  schema: LatestImputationSchema,
  defaults: {},
  byRow: false,
  validate: (o, field, _input, issues) => {
    if (o.maxLag !== undefined && !(Number.isInteger(o.maxLag) && o.maxLag >= 1)) {
      issues.push({
        code: 'E_OPTION',
        message: `impute: maxLag must be a positive integer, got ${String(o.maxLag)}`,
        field: `${field}maxLag`,
        expected: 'an integer ≥ 1',
      });
    }
  },
  fill: (o, c) => {
    if (c.history.length === 0) {
      c.warnOnce({
        code: 'W_NO_HISTORY',
        severity: 'warning',
        message: 'impute: method "latest" needs earlier periods (history), none given; values left missing',
      });
      return;
    }
    const r = imputeLatestColumn(c.values, c.dataset.unitCodes, c.code, c.history, o.maxLag);
    c.write(r.values);
    r.periods.forEach((p, i) => {
      if (p !== null) c.period(i, p);
    });
  },
  text: { en: () => 'latest earlier period', zh: () => '取最近一期的值' },
});
