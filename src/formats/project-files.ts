/**
 * Where a project's files come from: a read-only source of project-relative POSIX paths → bytes,
 * with a listing for folders. `assembleProject` reads only through it, so a project can come from a
 * folder on disk (`fsProjectFiles` in project-fs.ts, Node only), an upload or database rows
 * (`memoryProjectFiles`, pure, bundleable for the browser).
 *
 * Every path a project file names goes through the source's one `resolve` function: that is the
 * single place that decides which paths a project may name. Both sources confine a project to its
 * folder: `..` climbing out and absolute paths are refused, unless the path lies in one of the folders
 * the project lists in `allowedRoots:` (`withRoots`); the disk source also follows symbolic links
 * (realpath) and refuses those that lead out of the project folder and its allowed roots.
 */

/** A path resolved by a source: its key in the source, or why it was refused. */
export type ResolvedPath = { ok: true; path: string } | { ok: false; code: string; message: string; expected: string };

/** What is at a path of a source. */
export type EntryKind = 'file' | 'folder';

/** A read-only source of project files, keyed by project-relative POSIX paths (`data/2020.csv`). */
export interface ProjectFiles {
  /**
   * The key of `path` as named by a file in the folder `from` ('' = the project folder). The only
   * place where a source decides which paths a project may name.
   */
  resolve(path: string, from?: string): ResolvedPath;
  /** What is at a resolved path, or undefined when nothing is. */
  kind(path: string): Promise<EntryKind | undefined>;
  /** The bytes of a file at a resolved path, or undefined when it is not a file. */
  read(path: string): Promise<Uint8Array | undefined>;
  /** Names (not paths) of the entries of a folder at a resolved path, sorted; [] when not a folder. */
  list(folder: string): Promise<string[]>;
  /**
   * The same files, with `resolve` also accepting paths inside the folders `roots` (project-relative
   * POSIX paths that may climb out of the project folder with `..`, e.g. `../../cases`; already checked
   * by `checkRoots`). The project's `allowedRoots:` list.
   */
  withRoots(roots: readonly string[]): ProjectFiles;
}

/**
 * Join and normalise POSIX path parts ('.' and '..' segments resolved, no trailing slash). A result
 * that climbs above the start keeps its leading '..' segments; '' is the start folder itself.
 * @example joinPosix('surveys', './responses.csv') // => 'surveys/responses.csv'
 * @example joinPosix('', 'a/../../x.csv') // => '../x.csv'
 */
export function joinPosix(...parts: string[]): string {
  const out: string[] = [];
  for (const segment of parts.join('/').split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else out.push(segment);
  }
  return out.join('/');
}

/**
 * The folder of a POSIX path ('' for a file at the top).
 * @example dirnamePosix('surveys/survey.yaml') // => 'surveys'
 */
export function dirnamePosix(path: string): string {
  const k = path.lastIndexOf('/');
  return k < 0 ? '' : path.slice(0, k);
}

/**
 * The last segment of a POSIX path.
 * @example basenamePosix('surveys/survey.yaml') // => 'survey.yaml'
 */
