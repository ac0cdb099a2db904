/**
 * Unit groupings for the analyses (regions, north/south, clusters, tiers): turning a per-unit label
 * array into group member lists. Two readings:
 * - `indexGroups` — memberships may overlap (`长三角|京津冀` puts a unit in both); units without a group
 *   are collected as `ungrouped`, never dropped.
 * - `partitionGroups` — every unit in exactly one group, as inequality decompositions need; units without
 *   a group form the explicit group `UNGROUPED`.
 * Shared by regional.ts, inequality.ts and tiers.ts.
 */
import { CityIndexError } from '../core/errors.ts';

/** Label of the group that collects units with no group (empty or missing label). */
export const UNGROUPED = '(ungrouped)';

/** One unit's group label: a name, several names joined by the separator, or null/empty for none. */
export type GroupLabel = string | null | undefined;

export interface GroupIndexOptions {
  /** Separator for multiple memberships (default `'|'`); `null` reads every label literally. */
  separator?: string | null;
  /**
   * Declared groups in report order. Every declared group must have a member; labels not declared are an error.
   * Default: order of first appearance.
   */
  order?: readonly string[];
  /** Unit codes (same order as the labels), used to name units in error messages. */
  codes?: readonly string[];
  /** What the grouping is called in error messages (default `groups`). */
  field?: string;
}

export interface GroupIndex {
  /** Group names in report order (without the ungrouped set). */
  labels: string[];
  /** Unit indices of each group, same order as `labels`. */
  members: Int32Array[];
  /** Indices of units that belong to no group. */
  ungrouped: number[];
  /** True when at least one unit belongs to two or more groups. */
  overlapping: boolean;
}

/**
 * Name a unit in messages: its code if known, else its 0-based index.
 * @example unitName(1, ['110100', '120100']) // => '120100 (index 1)'
 */
export function unitName(i: number, codes?: readonly string[]): string {
  return codes && codes[i] !== undefined ? `${codes[i]} (index ${i})` : `index ${i}`;
}

/** Split one label into trimmed, non-empty, de-duplicated names. */
function splitLabel(label: GroupLabel, separator: string | null): string[] {
  if (label === null || label === undefined) return [];
  const parts = separator === null ? [label] : label.split(separator);
  const out: string[] = [];
  for (const p of parts) {
    const t = p.trim();
    if (t !== '' && !out.includes(t)) out.push(t);
  }
  return out;
}

/**
 * Index a (possibly multi-membership) grouping.
 * @example indexGroups(['East', 'East|YRD', null], 3).members.map((m) => [...m]) // => [[0, 1], [1]]
 * // .labels => ['East', 'YRD'], .ungrouped => [2], .overlapping => true
 */
export function indexGroups(groupOf: readonly GroupLabel[], n: number, options: GroupIndexOptions = {}): GroupIndex {
  const { separator = '|', order, codes, field = 'groups' } = options;
  checkLength(groupOf, n, field);
  const lists = new Map<string, number[]>();
  if (order) {
    for (const g of order) {
      if (lists.has(g))
        throw new CityIndexError({ code: 'E_DUPLICATE_GROUP', message: `group "${g}" is declared twice`, field });
      lists.set(g, []);
    }
  }
  const ungrouped: number[] = [];
  let overlapping = false;
  for (let i = 0; i < n; i++) {
    const names = splitLabel(groupOf[i], separator);
    if (names.length === 0) ungrouped.push(i);
    if (names.length > 1) overlapping = true;
    for (const g of names) {
      let list = lists.get(g);
      if (!list) {
        if (order) {
          throw new CityIndexError({
            code: 'E_UNKNOWN_GROUP',
            message: `unit ${unitName(i, codes)} has group "${g}", which is not among the declared groups`,
            field,
            unit: codes?.[i],
            expected: order.join(', '),
          });
        }
        list = [];
        lists.set(g, list);
      }
      list.push(i);
    }
  }
  for (const [g, list] of lists) {
    if (list.length === 0)
      throw new CityIndexError({
        code: 'E_EMPTY_GROUP',
        message: `declared group "${g}" has no units`,
        field,
        expected: 'at least one unit per declared group',
      });
  }
  return {
    labels: [...lists.keys()],
    members: [...lists.values()].map((l) => Int32Array.from(l)),
    ungrouped,
    overlapping,
  };
}

export interface Partition {
  /** Group names in report order; `UNGROUPED` last when some units have no group. */
  labels: string[];
  /** Unit indices of each group. */
  members: Int32Array[];
  /** Group index of each unit. */
  groupIndex: Int32Array;
}

/**
 * Read a grouping as a partition (each unit in exactly one group). Units with no group go to the group
 * `UNGROUPED`; a label holding the separator (multi-membership) is an error because a decomposition
 * would count that unit twice.
 * @example partitionGroups(['a', 'b', 'a', null], 4).labels // => ['a', 'b', '(ungrouped)']
 */
export function partitionGroups(
  groupOf: readonly GroupLabel[],
  n: number,
  options: Omit<GroupIndexOptions, 'separator'> & { separator?: string } = {},
): Partition {
  const { separator = '|', codes, field = 'groups' } = options;
  checkLength(groupOf, n, field);
  for (let i = 0; i < n; i++) {
    if (splitLabel(groupOf[i], separator).length > 1) {
      throw new CityIndexError({
        code: 'E_MULTI_MEMBERSHIP',
        message:
          `unit ${unitName(i, codes)} is in several groups ("${groupOf[i]}"); ` +
          'this analysis needs each unit in exactly one group',
        field,
        unit: codes?.[i],
        expected: 'one group per unit (use a grouping without "|")',
      });
    }
  }
  const idx = indexGroups(groupOf, n, { ...options, separator });
  const labels = [...idx.labels];
  const members = [...idx.members];
  if (idx.ungrouped.length > 0) {
    if (labels.includes(UNGROUPED))
      throw new CityIndexError({
        code: 'E_RESERVED_GROUP',
        message: `the group name "${UNGROUPED}" is reserved for units with no group`,
        field,
      });
    labels.push(UNGROUPED);
    members.push(Int32Array.from(idx.ungrouped));
  }
  const groupIndex = new Int32Array(n);
  members.forEach((m, g) => {
    for (const i of m) groupIndex[i] = g;
  });
  return { labels, members, groupIndex };
}

function checkLength(groupOf: readonly GroupLabel[], n: number, field: string): void {
  if (groupOf.length !== n) {
    throw new CityIndexError({
      code: 'E_SHAPE',
      message: `${field} has ${groupOf.length} labels but there are ${n} units`,
      field,
      expected: `${n} labels, one per unit`,
    });
  }
}
