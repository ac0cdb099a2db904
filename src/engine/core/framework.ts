/**
 * Framework: the indicator tree (index → dimensions → … → indicators) and the units being evaluated.
 * Levels are numbered bottom-up as in COINr: indicators are level 1, the index is the top level.
 */
import { CityIndexError, type Issue } from './errors.ts';

/** Bilingual text. At least one of the two is present. */
export interface LocalText {
  zh?: string;
  en?: string;
}

/** Where a value comes from. */
export interface SourceRef {
  name?: string;
  url?: string;
  year?: string | number;
  licence?: string;
  file?: string;
  notes?: string;
}

export type NodeKind = 'indicator' | 'aggregate';

export interface FrameworkNode {
  code: string;
  name: LocalText;
  /** 1 = indicator; parents are one level above their children. */
  level: number;
  /** Parent code, or null for the root (the index). */
  parent: string | null;
  kind: NodeKind;
  /** Weight relative to siblings (rescaled within each parent when effective weights are computed). */
  weight: number;
  /** +1 higher is better, −1 lower is better. Aggregates are +1. */
  direction: 1 | -1;
  unit?: string;
  source?: SourceRef;
  /** Code of a denominator column (COINr `Denominator`); the value is divided by denominator/scaleFactor. */
  denominator?: string;
  scaleFactor?: number;
  /** COINr `Target` (distance-to-target normalisation). */
  target?: number;
  /** Goalposts for normalisation. */
  goalposts?: { lower: number; upper: number; scale?: number };
  /** `not_collected`: listed in the framework but no public data; kept out of the build and shown as a gap. */
  status?: 'collected' | 'not_collected';
  notes?: string;
  /**
   * False when the evaluated unit cannot act on the indicator (e.g. a provincial platform's score, or one
   * private platform's usage data): what-if and gap advice leave it out. Default true.
   */
  controllable?: boolean;
  /** Extra per-indicator metadata (COINr iMeta columns such as `minmax_lower`). */
  extras?: Record<string, string | number | null>;
}

export interface Framework {
  nodes: FrameworkNode[];
  /** Names of levels, index 0 = level 1. */
  levelNames?: LocalText[];
  /** Denominator columns that are not indicators (e.g. population, GDP). */
  denominators?: Array<{ code: string; name: LocalText; unit?: string; source?: SourceRef }>;
}

export interface Unit {
  code: string;
  name: LocalText;
  /** Categorical attributes: region, north/south, province, cluster ("a|b" for several memberships). */
  groups: Record<string, string | null>;
  /** Numeric attributes: lon, lat, population, gdp … */
  attributes: Record<string, number | null>;
}

/**
 * A unit's value in the group column `field`: the label, null when empty, undefined when the unit has
 * no such column. Own columns only, so a column named `constructor` or `__proto__` is an ordinary name.
 * @example
 * const u = { code: 'a', name: {}, groups: { region: 'east' }, attributes: {} };
 * unitGroup(u, 'constructor') // => undefined
 * unitGroup(u, 'region') // => 'east'
 */
export function unitGroup(u: Unit | undefined, field: string): string | null | undefined {
  return u && Object.hasOwn(u.groups, field) ? u.groups[field] : undefined;
}

/**
 * A unit's numeric attribute `name` (null when empty, undefined when absent); own columns only.
 * @example unitAttribute({ code: 'a', name: {}, groups: {}, attributes: { lon: 120 } }, 'lon') // => 120
 */
export function unitAttribute(u: Unit | undefined, name: string): number | null | undefined {
  return u && Object.hasOwn(u.attributes, name) ? u.attributes[name] : undefined;
}

/** Indicators in framework order (only `collected` ones unless `includeGaps`). */
export function indicatorNodes(fw: Framework, includeGaps = false): FrameworkNode[] {
  return fw.nodes.filter((n) => n.kind === 'indicator' && (includeGaps || n.status !== 'not_collected'));
}

/** The highest level number (the index level). */
export function topLevel(fw: Framework): number {
  let max = 1;
  for (const n of fw.nodes) if (n.level > max) max = n.level;
  return max;
}

/** Children of a node, in framework order. */
export function childrenOf(fw: Framework, code: string): FrameworkNode[] {
  return fw.nodes.filter((n) => n.parent === code);
}

