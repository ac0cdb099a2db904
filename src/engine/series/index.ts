/** Time-series indices: periods, the series model, changes, chain-linking and rebasing, aggregation, matched pairs, table audit. */
export * from './period.ts';
export * from './series.ts';
export * from './changes.ts';
export * from './chain.ts';
export * from './aggregate.ts';
export * from './matched-pair.ts';
export * from './audit.ts';
