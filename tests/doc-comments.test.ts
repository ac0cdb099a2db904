/**
 * Every exported function in src/ carries a doc comment directly above it (what it is, the reference,
 * an example) — the house rule of STYLE.md, enforced so it cannot drift.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.includes('test-helpers') && !p.includes('test-fixtures')
      ? [p]
      : [];
  });
}

describe('doc comments', () => {
  it('every exported function in src/ has a doc comment', () => {
    const missing: string[] = [];
    for (const f of sources('src')) {
      const lines = readFileSync(f, 'utf8').split('\n');
      lines.forEach((l, i) => {
        if (!/^export (async )?function /.test(l)) return;
        let k = i - 1;
        while (k >= 0 && lines[k].trim() === '') k--;
        if (!(lines[k] ?? '').trim().endsWith('*/')) missing.push(`${f}:${i + 1}`);
      });
    }
    expect(missing).toEqual([]);
  });
});
