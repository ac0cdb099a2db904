/**
 * The workbook sheet of imputed and borrowed values: one row per flagged value with its marker (`*`
 * imputed, `†` borrowed from another table, as in the report), the value the build used, how it was made,
 * and the unit's share of index weight resting on flagged values; the legend in the first rows.
 */
import type { Build } from '../engine/pipeline/build.ts';
import { getValue } from '../engine/core/dataset.ts';
import { dataQuality } from '../engine/pipeline/data-quality.ts';
import type { LoadedProject } from './project.ts';
import type { ExtraSheet } from './workbook.ts';

const MARK = { imputed: '*', copied: '†' } as const;

/**
 * The "Imputed values" sheet, or undefined when every value is observed.
 * @example
 * import { loadProject } from './index.ts';
 * import { build } from '../engine/pipeline/build.ts';
 * const project = await loadProject('examples/cdgi-2020');
 * const sheet = dataFlagsSheet(build(project.input, project.spec), project)!;
 * sheet.rows.filter((r) => r[0] !== 'legend').length // => 72
 */
export function dataFlagsSheet(b: Build, project: Pick<LoadedProject, 'valueSources'>): ExtraSheet | undefined {
  const q = dataQuality(b, { valueSources: project.valueSources });
  if (!q.flagged.length) return undefined;
  const share = new Map(q.shares.map((s) => [s.unit, s.share]));
  const names = new Map(b.input.units.map((u) => [u.code, u.name]));
  const imputeStep = b.steps.find((s) => s.kind === 'impute');
  const used = (unit: string, code: string) => {
    if (imputeStep && imputeStep.dataset.unitCodes.includes(unit) && imputeStep.dataset.codes.includes(code))
      return getValue(imputeStep.dataset, unit, code);
    return getValue(b.raw, unit, code);
  };
  const legend = [
    [
      'legend',
      '*',
      'imputed',
      '插补值：该单位没有这一数据，由构建步骤估算 / no value for the unit; estimated by the build',
    ],
    ['legend', '†', 'borrowed', '借用值：数据文件注明取自另一张表 / the data file says it comes from another table'],
  ];
  const rows = q.flagged.map((f) => {
    const v = used(f.unit, f.indicator);
    return [
      f.unit,
      names.get(f.unit)?.zh ?? '',
      names.get(f.unit)?.en ?? '',
      f.indicator,
      MARK[f.flag],
      f.flag === 'copied' ? 'borrowed' : 'imputed',
      Number.isFinite(v) ? v : null,
      f.detail,
      share.get(f.unit) ?? null,
    ];
  });
  return {
    name: 'Imputed values',
    header: [
      'unit',
      'name_zh',
      'name_en',
      'indicator',
      'marker',
      'flag',
      'value used',
      'method or source',
      'share of index weight on flagged values',
    ],
    rows: [...legend, ...rows],
  };
}
