/** Messages between the page and the engine worker. */
import type { SiteData } from './site.ts';

export type WorkerRequest =
  | { id: number; kind: 'init'; live: SiteData['live']; codes: string[]; level: number | null }
  | { id: number; kind: 'reweight'; weights: Record<string, number> }
  | { id: number; kind: 'explain'; unit: string; code?: string }
  | { id: number; kind: 'whatif'; unit: string; values: Record<string, number> }
  | { id: number; kind: 'improve'; unit: string; k: number };

export type WorkerResponse =
  { id: number; ok: true; value: unknown; ms?: number } | { id: number; ok: false; error: string };
