/**
 * Write a set of output files all-or-nothing: everything goes into a staging folder beside the
 * target, and only when every file is written is the staging folder moved into place. A failure
 * leaves the previous output (or nothing) — never a half-written folder.
 *
 * An existing target is replaced only when it is an output folder cityindex wrote (it holds the
 * marker file `.cityindex-output`, or only names this write produces) or is empty: `--out .`,
 * `--out <project folder>` or `--out <a file>` are refused, never deleted.
 *
 * The swap (old output aside, new output in, old output removed) runs under a lock folder
 * (`.<name>.lock`, holding the owner's pid), so interleaved builds of the same target take turns. A run
 * killed at any point leaves `.<name>.partial-*` / `.<name>.old-*` siblings tagged with its pid; the
 * next write (or `recoverOutput`) puts a complete output back in place if the target is missing (the
 * newest complete one: a staged folder whose marker — written last — is present, else the old one)
 * and removes what dead processes left.
 */
import { mkdir, rename, rm, writeFile, stat, readdir, readFile } from 'node:fs/promises';
import { dirname, basename, join, resolve, relative, isAbsolute } from 'node:path';
import { CityIndexError } from '../engine/core/errors.ts';

export type OutputFiles = Map<string, string | Uint8Array | (() => Promise<string | Uint8Array>)>;

/** Name of the marker file written into every output folder: its presence lets a later run replace the folder. */
export const OUTPUT_MARKER = '.cityindex-output';

/**
 * Why `target` may not be replaced by an output folder holding `names`, or undefined when it may
 * (missing, empty, marked as a cityindex output, or holding only names this write produces).
 * @example
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * const tmp = mkdtempSync(join(tmpdir(), 'cityindex-'));
 * const refusal = await refuseReplace(join(tmp, 'none'), ['results.csv']);
 * refusal // => undefined
 */
export async function refuseReplace(
  target: string,
  names: readonly string[],
  field = '--out',
): Promise<CityIndexError | undefined> {
  const st = await stat(target).catch(() => null);
  if (!st) return undefined;
  if (!st.isDirectory()) {
    return new CityIndexError({
      code: 'E_OUT_NOT_FOLDER',
      message: `output path "${target}" is an existing file, not a folder / 输出路径是已有文件而不是文件夹`,
      field,
      expected: 'a folder name (it is created), e.g. --out out/my-index',
    });
  }
  const cwd = process.cwd();
  const rel = relative(target, cwd);
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
    return new CityIndexError({
      code: 'E_OUT_CONTAINS_CWD',
      message:
        `output folder "${target}" is the current folder or contains it; it would be replaced / ` +
        '输出目录不能是当前目录或其上级目录',
      field,
      expected: 'a new or output-only folder, e.g. --out out/my-index',
    });
  }
  const entries = await readdir(target);
  if (entries.length === 0 || entries.includes(OUTPUT_MARKER)) return undefined;
  const produced = new Set(names.map((n) => n.split(/[\\/]/)[0]));
  const foreign = entries.filter((e) => !produced.has(e));
  if (foreign.length === 0) return undefined;
  return new CityIndexError({
    code: 'E_OUT_NOT_OURS',
    message:
      `output folder "${target}" already exists and holds files cityindex did not write ` +
      `(${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ', …' : ''}); the whole folder would be replaced / ` +
      '输出目录已存在且含有非 cityindex 生成的文件，不会覆盖',
    field,
    expected: 'a new folder, an earlier cityindex output folder, or an empty folder',
  });
}

/** Steps of an atomic write, in order (reported to `onStep`, so tests can interrupt at each). */
export type OutputStep = 'staged-file' | 'staged' | 'locked' | 'old-moved' | 'new-moved' | 'old-removed';

/** Options of `writeOutputsAtomically`. */
export interface WriteOutputsOptions {
  /** Called after each step (tests kill the process here). */
  onStep?: (step: OutputStep) => void;
  /** How long to wait for another writer's lock, in ms (default 30 000). */
  lockTimeoutMs?: number;
}

let writeCounter = 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether a process with this pid is running (EPERM: it exists but is not ours). */
function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

/** Siblings a write of `target` leaves while it runs: `.<name>.<kind>-<pid>-<n>`. */
async function leftovers(
  target: string,
): Promise<Array<{ path: string; kind: 'partial' | 'old'; pid: number; n: number }>> {
  const parent = dirname(target);
  const prefix = `.${basename(target)}.`;
  const names = await readdir(parent).catch(() => [] as string[]);
  const out: Array<{ path: string; kind: 'partial' | 'old'; pid: number; n: number }> = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(partial|old)-(\d+)-(\d+)$/.exec(name.slice(prefix.length));
    if (m) out.push({ path: join(parent, name), kind: m[1] as 'partial' | 'old', pid: Number(m[2]), n: Number(m[3]) });
  }
  return out;
}

