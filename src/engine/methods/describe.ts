/**
 * Plain-language description of each build step and its settings, in English and Chinese, for the
 * workbook's method sheet and the report's methodology appendix. Defaults are spelled out so a
 * reader sees the exact method, not "default".
 */
import type {
  AggregationMethod,
  NormaliseMethod,
  StepSpec,
  TreatOptions,
  WeightMethod,
  ImputeMethod,
} from '../spec/spec.ts';
import type { Lang, MethodText } from './method.ts';
import { NORMALISE_REGISTRY } from './normalise/index.ts';
import { AGGREGATION_REGISTRY } from './aggregate/index.ts';
import { IMPUTE_REGISTRY } from './impute/index.ts';
import { WEIGHT_REGISTRY } from './weight/index.ts';
import { TRANSFORM_REGISTRY, TREAT_DEFAULTS } from './treat/index.ts';
import { minMaxNormalisation } from './normalise/min-max.ts';

export type { Lang } from './method.ts';

const DEFAULT_NORMALISATION: NormaliseMethod = minMaxNormalisation.resolve({ method: 'minMax' }, undefined);
const DEFAULT_AGGREGATION: AggregationMethod = { method: 'arithmetic' };

/**
 * A method's sentence from its family's registry (the text lives in the method's own file).
 * For example, `minMax` in English reads 'min–max to [0, 100]'.
 */
function methodText<K extends string, M extends { method: K }>(
  registry: { readonly [P in K]: { readonly text: MethodText<M> } },
  m: M,
  lang: Lang,
): string {
  const text: MethodText<M> = registry[m.method].text;
  return text[lang](m);
}

function normaliseText(m: NormaliseMethod, lang: Lang): string {
  return methodText(NORMALISE_REGISTRY, m, lang);
}

function aggregationText(m: AggregationMethod | undefined, lang: Lang): string {
  return methodText(AGGREGATION_REGISTRY, m ?? DEFAULT_AGGREGATION, lang);
}

function weightText(w: WeightMethod, lang: Lang): string {
  return methodText(WEIGHT_REGISTRY, w, lang);
}

/**
 * The treat step's sentence, with COINr's defaults spelled out and the fallback named in words from the
 * transform registry (a reader sees "a log transform…", not the setting name `logCT`).
 */
function treatText(o: TreatOptions, lang: Lang): string {
  const method = o.method ?? TREAT_DEFAULTS.method;
  const lambda = o.lambda === undefined ? {} : { lambda: o.lambda };
  if (method === 'none') return lang === 'zh' ? '异常值处理：不处理。' : 'Outliers are not treated.';
  if (method !== 'winsorise') {
    const what = TRANSFORM_REGISTRY[method].text[lang](lambda);
    return lang === 'zh' ? `异常值处理：所有指标做${what}。` : `Treat outliers: ${what} of every indicator.`;
  }
  const skewThreshold = o.skewThreshold ?? TREAT_DEFAULTS.skewThreshold;
  const kurtThreshold = o.kurtThreshold ?? TREAT_DEFAULTS.kurtThreshold;
  const winmax = o.winmax === undefined ? TREAT_DEFAULTS.winmax : o.winmax;
  const fallback = TRANSFORM_REGISTRY[o.fallback ?? TREAT_DEFAULTS.fallback].text[lang](lambda);
  if (lang === 'zh') {
    const points = winmax === null ? '不限' : winmax;
    return (
      `异常值处理（COINr 规则）：|偏度| ≥ ${skewThreshold} 且峰度 ≥ ${kurtThreshold} 时缩尾，` +
      `最多 ${points} 个点；仍不通过则对原始值做${fallback}。`
    );
  }
  const points = winmax === null ? 'unlimited' : winmax;
  return (
    `Treat outliers (COINr rule): winsorise when |skew| ≥ ${skewThreshold} and kurtosis ≥ ${kurtThreshold}, ` +
    `at most ${points} points; if still failing, ${fallback} of the original values.`
  );
}

