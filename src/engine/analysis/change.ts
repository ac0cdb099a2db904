/**
 * Change over time (issue #3 item 6, METHODS §4.6): build the same spec for every period of a panel
 * (the project's own period plus the earlier periods in `BuildInput.history`), then ranks per period,
 * rank and score changes between the first and last period and between consecutive periods, the
 * largest rank gains ("leapfroggers"), σ-convergence (CV and sd of logs per period) and absolute
 * β-convergence (Barro & Sala-i-Martin 1992, JPE 100:223–251) from one period to another.
 *
 * Kernels: `sigmaConvergence`, `betaConvergence`, `rankChanges`, `scoreChanges` (./convergence.ts).
 * Units screened out (or left without a score) in some period are listed per period and by the
 * kernels (`entered`/`left`, `droppedUnits`, β `excluded`), never dropped silently.
 */
import * as z from 'zod';
import { CityIndexError, type Issue } from '../core/errors.ts';
import { column, type Dataset } from '../core/dataset.ts';
import { indicatorNodes } from '../core/framework.ts';
import { zodIssues } from '../core/zod-issues.ts';
import { build, type BuildInput } from '../pipeline/build.ts';
import {
  NormaliseOptionsSchema,
  type BuildSpec,
  type NormaliseMethod,
  type NormaliseOptions,
  type StepSpec,
} from '../spec/spec.ts';
import {
  betaConvergence,
  rankChanges,
  scoreChanges,
  sigmaConvergence,
  type BetaConvergenceResult,
  type Panel,
  type RankChange,
  type RankChangesResult,
  type ScoreChangesResult,
  type SigmaConvergenceResult,
} from './convergence.ts';

/** A period label: YAML reads `2019` as a number, so numbers are accepted and kept as text. */
const periodLabel = z.union([z.string().min(1), z.number().int()]).transform((v) => String(v));

/** The `analyses.change` block of project.yaml. */
export const ChangeConfigSchema = z
  .object({
    /** Periods to compare, any order (sorted oldest first as in the data). Default: every period in the data. */
    periods: z.array(periodLabel).min(2).optional(),
    /** Label of the project's own period (the build's raw data). The runner fills it from project.yaml `period`. */
    currentPeriod: periodLabel.optional(),
    /** Score to follow (default: the index). */
    code: z.string().min(1).optional(),
    /** How many leapfroggers, fallers and largest score gains to list (ties with the last are included). Default 10. */
    top: z.number().int().min(0).default(10),
    /** β-convergence from this period (default: the first analysed period)… */
    betaFrom: periodLabel.optional(),
    /** …to this one (default: the last analysed period). */
    betaTo: periodLabel.optional(),
    /**
     * Replace the options of the spec's normalise step(s) for this analysis, e.g. fixed goalposts
     * (`{ method: goalposts, scale: 100 }` with framework `goalposts`) so that levels are comparable across
     * periods. Default: the project's own normalisation (per-period min–max scores are relative to each year).
     */
    normalise: NormaliseOptionsSchema.optional(),
    /** σ: population sd (ddof 0, default) or sample sd (false: ddof 1). */
    population: z.boolean().default(true),
    /** β: significance level (default 0.05, two-sided). */
    alpha: z.number().gt(0).lt(1).default(0.05),
    /** β: upper bound of a bounded score (e.g. 100) to warn about ceiling effects. */
    upperBound: z.number().refine(Number.isFinite, 'must be a finite number').optional(),
  })
  .strict();

/** Settings as written in project.yaml (numbers allowed for periods, defaults not yet filled). */
export type ChangeConfigInput = z.input<typeof ChangeConfigSchema>;
/** Settings with defaults filled in (periods as text). */
export type ChangeConfig = z.output<typeof ChangeConfigSchema>;

