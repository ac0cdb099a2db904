/** Messages between the page and the engine worker. */
import type { SiteData } from './site.ts';
import type { AggregateChoice, NormaliseChoice } from './live.ts';

export type WorkerRequest =
  | {
      id: number;
      kind: 'init';
      live: SiteData['live'];
      codes: string[];
      level: number | null;
      analyses?: SiteData['analyses'];
    }
  | {
      id: number;
      kind: 'reweight';
      weights: Record<string, number>;
      indicators?: Record<string, number>;
      normalise?: NormaliseChoice;
      aggregate?: AggregateChoice;
    }
  /** Regional findings of the build of these settings (all absent = the published build). */
  | {
      id: number;
      kind: 'regional';
      weights?: Record<string, number>;
      indicators?: Record<string, number>;
      normalise?: NormaliseChoice;
      aggregate?: AggregateChoice;
    }
  | { id: number; kind: 'explain'; unit: string; code?: string }
  | { id: number; kind: 'whatif'; unit: string; values: Record<string, number> }
  | { id: number; kind: 'improve'; unit: string; k: number }
  /** Sobol' indices of the slider level's weights (each ± factor; N base rows). */
  | { id: number; kind: 'sensitivity'; N: number; factor: number };

export type WorkerResponse =
  { id: number; ok: true; value: unknown; ms?: number } | { id: number; ok: false; error: string };
