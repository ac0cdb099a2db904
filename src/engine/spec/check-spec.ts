/**
 * Check a build spec before anything runs: its shape (zod schema) and its meaning against the
 * framework (unique step ids, known indicator codes in per-indicator overrides, levels that exist).
 */
import type { Issue } from '../core/errors.ts';
import { topLevel, type Framework } from '../core/framework.ts';
import { zodIssues } from '../core/zod-issues.ts';
import { safeParseOwnKeys } from '../core/own-keys.ts';
import { didYouMean, didYouMeanHint } from '../core/did-you-mean.ts';
import { BuildSpecSchema, type BuildSpec, type WeightOptions } from './spec.ts';

/**
 * Codes of manual weights (also inside `combined`) that are not nodes of the weighted level: located at
 * `weights.<code>`, with the level's codes expected and the nearest one suggested.
 */
function manualWeightCodes(
  weighting: WeightOptions['weighting'],
  field: string,
  level: number,
  framework: Framework,
  file: string,
): Issue[] {
  if (weighting.method === 'combined')
    return [
      ...manualWeightCodes(weighting.subjective, `${field}.subjective`, level, framework, file),
      ...manualWeightCodes(weighting.objective, `${field}.objective`, level, framework, file),
    ];
  if (weighting.method !== 'manual') return [];
  const atLevel = framework.nodes.filter((n) => n.level === level).map((n) => n.code);
  const known = new Set(atLevel);
  const issues: Issue[] = [];
  for (const code of Object.keys(weighting.weights)) {
    if (known.has(code)) continue;
    const elsewhere = framework.nodes.find((n) => n.code === code);
    const near = elsewhere ? undefined : didYouMean(code, atLevel);
    issues.push({
      code: 'E_UNKNOWN_CODE',
      message:
        (elsewhere
          ? `manual weight for "${code}", which is at level ${elsewhere.level}, not ${level}`
          : `manual weight for unknown code "${code}"`) +
        ` / 人工权重中的代码不在第 ${level} 层${didYouMeanHint(near)}`,
      file,
      field: `${field}.weights.${code}`,
      indicator: code,
      expected: `a code at level ${level}: ${atLevel.slice(0, 20).join(', ')}${atLevel.length > 20 ? ', …' : ''}`,
    });
  }
  return issues;
}

/**
 * All problems with a spec, located by `field` (e.g. `steps[3].options.perIndicator.GDP`). Empty if fine.
 * @example
 * import { COINR_EXAMPLE_SPEC } from './spec.ts';
 * checkSpec(COINR_EXAMPLE_SPEC, asem.input.framework) // => []
 */
export function checkSpec(spec: BuildSpec, framework: Framework, file = 'build spec'): Issue[] {
  const parsed = safeParseOwnKeys(BuildSpecSchema, spec);
  if (!parsed.success) return zodIssues(parsed.error, file);
  const issues: Issue[] = [];
  let codes: Set<string> | null = null; // framework codes, built only if a step has per-indicator overrides
  const top = topLevel(framework);
  const seen = new Set<string>();
  spec.steps.forEach((step, k) => {
    const at = `steps[${k}]`;
    if (seen.has(step.id))
      issues.push({
        code: 'E_DUPLICATE_STEP',
        message: `duplicate step id "${step.id}"`,
        file,
        field: `${at}.id`,
        expected: 'a different id for each step',
      });
    seen.add(step.id);
    const opts = (step.options ?? {}) as Record<string, unknown>;
    const per = opts.perIndicator as Record<string, unknown> | undefined;
    if (per) {
      const known = (codes ??= new Set(framework.nodes.map((n) => n.code)));
      for (const c of Object.keys(per)) {
        if (!known.has(c))
          issues.push({
            code: 'E_UNKNOWN_CODE',
            message: `unknown indicator "${c}" in perIndicator`,
            file,
            field: `${at}.options.perIndicator.${c}`,
            indicator: c,
            expected: 'an indicator code of the framework',
          });
      }
    }
    if (step.kind === 'weight') {
      const level = step.options.level;
      if (level >= top)
        issues.push({
          code: 'E_LEVEL',
          message: `weight level ${level} does not exist below the index (levels 1–${top - 1} carry weights)`,
          file,
          field: `${at}.options.level`,
          expected: `a level from 1 to ${top - 1}`,
        });
      else issues.push(...manualWeightCodes(step.options.weighting, `${at}.options.weighting`, level, framework, file));
    }
    if (step.kind === 'aggregate' && step.options?.levels) {
      for (const l of Object.keys(step.options.levels)) {
        const n = Number(l);
        if (n < 2 || n > top)
          issues.push({
            code: 'E_LEVEL',
            message: `aggregate level ${l} does not exist (levels 2–${top} are produced by aggregation)`,
            file,
            field: `${at}.options.levels.${l}`,
            expected: `a level from 2 to ${top}`,
          });
      }
    }
  });
  return issues;
}
