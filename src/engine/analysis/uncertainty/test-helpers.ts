/** Shared fixtures for the uncertainty tests: COINr's four-assumption sensitivity design. */
import type { UncertainInput } from './inputs.ts';

/**
 * COINr's sensitivity vignette design: winsorisation winmax 1–5; min–max [1, 100] vs z-score (mean 10,
 * sd 2); weight noise ±25 % at levels 2 and 3; arithmetic vs geometric aggregation.
 * @example coinrDesign().map((i) => i.name) // => ['winmax', 'normalisation', 'weights', 'aggregation']
 */
export function coinrDesign(): UncertainInput[] {
  return [
    { kind: 'alternatives', name: 'winmax', step: 'treat', path: ['options', 'winmax'], values: [1, 2, 3, 4, 5] },
    {
      kind: 'alternatives',
      name: 'normalisation',
      step: 'normalise',
      path: ['options'],
      values: [
        { method: 'minMax', range: [1, 100] },
        { method: 'zScore', mean: 10, sd: 2 },
      ],
      labels: ['minMax [1, 100]', 'zScore (10, 2)'],
    },
    { kind: 'weightNoise', name: 'weights', levels: [2, 3], factor: 0.25 },
    {
      kind: 'alternatives',
      name: 'aggregation',
      step: 'aggregate',
      path: ['options', 'aggregation'],
      values: [{ method: 'arithmetic' }, { method: 'geometric' }],
      labels: ['arithmetic', 'geometric'],
    },
  ];
}