/**
 * Repair what killed writes of `outDir` left behind: when the output folder is missing, the newest
 * complete staged output (or else the previous output) of a dead process is moved into place; then
 * every staging or old folder of a dead process is removed. Returns the folders removed or restored.
 * @example
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * const tmp = mkdtempSync(join(tmpdir(), 'cityindex-'));
 * const recovered = await recoverOutput(join(tmp, 'none'));
 * recovered // => []
 */
export async function recoverOutput(outDir: string): Promise<string[]> {
  const target = resolve(outDir);
  const dead = (await leftovers(target)).filter((l) => !alive(l.pid));
  const touched: string[] = [];
  if (!(await exists(target))) {
    const complete: typeof dead = [];
    for (const l of dead) if (l.kind === 'partial' && (await exists(join(l.path, OUTPUT_MARKER)))) complete.push(l);
    const olds = dead.filter((l) => l.kind === 'old');
    const pick = complete.sort((a, b) => b.n - a.n)[0] ?? olds.sort((a, b) => b.n - a.n)[0];
    if (pick) {
      await rename(pick.path, target);
      touched.push(pick.path);
    }
  }
  for (const l of dead) {
    if (touched.includes(l.path)) continue;
    await rm(l.path, { recursive: true, force: true });
    touched.push(l.path);
  }
  return touched;
}

/** Take the swap lock of `target` (a folder holding the owner's pid); a dead owner's lock is taken over. */
async function lock(target: string, timeoutMs: number): Promise<() => Promise<void>> {
  const path = join(dirname(target), `.${basename(target)}.lock`);
  const start = performance.now();
  for (;;) {
    try {
      await mkdir(path);
      await writeFile(join(path, 'pid'), String(process.pid));
      return () => rm(path, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = Number(await readFile(join(path, 'pid'), 'utf8').catch(() => ''));
    // a lock without a pid file is either being created (wait) or was left by a kill (stale after 5 s)
    const stale = owner ? !alive(owner) : performance.now() - start > 5000;
    if (stale) {
      await rm(path, { recursive: true, force: true });
      continue;
    }
    if (performance.now() - start > timeoutMs) {
      throw new CityIndexError({
        code: 'E_OUT_LOCKED',
        message:
          `output folder "${target}" is being written by another cityindex process (pid ${owner}) / ` +
          '另一个 cityindex 进程正在写入该输出目录',
        field: '--out',
        expected: 'wait for the other run to finish, or use another --out folder',
      });
    }
    await sleep(20);
  }
}

/**
 * Write `files` (name → content or a producer) into `outDir` atomically; a marker file
 * `.cityindex-output` is added. Throws a `CityIndexError` (nothing written) when `outDir` is a file or
 * a folder cityindex did not write. Interleaved writes of one target take turns at the swap; what a
 * killed write left is repaired first (`recoverOutput`).
 * @example
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * const tmp = mkdtempSync(join(tmpdir(), 'cityindex-'));
 * const written = await writeOutputsAtomically(join(tmp, 'asem'), new Map([['results.csv', '…']]));
 * written // => ['results.csv']
 */
export async function writeOutputsAtomically(
  outDir: string,
  files: OutputFiles,
  options: WriteOutputsOptions = {},
): Promise<string[]> {
  const target = resolve(outDir);
  const step = options.onStep ?? (() => {});
  const all: OutputFiles = new Map(files);
  all.delete(OUTPUT_MARKER);
  // the marker goes last: a staged folder holding it is complete
  all.set(OUTPUT_MARKER, 'This folder was written by cityindex; a later run with the same --out replaces it whole.\n');
  await recoverOutput(target);
  const refusal = await refuseReplace(target, [...all.keys()]);
  if (refusal) throw refusal;
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  const tag = `${process.pid}-${++writeCounter}`;
  const staging = join(parent, `.${basename(target)}.partial-${tag}`);
  await mkdir(staging, { recursive: true });
  const written: string[] = [];
  try {
    for (const [name, content] of all) {
      const data = typeof content === 'function' ? await content() : content;
      await mkdir(dirname(join(staging, name)), { recursive: true });
      await writeFile(join(staging, name), data);
      if (name !== OUTPUT_MARKER) written.push(name);
      step('staged-file');
    }
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    throw e;
  }
  step('staged');
  const unlock = await lock(target, options.lockTimeoutMs ?? 30_000);
  try {
    step('locked');
    // another writer may have replaced the target meanwhile: check again under the lock
    const late = await refuseReplace(target, [...all.keys()]);
    if (late) throw late;
    const old = join(parent, `.${basename(target)}.old-${tag}`);
    const hadOld = await rename(target, old).then(
      () => true,
      (e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return false;
        throw e;
      },
    );
    step('old-moved');
    try {
      await rename(staging, target);
    } catch (e) {
      if (hadOld) await rename(old, target);
      throw e;
    }
    step('new-moved');
    if (hadOld) await rm(old, { recursive: true, force: true });
    step('old-removed');
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    throw e;
  } finally {
    await unlock();
  }
  return written;
}
