/**
 * Spatial analysis: weights, global (Moran's I, Geary's C) and local (LISA, Getis–Ord Gi*)
 * autocorrelation with analytic and permutation inference, and a spillover report around a leader.
 * Conventions follow PySAL esda (METHODS.md §4.5); see docs/spatial.md.
 */
export * from './weights.ts';
export * from './normal.ts';
export * from './inference.ts';
export * from './moran.ts';
export * from './geary.ts';
export * from './local-moran.ts';
export * from './getis-ord.ts';
export * from './spillover.ts';
export * from './rates.ts';
