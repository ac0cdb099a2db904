/** A unit's gaps against its peers (短板) and what-if improvements (smallest lift by k ranks, best use of a budget). */
export * from './gaps.ts';
export * from './improve.ts';
