/**
 * GBK / GB18030 case logs (issue 15): transcoded to UTF-8 as they stream instead of rejected — declared in
 * the configuration (`encoding: gb18030|gbk`) or detected with a warning; bytes invalid in the encoding are
 * rejected by row; a UTF-8 log with a few bad lines is not mistaken for GB18030.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectEncoding, transcodeToUtf8 } from '../../src/caselog/encoding.ts';
import { importCaseLog } from '../../src/caselog/import.ts';
import { openDuck, sqlString } from '../../src/caselog/duck.ts';
import { FIXTURES, smallLogConfig, tempProject } from './helpers.ts';

const SMALL = readFileSync(join(FIXTURES, 'small-log.csv'), 'utf8');

/** A GB18030 encoder for the two-byte characters (Node has no GB encoder): the decoder's table reversed. */
const GB = (() => {
  const m = new Map<string, number[]>();
  const d = new TextDecoder('gb18030');
  for (let a = 0x81; a <= 0xfe; a++)
    for (let b = 0x40; b <= 0xfe; b++) {
      if (b === 0x7f) continue;
      const c = d.decode(new Uint8Array([a, b]));
      if (c.length === 1 && c !== '\ufffd' && !m.has(c)) m.set(c, [a, b]);
    }
  return m;
})();
function gbBytes(text: string): Buffer {
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x80) out.push(code);
    else {
      const b = GB.get(ch);
      if (!b) throw new Error(`no two-byte GB18030 code for ${ch}`);
      out.push(...b);
    }
  }
  return Buffer.from(out);
}

const disposers: Array<() => void> = [];
afterAll(() => disposers.forEach((d) => d()));
function project(files: Record<string, string | Uint8Array>): string {
  const p = tempProject(files);
  disposers.push(p.dispose);
  return p.dir;
}

async function casesOf(outDir: string): Promise<string[]> {
  const db = await openDuck();
  try {
    const q =
      `SELECT id, rec, category, district, channel FROM ` +
      `read_parquet(${sqlString(join(outDir, 'cases.parquet'))}) ORDER BY rec`;
    return (await db.all(q)).map(
      (x) => `${String(x.id)}@${Number(x.rec)}:${String(x.category)}:${String(x.district)}:${String(x.channel)}`,
    );
  } finally {
    db.close();
  }
}

