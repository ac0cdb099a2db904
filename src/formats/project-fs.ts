/**
 * The file-system `ProjectFiles` source (Node only): a project folder on disk. Paths resolve
 * relative to the folder as `path.join` does today (`..` still allowed here; confining projects to
 * their folder is a change to `resolve` below).
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { joinPosix, type ProjectFiles } from './project-files.ts';

/**
 * The files of the project folder `dir`, read on demand.
 * @example
 * const kind = await fsProjectFiles('examples/asem').kind('project.yaml');
 * kind // => 'file'
 */
export function fsProjectFiles(dir: string): ProjectFiles {
  const at = (path: string): string => join(dir, path);
  return {
    resolve: (path, from = '') => ({ ok: true, path: joinPosix(from, path) }),
    kind: async (path) => {
      const s = await stat(at(path)).catch(() => null);
      return s?.isFile() ? 'file' : s?.isDirectory() ? 'folder' : undefined;
    },
    read: async (path) => {
      const s = await stat(at(path)).catch(() => null);
      return s?.isFile() ? new Uint8Array(await readFile(at(path))) : undefined;
    },
    list: async (folder) => (await readdir(at(folder)).catch(() => [] as string[])).sort(),
  };
}
