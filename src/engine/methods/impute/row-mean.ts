/**
 * Row mean imputation (COINr 1.1.14 `Impute(impute_by = "row")`): within the indicators sharing a
 * level-`parentLevel` ancestor (default 2), normalised first as COINr.
 */
import * as z from 'zod';
import { defineImputation } from './definition.ts';
import { ROW_IMPUTATION_DEFAULTS, validateRow } from './row.ts';

/** Options of `{ method: 'rowMean', parentLevel?, normaliseFirst? }`. */
export const RowMeanImputationSchema = z.strictObject({
  method: z.literal('rowMean'),
  parentLevel: z.number().int().min(2).optional(),
  normaliseFirst: z.boolean().optional(),
});

/** `rowMean`. */
export const rowMeanImputation = defineImputation<typeof RowMeanImputationSchema>({
  method: 'rowMean',
  schema: RowMeanImputationSchema,
  defaults: ROW_IMPUTATION_DEFAULTS,
  byRow: true,
  validate: (o, field, input, issues) => validateRow(o, field, input, issues),
  fill: (o, c) => {
    const level = o.parentLevel ?? ROW_IMPUTATION_DEFAULTS.parentLevel;
    const normaliseFirst = o.normaliseFirst ?? ROW_IMPUTATION_DEFAULTS.normaliseFirst;
    c.joinRowBlock(`rowMean|${level}|${normaliseFirst}|${c.ancestorAt(level) ?? ''}`, 'mean', normaliseFirst);
  },
  text: {
    en: () => 'row mean within the parent (normalised first)',
    zh: () => '同一维度内行均值插补（先标准化）',
  },
});
