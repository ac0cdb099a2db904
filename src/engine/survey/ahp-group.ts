/**
 * Expert AHP panels: pairwise-comparison questionnaires (SurveyJS JSON) generated from the framework,
 * each expert's consistency ratio with the most inconsistent judgements, and group aggregation by
 * aggregating individual judgements (AIJ: element-wise geometric mean, Aczél & Saaty 1983, J. Math.
 * Psych. 27:93–102) or aggregating individual priorities (AIP; Forman & Peniwati 1998, EJOR 108:165–169).
 * Weights come from the principal eigenvector (Saaty 1977); CI = (λmax − n)/(n − 1), CR = CI/RI.
 * The most inconsistent judgements are those with the largest |ln ε_ij|, ε_ij = a_ij·w_j/w_i
 * (Saaty 2003, EJOR 145:85–91, "the most inconsistent judgement").
 */
import { CityIndexError, type Issue } from '../core/errors.ts';
import type { Framework, LocalText } from '../core/framework.ts';
import type { RiTable, WeightOptions } from '../spec/spec.ts';
import { RI_SAATY, RI_CHINESE } from '../methods/weight/ahp.ts';

/** Random consistency indices, n = 1…: the same tables as the AHP weighting method (METHODS.md §4.2). */
const RI: Record<RiTable, readonly number[]> = { saaty: RI_SAATY, chinese: RI_CHINESE };

/** Saaty's scale values (1/9 … 9) that judgements are rounded to in suggestions. */
const SAATY_SCALE = [1 / 9, 1 / 8, 1 / 7, 1 / 6, 1 / 5, 1 / 4, 1 / 3, 1 / 2, 1, 2, 3, 4, 5, 6, 7, 8, 9];

export interface Consistency {
  weights: Float64Array;
  lambdaMax: number;
  ci: number;
  /** CR = CI/RI; 0 for n ≤ 2. */
  cr: number;
  ri: number;
  riTable: RiTable;
}

/**
 * Principal eigenvector (normalised to sum 1) and λmax of a positive reciprocal matrix, by power iteration.
 * @example
 * ahpConsistency([[1,1,5,3],[1,1,5,3],[1/5,1/5,1,1/3],[1/3,1/3,3,1]]).cr // => 0.0161086… (METHODS.md §4.2: 0.016109)
 */
export function ahpConsistency(matrix: readonly (readonly number[])[], riTable: RiTable = 'saaty'): Consistency {
  const n = matrix.length;
  checkMatrix(matrix);
  let w = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  for (let it = 0; it < 10_000; it++) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v += matrix[i][j] * w[j];
      next[i] = v;
      s += v;
    }
    let diff = 0;
    for (let i = 0; i < n; i++) {
      next[i] /= s;
      diff = Math.max(diff, Math.abs(next[i] - w[i]));
    }
    [w, next] = [next, w];
    if (diff < 1e-15) break;
  }
  let lambda = 0;
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let j = 0; j < n; j++) v += matrix[i][j] * w[j];
    lambda += v / w[i];
  }
  lambda /= n;
  const table = RI[riTable];
  if (!table)
    throw new CityIndexError({
      code: 'E_METHOD',
      message: `unknown RI table "${String(riTable)}"`,
      field: 'riTable',
      expected: 'saaty or chinese',
    });
  if (n > table.length)
    throw new CityIndexError({
      code: 'E_AHP_SIZE',
      message: `the ${riTable} RI table stops at n = ${table.length}; this matrix has ${n} elements`,
      expected: `at most ${table.length} elements per comparison group`,
    });
  const ci = n > 1 ? Math.max(0, (lambda - n) / (n - 1)) : 0;
  const ri = table[n - 1];
  return { weights: w, lambdaMax: lambda, ci, cr: ri > 0 ? ci / ri : 0, ri, riTable };
}

function checkMatrix(matrix: readonly (readonly number[])[]): void {
  const n = matrix.length;
  if (n === 0) throw new CityIndexError({ code: 'E_AHP_MATRIX', message: 'empty comparison matrix' });
  for (let i = 0; i < n; i++) {
    if (!Array.isArray(matrix[i]) || matrix[i].length !== n)
      throw new CityIndexError({
        code: 'E_AHP_MATRIX',
        message: `row ${i + 1} of the comparison matrix has ${matrix[i]?.length ?? 0} entries`,
        row: i + 1,
        expected: `${n} entries (a square matrix)`,
      });
    for (let j = 0; j < n; j++)
      if (!(matrix[i][j] > 0 && Number.isFinite(matrix[i][j])))
        throw new CityIndexError({
          code: 'E_AHP_MATRIX',
          message: `entry (${i + 1}, ${j + 1}) of the comparison matrix is not a positive number`,
          row: i + 1,
          expected: 'positive judgements (1/9 … 9)',
        });
  }
}

