/**
 * What a use case tells its caller while it works, without printing: a stage beginning, a warning,
 * the runs of a long analysis done so far. The CLI prints these to stderr (and draws a progress bar
 * from `progress`); a server forwards them to a client; a test collects them.
 */
import type { Issue } from '../engine/core/errors.ts';

/** One event of a use case; `message` is the line a terminal would show. */
export type AppEvent =
  | { kind: 'info'; message: string }
  | { kind: 'warning'; message: string; issues: readonly Issue[] }
  | { kind: 'progress'; task: 'uncertainty'; done: number; total: number }
  | { kind: 'progress-end'; task: 'uncertainty' };

/** Options every use case takes: where its events go, and a signal to stop between stages. */
export interface UseCaseOptions {
  /** Called for each event, in order (default: events are dropped). */
  onEvent?: (event: AppEvent) => void;
  /** Checked between stages; an aborted signal stops the use case with its reason. */
  signal?: AbortSignal;
}

/**
 * The event sink of a use case's options: the given callback, or one that drops events.
 * @example emitterOf({})({ kind: 'info', message: 'x' }) // => undefined
 */
export function emitterOf(options: UseCaseOptions): (event: AppEvent) => void {
  return options.onEvent ?? (() => undefined);
}

/**
 * Stop when the caller aborted (between stages; a running build or analysis is not interrupted).
 * @example checkAborted(undefined) // => undefined
 */
export function checkAborted(signal: AbortSignal | undefined): void {
  signal?.throwIfAborted();
}
