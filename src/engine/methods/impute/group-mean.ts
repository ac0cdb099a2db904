/**
 * Group mean imputation (COINr 1.1.14 `i_mean_grp`): the mean within a unit group; units with no group
 * stay missing.
 */
import * as z from 'zod';
import { code } from '../../spec/primitives.ts';
import { defineImputation } from './definition.ts';
import { imputeMembersInto, validateGroup } from './group.ts';

/** Options of `{ method: 'groupMean', group }` (`group` = a unit group column). */
export const GroupMeanImputationSchema = z.strictObject({ method: z.literal('groupMean'), group: code });

/** `groupMean`. */
export const groupMeanImputation = defineImputation<typeof GroupMeanImputationSchema>({
  method: 'groupMean',
  schema: GroupMeanImputationSchema,
  defaults: {},
  byRow: false,
  validate: (o, field, input, issues) => validateGroup('groupMean', o.group, field, input, issues),
  fill: (o, c) => {
    imputeMembersInto(c.dataset.values, c.membersOf(o.group), 'mean', c.out, c.column * c.dataset.unitCodes.length);
  },
  text: { en: (o) => `group mean by ${o.group}`, zh: (o) => `按组（${o.group}）均值插补` },
});
