/**
 * Node: the use cases' host on a machine with a file system and worker threads, and the file sink
 * that writes a use case's artifacts atomically into an output folder.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CityIndexError } from '../engine/core/errors.ts';
import { findSurveyConfigs, loadSurvey } from '../formats/survey.ts';
import { loadProject, buildProject } from '../formats/project.ts';
import { loadSeriesCsv, loadSeriesProject } from '../formats/series.ts';
import { refuseReplace, writeOutputsAtomically, type OutputFiles } from '../formats/output.ts';
import { analyseProject, stopUncertaintyWorkers } from './uncertainty-workers.ts';
import type { AppHost } from './host.ts';
import { readChinaMap } from '../report/china-map-file.ts';

/**
 * Files read from disk, uncertainty runs spread over worker threads (idle workers stopped after each
 * analysis, so a CLI process ends promptly).
 * @example
 * const project = await nodeHost.loadProject('examples/asem');
 * project.input.units.length // => 51
 */
export const nodeHost: AppHost = {
  loadProject,
  buildProject,
  loadSeriesTable: (file, dir) => loadSeriesCsv(dir === undefined ? file : join(dir, file)),
  loadSeriesProject,
  findSurveys: findSurveyConfigs,
  loadSurvey,
  // the case library (gray-matter, js-yaml) loads only for a project that has one
  loadCases: async (folder, dir) =>
    (await import('../formats/cases.ts')).loadCases(dir === undefined ? resolve(folder) : resolve(dir, folder)),
  async readText(path) {
    try {
      return await readFile(path, 'utf8');
    } catch (e) {
      const code = e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
      const reason = code ?? (e instanceof Error ? e.message : String(e));
      throw new CityIndexError({ code: 'E_FILE', message: `cannot read file: ${reason}`, file: path });
    }
  },
  async readBytes(path) {
    try {
      return new Uint8Array(await readFile(path));
    } catch (e) {
      const code = e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
      throw new CityIndexError({ code: 'E_FILE', message: `cannot read file: ${code ?? String(e)}`, file: path });
    }
  },
  async readMap() {
    return readChinaMap();
  },
  async runUncertainty(project, nominal, options, onProgress) {
    try {
      return await analyseProject(project, nominal, options, { onProgress });
    } finally {
      await stopUncertaintyWorkers();
    }
  },
};

/**
 * Refuse an output folder that is a file or a folder cityindex did not write (one holding only
 * `names` may be replaced), before any work is done.
 * @example
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * const out = join(mkdtempSync(join(tmpdir(), 'cityindex-')), 'asem');
 * const ok = await checkOutputFolder(out, ['results.csv']);
 * ok // => undefined
 */
export async function checkOutputFolder(out: string, names: readonly string[]): Promise<void> {
  const refusal = await refuseReplace(resolve(out), names);
  if (refusal) throw refusal;
}

/**
 * Write a use case's artifacts into a folder, atomically (all or nothing); returns the names written.
 * @example
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * const out = join(mkdtempSync(join(tmpdir(), 'cityindex-')), 'x');
 * const written = await writeArtifacts(out, new Map([['a.txt', 'hi\n']]));
 * written // => ['a.txt']
 */
export function writeArtifacts(out: string, files: OutputFiles): Promise<string[]> {
  return writeOutputsAtomically(out, files);
}