export interface ChangePeriod {
  period: string;
  /** Units kept by the build of this period. */
  nUnits: number;
  /** Units with a finite score for `code`. */
  nScored: number;
  /** Project units removed by the build (screen step) in this period. */
  screenedOut: string[];
  /** Units kept by the build but without a score for `code` (missing data, aggregation threshold). */
  unscored: string[];
}

export interface ChangeComparison {
  from: string;
  to: string;
  ranks: RankChangesResult;
  scores: ScoreChangesResult;
}

export interface ChangeBeta extends BetaConvergenceResult {
  from: string;
  to: string;
  /** How T was found: years between two year labels, or the number of periods between them. */
  tFrom: 'years' | 'periods';
  /** Units in the regression, input order (aligned with `growth`). */
  codes: string[];
  /** Units left out because they have no score in `from` or `to`. */
  excluded: string[];
}

export interface ChangeResult {
  /** The score followed. */
  code: string;
  /** Analysed periods, oldest first. */
  periods: string[];
  /** Every period in the data, oldest first (history periods, then the project's own). */
  availablePeriods: string[];
  currentPeriod: string;
  /** Settings with defaults filled in. */
  settings: ChangeConfig;
  /** The spec each period was built with (the project's spec, with `normalise` replaced when asked). */
  spec: BuildSpec;
  /** True when the normalisation rescales each period on its own data (min–max, z-score, ranks …). */
  relativeScores: boolean;
  /** Project unit codes (input order): the columns of `scores` and `ranks`. */
  units: string[];
  /** Score of `code` per period and unit (NaN = screened out or no score). */
  scores: Panel & { values: Float64Array[] };
  /** Rank of `code` among the units of that period's build (1 = best, ties share the best; NaN = not ranked). */
  ranks: Panel & { values: Float64Array[] };
  perPeriod: ChangePeriod[];
  /** First → last analysed period. */
  overall: ChangeComparison;
  /** Largest rank gains first → last (= `overall.ranks.leapfroggers`). */
  leapfroggers: RankChange[];
  /** Each analysed period to the next. */
  consecutive: ChangeComparison[];
  /**
   * σ-convergence over the analysed periods (units scored in every period; others in `droppedUnits`); null if it could
   * not be computed (see warnings).
   */
  sigma: SigmaConvergenceResult | null;
  /** β-convergence `betaFrom` → `betaTo`; null if it could not be computed (see warnings). */
  beta: ChangeBeta | null;
  warnings: Issue[];
}

export interface RunChangeOptions {
  /** File named in located errors (default `project.yaml`). */
  file?: string;
}

const FIELD = 'analyses.change';

/** Parse an `analyses.change` block into settings with defaults, with located errors. */
export function parseChangeConfig(raw: unknown, file = 'project.yaml'): ChangeConfig {
  const r = ChangeConfigSchema.safeParse(raw ?? {});
  if (!r.success) throw new CityIndexError(zodIssues(r.error, file, ['analyses', 'change']));
  return r.data;
}

/** True when a normalisation method rescales each period on that period's own data. */
function isRelative(m: NormaliseMethod): boolean {
  switch (m.method) {
    case 'none':
    case 'scaled':
    case 'goalposts':
    case 'distanceToTarget':
      return false;
    case 'zScore':
    case 'minMax':
    case 'rank':
    case 'percentileRank':
    case 'borda':
    case 'distanceToMax':
    case 'distanceToReference':
    case 'fractionOfMax':
      return true;
    default: {
      const never: never = m;
      throw new CityIndexError({
        code: 'E_METHOD',
        message: `unknown normalisation method "${(never as { method: string }).method}"`,
        field: 'method',
      });
    }
  }
}

function specIsRelative(spec: BuildSpec): boolean {
  return spec.steps.some((s) => {
    if (s.kind !== 'normalise') return false;
    const o: NormaliseOptions = s.options ?? { method: 'minMax' };
    return isRelative(o) || Object.values(o.perIndicator ?? {}).some(isRelative);
  });
}

