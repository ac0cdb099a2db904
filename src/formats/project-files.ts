/**
 * Where a project's files come from: a read-only source of project-relative POSIX paths → bytes,
 * with a listing for folders. `assembleProject` reads only through it, so a project can come from a
 * folder on disk (`fsProjectFiles` in project-fs.ts, Node only), an upload or database rows
 * (`memoryProjectFiles`, pure, bundleable for the browser).
 *
 * Every path a project file names goes through the source's one `resolve` function: that is the
 * single place that decides which paths a project may name (today the in-memory source refuses `..`
 * and absolute paths; the file-system source still allows them).
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

/**
 * Resolve a path named in a project file inside the project: relative to `from`, never above the
 * project folder, never absolute. Backslashes count as separators (a Windows user's `data\x.csv`).
 * @example confinedPath('responses.csv', 'surveys') // => { ok: true, path: 'surveys/responses.csv' }
 * @example confinedPath('../x.csv').ok // => false
 */
export function confinedPath(path: string, from = ''): ResolvedPath {
  const expected = 'a path inside the project folder, relative to it (e.g. data/values.csv)';
  if (isAbsolutePath(path)) {
    return {
      ok: false,
      code: 'E_PATH_ABSOLUTE',
      message: `"${path}" is an absolute path / 不能使用绝对路径`,
      expected,
    };
  }
  const joined = joinPosix(from, path.replace(/\\/g, '/'));
  if (joined === '..' || joined.startsWith('../')) {
    const message = `"${path}" points outside the project folder / 路径超出项目文件夹`;
    return { ok: false, code: 'E_PATH_OUTSIDE', message, expected };
  }
  return { ok: true, path: joined };
}

/**
 * A source over files held in memory (an upload, database rows, a test): keys are project-relative
 * POSIX paths, values bytes or text (text is read as UTF-8). Folders are implied by the keys. Pure:
 * no Node APIs. Paths that climb out of the project or are absolute are refused by `resolve`.
 * @example
 * const files = memoryProjectFiles({ 'project.yaml': 'name: x\n', 'data/a.csv': 'code,x\n' });
 * const listed = await files.list('data');
 * listed // => ['a.csv']
 * files.resolve('../x.csv').ok // => false
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
  return {
    resolve: confinedPath,
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
  };
}
