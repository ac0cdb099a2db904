/**
 * The terminal side of the use cases' events: lines on stderr, and a progress bar (cli-progress) for
 * the runs of an uncertainty analysis. stdout carries only requested output.
 */
import { SingleBar, Presets } from 'cli-progress';
import type { AppEvent } from '../app/events.ts';

/**
 * Write one line to stderr.
 * @example log('done') // => undefined (writes "done\n" to stderr)
 */
export function log(line: string): void {
  process.stderr.write(line + '\n');
}

/**
 * A terminal progress bar as an `onProgress` callback; call `stop()` at the end.
 * @example
 * const bar = progressBar('uncertainty');
 * bar.update(5, 10); // on a terminal: "uncertainty [████████████████████░░░░░░░░░░░░░░░░░░░░] 50% | 5/10 runs | ETA …"
 * bar.stop() // => undefined
 */
export function progressBar(
  label = 'runs',
  stream: NodeJS.WritableStream = process.stderr,
): { update: (done: number, total: number) => void; stop: () => void } {
  const format = `${label} [{bar}] {percentage}% | {value}/{total} runs | ETA {eta_formatted}`;
  const bar = new SingleBar({ format, stream, hideCursor: true, clearOnComplete: false }, Presets.shades_classic);
  let started = false;
  return {
    update: (done, total) => {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

/**
 * An `onEvent` callback that prints a use case's events: info lines, `warning:` lines, and a progress
 * bar for runs (started on the first `progress`, stopped at `progress-end`).
 * @example
 * const onEvent = printEvents(); // pass as `{ onEvent }` to a use case such as runProject
 * onEvent({ kind: 'info', message: 'loading examples/asem' }) // => undefined (the line goes to stderr)
 */
export function printEvents(): (event: AppEvent) => void {
  let bar: ReturnType<typeof progressBar> | undefined;
  return (event) => {
    switch (event.kind) {
      case 'info':
        log(event.message);
        break;
      case 'warning':
        log(`warning: ${event.message}`);
        break;
      case 'progress':
        (bar ??= progressBar('runs')).update(event.done, event.total);
        break;
      case 'progress-end':
        bar?.stop();
        bar = undefined;
        break;
    }
  };
}
