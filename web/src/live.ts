/**
 * The live engine of the page (run inside the Web Worker, and by the bench and tests in Node): the
 * published build re-made from the site data with the real engine (`cityindex/browser`), then
 * re-weighting (only weight + aggregate re-run), a unit's score lineage, and a unit's what-if (its
 * indicator values changed → a full re-build → its new scores and ranks; the smallest improvements
 * that lift it k places).
 */
import {
  buildChecked,
  checkedSpec,
  explainScore,
  levelWeights,
  regenerateChecked,
  smallestImprovements,
  ranksDataset,
  runAnalysis,
  tieToleranceOf,
  withWeights,
  LIVE_WEIGHT_STEP,
  type Build,
  type BuildInput,
  type CheckedSpec,
  type ImproveResult,
  type ScoreExplanation,
} from '../../src/engine/browser.ts';
import { buildInputOf, type SiteData } from './site.ts';
import {
  LIVE_INDICATOR_STEP,
  methodSpec,
  type AggregateChoice,
  type LiveSettings,
  type NormaliseChoice,
} from './choices.ts';

export type { AggregateChoice, LiveSettings, NormaliseChoice };

/** Scores and ranks of the aggregates, units in `units` order. */
export interface Ranking {
  units: string[];
  scores: Record<string, Array<number | null>>;
  ranks: Record<string, Array<number | null>>;
}

const num = (v: number): number | null => (Number.isNaN(v) ? null : v);

/**
 * Scores and ranks of `codes` from a build, units in build order. Only these columns are ranked (with
 * the build's tie rule, `ranksDataset` + `tieToleranceOf`), not every indicator: the same ranks as the
 * build's for these codes (tested), at a fraction of the cost on a wide project.
 */
export function rankingOf(b: Build, codes: readonly string[]): Ranking {
  const { scores } = b.results;
  const n = scores.unitCodes.length;
  const present = codes.filter((c) => scores.codes.includes(c));
  const values = new Float64Array(present.length * n);
  present.forEach((code, k) => {
    const c = scores.codes.indexOf(code);
    values.set(scores.values.subarray(c * n, (c + 1) * n), k * n);
  });
  const sub = { unitCodes: scores.unitCodes, codes: present, values };
  const ranks = ranksDataset(sub, tieToleranceOf(b.spec));
  const out: Ranking = { units: [...scores.unitCodes], scores: Object.create(null), ranks: Object.create(null) };
  present.forEach((code, k) => {
    out.scores[code] = Array.from(values.subarray(k * n, (k + 1) * n), num);
    out.ranks[code] = Array.from(ranks.values.subarray(k * n, (k + 1) * n), num);
  });
  return out;
}

/** One weight's Sobol' indices (first and total order) with their bootstrap 5–95 % intervals. */
export interface WeightSensitivity {
  code: string;
  /** The published weight and the range it was varied over (uniformly). */
  weight: number;
  min: number;
  max: number;
  Si: number;
  STi: number;
  SiInterval: [number, number] | null;
  STiInterval: [number, number] | null;
}

/** The Sobol' sensitivity of the index's ranks to the slider level's weights. */
export interface WeightSensitivityResult {
  /** Base rows N, runs N(d + 2), rows used, bootstrap replicates, ±factor of the weights. */
  N: number;
  runs: number;
  nUsed: number;
  bootstrap: number;
  factor: number;
  indices: WeightSensitivity[];
}

/** A live engine session over one site's data. */
export class LiveSession {
  readonly input: BuildInput;
  readonly base: CheckedSpec;
  readonly published: Build;
  readonly level: number | null;
  readonly codes: string[];
  private current: Build;
  private readonly valueSources: Record<string, string>;
  private readonly live: SiteData['live'];
  /** Checked specs per method choice (zod runs once per choice, never per slider move). */
  private readonly methodSpecs = new Map<string, CheckedSpec>();

  /** Re-make the published build (bit-identical to the export's build). */
  constructor(live: SiteData['live'], aggregateCodes: readonly string[], weightLevel: number | null) {
    this.input = buildInputOf(live);
    this.live = live;
    this.codes = [...aggregateCodes];
    this.level = weightLevel;
    const checked = checkedSpec(live.spec, this.input.framework);
    // the template: the published weights as a manual weight step (same numbers, so the same results)
    this.base =
      weightLevel === null
        ? checked
        : withWeights(checked, this.input.framework, weightLevel, levelWeights(this.input.framework, weightLevel));
    this.published = buildChecked(this.input, this.base);
    this.current = this.published;
    this.valueSources = Object.assign(Object.create(null), live.valueSources);
  }

  /** Published weights of the slider level. */
  publishedWeights(): Record<string, number> {
    return this.level === null ? {} : levelWeights(this.input.framework, this.level);
  }

  /** Re-rank with other weights at the slider level (re-uses every step before the weighting). */
  reweight(weights: Record<string, number>): Ranking {
    return this.recompute({ weights });
  }

