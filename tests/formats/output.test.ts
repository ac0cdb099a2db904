/** Output folders: written whole or not at all, and never replacing a file or a folder cityindex did not write. */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeOutputsAtomically, refuseReplace, OUTPUT_MARKER } from '../../src/formats/output.ts';

const files = () =>
  new Map<string, string>([
    ['results.csv', 'a\n'],
    ['build.json', '{}\n'],
  ]);

describe('writeOutputsAtomically', () => {
  it('writes the files and a marker; a second run replaces the folder', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ci-out-'));
    const out = join(root, 'out');
    expect(await writeOutputsAtomically(out, files())).toEqual(['results.csv', 'build.json']);
    expect(readdirSync(out).sort()).toEqual([OUTPUT_MARKER, 'build.json', 'results.csv']);
    writeFileSync(join(out, 'analysis.json'), 'old');
    await writeOutputsAtomically(out, new Map([['results.csv', 'b\n']]));
    expect(readdirSync(out).sort()).toEqual([OUTPUT_MARKER, 'results.csv']);
    expect(readFileSync(join(out, 'results.csv'), 'utf8')).toBe('b\n');
  });

  it('refuses an existing file, leaving it as it was', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ci-out-'));
    const target = join(root, 'notes.txt');
    writeFileSync(target, 'mine');
    await expect(writeOutputsAtomically(target, files())).rejects.toMatchObject({
      issues: [{ code: 'E_OUT_NOT_FOLDER', field: '--out' }],
    });
    expect(readFileSync(target, 'utf8')).toBe('mine');
    expect(readdirSync(root)).toEqual(['notes.txt']);
  });

  it('refuses a folder holding files it did not write (a project folder), leaving it whole', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ci-out-'));
    writeFileSync(join(root, 'project.yaml'), 'name: x\n');
    writeFileSync(join(root, 'results.csv'), 'old');
    const e = await writeOutputsAtomically(root, files()).catch((x) => x);
    expect(e.issues[0].code).toBe('E_OUT_NOT_OURS');
    expect(e.issues[0].message).toContain('project.yaml');
    expect(readdirSync(root).sort()).toEqual(['project.yaml', 'results.csv']);
  });

  it('replaces an empty folder and an old output folder without a marker that holds only output names', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ci-out-'));
    mkdirSync(join(root, 'empty'));
    expect(await refuseReplace(join(root, 'empty'), ['results.csv'])).toBeUndefined();
    mkdirSync(join(root, 'legacy'));
    writeFileSync(join(root, 'legacy', 'results.csv'), 'old');
    await writeOutputsAtomically(join(root, 'legacy'), files());
    expect(readFileSync(join(root, 'legacy', 'results.csv'), 'utf8')).toBe('a\n');
  });

  it('refuses the working folder and its parents', async () => {
    expect((await refuseReplace(process.cwd(), []))?.issues[0].code).toBe('E_OUT_CONTAINS_CWD');
    expect((await refuseReplace(join(process.cwd(), '..'), []))?.issues[0].code).toBe('E_OUT_CONTAINS_CWD');
  });

  it('a producer that fails leaves no folder and no staging folder behind', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ci-out-'));
    const bad = new Map<string, string | (() => Promise<string>)>([
      ['a.csv', 'x'],
      [
        'b.csv',
        async () => {
          throw new Error('disk');
        },
      ],
    ]);
    await expect(writeOutputsAtomically(join(root, 'out'), bad)).rejects.toThrow('disk');
    expect(existsSync(join(root, 'out'))).toBe(false);
    expect(readdirSync(root)).toEqual([]);
  });
});
