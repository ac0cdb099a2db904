/**
 * The file-system `ProjectFiles` source (Node only): a project folder on disk, confined to it. Paths
 * resolve as in the memory source (`confinedPath`: no absolute paths, no `..` out of the folder unless
 * into an allowed root), and then by their real path (`fs.realpathSync`): a symbolic link inside the
 * project is followed, one leading out of the project folder and its allowed roots is refused. Reads,
 * listings and kinds check the real path too, so an entry listed in a folder cannot lead out either.
 */
import { realpathSync } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { confinedPath, type ProjectFiles } from './project-files.ts';

/** The real path of `abs`, or of its deepest existing ancestor joined with the rest (a missing file). */
function realpathOf(abs: string): string {
  const rest: string[] = [];
  let at = abs;
  for (;;) {
    try {
      return join(realpathSync(at), ...rest);
    } catch {
      const up = dirname(at);
      if (up === at) return abs;
      rest.unshift(at.slice(up.length).replace(/^[\\/]+/, ''));
      at = up;
    }
  }
}

/** True when the real path `real` is the real folder `root` or inside it. */
const insideReal = (real: string, root: string): boolean =>
  real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);

/**
 * The files of the project folder `dir`, read on demand and confined to it (and to `roots`, the
 * project's `allowedRoots:`, added with `withRoots`).
 * @example
 * const kind = await fsProjectFiles('examples/asem').kind('project.yaml');
 * kind // => 'file'
 * fsProjectFiles('examples/asem').resolve('../cdgi-2020/units.csv').ok // => false
 */
export function fsProjectFiles(dir: string, roots: readonly string[] = []): ProjectFiles {
  const at = (path: string): string => join(dir, path);
  let realRoots: string[] | undefined;
  /** The real folders a path may lead into (computed once: the project folder and its allowed roots). */
  const allowed = (): string[] => (realRoots ??= ['', ...roots].map((r) => realpathOf(at(r))));
  const inside = (path: string): boolean => allowed().some((root) => insideReal(realpathOf(at(path)), root));
  return {
    resolve: (path, from = '') => {
      const lexical = confinedPath(path, from, roots);
      if (!lexical.ok || inside(lexical.path)) return lexical;
      return {
        ok: false,
        code: 'E_PATH_LINK_OUTSIDE',
        message:
          `"${path}" leads outside the project folder through a symbolic link / ` + '路径经符号链接指向项目文件夹之外',
        expected: 'a file inside the project folder (or a folder listed in allowedRoots:), not a link out of it',
      };
    },
    withRoots: (more) => fsProjectFiles(dir, [...roots, ...more]),
    kind: async (path) => {
      if (!inside(path)) return undefined;
      const s = await stat(at(path)).catch(() => null);
      return s?.isFile() ? 'file' : s?.isDirectory() ? 'folder' : undefined;
    },
    read: async (path) => {
      if (!inside(path)) return undefined;
      const s = await stat(at(path)).catch(() => null);
      if (!s?.isFile()) return undefined;
      const b = await readFile(at(path)); // a view, not a copy (a data file may be hundreds of MB)
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    },
    list: async (folder) =>
      inside(folder) ? (await readdir(at(folder)).catch(() => [] as string[])).sort() : ([] as string[]),
  };
}