export interface InconsistentJudgement {
  /** Row and column element codes: the judgement "row vs column". */
  row: string;
  column: string;
  given: number;
  /** w_row / w_column: the judgement the priorities imply. */
  implied: number;
  /** `implied` rounded to Saaty's scale. */
  suggested: number;
  /** ε = given·w_column/w_row; 1 = perfectly consistent. */
  epsilon: number;
}

/**
 * Judgements ordered from the most inconsistent (largest |ln ε|), upper triangle only, `top` of them.
 * @example
 * // consistent with weights 8 : 4 : 2 : 1 except b vs d, given as 1/4 instead of 4
 * const m = [[1, 2, 4, 8], [1/2, 1, 2, 1/4], [1/4, 1/2, 1, 2], [1/8, 4, 1/2, 1]];
 * const [worst] = mostInconsistentJudgements(m, ['a', 'b', 'c', 'd']);
 * [worst.row, worst.column] // => ['b', 'd']
 */
export function mostInconsistentJudgements(
  matrix: readonly (readonly number[])[],
  codes: readonly string[],
  top = 3,
  weights?: ArrayLike<number>,
): InconsistentJudgement[] {
  const w = weights ?? ahpConsistency(matrix).weights;
  const out: InconsistentJudgement[] = [];
  for (let i = 0; i < matrix.length; i++) {
    for (let j = i + 1; j < matrix.length; j++) {
      const implied = w[i] / w[j];
      out.push({
        row: codes[i],
        column: codes[j],
        given: matrix[i][j],
        implied,
        suggested: nearestSaaty(implied),
        epsilon: (matrix[i][j] * w[j]) / w[i],
      });
    }
  }
  out.sort((a, b) => Math.abs(Math.log(b.epsilon)) - Math.abs(Math.log(a.epsilon)));
  return out.slice(0, top);
}

function nearestSaaty(x: number): number {
  let best = 1;
  for (const s of SAATY_SCALE) if (Math.abs(Math.log(s / x)) < Math.abs(Math.log(best / x))) best = s;
  return best;
}

/**
 * AIJ: element-wise weighted geometric mean of the experts' matrices (keeps reciprocity).
 * @example aggregateJudgements([[[1, 4], [1/4, 1]], [[1, 1], [1, 1]]]) // => [[1, 2], [0.5, 1]]
 */
export function aggregateJudgements(
  matrices: ReadonlyArray<readonly (readonly number[])[]>,
  expertWeights?: readonly number[],
): number[][] {
  if (matrices.length === 0)
    throw new CityIndexError({ code: 'E_AHP_GROUP', message: 'no expert matrices to aggregate' });
  const n = matrices[0].length;
  const lam = normaliseWeights(expertWeights, matrices.length);
  matrices.forEach((m, k) => {
    checkMatrix(m);
    if (m.length !== n)
      throw new CityIndexError({
        code: 'E_AHP_GROUP',
        message: `expert ${k + 1}'s matrix is ${m.length}×${m.length}, the first is ${n}×${n}`,
        expected: 'matrices of one size',
      });
  });
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => {
      let s = 0;
      for (let k = 0; k < matrices.length; k++) s += lam[k] * Math.log(matrices[k][i][j]);
      return Math.exp(s);
    }),
  );
}

/**
 * AIP: weighted geometric (default) or arithmetic mean of the experts' priority vectors, renormalised to sum 1.
 * @example aggregatePriorities([[0.8, 0.2], [0.5, 0.5]], undefined, 'arithmetic') // => [0.65, 0.35]
 */
export function aggregatePriorities(
  priorities: ReadonlyArray<ArrayLike<number>>,
  expertWeights?: readonly number[],
  mean: 'geometric' | 'arithmetic' = 'geometric',
): Float64Array {
  if (priorities.length === 0)
    throw new CityIndexError({ code: 'E_AHP_GROUP', message: 'no expert priorities to aggregate' });
  const n = priorities[0].length;
  const lam = normaliseWeights(expertWeights, priorities.length);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < priorities.length; k++) {
      switch (mean) {
        case 'geometric':
          s += lam[k] * Math.log(priorities[k][i]);
          break;
        case 'arithmetic':
          s += lam[k] * priorities[k][i];
          break;
        default:
          throw new CityIndexError({
            code: 'E_METHOD',
            message: `unknown AIP mean "${String(mean)}"`,
            field: 'mean',
            expected: 'geometric or arithmetic',
          });
      }
    }
    out[i] = mean === 'geometric' ? Math.exp(s) : s;
  }
  let t = 0;
  for (let i = 0; i < n; i++) t += out[i];
  for (let i = 0; i < n; i++) out[i] /= t;
  return out;
}

