/**
 * Folder → store → folder: the exported folder of examples/asem and examples/cdgi-2020 builds
 * bit-identically to the original (results CSV byte for byte, and the fingerprints of every score and
 * rank), on SQLite and on PostgreSQL; so does a build straight from the store. Export never half-writes.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProject } from '../../src/app/project.ts';
import { CityIndexError } from '../../src/engine/core/errors.ts';
import { fingerprint, resultsTable, tableToCsv } from '../../src/formats/results.ts';
import { buildStoredProject } from '../../src/store/edition.ts';
import { exportProject, importProjectFolder } from '../../src/store/project-io.ts';
import { systemPrincipal } from '../../src/store/principal.ts';
import { DIALECTS, type TestStore } from './stores.ts';

const CLI = systemPrincipal('test');

/** What must be identical between two builds. */
async function buildOf(path: string) {
  const { build } = await runProject(path, { analyses: false });
  return {
    csv: tableToCsv(resultsTable(build)),
    scores: fingerprint(build.results.scores.values),
    ranks: fingerprint(build.results.ranks.values),
    steps: build.steps.map((s) => `${s.id}:${fingerprint(s.dataset.values)}`),
  };
}

const PROJECTS = ['examples/asem', 'examples/cdgi-2020'];
const originals = new Map<string, Awaited<ReturnType<typeof buildOf>>>();

beforeAll(async () => {
  for (const p of PROJECTS) originals.set(p, await buildOf(p));
}, 120_000);

describe.each(DIALECTS)('round trip on $name', ({ open, skip }) => {
  let t: TestStore;
  const tmp = mkdtempSync(join(tmpdir(), 'cityindex-export-'));
  beforeAll(async () => {
    if (!skip) t = await open();
  });
  afterAll(async () => {
    if (!skip) await t.dispose();
    rmSync(tmp, { recursive: true, force: true });
  });

  it.skipIf(skip).each(PROJECTS)(
    '%s: folder → store → folder builds bit-identically',
    async (path) => {
      const project = await importProjectFolder(t.store, CLI, path);
      const out = join(tmp, project.slug);
      const written = await exportProject(t.store, CLI, project, out);
      expect(written).toContain('project.yaml');
      const original = originals.get(path)!;
      expect(await buildOf(out)).toEqual(original);
      const stored = await buildStoredProject(t.store, CLI, project);
      expect(stored.csv).toBe(original.csv);
      expect(stored.fingerprint).toBe(original.scores);
      expect(stored.approved).toEqual([]);
    },
    120_000,
  );

  it.skipIf(skip)('refuses a second import of the same project and a non-empty output folder', async () => {
    const again = importProjectFolder(t.store, CLI, 'examples/asem');
    await expect(again).rejects.toThrow(CityIndexError);
    const project = (await t.store.projectBySlug('asem'))!;
    const full = join(tmp, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'keep.txt'), 'x');
    await expect(exportProject(t.store, CLI, project, full)).rejects.toThrow(/not empty/);
    expect(readdirSync(full)).toEqual(['keep.txt']);
  });

  it.skipIf(skip)(
    'a project with a broken data file is refused with located errors and nothing is stored',
    async () => {
      const broken = join(tmp, 'broken');
      mkdirSync(broken);
      writeFileSync(
        join(broken, 'project.yaml'),
        'name: broken\nframework: fw.csv\nunits: units.csv\ndata: data.csv\nsteps: []\n',
      );
      writeFileSync(join(broken, 'units.csv'), 'code,name_en\n110000,Beijing\n');
      writeFileSync(join(broken, 'fw.csv'), 'code,name_en,level,parent,weight,direction\n');
      writeFileSync(join(broken, 'data.csv'), 'code,x\n110000,abc\n');
      await expect(importProjectFolder(t.store, CLI, broken)).rejects.toThrow(CityIndexError);
      expect(await t.store.projectBySlug('broken')).toBeUndefined();
    },
  );
});