  /**
   * The checked spec of a set of reader settings: the method choices (checked once per choice), then the
   * indicator weights (a manual weight step of level 1), then the slider level's weights.
   */
  specOf(settings: LiveSettings): CheckedSpec {
    const fw = this.input.framework;
    let spec = this.base;
    if (settings.normalise || settings.aggregate) {
      const key = `${settings.normalise ?? ''}/${settings.aggregate ?? ''}`;
      let m = this.methodSpecs.get(key);
      if (!m) {
        const checked = checkedSpec(methodSpec(this.live.spec, settings.normalise, settings.aggregate), fw);
        m = this.level === null ? checked : withWeights(checked, fw, this.level, levelWeights(fw, this.level));
        this.methodSpecs.set(key, m);
      }
      spec = m;
    }
    if (settings.indicators && Object.keys(settings.indicators).length && this.level !== null && this.level > 1) {
      // the slider level's step is LIVE_WEIGHT_STEP: take it out, add the indicator step, put it back
      const without = { ...spec, steps: spec.steps.filter((s) => s.id !== LIVE_WEIGHT_STEP) } as CheckedSpec;
      const ind = withWeights(without, fw, 1, settings.indicators);
      const renamed = {
        ...ind,
        steps: ind.steps.map((s) => (s.id === LIVE_WEIGHT_STEP ? { ...s, id: LIVE_INDICATOR_STEP } : s)),
      } as CheckedSpec;
      spec = withWeights(renamed, fw, this.level, levelWeights(fw, this.level));
    }
    return this.level === null ? spec : withWeights(spec, fw, this.level, settings.weights ?? {});
  }

  /**
   * The build of a set of reader settings (re-runs from the first step the settings change: the weights
   * only re-run weighting and aggregation; another normalisation re-runs from the normalise step).
   */
  buildOf(settings: LiveSettings): Build {
    this.current = regenerateChecked(this.current, this.specOf(settings));
    return this.current;
  }

  /** Scores and ranks of the aggregates under a set of reader settings. */
  recompute(settings: LiveSettings): Ranking {
    if (this.level === null && !settings.normalise && !settings.aggregate) return rankingOf(this.published, this.codes);
    return rankingOf(this.buildOf(settings), this.codes);
  }

  /**
   * Sobol' indices of the index's mean absolute rank shift to each weight of the slider level, each weight
   * varied uniformly over ±`factor` of its published value (the engine's sensitivity analysis: Saltelli
   * design on a Sobol' sequence, N(d + 2) re-weightings, Jansen/Saltelli estimators, bootstrap intervals;
   * COINr `get_sensitivity`).
   */
  weightSensitivity(N: number, factor: number, bootstrap = 200): WeightSensitivityResult {
    if (this.level === null) throw new Error('this index has no weights to vary');
    if (!(factor > 0 && factor < 1)) throw new Error('the weight range must be between 0 and 100 %');
    const weights = levelWeights(this.input.framework, this.level);
    const codes = Object.keys(weights);
    const inputs = codes.map((code) => ({
      kind: 'range' as const,
      name: code,
      step: LIVE_WEIGHT_STEP,
      path: ['options', 'weighting', 'weights', code],
      min: weights[code] * (1 - factor),
      max: weights[code] * (1 + factor),
    }));
    const r = runAnalysis(
      this.input,
      this.base,
      { mode: 'sensitivity', N, inputs, seed: 1, bootstrap },
      { nominal: this.published },
    );
    const s = r.sensitivity!;
    return {
      N,
      runs: r.nRuns,
      nUsed: s.nUsed,
      bootstrap: s.bootstrap,
      factor,
      indices: s.indices.map((x, i) => ({
        code: codes[i],
        weight: weights[codes[i]],
        min: inputs[i].min,
        max: inputs[i].max,
        Si: x.Si,
        STi: x.STi,
        SiInterval: x.SiInterval ?? null,
        STiInterval: x.STiInterval ?? null,
      })),
    };
  }

  /** The lineage of a unit's score (index by default) in the published build. */
  explain(unit: string, code?: string): ScoreExplanation {
    return explainScore(this.published, unit, code, { valueSources: this.valueSources });
  }

  /**
   * A unit's scores and ranks with some of its raw indicator values replaced (published weights).
   * Values must be finite; codes not in the raw data are ignored.
   */
  whatIf(
    unit: string,
    values: Record<string, number>,
  ): { scores: Record<string, number | null>; ranks: Record<string, number | null> } {
    const raw = this.input.raw;
    const row = raw.unitCodes.indexOf(unit);
    if (row < 0) throw new Error(`unknown unit ${unit}`);
    const copy = raw.values.slice();
    const n = raw.unitCodes.length;
    for (const code of Object.keys(values)) {
      const c = raw.codes.indexOf(code);
      const v = values[code];
      if (c >= 0 && Number.isFinite(v)) copy[c * n + row] = v;
    }
    const b = buildChecked({ ...this.input, raw: { ...raw, values: copy } }, this.base);
    const r = rankingOf(b, this.codes);
    const i = r.units.indexOf(unit);
    const scores: Record<string, number | null> = Object.create(null);
    const ranks: Record<string, number | null> = Object.create(null);
    for (const code of this.codes) {
      scores[code] = r.scores[code]?.[i] ?? null;
      ranks[code] = r.ranks[code]?.[i] ?? null;
    }
    return { scores, ranks };
  }

  /** The smallest single-indicator improvements that lift a unit k places on the index. */
  improvements(unit: string, k: number): ImproveResult | null {
    try {
      return smallestImprovements(this.published, { unit, k });
    } catch {
      return null; // already first, or cannot climb k places
    }
  }
}
