/**
 * Row mean imputation (COINr 1.1.14 `Impute(impute_by = "row")`): within the indicators sharing a
 * level-`parentLevel` ancestor (default 2), normalised first as COINr.
 */
import { defineRowImputation, rowImputationSchema } from './row.ts';

/** Options of `{ method: 'rowMean', parentLevel?, normaliseFirst? }`. */
export const RowMeanImputationSchema = rowImputationSchema('rowMean');

/** `rowMean`. */
export const rowMeanImputation = defineRowImputation(RowMeanImputationSchema, 'mean', {
  en: 'row mean within the parent (normalised first)',
  zh: '同一维度内行均值插补（先标准化）',
});