/** Number of years between two labels when both are 4-digit years, else null. */
function yearsBetween(a: string, b: string): number | null {
  return /^\d{4}$/.test(a) && /^\d{4}$/.test(b) ? Number(b) - Number(a) : null;
}

/** Copy a column of `ds` into project-unit order (NaN for units not in `ds`). */
function alignColumn(ds: Dataset, code: string, units: readonly string[]): Float64Array {
  const col = column(ds, code);
  const row = new Map(ds.unitCodes.map((u, i) => [u, i] as const));
  return Float64Array.from(units, (u) => {
    const i = row.get(u);
    return i === undefined ? NaN : col[i];
  });
}

/**
 * Change over time of one framework across the periods of a panel: builds `spec` for every period
 * (period p's raw data = its `history` entry, or `input.raw` for the project's own period; its history =
 * the periods before it), then ranks and scores per period, rank/score changes first → last and between
 * consecutive periods with the leapfroggers, σ-convergence and absolute β-convergence (Barro &
 * Sala-i-Martin 1992; kernels in ./convergence.ts, validated against PySAL/numpy). Pure.
 * A period without data for an indicator, or whose build fails, is a located error naming the period
 * (all periods are checked before throwing).
 * @example
 * import { fromRows } from '../core/dataset.ts';
 * // units a, b, c; index IDX = x; x 2018 = [3, 2, 1], 2019 = [1, 2, 3]
 * const node = (code: string, level: number, parent: string | null) => ({ code, name: { en: code }, level, parent,
 *   kind: level === 1 ? 'indicator' as const : 'aggregate' as const, weight: 1, direction: 1 as const });
 * const units = ['a', 'b', 'c'].map((code) => ({ code, name: { en: code }, groups: {}, attributes: {} }));
 * const input = { framework: { nodes: [node('IDX', 2, null), node('x', 1, 'IDX')] }, units,
 *   raw: fromRows(['a', 'b', 'c'], ['x'], [[1], [2], [3]]),
 *   history: [{ period: '2018', dataset: fromRows(['a', 'b', 'c'], ['x'], [[3], [2], [1]]) }] };
 * const spec = { version: 1 as const, steps: [
 *   { id: 'normalise', kind: 'normalise' as const, options: { method: 'none' as const } },
 *   { id: 'aggregate', kind: 'aggregate' as const, options: { aggregation: { method: 'arithmetic' as const } } }] };
 * runChange(input, spec, { currentPeriod: '2019' }).leapfroggers.map((u) => u.code) // => ['c']  (rank 3 → 1)
 */
