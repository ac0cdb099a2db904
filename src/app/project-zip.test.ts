/**
 * The dashboard's project zip: entry names never leave the zip; the zip of examples/cdgi-2020 holds every
 * input file with the SHA-256 the build recorded, unpacks into a folder that builds the same results, and a
 * file changed since the build is refused.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { projectZip, zipNames } from './project-zip.ts';
import { runProject } from './project.ts';
import { siteArtifacts } from './site.ts';
import { nodeHost } from './node-host.ts';

describe('zipNames', () => {
  it('keeps files beside the project in their place and refuses what would climb out', () => {
    expect(zipNames(['project.yaml', 'data/x.csv'], 'examples/p').names).toEqual(['project.yaml', 'data/x.csv']);
    expect(zipNames(['project.yaml', '../../d/s.csv'], '/w/examples/p').names).toEqual([
      'examples/p/project.yaml',
      'd/s.csv',
    ]);
    expect(() => zipNames(['../../../x'], 'a/b')).toThrow(/E_ZIP_PATH|above the project/);
  });
});

describe('projectZip of examples/cdgi-2020', () => {
  it('holds every input file as read, and unpacks into a project that builds the same results', async () => {
    const run = await runProject('examples/cdgi-2020', { analyses: false });
    // the export's zip: siteArtifacts adds the series table and the case library the project names
    const { files } = await siteArtifacts('examples/cdgi-2020', { analyses: false });
    const entries = unzipSync(files.get('downloads/project.zip') as Uint8Array);
    const own = run.project.files.map((f) => `examples/cdgi-2020/${f.path}`);
    expect(Object.keys(entries)).toEqual(expect.arrayContaining([...own, 'data/sources/seed-288/seed_288_table.csv']));
    expect(Object.keys(entries).filter((n) => n.startsWith('cases/')).length).toBe(3);
    for (const f of run.project.files)
      expect(createHash('sha256').update(entries[`examples/cdgi-2020/${f.path}`]).digest('hex')).toBe(f.sha256);
    const out = mkdtempSync(join(tmpdir(), 'zip-'));
    for (const [name, bytes] of Object.entries(entries)) {
      mkdirSync(dirname(join(out, name)), { recursive: true });
      writeFileSync(join(out, name), bytes);
    }
    const again = await runProject(join(out, 'examples/cdgi-2020'), { analyses: false });
    const a = run.build.results.scores;
    const b = again.build.results.scores;
    expect(b.unitCodes).toEqual(a.unitCodes);
    expect(Array.from(b.values)).toEqual(Array.from(a.values));
  }, 120_000);

  it('refuses a file changed since the build', async () => {
    const run = await runProject('examples/cdgi-2020', { analyses: false });
    const dir = run.project.dir;
    const read = async (p: string) => {
      const bytes = await nodeHost.readBytes!(join(dir, p));
      return p === 'units.csv' ? Uint8Array.from([...bytes, 10]) : bytes;
    };
    await expect(projectZip(run.project.files, dir, read)).rejects.toThrow(/units\.csv.*changed/);
  }, 120_000);
});