export function basenamePosix(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** True for '/x', '\\x', 'C:\\x', 'C:/x' and '//server/x'. */
function isAbsolutePath(path: string): boolean {
  return /^([\\/]|[A-Za-z]:[\\/])/.test(path);
}

const INSIDE_EXPECTED =
  'a path inside the project folder, relative to it (e.g. data/values.csv), or inside a folder listed in allowedRoots:';

/** True when the normalised project-relative `path` is the folder `root` or inside it. */
function within(path: string, root: string): boolean {
  return root === '' || path === root || path.startsWith(`${root}/`);
}

/**
 * Resolve a path named in a project file inside the project: relative to `from`, never absolute, never
 * above the project folder unless inside one of the allowed `roots` (normalised project-relative
 * folders such as `../../cases`). Backslashes count as separators (a Windows user's `data\x.csv`).
 * @example confinedPath('responses.csv', 'surveys') // => { ok: true, path: 'surveys/responses.csv' }
 * @example confinedPath('../x.csv').ok // => false
 * @example confinedPath('../../cases/a.md', '', ['../../cases']) // => { ok: true, path: '../../cases/a.md' }
 */
export function confinedPath(path: string, from = '', roots: readonly string[] = []): ResolvedPath {
  const expected = INSIDE_EXPECTED;
  if (isAbsolutePath(path)) {
    return {
      ok: false,
      code: 'E_PATH_ABSOLUTE',
      message: `"${path}" is an absolute path / 不能使用绝对路径`,
      expected,
    };
  }
  const joined = joinPosix(from, path.replace(/\\/g, '/'));
  if ((joined === '..' || joined.startsWith('../')) && !roots.some((r) => within(joined, r))) {
    const message = `"${path}" points outside the project folder / 路径超出项目文件夹`;
    return { ok: false, code: 'E_PATH_OUTSIDE', message, expected };
  }
  return { ok: true, path: joined };
}

/**
 * Check the `allowedRoots:` entries of a project file: each a relative folder path (absolute paths are
 * machine-specific and refused); returns the normalised roots and a message per refused entry.
 * @example checkRoots(['../../cases', './shared/']).roots // => ['../../cases', 'shared']
 * @example checkRoots(['/etc']).refused[0].index // => 0
 */
export function checkRoots(entries: readonly string[]): {
  roots: string[];
  refused: Array<{ index: number; message: string; expected: string }>;
} {
  const roots: string[] = [];
  const refused: Array<{ index: number; message: string; expected: string }> = [];
  entries.forEach((entry, index) => {
    const expected = 'a folder path relative to the project folder (e.g. ../../cases)';
    if (isAbsolutePath(entry) || entry.trim() === '') {
      const message =
        entry.trim() === ''
          ? 'an empty path / 路径为空'
          : `"${entry}" is an absolute path: list folders relative to the project folder / 请使用相对于项目文件夹的路径`;
      refused.push({ index, message, expected });
    } else roots.push(joinPosix(entry.replace(/\\/g, '/')));
  });
  return { roots, refused };
}

/**
 * A source over files held in memory (an upload, database rows, a test): keys are project-relative
 * POSIX paths, values bytes or text (text is read as UTF-8). Folders are implied by the keys. Pure:
 * no Node APIs. Paths that climb out of the project or are absolute are refused by `resolve`; keys
 * that climb (`../../cases/a.md`) are reachable only through `withRoots` listing their folder.
 * @example
 * const files = memoryProjectFiles({ 'project.yaml': 'name: x\n', 'data/a.csv': 'code,x\n' });
 * const listed = await files.list('data');
 * listed // => ['a.csv']
 * files.resolve('../x.csv').ok // => false
 * const shared = memoryProjectFiles({ '../shared/a.csv': 'code,x\n' }).withRoots(['../shared']);
 * shared.resolve('../shared/a.csv').ok // => true
 */
export function memoryProjectFiles(
  entries: Readonly<Record<string, string | Uint8Array>> | ReadonlyMap<string, string | Uint8Array>,
): ProjectFiles {
  const files = new Map<string, Uint8Array>();
  const folders = new Set<string>(['']);
  const pairs = entries instanceof Map ? [...entries] : Object.entries(entries);
  for (const [key, content] of pairs) {
    const path = joinPosix(key.replace(/\\/g, '/'));
    files.set(path, typeof content === 'string' ? new TextEncoder().encode(content) : content);
    for (let folder = dirnamePosix(path); folder !== ''; folder = dirnamePosix(folder)) folders.add(folder);
  }
  const source = (roots: readonly string[]): ProjectFiles => ({
    resolve: (path, from) => confinedPath(path, from, roots),
    withRoots: (more) => source([...roots, ...more]),
    kind: async (path) => (files.has(path) ? 'file' : folders.has(path) ? 'folder' : undefined),
    read: async (path) => files.get(path),
    list: async (folder) => {
      if (!folders.has(folder)) return [];
      const prefix = folder === '' ? '' : `${folder}/`;
      const names = new Set<string>();
      for (const key of [...files.keys(), ...folders]) {
        if (key !== folder && key.startsWith(prefix)) names.add(key.slice(prefix.length).split('/')[0]);
      }
      return [...names].sort();
    },
  });
  return source([]);
}
