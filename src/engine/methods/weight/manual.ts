/**
 * Manual weights: the weights of the level's nodes as given (`weights[code]`); a node not named keeps
 * its framework weight. A negative weight is allowed with a warning (only the arithmetic mean takes it).
 */
import * as z from 'zod';
import { CityIndexError, type Issue } from '../../core/errors.ts';
import { didYouMean, didYouMeanHint } from '../../core/did-you-mean.ts';
import { code, finiteNumber } from '../../spec/primitives.ts';
import {
  defineWeighting,
  type WeightGroupDiagnostics,
  type WeightLevelContext,
  type WeightLevelResult,
} from './definition.ts';

/** Options of `{ method: 'manual', weights }`. */
export const ManualWeightingSchema = z.strictObject({
  method: z.literal('manual'),
  weights: z.record(code, finiteNumber),
});

/** Check the given weights against the level and set them; every group is listed in the diagnostics. */
function manualLevel(ctx: WeightLevelContext, given: Record<string, number>): WeightLevelResult {
  const issues: Issue[] = [];
  const warnings: Issue[] = [];
  const atLevel = new Set(ctx.input.framework.nodes.filter((nd) => nd.level === ctx.level).map((nd) => nd.code));
  const weights = new Map<string, number>();
  const levelCodes = [...atLevel].slice(0, 20).join(', ') + (atLevel.size > 20 ? ', …' : '');
  for (const [code, w] of Object.entries(given ?? {})) {
    if (!atLevel.has(code)) {
      const nd = ctx.input.framework.nodes.find((x) => x.code === code);
      issues.push({
        code: 'E_UNKNOWN_CODE',
        message: nd
          ? `manual weight for "${code}", which is at level ${nd.level}, not ${ctx.level}`
          : `manual weight for unknown code "${code}"${didYouMeanHint(didYouMean(code, atLevel))}`,
        field: `weighting.weights.${code}`,
        indicator: code,
        expected: `a code at level ${ctx.level}: ${levelCodes}`,
      });
    } else if (typeof w !== 'number' || !Number.isFinite(w)) {
      issues.push({
        code: 'E_WEIGHT',
        message: `manual weight of "${code}" is ${String(w)}`,
        field: `weighting.weights.${code}`,
        indicator: code,
        expected: 'a finite number',
      });
    } else {
      if (w < 0)
        warnings.push({
          code: 'W_NEGATIVE_WEIGHT',
          severity: 'warning',
          message:
            `manual weight of "${code}" is negative (${w}): ` +
            "it reverses the indicator's effect, and only the arithmetic mean accepts it",
          indicator: code,
        });
      weights.set(code, w);
    }
  }
  if (issues.length) throw new CityIndexError(issues);
  const groups: WeightGroupDiagnostics[] = [];
  for (const [parent, kids] of ctx.byParent) {
    groups.push({
      parent: parent || null,
      codes: kids.map((k) => k.code),
      method: 'manual',
      weights: kids.map((k) => weights.get(k.code) ?? k.weight),
    });
  }
  return { weights, groups, warnings };
}

/** `manual`: weights as given. */
export const manualWeighting = defineWeighting<typeof ManualWeightingSchema>({
  method: 'manual',
  schema: ManualWeightingSchema,
  defaults: {},
  level: (o, ctx) => manualLevel(ctx, o.weights),
  text: { en: () => 'manual weights', zh: () => '人工设定权重' },
});
