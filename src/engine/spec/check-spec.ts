/**
 * Check a build spec before anything runs: its shape (zod schema) and its meaning against the
 * framework (unique step ids, known indicator codes in per-indicator overrides, levels that exist).
 */
import type { Issue } from '../core/errors.ts';
import { topLevel, type Framework } from '../core/framework.ts';
import { zodIssues } from '../core/zod-issues.ts';
import { safeParseOwnKeys } from '../core/own-keys.ts';
import { BuildSpecSchema, type BuildSpec } from './spec.ts';

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
      issues.push({ code: 'E_DUPLICATE_STEP', message: `duplicate step id "${step.id}"`, file, field: `${at}.id` });
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
        });
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
          });
      }
    }
  });
  return issues;
}
