/**
 * `cityindex cases-log import|kpi --store` on a copy of examples/service-requests-311 (its real SF311 sample
 * log; SQLite store in the copy's .cityindex/): the project is imported into the store, the log becomes a
 * batch, a second import is a no-op, and the KPIs over the stored batch equal those of the file path
 * (`cases-log kpi --json`).
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../src/cli/main.ts';
import { tempProject } from './helpers.ts';

describe('cases-log --store through the CLI', () => {
  const p = tempProject({});
  const saved = process.env.DATABASE_URL;
  afterAll(() => {
    p.dispose();
    if (saved !== undefined) process.env.DATABASE_URL = saved;
  });

  it('imports into the store once and computes the same KPIs as the file path', async () => {
    delete process.env.DATABASE_URL;
    const dir = join(p.dir, 'sf');
    cpSync('examples/service-requests-311', dir, { recursive: true });
    rmSync(join(dir, '.cityindex'), { recursive: true, force: true });
    const log = ['--log', 'sf-sample'];
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
      out.push(String(s));
      return true;
    });
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let codes: number[];
    try {
      codes = [
        await run(['cases-log', 'kpi', dir, ...log, '--store', '--json']), // no project in the store yet: refused
        await run(['cases-log', 'import', dir, ...log, '--store', '--json']),
        await run(['cases-log', 'import', dir, ...log, '--store', '--json']),
        await run(['cases-log', 'kpi', dir, ...log, '--store', '--json']),
        await run(['cases-log', 'kpi', dir, ...log, '--json']),
      ];
    } finally {
      spy.mockRestore();
      err.mockRestore();
    }
    expect(codes).toEqual([1, 0, 0, 0, 0]);
    type Batch = { label?: string; imported: boolean; batch: { id: number; simulated: boolean; accepted: number } };
    const [first] = JSON.parse(out[0]) as Batch[];
    const [second] = JSON.parse(out[1]) as Batch[];
    expect(first).toMatchObject({ imported: true, batch: { simulated: false, accepted: 9871 } });
    expect(first.label).toBeUndefined();
    expect(second).toMatchObject({ imported: false, batch: { id: first.batch.id } });
    type Kpis = Array<{ label?: string; values: Array<Record<string, unknown>> }>;
    const [stored] = JSON.parse(out[2]) as Kpis;
    const [files] = JSON.parse(out[3]) as Kpis;
    expect(stored.label).toBeUndefined();
    expect(stored.values.length).toBe(files.values.length);
    const key = (v: Record<string, unknown>) => `${v.kpi}|${v.level}|${v.unit}|${v.category ?? ''}|${v.period}`;
    const byKey = new Map(files.values.map((v) => [key(v), v]));
    for (const v of stored.values) {
      const f = byKey.get(key(v))!;
      expect([v.numerator, v.denominator, v.excluded], key(v)).toEqual([f.numerator, f.denominator, f.excluded]);
      if (v.value === null) expect(f.value).toBeNull();
      else expect(Math.abs((v.value as number) - (f.value as number))).toBeLessThanOrEqual(1e-9);
    }
  }, 120_000);
});
