/**
 * Output folders under kills and concurrency: a write killed at any step leaves either the old or the
 * new output whole (or, only between the two renames, nothing — repaired by the next run), the next
 * run cleans every staging and old folder the dead process left, and interleaved writes of one target
 * take turns instead of failing.
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { recoverOutput, writeOutputsAtomically, OUTPUT_MARKER } from '../../src/formats/output.ts';

const child = resolve('tests/formats/output-kill-child.ts');
const names = [OUTPUT_MARKER, 'build.json', 'report.html', 'results.csv'].sort();

/** Run the child writing `content` into `out`, killed at the `nth` `step`; returns the signal. */
function killedWrite(out: string, content: string, step: string, nth = 1): string | null {
  const r = spawnSync(process.execPath, ['--import', 'tsx', child, out, content, step, String(nth)], {
    encoding: 'utf8',
  });
  if (r.status !== null && r.status !== 0) throw new Error(r.stderr);
  return r.signal;
}

/** The content of a whole output folder, or null when it is missing; throws when it is half-written. */
function wholeContent(out: string): string | null {
  if (!existsSync(out)) return null;
  expect(readdirSync(out).sort()).toEqual(names);
  const v = readFileSync(join(out, 'results.csv'), 'utf8');
  expect(readFileSync(join(out, 'report.html'), 'utf8')).toBe(v);
  expect(JSON.parse(readFileSync(join(out, 'build.json'), 'utf8'))).toEqual({ v });
  return v;
}

const steps: Array<[string, number]> = [
  ['staged-file', 1],
  ['staged-file', 3],
  ['staged', 1],
  ['locked', 1],
  ['old-moved', 1],
  ['new-moved', 1],
  ['old-removed', 1],
];

describe('output folders survive kills', () => {
  it.each(steps)(
    'killed at %s (#%i): old or new output whole, the next run repairs and cleans',
    async (step, nth) => {
      const root = mkdtempSync(join(tmpdir(), 'ci-kill-'));
      const out = join(root, 'out');
      expect(killedWrite(out, 'v1', 'never')).toBeNull();
      expect(wholeContent(out)).toBe('v1');
      expect(killedWrite(out, 'v2', step, nth)).toBe('SIGKILL');
      const after = wholeContent(out);
      if (step === 'old-moved')
        expect(after).toBeNull(); // the one window between the renames
      else expect(after).toBe(['new-moved', 'old-removed'].includes(step) ? 'v2' : 'v1');
      expect(readdirSync(root).length).toBeGreaterThan(1); // the dead run's leftovers are still there
      await recoverOutput(out);
      // between the renames the staged output was complete: recovery moves the newest complete one in
      expect(wholeContent(out)).toBe(['old-moved', 'new-moved', 'old-removed'].includes(step) ? 'v2' : 'v1');
      await writeOutputsAtomically(
        out,
        new Map([
          ['results.csv', 'v3'],
          ['build.json', '{"v":"v3"}'],
          ['report.html', 'v3'],
        ]),
      );
      expect(wholeContent(out)).toBe('v3');
      expect(readdirSync(root)).toEqual(['out']); // no partial, old or lock folder left
    },
    60_000,
  );

  it('a stale lock of a dead process is taken over', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ci-kill-'));
    const out = join(root, 'out');
    expect(killedWrite(out, 'v1', 'locked')).toBe('SIGKILL');
    expect(readdirSync(root)).toContain('.out.lock');
    await writeOutputsAtomically(
      out,
      new Map([
        ['results.csv', 'v2'],
        ['build.json', '{"v":"v2"}'],
        ['report.html', 'v2'],
      ]),
      { lockTimeoutMs: 2000 },
    );
    expect(wholeContent(out)).toBe('v2');
    expect(readdirSync(root)).toEqual(['out']);
  }, 60_000);
});

describe('interleaved writes of one target', () => {
  it('take turns: every write succeeds and the result is one of them, whole', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ci-conc-'));
    const out = join(root, 'out');
    for (let round = 0; round < 5; round++) {
      const contents = ['a', 'b', 'c', 'd'].map((x) => `${x}${round}`);
      await Promise.all(
        contents.map((v) =>
          writeOutputsAtomically(
            out,
            new Map([
              ['results.csv', v],
              ['build.json', JSON.stringify({ v })],
              ['report.html', v],
            ]),
          ),
        ),
      );
      expect(contents).toContain(wholeContent(out));
      expect(readdirSync(root)).toEqual(['out']);
    }
  });

  it('in separate processes too', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ci-conc-'));
    const out = join(root, 'out');
    const contents = ['p', 'q', 'r', 's'];
    const codes = await Promise.all(
      contents.map(
        (v) =>
          new Promise<number | null>((done) => {
            spawn(process.execPath, ['--import', 'tsx', child, out, v, 'never', '1'], { stdio: 'ignore' }).on(
              'exit',
              (code) => done(code),
            );
          }),
      ),
    );
    expect(codes).toEqual([0, 0, 0, 0]);
    expect(contents).toContain(wholeContent(out));
    expect(readdirSync(root)).toEqual(['out']);
  }, 60_000);
});
