/**
 * Write a set of output files all-or-nothing: everything goes into a staging folder beside the
 * target, and only when every file is written is the staging folder moved into place. A failure
 * leaves the previous output (or nothing) — never a half-written folder.
 */
import { mkdir, rename, rm, writeFile, stat } from 'node:fs/promises';
import { dirname, basename, join, resolve } from 'node:path';

export type OutputFiles = Map<string, string | Uint8Array | (() => Promise<string | Uint8Array>)>;

/**
 * Write `files` (name → content or a producer) into `outDir` atomically.
 * @example await writeOutputsAtomically('out/asem', new Map([['results.csv', '…']]))
 */
export async function writeOutputsAtomically(outDir: string, files: OutputFiles): Promise<string[]> {
  const target = resolve(outDir);
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  const staging = join(parent, `.${basename(target)}.partial-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const written: string[] = [];
  try {
    for (const [name, content] of files) {
      const data = typeof content === 'function' ? await content() : content;
      await mkdir(dirname(join(staging, name)), { recursive: true });
      await writeFile(join(staging, name), data);
      written.push(name);
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
