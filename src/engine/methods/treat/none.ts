/**
 * No treatment: `method: 'none'` leaves every column as it is (status 'skipped'); `fallback: 'none'`
 * keeps stage 1's result even when it still fails the check (status 'stillFailing').
 */
import * as z from 'zod';
import { defineTransform, defineTreatment } from './definition.ts';

/** Options of `{ method: 'none' }`. */
export const NoTreatmentSchema = z.strictObject({ method: z.literal('none') });

/** `none` as a method: no column is treated. */
export const noTreatment = defineTreatment<typeof NoTreatmentSchema>({
  method: 'none',
  schema: NoTreatmentSchema,
  defaults: {},
  forceable: false,
  passStatus: 'transformed',
  text: { en: () => 'no treatment', zh: () => '不处理' },
});

/** `none` as a fallback: no transform after stage 1. */
export const noTransform = defineTransform({
  method: 'none',
  text: { en: () => 'no transform', zh: () => '不变换' },
});