describe('GBK / GB18030 case logs', () => {
  it('the encoder round-trips through the decoder (the fixture is really GB18030, not UTF-8)', () => {
    const b = gbBytes(SMALL);
    expect(new TextDecoder('gb18030').decode(b)).toBe(SMALL);
    expect(b.equals(Buffer.from(SMALL))).toBe(false);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(b)).toThrow();
  });

  it('declared gb18030 / gbk: the same cases as the UTF-8 file, Chinese categories and districts mapped', async () => {
    const utf8 = await importCaseLog({ projectDir: project({ 'log.csv': SMALL }), log: smallLogConfig() });
    const want = await casesOf(utf8.outDir);
    expect(want.length).toBeGreaterThan(3);
    for (const encoding of ['gb18030', 'gbk'] as const) {
      const dir = project({ 'log.csv': gbBytes(SMALL) });
      const r = await importCaseLog({ projectDir: dir, log: smallLogConfig({ encoding }) });
      expect([r.accepted, r.rejected, r.rejectedByCode]).toEqual([utf8.accepted, utf8.rejected, utf8.rejectedByCode]);
      expect(r.files[0].encoding).toBe(encoding);
      expect(r.warnings).toEqual([]);
      expect(await casesOf(r.outDir)).toEqual(want);
    }
    // read as UTF-8 (declared), the same bytes are rejected row by row
    const wrong = await importCaseLog({
      projectDir: project({ 'log.csv': gbBytes(SMALL) }),
      log: smallLogConfig({ encoding: 'utf-8' }),
    });
    expect(wrong.rejectedByCode.E_CASE_ENCODING).toBeGreaterThan(3);
  });

  it('undeclared: detected as GB18030 with a warning naming the file and the setting', async () => {
    const dir = project({ 'log.csv': gbBytes(SMALL) });
    const r = await importCaseLog({ projectDir: dir, log: smallLogConfig() });
    expect(r.warnings.map((w) => [w.code, w.file, w.field])).toEqual([
      ['W_CASE_ENCODING_DETECTED', 'log.csv', 'caselogs.small.encoding'],
    ]);
    expect(r.files[0].encoding).toBe('gb18030');
    expect(r.rejectedByCode.E_CASE_ENCODING).toBeUndefined();
    expect(JSON.parse(readFileSync(join(r.outDir, 'import.json'), 'utf8')).warnings).toHaveLength(1);
  });

  it('bytes invalid in GB18030 are rejected by row; the other records load with their true rows', async () => {
    const lines = SMALL.trimEnd().split('\n');
    const text = Buffer.concat([
      gbBytes(lines.slice(0, 3).join('\n') + '\n'), // header, C1, C2 (rows 1–3)
      gbBytes('B1,2024-01-12 09:00:00,,,,办理中,噪音扰民,福田区,电'), // row 4: a lead byte with a bad trail byte
      Buffer.from([0x81, 0x2c, 0x0a]),
      gbBytes(lines[3] + '\n'), // C3, row 5
      Buffer.from([0x42, 0x32, 0x2c, 0xff, 0x0a]), // row 6: 0xFF is never GB18030
      gbBytes(lines[4] + '\n'), // C4, row 7
    ]);
    const dir = project({ 'log.csv': text });
    const r = await importCaseLog({ projectDir: dir, log: smallLogConfig({ encoding: 'gb18030' }) });
    const enc = r.issues.filter((i) => i.code === 'E_CASE_ENCODING').map((i) => [i.file, i.row]);
    expect(enc).toEqual([
      ['log.csv', 4],
      ['log.csv', 6],
    ]);
    expect((await casesOf(r.outDir)).map((c) => c.split(':')[0])).toEqual(['C1@2', 'C2@3', 'C3@5', 'C4@7']);
  });

  it('a UTF-8 log with one Latin-1 line is not mistaken for GB18030', async () => {
    const lines = SMALL.trimEnd().split('\n');
    const latin = Buffer.from('L1,2024-01-12 09:00:00,,,,办理中,噪音扰民,福田区,T\xe9l\xe9phone,,,\n', 'latin1');
    const text = Buffer.concat([Buffer.from(lines.slice(0, 3).join('\n') + '\n'), latin, Buffer.from(lines[3] + '\n')]);
    const r = await importCaseLog({ projectDir: project({ 'log.csv': text }), log: smallLogConfig() });
    expect(r.warnings).toEqual([]);
    expect(r.issues.filter((i) => i.code === 'E_CASE_ENCODING').map((i) => i.row)).toEqual([4]);
    expect(detectEncoding(text)).toBe(null);
    expect(detectEncoding(Buffer.from(SMALL))).toBe('utf-8');
    expect(detectEncoding(gbBytes(SMALL))).toBe('gb18030');
  });

  it('JSON Lines in GBK: transcoded, a bad line rejected by its line number', async () => {
    const rec = (id: string) =>
      JSON.stringify({ id, received: '2024-01-10 09:00:00', status: '办理中', category: '噪音扰民' });
    const text = Buffer.concat([
      gbBytes(rec('J1') + '\n'),
      Buffer.from([0x7b, 0xfe, 0x0a]), // line 2: a lead byte followed by a newline
      gbBytes(rec('J3') + '\n'),
    ]);
    const dir = project({ 'log.jsonl': text });
    const log = smallLogConfig({
      files: ['log.jsonl'],
      format: 'jsonl',
      encoding: 'gbk',
      columns: { id: 'id', received: 'received', status: 'status', category: 'category' },
      exclude: [],
    });
    const r = await importCaseLog({ projectDir: dir, log });
    expect(r.issues.map((i) => [i.code, i.row])).toEqual([['E_CASE_ENCODING', 2]]);
    expect((await casesOf(r.outDir)).map((c) => c.split(':').slice(0, 2).join(':'))).toEqual([
      'J1@1:environment',
      'J3@3:environment',
    ]);
  });

  it('streams: lines and invalid lines counted across 1 MiB chunks, characters split between chunks', async () => {
    const dir = project({});
    const row = gbBytes('工单,噪音扰民,福田区\n'); // 21 bytes: chunk edges fall inside characters
    const parts: Buffer[] = [];
    const bad = new Set([7, 60_001, 120_000]);
    for (let i = 1; i <= 120_000; i++) parts.push(bad.has(i) ? Buffer.from([0x41, 0x81, 0x0a]) : row);
    const inPath = join(dir, 'big.csv');
    writeFileSync(inPath, Buffer.concat(parts));
    const outPath = join(dir, 'big.utf8');
    const r = await transcodeToUtf8(inPath, outPath, 'gb18030');
    expect([r.lines, r.invalidCount, r.invalidLines]).toEqual([120_000, 3, [7, 60_001, 120_000]]);
    const out = readFileSync(outPath);
    const outLines = out.toString('latin1').split('\n');
    expect(outLines.length).toBe(120_001);
    expect(Buffer.from(outLines[0], 'latin1').toString('utf8')).toBe('工单,噪音扰民,福田区');
    expect(Buffer.from(outLines[60_000], 'latin1')[0]).toBe(0xff);
  });
});
