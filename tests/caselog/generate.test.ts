/**
 * The simulated 12345 generator: deterministic by seed, the stated model's properties hold on 60 000 cases,
 * and every file and KPI of a generated project is labelled SIMULATED (through the CLI, in process).
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { createCaseGenerator, STANDARD_CATEGORIES, CATEGORY_TABLE } from '../../src/engine/caselog/generate.ts';
import { run } from '../../src/cli/main.ts';
import { tempProject } from './helpers.ts';

const OPTS = { seed: 11, year: 2024, offsetS: 8 * 3600, districts: [{ code: 'D1', weight: 1 }] };
const t = (s: string) => Date.parse(s.replace(' ', 'T') + '+08:00') / 1000;

describe('simulated 12345 generator (model properties)', () => {
  const g = createCaseGenerator(OPTS);
  const cases = Array.from({ length: 60_000 }, () => g.next());

  it('is deterministic by seed and differs between seeds', () => {
    const again = createCaseGenerator(OPTS);
    expect(Array.from({ length: 50 }, () => again.next())).toEqual(cases.slice(0, 50));
    const other = createCaseGenerator({ ...OPTS, seed: 12 }).next();
    expect(other.received).not.toBe(cases[0].received);
  });

  it('has the weekly and daily cycles of the model', () => {
    const byDow = new Array(7).fill(0);
    const byHour = new Array(24).fill(0);
    for (const c of cases) {
      byDow[new Date(c.received.slice(0, 10) + 'T00:00:00Z').getUTCDay()]++;
      byHour[Number(c.received.slice(11, 13))]++;
    }
    const weekday = (byDow[1] + byDow[2] + byDow[3] + byDow[4] + byDow[5]) / 5;
    const weekend = (byDow[0] + byDow[6]) / 2;
    expect(weekend / weekday).toBeGreaterThan(0.55);
    expect(weekend / weekday).toBeLessThan(0.65); // model: 0.6
    expect(byHour[10] / byHour[3]).toBeGreaterThan(20); // model: 1.9 / 0.06
  });

  it('has heavy-tailed handling times, about a quarter late, reopenings and a 60 % survey rate', () => {
    const sla = new Map(CATEGORY_TABLE.map(([s, c]) => [s, STANDARD_CATEGORIES[c].slaHours]));
    const closed = cases.filter((c) => c.closed);
    const hours = closed.map((c) => (t(c.closed) - t(c.received)) / 3600).sort((a, b) => a - b);
    const q = (p: number) => hours[Math.floor(p * (hours.length - 1))];
    expect(q(0.9) / q(0.5)).toBeGreaterThan(3); // lognormal σ = 1.1 over mixed SLAs
    const late = closed.filter((c) => t(c.closed) - t(c.received) > (sla.get(c.category) ?? 0) * 3600).length;
    expect(late / closed.length).toBeGreaterThan(0.2);
    expect(late / closed.length).toBeLessThan(0.35);
    const reopened = closed.filter((c) => c.reopened === '1').length / closed.length;
    expect(reopened).toBeGreaterThan(0.04);
    expect(reopened).toBeLessThan(0.08);
    const rated = closed.filter((c) => c.satisfaction !== '').length / closed.length;
    expect(Math.abs(rated - 0.6)).toBeLessThan(0.01);
    expect(closed.every((c) => !c.firstResponse || c.firstResponse <= c.closed)).toBe(true);
    expect(cases.every((c) => sla.has(c.category))).toBe(true);
  });
});

describe('a generated project through the CLI', () => {
  const p = tempProject({});
  afterAll(() => p.dispose());

  it('writes SIMULATED files, and every KPI derived from them says SIMULATED', async () => {
    const dir = join(p.dir, 'sim');
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
      out.push(String(s));
      return true;
    });
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let codes: number[];
    try {
      const gen = ['cases-log', 'generate', dir, '--city', '440300', '--year', '2024', '--cases', '3000'];
      codes = [
        await run([...gen, '--seed', '5', '--json']),
        await run(['cases-log', 'kpi', dir, '--json']),
        await run(['cases-log', 'generate', dir, '--city', '440300']), // the folder has a project: refused
        await run(['cases-log', 'generate', join(p.dir, 'x'), '--city', '999999']), // no such city
      ];
    } finally {
      spy.mockRestore();
      err.mockRestore();
    }
    expect(codes).toEqual([0, 0, 1, 1]);
    const generated = JSON.parse(out[0]) as { label: string; files: string[]; city: { population: number } };
    expect(generated.label).toBe('SIMULATED / 模拟数据');
    expect(generated.files).toEqual(['SIMULATED-12345-440300-2024.csv']);
    expect(generated.city.population).toBe(17560061); // 深圳, 2020 census
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toMatch(/^# SIMULATED/);
    expect(readFileSync(join(dir, 'project.yaml'), 'utf8')).toMatch(/^# SIMULATED[\s\S]*simulated: true/);
    const kpiJson = JSON.parse(out[1]) as Array<{ label: string; values: Array<{ kpi: string; value: number }> }>;
    expect(kpiJson[0].label).toBe('SIMULATED / 模拟数据');
    const kpis = parse(readFileSync(join(dir, 'kpi/sim-440300-2024/kpis.csv')), { columns: true }) as Record<
      string,
      string
    >[];
    expect(kpis.length).toBeGreaterThan(100);
    expect(kpis.every((r) => r.label === 'simulated')).toBe(true);
    const year = kpis.find((r) => r.kpi === 'cases_per_10k' && r.level === 'city' && r.period === '2024');
    expect(Number(year?.value)).toBeCloseTo((3000 / 17560061) * 10000, 12);
    const lineage = JSON.parse(readFileSync(join(dir, 'kpi/sim-440300-2024/lineage.json'), 'utf8')) as {
      label: string;
    };
    expect(lineage.label).toBe('SIMULATED / 模拟数据');
  }, 60_000);
});

describe('a generated project for a city whose English name has a quote', () => {
  it("writes a project.yaml that reads back (Xi'an)", async () => {
    const { generateCaseLogProject } = await import('../../src/caselog/generate.ts');
    const { readCaseLogs } = await import('../../src/caselog/project.ts');
    const p = tempProject({});
    try {
      const dir = join(p.dir, 'xa');
      await generateCaseLogProject({ dir, city: '610100', year: 2024, cases: 10, seed: 1 });
      const [log] = await readCaseLogs(dir);
      expect(log.city.name.en).toBe("Xi'an");
      expect(log.name).toEqual({ zh: '西安市 12345 工单（模拟）', en: "Xi'an 12345 cases (simulated)" });
    } finally {
      p.dispose();
    }
  });
});