function normaliseWeights(w: readonly number[] | undefined, k: number): Float64Array {
  if (!w) return new Float64Array(k).fill(1 / k);
  if (w.length !== k || w.some((x) => !(x >= 0)) || w.every((x) => x === 0))
    throw new CityIndexError({
      code: 'E_AHP_GROUP',
      message: `expert weights must be ${k} non-negative numbers, not all zero`,
      field: 'expertWeights',
    });
  const s = w.reduce((a, b) => a + b, 0);
  return Float64Array.from(w, (x) => x / s);
}

export interface ExpertJudgements {
  expert: string;
  /** Comparison group (the parent node code) and its element codes, in matrix order. */
  parent: string;
  codes: string[];
  matrix: number[][];
}

export interface GroupAhpOptions {
  /** `aij` (default): eigenvector of the geometric-mean matrix; `aip`: mean of individual priorities. */
  method?: 'aij' | 'aip';
  /** Mean used by AIP (default `geometric`). */
  aipMean?: 'geometric' | 'arithmetic';
  riTable?: RiTable;
  /** Consistency threshold (default 0.1). */
  maxCR?: number;
  /** Leave experts above `maxCR` out of the aggregate (default false: kept, flagged). */
  excludeInconsistent?: boolean;
  /** How many inconsistent judgements to list per expert (default 3). */
  topInconsistent?: number;
  /** Expert → weight (default equal). */
  expertWeights?: Record<string, number>;
}

export interface GroupAhpResult {
  parent: string;
  codes: string[];
  method: 'aij' | 'aip';
  weights: Record<string, number>;
  /** AIJ only: the aggregated matrix and its consistency. */
  groupMatrix?: number[][];
  groupConsistency?: { lambdaMax: number; ci: number; cr: number };
  experts: Array<{
    expert: string;
    weights: Record<string, number>;
    lambdaMax: number;
    ci: number;
    cr: number;
    consistent: boolean;
    excluded: boolean;
    inconsistent: InconsistentJudgement[];
  }>;
  riTable: RiTable;
}

/**
 * Aggregate a panel's judgements for one comparison group.
 * @example
 * groupAhp([
 *   { expert: 'e1', parent: 'X', codes: ['a', 'b'], matrix: [[1, 4], [1/4, 1]] },
 *   { expert: 'e2', parent: 'X', codes: ['a', 'b'], matrix: [[1, 1], [1, 1]] },
 * ]).weights
 * // => { a: 2/3, b: 1/3 }
 */
export function groupAhp(judgements: readonly ExpertJudgements[], options: GroupAhpOptions = {}): GroupAhpResult {
  if (judgements.length === 0)
    throw new CityIndexError({ code: 'E_AHP_GROUP', message: 'no experts answered this comparison group' });
  const { parent, codes } = judgements[0];
  for (const j of judgements) {
    if (j.parent !== parent || j.codes.join('\u0000') !== codes.join('\u0000')) {
      const others = `${parent}: ${codes.join(', ')}`;
      throw new CityIndexError({
        code: 'E_AHP_GROUP',
        message: `expert ${j.expert} compared ${j.parent}: ${j.codes.join(', ')}, others ${others}`,
        indicator: parent,
        expected: 'the same elements in the same order',
      });
    }
  }
  const method = options.method ?? 'aij';
  const riTable = options.riTable ?? 'saaty';
  const maxCR = options.maxCR ?? 0.1;
  const toRecord = (w: ArrayLike<number>) => Object.fromEntries(codes.map((c, i) => [c, w[i]]));
  const experts = judgements.map((j) => {
    const c = ahpConsistency(j.matrix, riTable);
    const consistent = c.cr <= maxCR + 1e-12;
    return {
      expert: j.expert,
      weights: toRecord(c.weights),
      w: c.weights,
      lambdaMax: c.lambdaMax,
      ci: c.ci,
      cr: c.cr,
      consistent,
      excluded: !consistent && options.excludeInconsistent === true,
      inconsistent: mostInconsistentJudgements(j.matrix, codes, options.topInconsistent ?? 3, c.weights),
      matrix: j.matrix,
    };
  });
  const used = experts.filter((e) => !e.excluded);
  if (used.length === 0)
    throw new CityIndexError({
      code: 'E_AHP_GROUP',
      message: `every expert's CR for ${parent} exceeds ${maxCR}; nothing left to aggregate`,
      indicator: parent,
      expected: 'at least one consistent expert, or excludeInconsistent: false',
    });
  const ew = options.expertWeights ? used.map((e) => options.expertWeights![e.expert] ?? 1) : undefined;
  let weights: Float64Array;
  let groupMatrix: number[][] | undefined;
  let groupConsistency: GroupAhpResult['groupConsistency'];
  switch (method) {
    case 'aij': {
      groupMatrix = aggregateJudgements(
        used.map((e) => e.matrix),
        ew,
      );
      const c = ahpConsistency(groupMatrix, riTable);
      weights = c.weights;
      groupConsistency = { lambdaMax: c.lambdaMax, ci: c.ci, cr: c.cr };
      break;
    }
    case 'aip':
      weights = aggregatePriorities(
        used.map((e) => e.w),
        ew,
        options.aipMean ?? 'geometric',
      );
      break;
    default:
      throw new CityIndexError({
        code: 'E_METHOD',
        message: `unknown group AHP method "${String(method)}"`,
        field: 'method',
        expected: 'aij or aip',
      });
  }
  return {
    parent,
    codes: [...codes],
    method,
    weights: toRecord(weights),
    groupMatrix,
    groupConsistency,
    riTable,
    experts: experts.map(({ w: _w, matrix: _m, ...rest }) => rest),
  };
}

