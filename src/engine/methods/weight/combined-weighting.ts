/**
 * `combined`: w = α·subjective + (1−α)·objective (additive) or ∝ subjective·objective (multiplicative),
 * per parent group, from two nested weighting methods (kernel: `combinedWeights` in `combined.ts`).
 *
 * The options nest two methods of the union, so the schema refers back to `WeightMethodSchema` through
 * getters (read when zod first walks the shape, after `index.ts` has built the union). This file is
 * therefore loaded through `index.ts`, never on its own: `index.ts` lists it, and it reads the union.
 */
import * as z from 'zod';
import { CityIndexError } from '../../core/errors.ts';
import { share } from '../../spec/primitives.ts';
import { combinedWeights } from './combined.ts';
import {
  defineWeighting,
  toArr,
  type WeightComponentDiagnostics,
  type WeightGroupDiagnostics,
  type WeightLevelContext,
  type WeightLevelResult,
} from './definition.ts';
import { WEIGHT_REGISTRY, WeightMethodSchema, type WeightMethod } from './index.ts';
import type { Lang } from '../method.ts';

/** Options of `{ method: 'combined', subjective, objective, alpha?, rule? }` (recursive: parts may be combined). */
export const CombinedWeightingSchema = z.strictObject({
  method: z.literal('combined'),
  get subjective() {
    return WeightMethodSchema;
  },
  get objective() {
    return WeightMethodSchema;
  },
  alpha: share.optional(),
  rule: z.enum(['additive', 'multiplicative']).optional(),
});
export type CombinedWeighting = z.infer<typeof CombinedWeightingSchema>;

/** Combine the two parts' weights group by group; the parts' own diagnostics are kept as components. */
function combinedLevel(ctx: WeightLevelContext, wm: CombinedWeighting): WeightLevelResult {
  const s = ctx.resolve(wm.subjective);
  const o = ctx.resolve(wm.objective);
  const weights = new Map<string, number>();
  const groups: WeightGroupDiagnostics[] = [];
  for (const [parent, kids] of ctx.byParent) {
    const codes = kids.map((k) => k.code);
    const sw = kids.map((k) => s.weights.get(k.code) ?? k.weight);
    const ow = kids.map((k) => o.weights.get(k.code) ?? k.weight);
    let r;
    try {
      r = combinedWeights(sw, ow, { alpha: wm.alpha, rule: wm.rule });
    } catch (e) {
      if (!(e instanceof CityIndexError)) throw e;
      throw new CityIndexError(
        e.issues.map((iss) => ({
          ...iss,
          indicator: parent,
          message: `combined weights for "${parent}": ${iss.message}`,
        })),
      );
    }
    codes.forEach((c, j) => weights.set(c, r.weights[j]));
    groups.push({
      parent: parent || null,
      codes,
      method: 'combined',
      weights: toArr(r.weights),
      details: { method: 'combined', rule: r.rule, alpha: r.alpha, subjective: sw, objective: ow },
    });
  }
  const part = (method: WeightMethod['method'], r: WeightLevelResult): WeightComponentDiagnostics => ({
    method,
    groups: r.groups,
    ...(r.components ? { components: r.components } : {}),
  });
  return {
    weights,
    groups,
    warnings: [...s.warnings, ...o.warnings],
    components: { subjective: part(wm.subjective.method, s), objective: part(wm.objective.method, o) },
  };
}

/** The sentence of a nested method, from its own definition. */
function partText(m: WeightMethod, lang: Lang): string {
  const text = WEIGHT_REGISTRY[m.method].text as { en(o: WeightMethod): string; zh(o: WeightMethod): string };
  return text[lang](m);
}

/** `combined`: subjective and objective weights combined. */
export const combinedWeighting = defineWeighting<typeof CombinedWeightingSchema>({
  method: 'combined',
  schema: CombinedWeightingSchema,
  defaults: {},
  level: (o, ctx) => combinedLevel(ctx, o),
  text: {
    en: (o) => `combined: ${partText(o.subjective, 'en')} with ${partText(o.objective, 'en')}`,
    zh: (o) => `组合赋权：${partText(o.subjective, 'zh')} 与 ${partText(o.objective, 'zh')}`,
  },
});
