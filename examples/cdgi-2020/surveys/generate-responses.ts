/**
 * Generator of the SIMULATED resident responses (模拟数据 / simulated responses) and of the SurveyJS
 * questionnaires of the CDGI 2020 example. No real microdata of the report's 45-city questionnaire is
 * public, so the response file is made up — deterministically, from the seed below.
 *
 *   npx tsx examples/cdgi-2020/surveys/generate-responses.ts          # (re)write the files
 *   npx tsx examples/cdgi-2020/surveys/generate-responses.ts --check  # exit 1 if the committed files differ
 *
 * Cities: the 45 cities with the highest 2019 GDP (ranks 1–45 of data/sources/gdp_top100_2019).
 * Model (our own, for demonstration only): city mean satisfaction falls with GDP rank plus noise;
 * older respondents are less satisfied; the online sample over-represents young men (so weighting
 * matters); each answer = round(latent + item offset + noise) clipped to 1–5, reverse items flipped,
 * a few "don't know". Injected problems: duplicates, speeders, straight-liners, failed attention
 * checks, missing city, and more responses than the quota of 120 in most cities; two cities get too
 * few responses (the minimum-sample flag).
 *
 * It also writes the expert AHP questionnaire for the framework (ahp.zh.json, ahp.en.json) and the answers
 * of seven SIMULATED experts (experts-simulated.json): each judges a_ij = w_i/w_j of a shared "panel
 * view" times log-normal noise, rounded to Saaty's scale; expert E7 answers almost at random (CR > 0.1).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { createRng, type Rng } from '../../../src/engine/core/rng.ts';
import type { Framework } from '../../../src/engine/core/framework.ts';
import { ahpQuestionnaire, comparisonGroups, pairQuestionName } from '../../../src/engine/survey/ahp-group.ts';
import { FrameworkFileSchema } from '../../../src/formats/project-schema.ts';
import { frameworkFromTree } from '../../../src/formats/project.ts';

export const SEED = 20200601;
export const LABEL = '模拟数据 / simulated responses';

const here = dirname(fileURLToPath(import.meta.url));

export interface ItemDef {
  code: string;
  zh: string;
  en: string;
  reverse?: boolean;
  offset: number;
}
export interface ScaleDef {
  name: string;
  zh: string;
  en: string;
  items: ItemDef[];
}

/** Agreement statements (1 = strongly disagree … 5 = strongly agree). */
export const SCALES: ScaleDef[] = [
  {
    name: 'infra',
    zh: '数字基础设施',
    en: 'Digital infrastructure',
    items: [
      {
        code: 'INF1',
        zh: '在本市，手机上网速度快、信号稳定',
        en: 'In this city, mobile internet is fast and the signal reliable',
        offset: 0.3,
      },
      {
        code: 'INF2',
        zh: '公共场所（车站、医院、政务大厅）能方便地连上免费无线网络',
        en: 'Free Wi-Fi is easy to use in public places (stations, hospitals, service halls)',
        offset: -0.3,
      },
      {
        code: 'INF3',
        zh: '家里的宽带网络能满足工作、学习和娱乐的需要',
        en: 'Home broadband meets my needs for work, study and entertainment',
        offset: 0.2,
      },
    ],
  },
  {
    name: 'gov',
    zh: '数字政务服务',
    en: 'Digital government services',
    items: [
      {
        code: 'GOV1',
        zh: '在网上或手机上办理政务事项方便快捷',
        en: 'Handling government matters online or on the phone is quick and easy',
        offset: 0,
      },
      {
        code: 'GOV2',
        zh: '办事需要跑现场的次数明显减少了（“最多跑一次”）',
        en: 'I need far fewer trips to offices than before ("run at most once")',
        offset: 0.1,
      },
      {
        code: 'GOV3',
        zh: '12345 热线或政务 App 对我的诉求回应及时',
        en: 'The 12345 hotline or the government app responds to my requests in time',
        offset: -0.2,
      },
      {
        code: 'GOV4',
        zh: '网上办事流程繁琐，经常要重复提交材料',
        en: 'Online procedures are cumbersome and often ask for the same documents again',
        reverse: true,
        offset: -0.1,
      },
    ],
  },
  {
    name: 'pub',
    zh: '数字公共服务',
    en: 'Digital public services',
    items: [
      {
        code: 'PUB1',
        zh: '网上预约挂号、查看检查结果很方便',
        en: 'Booking hospital appointments and seeing test results online is convenient',
        offset: 0.1,
      },
      {
        code: 'PUB2',
        zh: '健康码、电子社保卡等电子证照使用顺畅',
        en: 'Health codes, the electronic social-security card and other e-certificates work smoothly',
        offset: 0.2,
      },
      {
        code: 'PUB3',
        zh: '孩子或家人能方便地获得线上教育资源',
        en: 'My children or family can easily use online education resources',
        offset: -0.2,
      },
      {
        code: 'PUB4',
        zh: '公交到站、路况等出行信息可以随时在手机上查到',
        en: 'Bus arrivals, traffic and other travel information are always available on the phone',
        offset: 0.1,
      },
    ],
  },
  {
    name: 'life',
    zh: '数字生活服务',
    en: 'Digital life services',
    items: [
      {
        code: 'LIF1',
        zh: '日常购物、缴费用手机支付很方便',
        en: 'Paying by phone for shopping and bills is convenient',
        offset: 0.5,
      },
      {
        code: 'LIF2',
        zh: '网购、外卖、家政等线上生活服务丰富可靠',
        en: 'Online shopping, food delivery and home services are plentiful and reliable',
        offset: 0.3,
      },
      {
        code: 'LIF3',
        zh: '网上银行、线上理财等数字金融服务好用',
        en: 'Online banking and other digital financial services are easy to use',
        offset: 0,
      },
      {
        code: 'LIF4',
        zh: '我担心个人信息在使用数字服务时被泄露或滥用',
        en: 'I worry that my personal data is leaked or misused when I use digital services',
        reverse: true,
        offset: -0.6,
      },
    ],
  },
];