/** Node by code (throws a located error if absent). */
export function nodeByCode(fw: Framework, code: string): FrameworkNode {
  const n = fw.nodes.find((x) => x.code === code);
  if (!n) throw new CityIndexError({ code: 'E_UNKNOWN_CODE', message: `no framework node "${code}"`, indicator: code });
  return n;
}

/**
 * Structural checks of a framework: unique codes, known parents, no cycles, levels consistent
 * (parent level = child level + 1), indicators at level 1, one root. Returns all issues found.
 */
export function checkFramework(fw: Framework, file = 'framework'): Issue[] {
  const issues: Issue[] = [];
  const byCode = new Map<string, FrameworkNode>();
  for (const n of fw.nodes) {
    if (byCode.has(n.code))
      issues.push({
        code: 'E_DUPLICATE_CODE',
        message: `duplicate node code "${n.code}"`,
        file,
        field: 'code',
        indicator: n.code,
        expected: 'each code once in the framework',
      });
    byCode.set(n.code, n);
  }
  for (const n of fw.nodes) {
    if (n.parent !== null && !byCode.has(n.parent)) {
      issues.push({
        code: 'E_UNKNOWN_PARENT',
        message: `parent "${n.parent}" of "${n.code}" is not in the framework`,
        file,
        field: 'parent',
        indicator: n.code,
        expected: 'the code of another node of the framework',
      });
    }
    if (!Number.isFinite(n.weight))
      issues.push({
        code: 'E_WEIGHT',
        message: `weight of "${n.code}" is not a finite number`,
        file,
        field: 'weight',
        indicator: n.code,
        expected: 'a finite number',
      });
    if (n.direction !== 1 && n.direction !== -1)
      issues.push({
        code: 'E_DIRECTION',
        message: `direction of "${n.code}" must be 1 or -1`,
        file,
        field: 'direction',
        indicator: n.code,
        expected: '1 or -1',
      });
  }
  // cycles
  for (const n of fw.nodes) {
    const seen = new Set<string>([n.code]);
    let p = n.parent;
    while (p !== null) {
      if (seen.has(p)) {
        issues.push({
          code: 'E_CYCLE',
          message: `the framework tree has a cycle through "${n.code}"`,
          file,
          field: 'parent',
          indicator: n.code,
          expected: 'a tree: following the parents from any node reaches the index without returning',
        });
        break;
      }
      seen.add(p);
      p = byCode.get(p)?.parent ?? null;
    }
  }
  if (issues.some((i) => i.code === 'E_CYCLE' || i.code === 'E_UNKNOWN_PARENT')) return issues;
  for (const n of fw.nodes) {
    if (n.kind === 'indicator' && n.level !== 1)
      issues.push({
        code: 'E_LEVEL',
        message: `indicator "${n.code}" must be at level 1, found ${n.level}`,
        file,
        field: 'level',
        indicator: n.code,
        expected: 'level 1',
      });
    if (n.parent !== null) {
      const p = byCode.get(n.parent)!;
      if (p.kind === 'indicator')
        issues.push({
          code: 'E_LEVEL',
          message: `"${n.parent}" has children but is an indicator`,
          file,
          field: 'parent',
          indicator: n.code,
          expected: 'an aggregate (Type Aggregate) as parent',
        });
      if (p.level !== n.level + 1)
        issues.push({
          code: 'E_LEVEL',
          message: `"${n.code}" is at level ${n.level} but its parent "${p.code}" is at level ${p.level}`,
          file,
          field: 'level',
          indicator: n.code,
          expected: `level ${p.level - 1}`,
        });
    }
    if (n.kind === 'aggregate' && !fw.nodes.some((c) => c.parent === n.code)) {
      issues.push({
        code: 'E_EMPTY_AGGREGATE',
        message: `aggregate "${n.code}" has no children`,
        file,
        indicator: n.code,
        expected: 'at least one child (an indicator or an aggregate one level below)',
      });
    }
  }
  const roots = fw.nodes.filter((n) => n.parent === null);
  if (roots.length !== 1)
    issues.push({
      code: 'E_ROOT',
      message:
        `the framework must have exactly one root (the index), found ${roots.length}: ` +
        roots.map((r) => r.code).join(', '),
      file,
      expected: 'one node without a parent',
    });
  if (!fw.nodes.some((n) => n.kind === 'indicator'))
    issues.push({
      code: 'E_NO_INDICATORS',
      message: 'the framework has no indicators',
      file,
      expected: 'at least one indicator',
    });
  return issues;
}
