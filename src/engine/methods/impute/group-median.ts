/**
 * Group median imputation (COINr 1.1.14 `i_median_grp`): the median within a unit group; units with no
 * group stay missing.
 */
import * as z from 'zod';
import { code } from '../../spec/primitives.ts';
import { defineImputation } from './definition.ts';
import { imputeMembersInto, validateGroup } from './group.ts';

/** Options of `{ method: 'groupMedian', group }` (`group` = a unit group column). */
export const GroupMedianImputationSchema = z.strictObject({ method: z.literal('groupMedian'), group: code });

/** `groupMedian`. */
export const groupMedianImputation = defineImputation<typeof GroupMedianImputationSchema>({
  method: 'groupMedian',
  schema: GroupMedianImputationSchema,
  defaults: {},
  byRow: false,
  validate: (o, field, input, issues) => validateGroup('groupMedian', o.group, field, input, issues),
  fill: (o, c) => {
    imputeMembersInto(c.dataset.values, c.membersOf(o.group), 'median', c.out, c.column * c.dataset.unitCodes.length);
  },
  text: { en: (o) => `group median by ${o.group}`, zh: (o) => `按组（${o.group}）中位数插补` },
});
