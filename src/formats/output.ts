/**
 * Write a set of output files all-or-nothing: everything goes into a staging folder beside the
 * target, and only when every file is written is the staging folder moved into place. A failure
 * leaves the previous output (or nothing) — never a half-written folder.
 *
 * An existing target is replaced only when it is an output folder cityindex wrote (it holds the
 * marker file `.cityindex-output`, or only names this write produces) or is empty: `--out .`,
 * `--out <project folder>` or `--out <a file>` are refused, never deleted.
 */
import { mkdir, rename, rm, writeFile, stat, readdir } from 'node:fs/promises';
import { dirname, basename, join, resolve, relative, isAbsolute } from 'node:path';
import { CityIndexError } from '../engine/core/errors.ts';

export type OutputFiles = Map<string, string | Uint8Array | (() => Promise<string | Uint8Array>)>;

/** Name of the marker file written into every output folder: its presence lets a later run replace the folder. */
export const OUTPUT_MARKER = '.cityindex-output';

/**
 * Why `target` may not be replaced by an output folder holding `names`, or undefined when it may
 * (missing, empty, marked as a cityindex output, or holding only names this write produces).
 * @example await refuseReplace('/tmp/none', ['results.csv']) // => undefined
 */
export async function refuseReplace(target: string, names: readonly string[], field = '--out'): Promise<CityIndexError | undefined> {
  const st = await stat(target).catch(() => null);
  if (!st) return undefined;
  if (!st.isDirectory()) {
    return new CityIndexError({ code: 'E_OUT_NOT_FOLDER', message: `output path "${target}" is an existing file, not a folder / 输出路径是已有文件而不是文件夹`, field, expected: 'a folder name (it is created), e.g. --out out/my-index' });
  }
  const cwd = process.cwd();
  const rel = relative(target, cwd);
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
    return new CityIndexError({ code: 'E_OUT_CONTAINS_CWD', message: `output folder "${target}" is the current folder or contains it; it would be replaced / 输出目录不能是当前目录或其上级目录`, field, expected: 'a new or output-only folder, e.g. --out out/my-index' });
  }
  const entries = await readdir(target);
  if (entries.length === 0 || entries.includes(OUTPUT_MARKER)) return undefined;
  const produced = new Set(names.map((n) => n.split(/[\\/]/)[0]));
  const foreign = entries.filter((e) => !produced.has(e));
  if (foreign.length === 0) return undefined;
  return new CityIndexError({
    code: 'E_OUT_NOT_OURS',
    message: `output folder "${target}" already exists and holds files cityindex did not write (${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ', …' : ''}); the whole folder would be replaced / 输出目录已存在且含有非 cityindex 生成的文件，不会覆盖`,
    field,
    expected: 'a new folder, an earlier cityindex output folder, or an empty folder',
  });
}

/**
 * Write `files` (name → content or a producer) into `outDir` atomically; a marker file
 * `.cityindex-output` is added. Throws a `CityIndexError` (nothing written) when `outDir` is a file or
 * a folder cityindex did not write.
 * @example await writeOutputsAtomically('out/asem', new Map([['results.csv', '…']])) // => ['results.csv']
 */
export async function writeOutputsAtomically(outDir: string, files: OutputFiles): Promise<string[]> {
  const target = resolve(outDir);
  const all: OutputFiles = new Map(files);
  all.set(OUTPUT_MARKER, 'This folder was written by cityindex; a later run with the same --out replaces it whole.\n');
  const refusal = await refuseReplace(target, [...all.keys()]);
  if (refusal) throw refusal;
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  const staging = join(parent, `.${basename(target)}.partial-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const written: string[] = [];
  try {
    for (const [name, content] of all) {
      const data = typeof content === 'function' ? await content() : content;
      await mkdir(dirname(join(staging, name)), { recursive: true });
      await writeFile(join(staging, name), data);
      if (name !== OUTPUT_MARKER) written.push(name);
    }
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    throw e;
  }
  let old: string | undefined;
  try {
    await stat(target);
    old = join(parent, `.${basename(target)}.old-${process.pid}`);
    await rename(target, old);
  } catch { /* no previous output */ }
  await rename(staging, target);
  if (old) await rm(old, { recursive: true, force: true });
  return written;
}