/** Comparison groups of a framework: every aggregate with at least two children (those not `not_collected`). */
export function comparisonGroups(
  framework: Framework,
): Array<{ parent: string; level: number; codes: string[]; names: LocalText[] }> {
  const out: Array<{ parent: string; level: number; codes: string[]; names: LocalText[] }> = [];
  const sorted = [...framework.nodes].filter((n) => n.kind === 'aggregate').sort((a, b) => b.level - a.level);
  for (const p of sorted) {
    const kids = framework.nodes.filter((c) => c.parent === p.code && c.status !== 'not_collected');
    if (kids.length >= 2)
      out.push({ parent: p.code, level: p.level - 1, codes: kids.map((k) => k.code), names: kids.map((k) => k.name) });
  }
  return out;
}

/** Name of the SurveyJS question comparing `a` with `b` in group `parent`. */
export function pairQuestionName(parent: string, a: string, b: string): string {
  return `ahp__${parent}__${a}__${b}`;
}

/**
 * A SurveyJS questionnaire with one page per comparison group and one rating question per pair.
 * Answer values: k > 1 = the left element is k times as important; −k = the right one is; 1 = equal.
 * @example
 * const node = (code: string, level: number, parent: string | null) => ({ code, name: { en: code }, level, parent,
 *   kind: level === 1 ? 'indicator' as const : 'aggregate' as const, weight: 1, direction: 1 as const });
 * const framework = { nodes: [node('IDX', 2, null), node('A', 1, 'IDX'), node('B', 1, 'IDX')] };
 * ahpQuestionnaire(framework, 'en').pages.length // => 1 (one comparison group: A vs B under IDX)
 */
export function ahpQuestionnaire(
  framework: Framework,
  locale: 'zh' | 'en' = 'zh',
): { title: string; pages: Array<Record<string, unknown>>; [k: string]: unknown } {
  const t = (x: LocalText | undefined, code: string) => (locale === 'zh' ? (x?.zh ?? x?.en) : (x?.en ?? x?.zh)) ?? code;
  const rateValues = [
    ...[9, 8, 7, 6, 5, 4, 3, 2].map((v) => ({ value: v, text: String(v) })),
    { value: 1, text: '1' },
    ...[2, 3, 4, 5, 6, 7, 8, 9].map((v) => ({ value: -v, text: String(v) })),
  ];
  const nameOf = (code: string) => t(framework.nodes.find((n) => n.code === code)?.name, code);
  const pages = comparisonGroups(framework).map((g) => {
    const elements: Array<Record<string, unknown>> = [];
    for (let i = 0; i < g.codes.length; i++) {
      for (let j = i + 1; j < g.codes.length; j++) {
        const a = t(g.names[i], g.codes[i]);
        const b = t(g.names[j], g.codes[j]);
        elements.push({
          type: 'rating',
          name: pairQuestionName(g.parent, g.codes[i], g.codes[j]),
          isRequired: true,
          title:
            locale === 'zh'
              ? `「${a}」与「${b}」相比，哪个更重要？重要多少？`
              : `Which matters more, "${a}" or "${b}", and by how much?`,
          rateValues,
          minRateDescription: locale === 'zh' ? `${a} 极端重要` : `${a} extremely more important`,
          maxRateDescription: locale === 'zh' ? `${b} 极端重要` : `${b} extremely more important`,
        });
      }
    }
    return {
      name: `group_${g.parent}`,
      title:
        locale === 'zh'
          ? `「${nameOf(g.parent)}」下各项的相对重要性`
          : `Relative importance within "${nameOf(g.parent)}"`,
      elements,
    };
  });
  return {
    title: locale === 'zh' ? '专家权重判断问卷（层次分析法）' : 'Expert weighting questionnaire (AHP)',
    description:
      locale === 'zh'
        ? '1 = 同等重要，3 = 稍重要，5 = 明显重要，7 = 强烈重要，9 = 极端重要（Saaty 标度）。'
        : '1 = equal, 3 = moderate, 5 = strong, 7 = very strong, 9 = extreme importance (Saaty scale).',
    pages,
  };
}

