/**
 * Row median imputation (COINr 1.1.14 `Impute(impute_by = "row")`): within the indicators sharing a
 * level-`parentLevel` ancestor (default 2), normalised first as COINr.
 */
import { defineRowImputation, rowImputationSchema } from './row.ts';

/** Options of `{ method: 'rowMedian', parentLevel?, normaliseFirst? }`. */
export const RowMedianImputationSchema = rowImputationSchema('rowMedian');

/** `rowMedian`. */
export const rowMedianImputation = defineRowImputation(RowMedianImputationSchema, 'median', {
  en: 'row median within the parent (normalised first)',
  zh: '同一维度内行中位数插补（先标准化）',
});
