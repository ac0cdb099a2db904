import { describe, expect, it } from 'vitest';
import { CityIndexError } from '../engine/core/errors.ts';
import { decodeText } from './table.ts';
import { brokenUtf8, gb18030, utf16 } from '../../tests/formats/encodings.ts';

const text = 'code,name_zh,GDP\n110100,北京市,1.5\n310100,上海市,2.5\n';
const failure = (bytes: Uint8Array) => {
  try {
    decodeText(bytes, 'data.csv');
  } catch (e) {
    if (e instanceof CityIndexError) return e.issues[0];
    throw e;
  }
  throw new Error('expected an encoding error');
};

describe('decodeText: the encodings Chinese spreadsheets are saved in', () => {
  it('UTF-8 with and without BOM', () => {
    expect(decodeText(new TextEncoder().encode(text), 'data.csv')).toMatchObject({ text, encoding: 'utf-8' });
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
    expect(decodeText(bom, 'data.csv').text).toBe(text);
  });
  it('GB18030/GBK is decoded, with a warning', () => {
    const r = decodeText(gb18030(text), 'data.csv');
    expect(r.text).toBe(text);
    expect(r.encoding).toBe('gb18030');
    expect(r.warnings[0]).toMatchObject({ code: 'W_ENCODING', file: 'data.csv', severity: 'warning' });
  });
  it('UTF-16 with a BOM (LE, BE) and without one', () => {
    expect(decodeText(utf16(text, 'le', true), 'data.csv')).toMatchObject({ text, encoding: 'utf-16le' });
    expect(decodeText(utf16(text, 'be', true), 'data.csv')).toMatchObject({ text, encoding: 'utf-16be' });
    const le = decodeText(utf16(text, 'le', false), 'data.csv');
    expect(le).toMatchObject({ text, encoding: 'utf-16le' });
    expect(le.warnings[0].code).toBe('W_ENCODING');
    expect(decodeText(utf16(text, 'be', false), 'data.csv').text).toBe(text);
  });
  it('a UTF-8 file with one broken byte is an error naming the line and the byte offset, not GBK mojibake', () => {
    const at = new TextEncoder().encode('code,name_zh,GDP\n310100,上').length; // inside 海, line 2
    const bytes = brokenUtf8('code,name_zh,GDP\n310100,上海市,2.5\n', at - 1);
    expect(failure(bytes)).toMatchObject({ code: 'E_ENCODING', file: 'data.csv', row: 2 });
    // the broken character starts 3 bytes before `at` (上 is E4 B8 8A; its last byte became FF)
    expect(failure(bytes).message).toMatch(new RegExp(`invalid UTF-8 at byte ${at - 3} \\(line 2, byte 8 `));
    expect(failure(bytes).expected).toMatch(/UTF-8/);
  });
  it('bytes that are neither UTF-8 nor Chinese text are refused with their place', () => {
    const latin1 = new Uint8Array([...new TextEncoder().encode('code,name\n1,'), 0xe9, 0x74, 0xe9, 0x0a]);
    expect(failure(latin1)).toMatchObject({ code: 'E_ENCODING', row: 2 });
    expect(failure(new Uint8Array([0x61, 0x0a, 0x62, 0x0a, 0xff, 0xff]))).toMatchObject({ row: 3 });
  });
  it('a NUL character is refused with its line', () => {
    const bytes = new TextEncoder().encode('code,GDP\n110100,1\u00005\n');
    expect(failure(bytes)).toMatchObject({ code: 'E_NUL', file: 'data.csv', row: 2 });
    expect(failure(bytes).message).toMatch(/line 2, character 9/);
  });
});

describe('decodeText: GBK text that happens to be valid UTF-8', () => {
  it('"缺失" and "约5" in GBK are valid UTF-8 ("Ȱʧ", "Լ5") but read as GB18030', () => {
    for (const word of ['缺失', '约5']) {
      const r = decodeText(gb18030(`code,GDP\n110100,${word}\n`), 'data.csv');
      expect(r.text).toBe(`code,GDP\n110100,${word}\n`);
      expect(r.warnings[0].code).toBe('W_ENCODING');
    }
  });
  it('UTF-8 with pinyin tones, Greek letters or km² stays UTF-8', () => {
    for (const word of ['Guǎngzhōu', 'ǎ', 'α β', 'km²', 'Ȱʧ and 北京']) {
      const text = `code,name\n110100,${word}\n`;
      expect(decodeText(new TextEncoder().encode(text), 'data.csv')).toMatchObject({ text, encoding: 'utf-8' });
    }
  });
});
