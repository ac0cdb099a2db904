/**
 * Lineage: explain one unit's score as the sum of indicator contributions, and trace each indicator
 * back through every build stage to its raw value and source. Contributions are exact for
 * arithmetic aggregation (re-weighted over available values); for other methods the decomposition
 * is reported as not additive and only the path values are given.
 */
import { CityIndexError } from '../core/errors.ts';
import { getValue } from '../core/dataset.ts';
import type { FrameworkNode, SourceRef } from '../core/framework.ts';
import type { Build } from './build.ts';
import type { AggregateOptions, AggregationMethod } from '../spec/spec.ts';

export interface StageValue {
  step: string;
  kind: string;
  value: number;
}

export interface IndicatorLineage {
  code: string;
  name: FrameworkNode['name'];
  source?: SourceRef;
  /** Raw value as read from the data file (NaN if missing). */
  raw: number;
  /** Source of this one value when the data file gave one (long format `source` column). */
  valueSource?: string;
  /** Value after each step that carries the indicator. */
  stages: StageValue[];
  /** Share of the explained score's weight that reaches this indicator (product of re-weighted shares). */
  share: number;
  /** share × final indicator value: the indicator's contribution to the explained score. */
  contribution: number;
}

export interface ScoreExplanation {
  unit: string;
  code: string;
  score: number;
  rank: number;
  /** True when every aggregation below `code` is arithmetic, so contributions sum to the score. */
  additive: boolean;
  indicators: IndicatorLineage[];
}

function aggregationAt(options: AggregateOptions | undefined, level: number): AggregationMethod {
  return options?.levels?.[String(level)]?.aggregation ?? options?.aggregation ?? { method: 'arithmetic' };
}

/**
 * Decompose `unit`'s score on `code` (default: the index) into indicator contributions and trace each
 * indicator to its raw value and source (`valueSources` = `LoadedProject.valueSources` for per-value
 * sources).
 * @example
 * const { indicators } = explainScore(asem.build, 'CHE');
 * indicators.reduce((s, i) => s + i.contribution, 0) // => 68.3837… (the CHE index score)
 */
export function explainScore(
  b: Build,
  unit: string,
  code = b.results.indexCode,
  options: { valueSources?: Record<string, string> } = {},
): ScoreExplanation {
  const last = b.steps.length ? b.steps[b.steps.length - 1] : undefined;
  const fw = last ? last.framework : b.input.framework;
  const node = fw.nodes.find((n) => n.code === code);
  if (!node) throw new CityIndexError({ code: 'E_UNKNOWN_CODE', message: `no node "${code}"`, indicator: code });
  if (!b.results.scores.unitCodes.includes(unit))
    throw new CityIndexError({
      code: 'E_UNKNOWN_UNIT',
      message: `unit "${unit}" is not in the results (screened out or unknown)`,
      unit,
    });
  const aggStep = [...b.steps].reverse().find((s) => s.kind === 'aggregate');
  const aggOptions = aggStep?.kind === 'aggregate' ? aggStep.options : undefined;
  const final = b.results.scores;
  const children = new Map<string, FrameworkNode[]>();
  for (const n of fw.nodes)
    if (n.parent !== null && n.status !== 'not_collected') {
      const list = children.get(n.parent) ?? [];
      list.push(n);
      children.set(n.parent, list);
    }
  let additive = true;
  const shares = new Map<string, number>();
  const walk = (n: FrameworkNode, share: number): void => {
    const kids = (children.get(n.code) ?? []).filter((k) => final.codes.includes(k.code));
    if (kids.length === 0) {
      shares.set(n.code, share);
      return;
    }
    if (aggregationAt(aggOptions, n.level).method !== 'arithmetic') additive = false;
    let wsum = 0;
    for (const k of kids) if (!Number.isNaN(getValue(final, unit, k.code))) wsum += k.weight;
    for (const k of kids) {
      const v = getValue(final, unit, k.code);
      walk(k, Number.isNaN(v) || wsum === 0 ? 0 : (share * k.weight) / wsum);
    }
  };
  walk(node, 1);
  const indicators: IndicatorLineage[] = [];
  for (const [c, share] of shares) {
    const n = fw.nodes.find((x) => x.code === c)!;
    const stages: StageValue[] = b.steps
      .filter((s) => s.dataset.codes.includes(c) && s.dataset.unitCodes.includes(unit))
      .map((s) => ({ step: s.id, kind: s.kind, value: getValue(s.dataset, unit, c) }));
    const v = getValue(final, unit, c);
    indicators.push({
      code: c,
      name: n.name,
      source: n.source,
      raw: getValue(b.raw, unit, c),
      valueSource: options.valueSources?.[`${unit}\u0000${c}`],
      stages,
      share,
      contribution: Number.isNaN(v) ? 0 : share * v,
    });
  }
  return {
    unit,
    code,
    score: getValue(final, unit, code),
    rank: getValue(b.results.ranks, unit, code),
    additive,
    indicators,
  };
}
