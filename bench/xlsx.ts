/**
 * XLSX reading benchmark (issue 10 item 1): a legitimate 10⁶-row × 10-column workbook (a code column of
 * shared strings, nine number columns, as Excel saves them) read by `readXlsxTable` within its default
 * limits — target ≤ 60 s. The workbook is generated in memory first with fflate (not timed).
 * `node --import tsx bench/xlsx.ts [rows]` runs it alone.
 */
import { strToU8, Zip, ZipDeflate } from 'fflate';
import { readXlsxTable } from '../src/formats/xlsx-table.ts';
import type { BenchRow } from './harness.ts';

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const REL_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

/** Column letters A–J. */
const COLS = 'ABCDEFGHIJ';

/** An .xlsx of `rows` data rows (plus the header): code, then nine numbers per row. */
export function syntheticWorkbook(rows: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let failed: Error | null = null;
  const zip = new Zip((err, data) => {
    if (err) failed = err;
    else parts.push(data);
  });
  const add = (name: string, write: (push: (s: string) => void) => void) => {
    const file = new ZipDeflate(name, { level: 1 });
    zip.add(file);
    let pending: string[] = [];
    let size = 0;
    const push = (s: string) => {
      pending.push(s);
      size += s.length;
      if (size > 1 << 20) {
        file.push(strToU8(pending.join('')));
        pending = [];
        size = 0;
      }
    };
    write(push);
    file.push(strToU8(pending.join('')), true);
  };
  add('[Content_Types].xml', (push) =>
    push(
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/' +
        'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
    ),
  );
  add('xl/workbook.xml', (push) =>
    push(
      `<?xml version="1.0"?><workbook ${NS} ${REL_NS}><sheets>` +
        '<sheet name="data" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
  );
  add('xl/_rels/workbook.xml.rels', (push) =>
    push(
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"' +
        ' Target="worksheets/sheet1.xml"/></Relationships>',
    ),
  );
  add('xl/sharedStrings.xml', (push) => {
    push(`<?xml version="1.0"?><sst ${NS} count="${rows + 10}" uniqueCount="${rows + 10}">`);
    const header = ['code', 'GDP', 'POP', 'AREA', 'EMP', 'EDU', 'HEALTH', 'AIR', 'WATER', 'GREEN'];
    for (const h of header) push(`<si><t>${h}</t></si>`);
    for (let r = 1; r <= rows; r++) push(`<si><t>C${String(r).padStart(7, '0')}</t></si>`);
    push('</sst>');
  });
  add('xl/worksheets/sheet1.xml', (push) => {
    push(`<?xml version="1.0"?><worksheet ${NS}><dimension ref="A1:J${rows + 1}"/><sheetData><row r="1">`);
    for (let c = 0; c < 10; c++) push(`<c r="${COLS[c]}1" t="s"><v>${c}</v></c>`);
    push('</row>');
    for (let r = 1; r <= rows; r++) {
      const n = r + 1;
      let s = `<row r="${n}"><c r="A${n}" t="s"><v>${r + 9}</v></c>`;
      for (let c = 1; c < 10; c++) s += `<c r="${COLS[c]}${n}"><v>${((r * 7919 + c * 104729) % 1000003) / 97}</v></c>`;
      push(s + '</row>');
    }
    push('</sheetData></worksheet>');
  });
  zip.end();
  if (failed) throw failed;
  const total = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Read the 10⁶ × 10 workbook once (a single run: it is the slow case the target is about). */
export async function benchXlsx(rows = 1_000_000): Promise<BenchRow[]> {
  const bytes = syntheticWorkbook(rows);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const table = await readXlsxTable(bytes, 'bench.xlsx');
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if (table.rows.length !== rows || table.header.length !== 10) throw new Error('bench workbook read wrongly');
  return [
    {
      name: `read XLSX ${rows.toLocaleString('en-US')} rows × 10 columns`,
      seconds,
      target: '≤ 60 s',
      pass: seconds <= 60,
      notes:
        `${(bytes.length / 1024 ** 2).toFixed(1)} MB workbook; default limits; ` +
        `CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (wall time grows with the machine's load)`,
    },
  ];
}

if (/bench[\\/]xlsx\.ts$/.test(process.argv[1] ?? '')) {
  const rows = Number(process.argv[2] ?? 1_000_000);
  for (const r of await benchXlsx(rows)) console.log(`${r.name}: ${r.seconds.toFixed(2)} s (${r.notes})`);
}