function imputeText(m: ImputeMethod, lang: Lang): string {
  return methodText(IMPUTE_REGISTRY, m, lang);
}

/** The screening rules in words (a reader of the report sees no setting names such as byNA). */
const SCREEN_RULE_ZH: Readonly<Record<string, string>> = {
  byNA: '按数据缺失比例',
  byZeros: '按零值比例',
  byNAandZeros: '按缺失与零值比例',
  none: '不筛选',
};
const SCREEN_RULE_EN: Readonly<Record<string, string>> = {
  byNA: 'by share of missing data',
  byZeros: 'by share of zeros',
  byNAandZeros: 'by share of missing data and of zeros',
  none: 'none',
};

/**
 * One sentence for a build step, with every setting that matters.
 * @example
 * import type { StepSpec } from '../spec/spec.ts';
 * const step: StepSpec = { id: 'n', kind: 'normalise', options: { method: 'minMax', range: [0, 100] } };
 * describeStep(step, 'en') // => 'Normalise: min–max to [0, 100]; direction applied first.'
 */
export function describeStep(step: StepSpec, lang: Lang): string {
  const zh = lang === 'zh';
  switch (step.kind) {
    case 'denominate':
      return zh
        ? '分母化：按框架中声明的分母（如人口、GDP）相除。'
        : 'Denominate: divide by the denominators declared in the framework (e.g. population, GDP).';
    case 'screen': {
      const o = step.options ?? {};
      const t = o.dataThreshold ?? 2 / 3;
      const rule = o.by ?? 'byNA';
      const nonZero = o.nonZeroThreshold ?? 0.05;
      const forced = o.force?.length;
      const ruleZh = SCREEN_RULE_ZH[rule] ?? rule;
      return zh
        ? `筛选：${ruleZh}，数据可得率阈值 ${t.toFixed(3)}，非零阈值 ${nonZero}${forced ? `，强制 ${forced} 项` : ''}。`
        : `Screen units ${SCREEN_RULE_EN[rule] ?? rule}: data availability ≥ ${t.toFixed(3)}, non-zero ≥ ${nonZero}` +
            (forced ? `, ${forced} forced` : '') +
            '.';
    }
    case 'impute':
      return (
        (zh ? '缺失值插补：' : 'Impute missing values: ') +
        imputeText(step.options ?? { method: 'mean' }, lang) +
        (step.options?.perIndicator ? (zh ? '（部分指标单独设定）' : ' (some indicators set individually)') : '') +
        (zh ? '。' : '.')
      );
    case 'treat':
      return treatText(step.options ?? {}, lang);
    case 'normalise':
      return (
        (zh ? '标准化：' : 'Normalise: ') +
        normaliseText(step.options ?? DEFAULT_NORMALISATION, lang) +
        (zh ? '；先按指标方向调整。' : '; direction applied first.')
      );
    case 'weight':
      return (
        (zh ? `赋权（第 ${step.options.level} 层）：` : `Weights (level ${step.options.level}): `) +
        weightText(step.options.weighting, lang) +
        (zh ? '。' : '.')
      );
    case 'aggregate': {
      const o = step.options ?? {};
      const per = o.levels
        ? Object.entries(o.levels)
            .map(
              ([l, s]) =>
                `${zh ? '第' : 'level '}${l}${zh ? '层' : ''}: ${aggregationText(s.aggregation ?? o.aggregation, lang)}`,
            )
            .join('; ')
        : '';
      return (
        (zh ? '逐层汇总：' : 'Aggregate level by level: ') +
        aggregationText(o.aggregation, lang) +
        (per ? ` (${per})` : '') +
        (o.dataThreshold !== undefined
          ? zh
            ? `；数据可得率低于 ${o.dataThreshold} 时不计算`
            : `; missing when availability < ${o.dataThreshold}`
          : '') +
        (zh ? '。' : '.')
      );
    }
  }
}
