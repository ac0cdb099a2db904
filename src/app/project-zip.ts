/**
 * The project folder as a zip for the dashboard's downloads: every input file the build read (the
 * loaded project's `files`: project file, framework, units, data, …), each checked against the SHA-256
 * recorded when it was read (so the zip holds what the published results were built from), stored under
 * paths relative to the files' common folder so the zip unpacks into a project that builds again (a file
 * reached through `allowedRoots:` keeps its place beside the project). No Node API: the bytes come from
 * the host.
 */
import { zipSync, type Zippable } from 'fflate';
import { CityIndexError } from '../engine/core/errors.ts';
import type { InputFile } from '../formats/assemble.ts';

/** Split a `/`-path into parts, resolving `.` and `..` (a `..` above the start is kept as `..`). */
function parts(path: string): string[] {
  const out: string[] = [];
  for (const p of path.replace(/\\/g, '/').split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else out.push(p);
  }
  return out;
}

/**
 * Zip entry names for project-relative paths: relative to the deepest folder holding them all, with the
 * project folder's own place inside it (`examples/p/project.yaml` beside `data/x.csv` when a file is
 * `../../data/x.csv`). Never absolute, never `..`.
 * @example
 * zipNames(['project.yaml', 'data/a.csv']) // => { names: ['project.yaml', 'data/a.csv'], projectFolder: '' }
 * const two = ['project.yaml', '../../shared/b.csv'];
 * zipNames(two, 'work/examples/p').names // => ['examples/p/project.yaml', 'shared/b.csv']
 */
export function zipNames(paths: readonly string[], projectDir = 'project'): { names: string[]; projectFolder: string } {
  const up = Math.max(0, ...paths.map((p) => parts(p).filter((x) => x === '..').length));
  const dir = parts(projectDir);
  // the last `up` folders of the project's own path name its place in the zip
  const own = up > 0 ? (dir.length >= up ? dir.slice(dir.length - up) : null) : [];
  if (own === null || own.includes('..'))
    throw new CityIndexError({
      code: 'E_ZIP_PATH',
      message: `project files reach ${up} folder(s) above the project folder "${projectDir}"`,
      expected: 'files inside the project folder or in folders beside it',
    });
  const names = paths.map((p) => {
    const joined = parts([...own, p].join('/'));
    if (joined.includes('..') || joined.length === 0)
      throw new CityIndexError({ code: 'E_ZIP_PATH', message: `cannot place "${p}" in the zip`, file: p });
    return joined.join('/');
  });
  return { names, projectFolder: own.join('/') };
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The zip of a project's input files; `read` gets a project-relative path. A file whose bytes no longer
 * match the SHA-256 of the build is refused (`E_ZIP_CHANGED`), so the zip never mixes editions; files
 * given without a SHA-256 (those the project names but the build does not read: its series table, its
 * case library) go in as they are.
 * @example
 * const sha256 = 'ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb'; // of 'a'
 * const files = [{ path: 'a.txt', sha256, bytes: 1 }];
 * const zip = await projectZip(files, 'p', async () => new TextEncoder().encode('a'));
 * String.fromCharCode(zip[0], zip[1]) // => 'PK'
 */
export async function projectZip(
  files: ReadonlyArray<Pick<InputFile, 'path'> & { sha256?: string }>,
  projectDir: string,
  read: (path: string) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  const unique = [...new Map(files.map((f) => [parts(f.path).join('/'), f] as const)).values()];
  const { names } = zipNames(
    unique.map((f) => f.path),
    projectDir,
  );
  const entries: Zippable = Object.create(null) as Zippable;
  for (let i = 0; i < unique.length; i++) {
    const f = unique[i];
    const bytes = await read(f.path);
    if (f.sha256 !== undefined && (await sha256Hex(bytes)) !== f.sha256)
      throw new CityIndexError({
        code: 'E_ZIP_CHANGED',
        message: `"${f.path}" changed since the build read it`,
        file: f.path,
        expected: 'the file as the build read it (build again)',
      });
    entries[names[i]] = [bytes, { mtime: new Date(Date.UTC(2000, 0, 1)) }];
  }
  return zipSync(entries, { level: 6 });
}
