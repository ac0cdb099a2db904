/**
 * Shared set-up of the case-log tests: a temporary project folder holding given files, and the configuration
 * of the hand-made small log (tests/caselog/fixtures/small-log.csv, UTC+8).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { CaseLogSchema, type CaseLogConfig, type CaseLogConfigInput } from '../../src/engine/caselog/config.ts';
import type { KpiValue } from '../../src/engine/caselog/kpis.ts';

export const FIXTURES = join(import.meta.dirname, 'fixtures');

/** A temporary project folder with `files` (name → text or bytes, or `{ copy: path }`). */
export function tempProject(files: Record<string, string | Uint8Array | { copy: string }>): {
  dir: string;
  dispose: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'cityindex-caselog-'));
  for (const [name, content] of Object.entries(files)) {
    const p = join(dir, name);
    mkdirSync(dirname(p), { recursive: true });
    if (typeof content === 'string' || content instanceof Uint8Array) writeFileSync(p, content);
    else copyFileSync(content.copy, p);
  }
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The small log's configuration (overrides merged in). */
export function smallLogConfig(over: Partial<CaseLogConfigInput> = {}): CaseLogConfig {
  return CaseLogSchema.parse({
    id: 'small',
    city: { code: '440300', name: { zh: '深圳市', en: 'Shenzhen' } },
    files: ['log.csv'],
    format: 'csv',
    utcOffset: '+08:00',
    columns: {
      id: 'id',
      received: 'received',
      firstResponse: 'first_response',
      closed: 'closed',
      due: 'due',
      status: 'status',
      category: 'category',
      district: 'district',
      channel: 'channel',
      reopened: 'reopened',
      satisfaction: 'satisfaction',
    },
    status: { open: ['办理中'], closed: ['已办结'] },
    categories: { map: { 噪音扰民: 'environment', 路灯故障: 'municipal' } },
    sla: { environment: 24, municipal: 72 },
    onlineChannels: ['网站', 'App'],
    satisfaction: { scale: '1-5', satisfiedAtLeast: 4 },
    districts: { 福田区: '440304', 南山区: '440305' },
    exclude: [{ key: 'duplicate', column: 'note', contains: '重复', reason: { zh: '重复工单', en: 'duplicate case' } }],
    ...over,
  });
}

/** Two KPI lists are the same: every row by key, counts and exclusions equal, values within 1e-12 relative. */
export function expectSame(a: KpiValue[], b: KpiValue[]): void {
  expect(b.length).toBe(a.length);
  const key = (v: KpiValue) => `${v.kpi}|${v.level}|${v.unit}|${v.category ?? ''}|${v.period}`;
  const byKey = new Map(b.map((v) => [key(v), v]));
  for (const x of a) {
    const y = byKey.get(key(x));
    expect(y, key(x)).toBeDefined();
    if (!y) continue;
    expect([y.numerator, y.denominator, y.excluded], key(x)).toEqual([x.numerator, x.denominator, x.excluded]);
    if (Number.isNaN(x.value)) expect(y.value, key(x)).toBeNaN();
    else expect(Math.abs(y.value - x.value), key(x)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(x.value)));
  }
}
