/** Tiny hand-checkable frameworks for the audit and what-if tests (test-only). */
import { fromRows } from '../../core/dataset.ts';
import type { Framework, FrameworkNode, Unit } from '../../core/framework.ts';
import type { BuildInput } from '../../pipeline/build.ts';

const node = (
  code: string,
  level: number,
  parent: string | null,
  kind: FrameworkNode['kind'],
  direction: 1 | -1 = 1,
): FrameworkNode => ({ code, name: { en: code }, level, parent, kind, weight: 1, direction });

/** Index I = mean(P, Q); P = mean(a, b); Q = c. Effective weights a 1/4, b 1/4, c 1/2. */
export function tinyFramework(directionB: 1 | -1 = 1): Framework {
  return {
    nodes: [
      node('a', 1, 'P', 'indicator'),
      node('b', 1, 'P', 'indicator', directionB),
      node('c', 1, 'Q', 'indicator'),
      node('P', 2, 'I', 'aggregate'),
      node('Q', 2, 'I', 'aggregate'),
      node('I', 3, null, 'aggregate'),
    ],
  };
}

/** Units with a `region` group. */
export function tinyUnits(codes: readonly string[], regions: readonly string[]): Unit[] {
  return codes.map((code, i) => ({ code, name: { en: code }, groups: { region: regions[i] }, attributes: {} }));
}

/** A build input over `tinyFramework` from rows [a, b, c] per unit. */
export function tinyInput(
  codes: readonly string[],
  rows: number[][],
  regions?: readonly string[],
  directionB: 1 | -1 = 1,
): BuildInput {
  return {
    framework: tinyFramework(directionB),
    units: tinyUnits(codes, regions ?? codes.map(() => 'all')),
    raw: fromRows(codes, ['a', 'b', 'c'], rows),
  };
}
