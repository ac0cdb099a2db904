// The workbook carries the report's markers: cdgi-2020 has 68 imputed ADM_OSI_CITY values (the province's
// score, rowMean on the raw scale) and 4 borrowed ones (the municipalities' province-table scores).
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { loadProject } from './index.ts';
import { build } from '../engine/pipeline/build.ts';
import { workbookBytes } from './workbook.ts';
import { dataFlagsSheet } from './data-flags.ts';

const project = await loadProject('examples/cdgi-2020');
const b = build(project.input, project.spec);

describe('dataFlagsSheet', () => {
  const sheet = dataFlagsSheet(b, project)!;
  const data = sheet.rows.filter((r) => r[0] !== 'legend');
  it('one row per imputed (*) or borrowed (†) value, with the legend first', () => {
    expect(sheet.rows.slice(0, 2).map((r) => r[1])).toEqual(['*', '†']);
    expect(data.filter((r) => r[4] === '*')).toHaveLength(68);
    expect(data.filter((r) => r[4] === '†').map((r) => r[0])).toEqual(['110100', '120100', '310100', '500100']);
  });
  it('茂名 (广东): the value used is 广东省 96.73, the province score; 12.5 % of its index weight', () => {
    const maoming = data.find((r) => r[0] === '440900')!;
    expect(maoming.slice(3, 7)).toEqual(['ADM_OSI_CITY', '*', 'imputed', 96.73]);
    expect(maoming[8]).toBeCloseTo(0.125, 12);
  });
  it('is written to results.xlsx; a build without flagged values gets no sheet', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await workbookBytes(b, project, [sheet])) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Imputed values')!;
    expect(ws.rowCount).toBe(1 + 2 + 72);
    const asem = await loadProject('examples/asem');
    const noImpute = { ...asem.spec, steps: asem.spec.steps.filter((s) => s.kind !== 'impute') };
    expect(dataFlagsSheet(build(asem.input, noImpute), asem)).toBeUndefined();
  });
});
