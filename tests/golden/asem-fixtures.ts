/**
 * Test helpers for the COINr ASEM golden tests: read COINr's exported CSVs into engine types.
 *
 * - `readCoinrCsv(name)` reads `data/sources/coinr-asem/expected-default/<name>.csv` (first column
 *   uCode, the rest numeric; an empty field is NaN) into a `Dataset`.
 * - `readCoinrTable(name)` reads the same folder as raw string records (for tables with text cells,
 *   such as `Treated_details.csv` and `Treated_points.csv`).
 * - `readAsemInput()` builds what `new_coin(ASEM_iData, ASEM_iMeta)` builds: the framework from
 *   `examples/asem/ASEM_iMeta.csv` (nodes in iMeta row order), units sorted by uCode as COINr does
 *   (R/new_coin.R), the raw indicator data with columns in iMeta row order, the `*_group` columns as
 *   unit groups, and the denominators Area, Energy, GDP, Population as a separate dataset.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { createDataset, type Dataset } from '../../src/engine/core/dataset.ts';
import type { Framework, FrameworkNode, Unit } from '../../src/engine/core/framework.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXPECTED_DIR = `${ROOT}data/sources/coinr-asem/expected-default/`;
const ASEM_DIR = `${ROOT}examples/asem/`;

function readCsvRecords(file: string): Array<Record<string, string>> {
  return parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
}

function toNumber(s: string | undefined): number {
  if (s === undefined || s === '' || s === 'NA') return NaN;
  const v = Number(s);
  if (Number.isNaN(v)) throw new Error(`not a number: "${s}"`);
  return v;
}

/** Raw string records of `expected-default/<name>.csv` (header = keys). */
export function readCoinrTable(name: string): Array<Record<string, string>> {
  return readCsvRecords(`${EXPECTED_DIR}${name}.csv`);
}

/** A COINr data set (`expected-default/<name>.csv`, first column uCode) as a `Dataset`, rows in file order. */
export function readCoinrCsv(name: string): Dataset {
  const text = readFileSync(`${EXPECTED_DIR}${name}.csv`, 'utf8');
  const rows = parse(text, { skip_empty_lines: true }) as string[][];
  const header = rows[0];
  const codes = header.slice(1);
  const body = rows.slice(1);
  const n = body.length;
  const values = new Float64Array(n * codes.length);
  body.forEach((r, i) => {
    codes.forEach((_, j) => {
      values[j * n + i] = toNumber(r[j + 1]);
    });
  });
  return createDataset(
    body.map((r) => r[0]),
    codes,
    values,
  );
}

const DENOMINATOR_CODES = ['Area', 'Energy', 'GDP', 'Population'] as const;

/** The ASEM example as COINr's `new_coin()` sees it. */
export function readAsemInput(): { framework: Framework; units: Unit[]; raw: Dataset; denominators: Dataset } {
  const meta = readCsvRecords(`${ASEM_DIR}ASEM_iMeta.csv`);
  const data = readCsvRecords(`${ASEM_DIR}ASEM_iData.csv`);

  const nodes: FrameworkNode[] = [];
  const groupCols: string[] = [];
  const denominators: NonNullable<Framework['denominators']> = [];
  for (const m of meta) {
    const type = m.Type;
    if (type === 'Indicator' || type === 'Aggregate') {
      const node: FrameworkNode = {
        code: m.iCode,
        name: { en: m.iName },
        level: Number(m.Level),
        parent: m.Parent === '' ? null : m.Parent,
        kind: type === 'Indicator' ? 'indicator' : 'aggregate',
        weight: Number(m.Weight),
        direction: Number(m.Direction) === -1 ? -1 : 1,
      };
      if (m.Unit) node.unit = m.Unit;
      if (m.Target !== '') node.target = Number(m.Target);
      if (m.Denominator !== '') node.denominator = m.Denominator;
      nodes.push(node);
    } else if (type === 'Group') {
      groupCols.push(m.iCode);
    } else if (type === 'Denominator') {
      denominators.push({ code: m.iCode, name: { en: m.iName }, ...(m.Unit ? { unit: m.Unit } : {}) });
    }
  }
  const framework: Framework = {
    nodes,
    levelNames: [{ en: 'Indicator' }, { en: 'Pillar' }, { en: 'Sub-index' }, { en: 'Index' }],
    denominators,
  };

  // new_coin() sorts units by uCode (R/new_coin.R); the codes are plain ASCII upper case.
  const sorted = [...data].sort((a, b) => (a.uCode < b.uCode ? -1 : a.uCode > b.uCode ? 1 : 0));
  const units: Unit[] = sorted.map((r) => {
    const groups: Record<string, string | null> = {};
    for (const g of groupCols) groups[g] = r[g] === '' ? null : r[g];
    const attributes: Record<string, number | null> = {};
    for (const d of [...DENOMINATOR_CODES, 'Time']) {
      const v = toNumber(r[d]);
      attributes[d] = Number.isNaN(v) ? null : v;
    }
    return { code: r.uCode, name: { en: r.uName }, groups, attributes };
  });

  const unitCodes = sorted.map((r) => r.uCode);
  const n = unitCodes.length;
  const indicatorCodes = nodes.filter((x) => x.kind === 'indicator').map((x) => x.code);
  const rawValues = new Float64Array(n * indicatorCodes.length);
  indicatorCodes.forEach((c, j) =>
    sorted.forEach((r, i) => {
      rawValues[j * n + i] = toNumber(r[c]);
    }),
  );
  const denomValues = new Float64Array(n * DENOMINATOR_CODES.length);
  DENOMINATOR_CODES.forEach((c, j) =>
    sorted.forEach((r, i) => {
      denomValues[j * n + i] = toNumber(r[c]);
    }),
  );

  return {
    framework,
    units,
    raw: createDataset(unitCodes, indicatorCodes, rawValues),
    denominators: createDataset(unitCodes, [...DENOMINATOR_CODES], denomValues),
  };
}
