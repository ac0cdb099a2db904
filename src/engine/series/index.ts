/**
 * Time-series indices: periods, the series model, changes, chain-linking and rebasing, aggregation, matched pairs,
 * table audit.
 */
export {
  aggregateSeries,
  type AggregateSeriesOptions,
  type AggregateSeriesResult,
  type AggregationMean,
  type SeriesAggregation,
} from './aggregate.ts';
export {
  auditPublishedTable,
  type AuditOptions,
  type AuditResult,
  type AuditRowResult,
  type AuditVerdict,
  type ChangeCheck,
  type ChangeKind,
  type ImpliedKind,
  type ImpliedValue,
  type Interval,
  type PublishedRow,
} from './audit.ts';
export { chainFromIndexForm, chainLink, rebase, spliceSeries, type RebaseBase, type RebaseOptions } from './chain.ts';
export {
  createSeries,
  fromValues,
  periodPosition,
  valueAt,
  type CreateSeriesOptions,
  type Series,
  type SeriesPoint,
} from './series.ts';
export {
  formatPeriod,
  parsePeriod,
  periodLabels,
  periodsPerYear,
  previousYearEnd,
  yearOf,
  type Frequency,
  type Period,
} from './period.ts';
export { indexFormToPercent, percentChange, percentToIndexForm, seriesChanges, type SeriesChanges } from './changes.ts';
export {
  matchedPairIndex,
  type MatchedPairMethod,
  type MatchedPairOptions,
  type MatchedPairResult,
  type PricePair,
} from './matched-pair.ts';
