/**
 * `cases-log kpi` re-imports a log only when its input changed: unchanged size and modification time keep
 * the recorded SHA-256 (no re-hash of gigabytes), a touched file is hashed again and kept when its bytes are
 * the same, changed bytes import again.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCaseLogProject } from '../../src/caselog/generate.ts';
import { computeProjectKpis, type CaseLogEvent } from '../../src/caselog/run.ts';
import { tempProject } from './helpers.ts';

const tmp = tempProject({});
afterAll(() => tmp.dispose());

describe('kpi reuses an unchanged import', () => {
  it('imports again exactly when the input bytes changed', async () => {
    const dir = join(tmp.dir, 'p');
    const g = await generateCaseLogProject({ dir, city: '440300', year: 2024, cases: 3000, seed: 3 });
    const file = join(dir, g.files[0]);
    const run = async () => {
      const events: CaseLogEvent[] = [];
      const [r] = await computeProjectKpis(dir, { onProgress: (e) => events.push(e) });
      return { imported: events.some((e) => e.kind === 'import'), r };
    };
    const first = await run();
    expect(first.imported).toBe(true);
    expect((await run()).imported).toBe(false);
    // touched, same bytes: hashed again, same SHA-256, kept
    const later = new Date(statSync(file).mtimeMs + 5000);
    utimesSync(file, later, later);
    expect((await run()).imported).toBe(false);
    // one case's id changed, same size: imported again, the new id in the KPI inputs' hash
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[1] = lines[1].replace(/^([^,]*).,/, '$1Z,');
    writeFileSync(file, lines.join('\n'));
    const again = await run();
    expect(again.imported).toBe(true);
    expect(again.r.report.files[0].sha256).not.toBe(first.r.report.files[0].sha256);
    expect(again.r.report.files[0].bytes).toBe(first.r.report.files[0].bytes);
  }, 60_000);
});