const ATTENTION = {
  code: 'ATTN',
  zh: '为确认您在认真作答，本题请选择“比较同意”',
  en: 'To show you are reading carefully, please choose "agree" here',
  expected: 4,
};
const OVERALL = {
  code: 'OVR',
  zh: '总体而言，您对本市的数字生活满意吗？',
  en: 'Overall, how satisfied are you with digital life in this city?',
};

interface City {
  adcode: string;
  zh: string;
  en: string;
  rank: number;
}

function cities(): City[] {
  const text = readFileSync(
    join(here, '..', '..', '..', 'data', 'sources', 'gdp_top100_2019', 'gdp_top100_2019.csv'),
    'utf8',
  );
  const rows = parse(text, { columns: true, bom: true }) as Array<Record<string, string>>;
  return rows
    .filter((r) => Number(r.rank_2019) <= 45)
    .map((r) => ({ adcode: r.adcode, zh: r.name_zh, en: r.name_en, rank: Number(r.rank_2019) }));
}

function normal(rng: Rng): number {
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

const clip = (x: number) => Math.min(5, Math.max(1, Math.round(x)));

/** The SurveyJS definition (survey-core@3.0.0 JSON) in one language. */
export function questionnaire(lang: 'zh' | 'en', list: City[]): Record<string, unknown> {
  const zh = lang === 'zh';
  const columns = [
    { value: 1, text: zh ? '非常不同意' : 'Strongly disagree' },
    { value: 2, text: zh ? '比较不同意' : 'Disagree' },
    { value: 3, text: zh ? '一般' : 'Neutral' },
    { value: 4, text: zh ? '比较同意' : 'Agree' },
    { value: 5, text: zh ? '非常同意' : 'Strongly agree' },
    { value: 'dk', text: zh ? '不知道/不适用' : "Don't know / not applicable" },
  ];
  const matrices = SCALES.map((s, k) => ({
    type: 'matrix',
    name: s.name,
    title: zh ? s.zh : s.en,
    isAllRowRequired: true,
    columns,
    rows: [
      ...s.items.map((it) => ({ value: it.code, text: zh ? it.zh : it.en })),
      ...(k === 2 ? [{ value: ATTENTION.code, text: zh ? ATTENTION.zh : ATTENTION.en }] : []),
    ],
  }));
  return {
    title: zh ? '城市居民数字生活满意度调查' : "Survey of residents' satisfaction with digital life",
    description: zh
      ? '本问卷匿名填写，约需 5–8 分钟。示例问卷：配套的答卷为模拟数据 / simulated responses。'
      : 'Anonymous, about 5–8 minutes. Example questionnaire: ' +
        'the accompanying responses are simulated (模拟数据 / simulated responses).',
    locale: lang,
    showProgressBar: 'top',
    pages: [
      {
        name: 'about',
        elements: [
          {
            type: 'dropdown',
            name: 'city_adcode',
            title: zh ? '您目前常住的城市' : 'The city where you usually live',
            isRequired: true,
            choices: list.map((c) => ({ value: c.adcode, text: zh ? c.zh : c.en })),
          },
          {
            type: 'text',
            name: 'age',
            title: zh ? '您的年龄（周岁）' : 'Your age (years)',
            inputType: 'number',
            min: 18,
            max: 100,
            isRequired: true,
          },
          {
            type: 'radiogroup',
            name: 'sex',
            title: zh ? '您的性别' : 'Your sex',
            choices: [
              { value: 'male', text: zh ? '男' : 'Male' },
              { value: 'female', text: zh ? '女' : 'Female' },
            ],
            isRequired: true,
          },
        ],
      },
      { name: 'services', elements: matrices },
      {
        name: 'overall',
        elements: [
          {
            type: 'rating',
            name: OVERALL.code,
            title: zh ? OVERALL.zh : OVERALL.en,
            rateMin: 1,
            rateMax: 5,
            minRateDescription: zh ? '非常不满意' : 'Very dissatisfied',
            maxRateDescription: zh ? '非常满意' : 'Very satisfied',
            isRequired: true,
          },
        ],
      },
    ],
  };
}

/** Generate the response rows (CSV text) deterministically from `seed`. */
export function generate(seed = SEED): { csv: string; n: number } {
  const rng = createRng(seed);
  const list = cities();
  const items = SCALES.flatMap((s) => s.items);
  const header = [
    'respondent_id',
    'city_adcode',
    'city_name',
    'submitted_at',
    'duration_seconds',
    'age',
    'sex',
    ...items.map((i) => i.code),
    ATTENTION.code,
    OVERALL.code,
    'data_label',
  ];
  const rows: string[][] = [];
  const start = Date.UTC(2020, 5, 1);
  let serial = 0;
  const small = new Set(['321200', '410300']); // 泰州, 洛阳: too few responses (the minimum-sample flag)
  for (const c of list) {
    const mu = 3.75 - 0.012 * c.rank + 0.15 * normal(rng);
    const received = small.has(c.adcode) ? 70 + rng.int(15) : 135 + rng.int(40);
    for (let k = 0; k < received; k++) {
      serial++;
      // online sample: young and male-heavy compared with the census
      const u = rng.next();
      const age = u < 0.84 ? 18 + rng.int(42) : u < 0.92 ? 60 + rng.int(5) : 65 + rng.int(20);
      const sex = rng.next() < 0.58 ? 'male' : 'female';
      const theta = mu - (age >= 60 ? 0.5 : 0) + 0.55 * normal(rng);
      const kind = rng.next();
      const answers = items.map((it) => {
        if (rng.next() < (age >= 60 ? 0.08 : 0.03)) return 'dk';
        const x = clip(theta + it.offset + 0.7 * normal(rng));
        return String(it.reverse ? 6 - x : x);
      });
      let attention = '4';
      let duration = Math.round(Math.exp(Math.log(420) + 0.35 * normal(rng)));
      let cityCode = c.adcode;
      if (kind < 0.03)
        duration = 40 + rng.int(50); // speeder
      else if (kind < 0.05) {
        const v = String(1 + rng.int(5));
        answers.fill(v);
      } // straight-liner
      else if (kind < 0.08)
        attention = String([1, 2, 3, 5][rng.int(4)]); // failed attention check
      else if (kind < 0.085) cityCode = ''; // missing city
      const overall = String(clip(theta + 0.1 + 0.5 * normal(rng)));
      const submitted = new Date(start + Math.floor(rng.next() * 45 * 86400) * 1000)
        .toISOString()
        .replace('.000Z', 'Z');
      const row = [
        `R${String(serial).padStart(6, '0')}`,
        cityCode,
        cityCode ? c.zh : '',
        submitted,
        String(duration),
        String(age),
        sex,
        ...answers,
        attention,
        overall,
        LABEL,
      ];
      rows.push(row);
      if (rng.next() < 0.015) rows.push([...row]); // exact duplicate submission
    }
  }
  const csv = [header, ...rows].map((r) => r.join(',')).join('\n') + '\n';
  return { csv, n: rows.length };
}

function framework(): Framework {
  const text = readFileSync(join(here, '..', 'framework.yaml'), 'utf8');
  const f = FrameworkFileSchema.parse(parseYaml(text));
  return frameworkFromTree(f, 'framework.yaml').framework;
}

const SAATY = [1 / 9, 1 / 8, 1 / 7, 1 / 6, 1 / 5, 1 / 4, 1 / 3, 1 / 2, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/** Simulated expert answers (SurveyJS results: one object per expert). */
export function generateExperts(fw: Framework, seed = SEED): Array<Record<string, unknown>> {
  const rng = createRng(seed + 1);
  const groups = comparisonGroups(fw);
  const view = new Map(groups.map((g) => [g.parent, g.codes.map(() => Math.exp(0.5 * normal(rng)))]));
  return Array.from({ length: 7 }, (_, e) => {
    const sigma = e === 6 ? 1.6 : 0.35;
    const out: Record<string, unknown> = { expert: `E${e + 1}`, data_label: LABEL };
    for (const g of groups) {
      const w = view.get(g.parent)!;
      for (let i = 0; i < g.codes.length; i++) {
        for (let j = i + 1; j < g.codes.length; j++) {
          const a = (w[i] / w[j]) * Math.exp(sigma * normal(rng));
          let best = 1;
          for (const x of SAATY) if (Math.abs(Math.log(x / a)) < Math.abs(Math.log(best / a))) best = x;
          out[pairQuestionName(g.parent, g.codes[i], g.codes[j])] =
            best >= 1 ? Math.round(best) : -Math.round(1 / best);
        }
      }
    }
    return out;
  });
}

function main(): void {
  const check = process.argv.includes('--check');
  const list = cities();
  const files: Record<string, string> = {
    'responses-simulated.csv': generate().csv,
    'questionnaire.zh.json': JSON.stringify(questionnaire('zh', list), null, 2) + '\n',
    'questionnaire.en.json': JSON.stringify(questionnaire('en', list), null, 2) + '\n',
  };
  const fw = framework();
  files['ahp.zh.json'] = JSON.stringify(ahpQuestionnaire(fw, 'zh'), null, 2) + '\n';
  files['ahp.en.json'] = JSON.stringify(ahpQuestionnaire(fw, 'en'), null, 2) + '\n';
  files['experts-simulated.json'] = JSON.stringify(generateExperts(fw), null, 1) + '\n';
  let stale = false;
  for (const [name, text] of Object.entries(files)) {
    const path = join(here, name);
    if (check) {
      let old: string;
      try {
        old = readFileSync(path, 'utf8');
      } catch {
        old = '';
      }
      if (old !== text) {
        console.error(`generate-responses: ${name} is stale (re-run without --check)`);
        stale = true;
      }
    } else writeFileSync(path, text);
  }
  if (stale) process.exit(1);
  if (!check) console.log(`wrote ${Object.keys(files).join(', ')} (seed ${SEED}; ${LABEL})`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
