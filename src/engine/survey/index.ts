/** Surveys: resident questionnaires (scoring, cleaning, weighting, estimates, reliability) and expert AHP panels. */
export * from './types.ts';
export * from './scoring.ts';
export * from './clean.ts';
export * from './weighting.ts';
export * from './estimate.ts';
export * from './reliability.ts';
export * from './ahp-group.ts';
export * from './pipeline.ts';
