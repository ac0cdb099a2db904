/**
 * Kernels of group imputation (COINr 1.1.14 `i_mean_grp` / `i_median_grp`): the mean/median within a
 * unit group (a `units.csv` column); units with no group stay missing. Used by `group-mean.ts` and
 * `group-median.ts`, which also share `validateGroup`.
 */
import { CityIndexError, type Issue } from '../../core/errors.ts';
import type { StepInput } from '../../pipeline/step.ts';
import { median } from '../../stats/descriptive.ts';
import type { Stat } from './definition.ts';

/**
 * Replace NaN by the mean/median of the unit's group (COINr `i_mean_grp` / `i_median_grp` with
 * `skip_f_na = TRUE`): values whose group is null stay as they are, and a group with no data stays NaN.
 * @example
 * const groups = ['a', 'a', 'a', 'b', null];
 * imputeColumnByGroup(new Float64Array([1, NaN, 3, 10, NaN]), groups, 'mean') // => Float64Array [1, 2, 3, 10, NaN]
 */
export function imputeColumnByGroup(
  x: ArrayLike<number>,
  groups: ReadonlyArray<string | null | undefined>,
  stat: Stat,
): Float64Array {
  if (groups.length !== x.length) {
    throw new CityIndexError({
      code: 'E_SHAPE',
      message: `imputeColumnByGroup: ${groups.length} group labels for ${x.length} values`,
    });
  }
  return imputeByMembers(x, groupMembers(groups), stat);
}

/** Row indices of each group, in first-appearance order; null/undefined labels belong to no group. */
export function groupMembers(groups: ReadonlyArray<string | null | undefined>): Int32Array[] {
  const members = new Map<string, number[]>();
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i];
    if (g === null || g === undefined) continue;
    let list = members.get(g);
    if (!list) members.set(g, (list = []));
    list.push(i);
  }
  return [...members.values()].map((idx) => Int32Array.from(idx));
}

function imputeByMembers(x: ArrayLike<number>, members: readonly Int32Array[], stat: Stat): Float64Array {
  return imputeMembersInto(x, members, stat, Float64Array.from(x), 0);
}

/**
 * Fill the NaN of `out` (a copy of `x`) at each group's rows with the group's mean/median of `x`, for
 * the column starting at `offset` of both (rows are offset + member index). The mean is summed in
 * member order, as `mean` over the group's values, so the result is bit-identical.
 */
export function imputeMembersInto(
  x: ArrayLike<number>,
  members: readonly Int32Array[],
  stat: Stat,
  out: Float64Array,
  offset: number,
): Float64Array {
  let scratch: Float64Array | null = null;
  for (const idx of members) {
    let missing = false;
    for (let k = 0; k < idx.length; k++)
      if (Number.isNaN(x[offset + idx[k]])) {
        missing = true;
        break;
      }
    if (!missing) continue;
    let v: number;
    if (stat === 'mean') {
      let t = 0;
      let c = 0;
      for (let k = 0; k < idx.length; k++) {
        const y = x[offset + idx[k]];
        if (!Number.isNaN(y)) {
          t += y;
          c++;
        }
      }
      v = c === 0 ? NaN : t / c;
    } else {
      if (scratch === null || scratch.length < idx.length) scratch = new Float64Array(idx.length);
      const vals = scratch.subarray(0, idx.length);
      for (let k = 0; k < idx.length; k++) vals[k] = x[offset + idx[k]];
      v = median(vals);
    }
    for (let k = 0; k < idx.length; k++) if (Number.isNaN(out[offset + idx[k]])) out[offset + idx[k]] = v;
  }
  return out;
}

/**
 * The group column must exist in the units table; the issue lists the known columns.
 * @example
 * import type { Issue } from '../../core/errors.ts';
 * const { framework, units } = asem.input;
 * const input = { dataset: asem.build.raw, framework, units };
 * const issues: Issue[] = [];
 * validateGroup('groupMean', 'EurAsia_group', '', input, issues);
 * issues.length // => 0 (ASEM's units have this column)
 * validateGroup('groupMean', 'Continent', '', input, issues);
 * issues.map((issue) => issue.code) // => ['E_UNKNOWN_GROUP']
 */
export function validateGroup(method: string, group: string, field: string, input: StepInput, issues: Issue[]): void {
  if (group === '') {
    issues.push({
      code: 'E_OPTION',
      message: `impute: ${method} needs a unit group column name`,
      field: `${field}group`,
    });
    return;
  }
  if (input.units.some((u) => Object.hasOwn(u.groups, group))) return;
  const known = new Set<string>();
  for (const u of input.units) for (const k of Object.keys(u.groups)) known.add(k);
  issues.push({
    code: 'E_UNKNOWN_GROUP',
    message: `impute: no unit group column "${group}"`,
    field: `${field}group`,
    expected: known.size ? `one of ${[...known].join(', ')}` : 'a group column in the units table',
  });
}