/**
 * An expert's answers (SurveyJS result object) → one matrix per comparison group, with located issues for
 * missing or invalid answers (that group is then skipped for this expert).
 * @example
 * const node = (code: string, level: number, parent: string | null) => ({ code, name: { en: code }, level, parent,
 *   kind: level === 1 ? 'indicator' as const : 'aggregate' as const, weight: 1, direction: 1 as const });
 * const framework = { nodes: [node('IDX', 2, null), node('A', 1, 'IDX'), node('B', 1, 'IDX')] };
 * expertMatrices(framework, 'e1', { ahp__IDX__A__B: 3 }).matrices[0].matrix // => [[1, 3], [1/3, 1]]
 */
export function expertMatrices(
  framework: Framework,
  expert: string,
  answers: Record<string, unknown>,
  file?: string,
): { matrices: ExpertJudgements[]; issues: Issue[] } {
  const matrices: ExpertJudgements[] = [];
  const issues: Issue[] = [];
  for (const g of comparisonGroups(framework)) {
    const n = g.codes.length;
    const m = Array.from({ length: n }, () => new Array<number>(n).fill(1));
    let ok = true;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const q = pairQuestionName(g.parent, g.codes[i], g.codes[j]);
        const raw = answers[q];
        const v = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
        if (typeof v !== 'number' || !Number.isInteger(v) || v === 0 || v === -1 || Math.abs(v) > 9) {
          ok = false;
          issues.push({
            code: raw === undefined || raw === null || raw === '' ? 'E_AHP_MISSING' : 'E_AHP_VALUE',
            message:
              raw === undefined || raw === null || raw === ''
                ? `expert ${expert} did not answer ${g.codes[i]} vs ${g.codes[j]}`
                : `expert ${expert} answered ${JSON.stringify(raw)} for ${g.codes[i]} vs ${g.codes[j]}`,
            file,
            field: q,
            indicator: g.parent,
            expected: 'an integer 2…9, 1, or −2…−9',
          });
          continue;
        }
        m[i][j] = v > 0 ? v : 1 / -v;
        m[j][i] = 1 / m[i][j];
      }
    }
    if (ok) matrices.push({ expert, parent: g.parent, codes: g.codes, matrix: m });
  }
  return { matrices, issues };
}

/**
 * The group weights as build-spec weight steps: one `WeightOptions` per level, `method: 'manual'`,
 * weights relative to siblings (as the framework's `weight`).
 * @example
 * const node = (code: string, level: number, parent: string | null) => ({ code, name: { en: code }, level, parent,
 *   kind: level === 1 ? 'indicator' as const : 'aggregate' as const, weight: 1, direction: 1 as const });
 * const framework = { nodes: [node('IDX', 2, null), node('A', 1, 'IDX'), node('B', 1, 'IDX')] };
 * const panel = groupAhp(expertMatrices(framework, 'e1', { ahp__IDX__A__B: 3 }).matrices);
 * ahpWeightOptions([panel], framework)
 * // => [{ level: 1, weighting: { method: 'manual', weights: { A: 0.75, B: 0.25 } } }]
 */
export function ahpWeightOptions(results: readonly GroupAhpResult[], framework: Framework): WeightOptions[] {
  const byLevel = new Map<number, Record<string, number>>();
  for (const r of results) {
    for (const code of r.codes) {
      const node = framework.nodes.find((n) => n.code === code);
      if (!node)
        throw new CityIndexError({
          code: 'E_UNKNOWN_CODE',
          message: `AHP element "${code}" is not in the framework`,
          indicator: code,
        });
      let rec = byLevel.get(node.level);
      if (!rec) byLevel.set(node.level, (rec = {}));
      rec[code] = r.weights[code];
    }
  }
  return [...byLevel.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([level, weights]) => ({ level, weighting: { method: 'manual', weights } }));
}
