/** The fast CSV path reads exactly what csv-parse reads, or hands the text back to csv-parse. */
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { createRng } from '../engine/core/rng.ts';
import { fastCsvRecords, parseCsvTable } from './table.ts';

/** csv-parse with the options parseCsvTable uses: records and the line each ends on, or 'error'. */
function reference(text: string, delimiter: string): Array<{ cells: string[]; line: number }> | 'error' {
  try {
    const records = parse(text, {
      delimiter,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      bom: true,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
    return records.map((r) => ({ cells: r.record, line: r.info.lines }));
  } catch {
    return 'error';
  }
}

describe('fastCsvRecords', () => {
  it('equals csv-parse on 20 000 random texts of quotes, delimiters and line ends (seed 16)', () => {
    const rng = createRng(16);
    const alphabet = ['a', '1', '.5', ' ', ',', ';', '\t', '"', '""', '\n', '\r\n', '\r', '北京'];
    let fast = 0;
    for (let k = 0; k < 20_000; k++) {
      const len = 1 + Math.floor(rng.next() * 30);
      let text = '';
      for (let i = 0; i < len; i++) text += alphabet[Math.floor(rng.next() * alphabet.length)];
      const delimiter = [',', ';', '\t'][k % 3];
      const got = fastCsvRecords(text, delimiter);
      if (got === undefined) continue;
      fast++;
      expect(got, JSON.stringify(text)).toEqual(reference(text, delimiter));
    }
    // the fast path is compared on over 2 000 texts; the rest (stray quotes, lone \r) go to csv-parse
    expect(fast).toBeGreaterThan(2_000);
  });

  it('hands quoted line breaks, stray quotes and lone carriage returns back to csv-parse', () => {
    for (const t of ['a,b\n"x\ny",2\n', 'a,b\n1"x,2\n', 'a,b\n"1"x,2\n', 'a,b\r1,2\r', 'a,b\r\n1,2\n3,4\n'])
      expect(fastCsvRecords(t, ','), JSON.stringify(t)).toBeUndefined();
    // and csv-parse's located error is what the user sees
    expect(() => parseCsvTable('a,b\n"1"x,2\n', 'd.csv')).toThrow(/E_CSV|Invalid Closing Quote/);
  });

  it('gives a table with the file lines (blank lines counted, CRLF)', () => {
    const t = parseCsvTable('code,x\r\n\r\nA, 1 \r\n"B,b",2', 'd.csv');
    expect(t.rows).toEqual([
      ['A', '1'],
      ['B,b', '2'],
    ]);
    expect(t.rowNumbers).toEqual([3, 4]);
  });
});
