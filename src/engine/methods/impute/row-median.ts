/**
 * Row median imputation (COINr 1.1.14 `Impute(impute_by = "row")`): within the indicators sharing a
 * level-`parentLevel` ancestor (default 2), normalised first as COINr.
 */
import * as z from 'zod';
import { defineImputation } from './definition.ts';
import { ROW_IMPUTATION_DEFAULTS, validateRow } from './row.ts';

/** Options of `{ method: 'rowMedian', parentLevel?, normaliseFirst? }`. */
export const RowMedianImputationSchema = z.strictObject({
  method: z.literal('rowMedian'),
  parentLevel: z.number().int().min(2).optional(),
  normaliseFirst: z.boolean().optional(),
});

/** `rowMedian`. */
export const rowMedianImputation = defineImputation<typeof RowMedianImputationSchema>({
  method: 'rowMedian',
  schema: RowMedianImputationSchema,
  defaults: ROW_IMPUTATION_DEFAULTS,
  byRow: true,
  validate: (o, field, input, issues) => validateRow(o, field, input, issues),
  fill: (o, c) => {
    const level = o.parentLevel ?? ROW_IMPUTATION_DEFAULTS.parentLevel;
    const normaliseFirst = o.normaliseFirst ?? ROW_IMPUTATION_DEFAULTS.normaliseFirst;
    c.joinRowBlock(`rowMedian|${level}|${normaliseFirst}|${c.ancestorAt(level) ?? ''}`, 'median', normaliseFirst);
  },
  text: {
    en: () => 'row median within the parent (normalised first)',
    zh: () => '同一维度内行中位数插补（先标准化）',
  },
});