export function runChange(
  input: BuildInput,
  spec: BuildSpec,
  config: ChangeConfigInput = {},
  options: RunChangeOptions = {},
): ChangeResult {
  const file = options.file ?? 'project.yaml';
  const settings = parseChangeConfig(config, file);
  const warnings: Issue[] = [];
  const warn = (i: Omit<Issue, 'severity'>) => warnings.push({ ...i, severity: 'warning' });

  // ---- periods
  const history = input.history ?? [];
  let currentPeriod = settings.currentPeriod;
  if (currentPeriod === undefined) {
    currentPeriod = 'current';
    warn({
      code: 'W_PERIOD_LABEL',
      message: 'the project\'s own period has no label; it is called "current" (set project.yaml `period`)',
      file,
      field: `${FIELD}.currentPeriod`,
    });
  }
  const available = [...history.map((h) => h.period), currentPeriod];
  const issues: Issue[] = [];
  const seen = new Set<string>();
  for (const p of available) {
    if (seen.has(p))
      issues.push({
        code: 'E_DUPLICATE_PERIOD',
        message: `period "${p}" appears twice in the data (history and/or the project's own period)`,
        file,
        field: `${FIELD}.currentPeriod`,
      });
    seen.add(p);
  }
  for (let k = 1; k < available.length; k++) {
    const gap = yearsBetween(available[k - 1], available[k]);
    if (gap !== null && gap <= 0)
      issues.push({
        code: 'E_PERIOD_ORDER',
        message:
          `period "${available[k]}" comes after "${available[k - 1]}" in the data ` +
          "(history oldest first, then the project's own period)",
        file,
        field: `${FIELD}.currentPeriod`,
        expected: 'periods in increasing order; the project period after every history period',
      });
  }
  const requested = settings.periods ?? available;
  requested.forEach((p, k) => {
    if (!available.includes(p))
      issues.push({
        code: 'E_UNKNOWN_PERIOD',
        message: `period "${p}" is not in the data`,
        file,
        field: `${FIELD}.periods[${k}]`,
        expected: available.join(', '),
      });
  });
  if (new Set(requested).size !== requested.length)
    issues.push({ code: 'E_DUPLICATE_PERIOD', message: 'a period is listed twice', file, field: `${FIELD}.periods` });
  const periods = available.filter((p) => requested.includes(p));
  if (!issues.length && periods.length < 2) {
    issues.push({
      code: 'E_TOO_FEW',
      message: `change over time needs at least 2 periods, the data has ${available.length} (${available.join(', ')})`,
      file,
      field: `${FIELD}.periods`,
      expected: 'a long data file with a period column holding earlier periods',
    });
  }
  const betaFrom = settings.betaFrom ?? periods[0];
  const betaTo = settings.betaTo ?? periods[periods.length - 1];
  for (const [p, f] of [
    [betaFrom, 'betaFrom'],
    [betaTo, 'betaTo'],
  ] as const) {
    if (p !== undefined && !periods.includes(p))
      issues.push({
        code: 'E_UNKNOWN_PERIOD',
        message: `${f} "${p}" is not an analysed period`,
        file,
        field: `${FIELD}.${f}`,
        expected: periods.join(', '),
      });
  }
  if (!issues.length && periods.indexOf(betaFrom) >= periods.indexOf(betaTo)) {
    issues.push({
      code: 'E_PERIOD_ORDER',
      message: `betaFrom "${betaFrom}" must come before betaTo "${betaTo}"`,
      file,
      field: `${FIELD}.betaTo`,
    });
  }

  // ---- spec
  let usedSpec: BuildSpec = spec;
  if (settings.normalise) {
    if (!spec.steps.some((s) => s.kind === 'normalise')) {
      issues.push({
        code: 'E_NO_STEP',
        message: 'the build has no normalise step to replace',
        file,
        field: `${FIELD}.normalise`,
        expected: 'a build with a normalise step',
      });
    } else {
      const opts = settings.normalise as NormaliseOptions;
      usedSpec = {
        ...spec,
        steps: spec.steps.map((s): StepSpec => (s.kind === 'normalise' ? { ...s, options: opts } : s)),
      };
    }
  }
  if (issues.length) throw new CityIndexError(issues);

  // ---- build every period (all problems collected, each naming its period)
  const indicators = indicatorNodes(input.framework).map((n) => n.code);
  const builds = new Map<string, ReturnType<typeof build>>();
  for (const p of periods) {
    const at = available.indexOf(p);
    const raw = p === currentPeriod ? input.raw : history[at].dataset;
    const before = history.slice(0, at);
    const pIssues: Issue[] = [];
    for (const c of indicators) {
      if (!raw.codes.includes(c)) {
        pIssues.push({
          code: 'E_PERIOD_NO_DATA',
          message: `period ${p} has no column for indicator "${c}"`,
          indicator: c,
          field: `period ${p}`,
          expected: `values of every indicator in every analysed period, or leave ${p} out of ${FIELD}.periods`,
        });
        continue;
      }
      const col = column(raw, c);
      let n = 0;
      for (let i = 0; i < col.length; i++) if (Number.isFinite(col[i])) n++;
      if (n === 0)
        pIssues.push({
          code: 'E_PERIOD_NO_DATA',
          message: `period ${p} has no values of indicator "${c}"`,
          indicator: c,
          field: `period ${p}`,
          expected: `values of every indicator in every analysed period, or leave ${p} out of ${FIELD}.periods`,
        });
    }
    if (pIssues.length) {
      issues.push(...pIssues);
      continue;
    }
    try {
      builds.set(p, build({ ...input, raw, history: before.length ? before : undefined }, usedSpec));
    } catch (e) {
      if (!(e instanceof CityIndexError)) throw e;
      issues.push(
        ...e.issues.map((i) => ({
          ...i,
          message: `period ${p}: ${i.message}`,
          field: i.field ? `period ${p}: ${i.field}` : `period ${p}`,
        })),
      );
    }
  }
  if (issues.length) throw new CityIndexError(issues);

  // ---- scores and ranks per period, in project-unit order
  const first = builds.get(periods[0])!;
  const code = settings.code ?? first.results.indexCode;
  if (!first.results.scores.codes.includes(code)) {
    throw new CityIndexError({
      code: 'E_UNKNOWN_CODE',
      message: `"${code}" is not a score of the build`,
      file,
      field: `${FIELD}.code`,
      indicator: code,
      expected: first.results.scores.codes.slice(-6).join(', '),
    });
  }
  const units = input.units.map((u) => u.code);
  const scoreCols: Float64Array[] = [];
  const rankCols: Float64Array[] = [];
  const perPeriod: ChangePeriod[] = [];
  for (const p of periods) {
    const b = builds.get(p)!;
    const s = alignColumn(b.results.scores, code, units);
    const r = alignColumn(b.results.ranks, code, units);
    const kept = new Set(b.results.scores.unitCodes);
    const screenedOut = units.filter((u) => !kept.has(u));
    const unscored = units.filter((u, i) => kept.has(u) && !Number.isFinite(s[i]));
    const nScored = units.length - screenedOut.length - unscored.length;
    if (nScored < 2)
      issues.push({
        code: 'E_TOO_FEW',
        message: `period ${p}: only ${nScored} unit(s) have a score for "${code}"`,
        field: `period ${p}`,
        indicator: code,
        expected: 'at least 2 scored units per period',
      });
    if (screenedOut.length)
      warn({
        code: 'W_SCREENED_OUT',
        message:
          `period ${p}: ${screenedOut.length} unit(s) screened out: ` +
          `${screenedOut.slice(0, 10).join(', ')}${screenedOut.length > 10 ? ' …' : ''}`,
        field: `period ${p}`,
      });
    if (unscored.length)
      warn({
        code: 'W_NO_SCORE',
        message:
          `period ${p}: ${unscored.length} unit(s) have no score for "${code}": ` +
          `${unscored.slice(0, 10).join(', ')}${unscored.length > 10 ? ' …' : ''}`,
        field: `period ${p}`,
        indicator: code,
      });
    scoreCols.push(s);
    rankCols.push(r);
    perPeriod.push({ period: p, nUnits: kept.size, nScored, screenedOut, unscored });
  }
  if (issues.length) throw new CityIndexError(issues);

  const relativeScores = specIsRelative(usedSpec);
  if (relativeScores) {
    warn({
      code: 'W_RELATIVE_SCORES',
      message:
        'the normalisation rescales each period on its own data (e.g. min–max): ranks compare, but score levels, ' +
        'σ and β describe positions within each period, not absolute change; ' +
        'use fixed goalposts (analyses.change.normalise) for levels',
      file,
      field: `${FIELD}.normalise`,
    });
  }

  // ---- changes
  const { top } = settings;
  const compare = (a: number, b: number): ChangeComparison => ({
    from: periods[a],
    to: periods[b],
    ranks: rankChanges(units, rankCols[a], rankCols[b], { top }),
    scores: scoreChanges(units, scoreCols[a], scoreCols[b], { top }),
  });
  const overall = compare(0, periods.length - 1);
  const consecutive = periods.slice(1).map((_, k) => compare(k, k + 1));

  // ---- σ-convergence
  let sigma: SigmaConvergenceResult | null = null;
  try {
    sigma = sigmaConvergence(
      { codes: units, periods, values: scoreCols },
      { population: settings.population, missing: 'dropUnit' },
    );
    for (const w of sigma.warnings) warn({ code: 'W_SIGMA', message: w, field: `${FIELD}` });
    if (sigma.droppedUnits.length)
      warn({
        code: 'W_SIGMA_DROPPED',
        message:
          `σ-convergence uses the ${sigma.periods[0].n} units scored in every analysed period; ` +
          `left out: ${sigma.droppedUnits.join(', ')}`,
        field: FIELD,
      });
  } catch (e) {
    if (!(e instanceof CityIndexError)) throw e;
    for (const i of e.issues) warn({ ...i, message: `σ-convergence not computed: ${i.message}` });
  }

  // ---- β-convergence
  let beta: ChangeBeta | null = null;
  const a = periods.indexOf(betaFrom),
    z2 = periods.indexOf(betaTo);
  const years = yearsBetween(betaFrom, betaTo);
  const T = years ?? available.indexOf(betaTo) - available.indexOf(betaFrom);
  if (years === null)
    warn({
      code: 'W_BETA_T',
      message: `periods "${betaFrom}" and "${betaTo}" are not years: T = ${T} periods between them`,
      field: `${FIELD}.betaTo`,
    });
  const inReg: number[] = [],
    excluded: string[] = [],
    nonPositive: string[] = [];
  units.forEach((u, i) => {
    const y0 = scoreCols[a][i],
      yT = scoreCols[z2][i];
    if (!Number.isFinite(y0) || !Number.isFinite(yT)) {
      excluded.push(u);
      return;
    }
    if (y0 <= 0 || yT <= 0) nonPositive.push(`${u} (${y0 <= 0 ? `${betaFrom}: ${y0}` : `${betaTo}: ${yT}`})`);
    inReg.push(i);
  });
  if (excluded.length)
    warn({
      code: 'W_BETA_EXCLUDED',
      message:
        `β-convergence leaves out ${excluded.length} unit(s) without a score in ${betaFrom} or ${betaTo}: ` +
        excluded.join(', '),
      field: FIELD,
    });
  if (nonPositive.length) {
    warn({
      code: 'W_BETA_NONPOSITIVE',
      message:
        `β-convergence not computed: logs need positive scores, but ${nonPositive.length} unit(s) have a score ≤ 0: ` +
        `${nonPositive.slice(0, 5).join(', ')}${nonPositive.length > 5 ? ' …' : ''}`,
      field: `${FIELD}.normalise`,
      expected: 'positive scores, e.g. goalposts with a lower goalpost below every value',
    });
  } else {
    try {
      const codes = inReg.map((i) => units[i]);
      const r = betaConvergence(
        Float64Array.from(inReg, (i) => scoreCols[a][i]),
        Float64Array.from(inReg, (i) => scoreCols[z2][i]),
        T,
        { codes, alpha: settings.alpha, upperBound: settings.upperBound },
      );
      for (const w of r.warnings) warn({ code: 'W_BETA', message: w, field: FIELD });
      beta = { ...r, from: betaFrom, to: betaTo, tFrom: years === null ? 'periods' : 'years', codes, excluded };
    } catch (e) {
      if (!(e instanceof CityIndexError)) throw e;
      for (const i of e.issues) warn({ ...i, message: `β-convergence not computed: ${i.message}` });
    }
  }

  return {
    code,
    periods,
    availablePeriods: available,
    currentPeriod,
    settings,
    spec: usedSpec,
    relativeScores,
    units,
    scores: { codes: units, periods, values: scoreCols },
    ranks: { codes: units, periods, values: rankCols },
    perPeriod,
    overall,
    leapfroggers: overall.ranks.leapfroggers,
    consecutive,
    sigma,
    beta,
    warnings,
  };
}
