/**
 * The statistical audit of a build (OECD/JRC Handbook 2008 Part 1 §4–5; COINr 1.1.14 `get_stats`,
 * `get_corr`, `get_corr_flags`, `get_cronbach`, `get_PCA`, `remove_elements`): indicator statistics,
 * correlations with flags, Cronbach's alpha and PCA per group, and leave-one-out rank changes.
 */
import { CityIndexError } from '../../core/errors.ts';
import type { Build } from '../../pipeline/build.ts';
import { stepDataset } from '../../pipeline/build.ts';
import { indicatorStats, type IndicatorStatsOptions, type IndicatorStatsResult } from './indicator-stats.ts';
import { auditCorrelations, type CorrelationOptions, type CorrelationsResult } from './correlations.ts';
import { groupCronbach, type GroupCronbach } from './cronbach.ts';
import { groupPca, type GroupPca, type GroupPcaSkipped } from './pca.ts';
import { leaveOneOut, type LeaveOneOutResult } from './leave-one-out.ts';
import { aggregationContext } from './reaggregate.ts';

export * from './indicator-stats.ts';
export * from './correlations.ts';
export * from './cronbach.ts';
export * from './pca.ts';
export * from './leave-one-out.ts';
export * from './reaggregate.ts';

export interface AuditOptions {
  /**
   * Step ids (or `raw`) whose datasets get indicator statistics (default: `raw` and the dataset entering the last
   * aggregate step).
   */
  statsOn?: string[];
  stats?: IndicatorStatsOptions;
  correlations?: CorrelationOptions;
  /** Levels for leave-one-out (default every level below the index; `[]` to skip). */
  leaveOneOutLevels?: number[];
  /** Target of leave-one-out (default the index). */
  leaveOneOutTarget?: string;
}

export interface AuditResult {
  /** Indicator statistics per dataset, keyed by step id. */
  stats: Array<{ step: string } & IndicatorStatsResult>;
  /** On the final scores (normalised indicators and aggregates). */
  correlations: CorrelationsResult;
  cronbach: GroupCronbach[];
  pca: { groups: GroupPca[]; skipped: GroupPcaSkipped[] };
  leaveOneOut: LeaveOneOutResult[];
}

/**
 * Run the whole audit on a finished build.
 * @example auditBuild(asem.build).correlations.flags.filter((f) => f.kind === 'collinear').length // => 0
 */
export function auditBuild(build: Build, options: AuditOptions = {}): AuditResult {
  const ctx = aggregationContext(build);
  const aggregateInput = ctx.stepIndex > 0 ? build.steps[ctx.stepIndex - 1].id : 'raw';
  const statsOn = options.statsOn ?? [...new Set(['raw', aggregateInput])];
  const stats = statsOn.map((step) => ({ step, ...indicatorStats(stepDataset(build, step), options.stats) }));
  const framework = ctx.input.framework;
  const scores = build.results.scores;
  const maxLevel = framework.nodes.reduce((m, nd) => Math.max(m, nd.level), 1);
  const levels = options.leaveOneOutLevels ?? Array.from({ length: maxLevel - 1 }, (_, k) => k + 1);
  for (const l of levels) {
    if (!Number.isInteger(l) || l < 1 || l >= maxLevel)
      throw new CityIndexError({
        code: 'E_LEVEL',
        message: `audit: leave-one-out level ${l} is not below the index`,
        field: 'leaveOneOutLevels',
        expected: `levels 1–${maxLevel - 1}`,
      });
  }
  return {
    stats,
    correlations: auditCorrelations(scores, framework, options.correlations),
    cronbach: groupCronbach(scores, framework),
    pca: groupPca(scores, framework),
    leaveOneOut: levels.map((level) => leaveOneOut(build, { level, target: options.leaveOneOutTarget })),
  };
}
