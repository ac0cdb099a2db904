/**
 * Read the case library: Markdown files with YAML front matter (gray-matter), validated with zod.
 * `parseCase` is pure (text in, `Case` out); `readCases` reads a folder of a `ProjectFiles` source (the
 * server's uploads, a project folder through `loadCases`) and reports every problem of every file at
 * once, each naming the file, the field and (where it can) the line.
 *
 * Front matter (see cases/README.md):
 *   title:      { zh, en } or a string (optional; default: the first `# ` heading)
 *   city:       6-digit adcode ("330100"; an unquoted number is accepted)
 *   city_name:  { zh, en }
 *   year:       integer
 *   domains:    list of "中文/english" strings or { zh, en } objects (at least one)
 *   indicators: list of framework indicator codes (optional)
 *   sources:    list of citation strings or { citation, citation_en?, url?, note? } objects (at least one)
 */
import { join } from 'node:path';
import matter from 'gray-matter';
import * as z from 'zod';
import { CityIndexError, type Issue } from '../engine/core/errors.ts';
import { zodIssues } from '../engine/core/zod-issues.ts';
import { joinPosix, type ProjectFiles } from './project-files.ts';
import { fsProjectFiles } from './project-fs.ts';
import type { LocalText } from '../engine/core/framework.ts';
import type { Case, CaseSource } from '../engine/cases/search.ts';

const CJK = /[\u3400-\u9fff]/;
const localText = z
  .object({ zh: z.string().min(1).optional(), en: z.string().min(1).optional() })
  .strict()
  .refine((t) => t.zh !== undefined || t.en !== undefined, 'give zh, en or both');

export const CaseFrontMatterSchema = z
  .object({
    title: z.union([z.string().min(1), localText]).optional(),
    city: z
      .union([z.string(), z.number().int()])
      .transform((v) => String(v).trim())
      .pipe(z.string().regex(/^\d{6}$/, 'must be a 6-digit adcode such as "330100"')),
    city_name: z.object({ zh: z.string().min(1), en: z.string().min(1) }).strict(),
    year: z.number().int().min(1949).max(2100),
    domains: z.array(z.union([z.string().min(1), localText])).min(1, 'give at least one domain, e.g. "交通/traffic"'),
    indicators: z
      .array(z.string().regex(/^[A-Za-z0-9_.-]+$/, 'must be an indicator code (letters, digits, _ . -)'))
      .default([]),
    sources: z
      .array(
        z.union([
          z.string().min(1),
          z
            .object({
              citation: z.string().min(1),
              citation_en: z.string().min(1).optional(),
              url: z.string().optional(),
              note: z.string().optional(),
            })
            .strict(),
        ]),
      )
      .min(1, 'cite at least one source'),
  })
  .strict();
export type CaseFrontMatter = z.infer<typeof CaseFrontMatterSchema>;

/** "交通/traffic" → { zh: '交通', en: 'traffic' }; a single word goes to zh or en by its script. */
function domainText(d: string | LocalText): LocalText {
  if (typeof d !== 'string') return { zh: d.zh, en: d.en };
  const slash = d.indexOf('/');
  const parts = slash < 0 ? [d] : [d.slice(0, slash), d.slice(slash + 1)];
  const out: LocalText = {};
  for (const p of parts.map((x) => x.trim()).filter(Boolean)) {
    if (CJK.test(p)) out.zh ??= p;
    else out.en ??= p;
  }
  return out;
}

/** 1-based line of a top-level front-matter key in the file, if found. */
function lineOf(text: string, key: string): number | undefined {
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== '---') return undefined;
  for (let k = 1; k < lines.length && lines[k].trim() !== '---'; k++) {
    if (new RegExp(`^${key}\\s*:`).test(lines[k])) return k + 1;
  }
  return undefined;
}

/**
 * Parse one case file (Markdown with YAML front matter). Pure: no file access; `file` is used for
 * the case id (its base name without `.md`) and in error messages. Throws `CityIndexError` listing
 * every invalid field (`field` = path in the front matter, `row` = line of the key).
 * @example
 * const frontMatter = 'city: "330100"\ncity_name: { zh: 杭州市, en: Hangzhou }\nyear: 2020\n';
 * const text = `---\n${frontMatter}domains: [交通/traffic]\nsources: [Report 2020]\n---\n# 杭州城市大脑\n`;
 * parseCase(text, 'cases/hz.md').domains
 * // => [{ zh: '交通', en: 'traffic' }]
 */
export function parseCase(text: string, file: string): Case {
  const id = file.replace(/^.*[\\/]/, '').replace(/\.md$/i, '');
  const clean = text.replace(/^\uFEFF/, '');
  if (!/^---\r?\n/.test(clean)) {
    throw new CityIndexError({
      code: 'E_FRONT_MATTER',
      message: 'a case file must start with YAML front matter between "---" lines',
      file,
      row: 1,
      expected: '---\\ncity: …\\n---',
    });
  }
  let parsed: { data: Record<string, unknown>; content: string };
  try {
    // An options object disables gray-matter's module-level cache (it returns shared objects per text).
    parsed = matter(clean, { excerpt: false });
  } catch (e) {
    const mark = (e as { mark?: { line?: number } }).mark;
    const reason = (e as { reason?: string }).reason ?? (e as Error).message.split('\n')[0];
    throw new CityIndexError({
      code: 'E_YAML',
      message: `front matter is not valid YAML: ${reason}`,
      file,
      row: mark?.line !== undefined ? mark.line + 2 : undefined,
    });
  }
  const result = CaseFrontMatterSchema.safeParse(parsed.data);
  if (!result.success) {
    const raw = result.error.issues;
    const issues: Issue[] = zodIssues(result.error, file).map((i, k) => {
      // An unknown top-level key: name it as the field, so its line can be found.
      const unknown =
        raw[k]?.code === 'unrecognized_keys' && raw[k].path.length === 0
          ? (raw[k] as { keys: string[] }).keys[0]
          : undefined;
      if (unknown !== undefined) i = { ...i, field: unknown };
      const top = i.field?.split(/[.[]/)[0];
      const row = top ? lineOf(clean, top) : undefined;
      return row !== undefined ? { ...i, row } : i;
    });
    throw new CityIndexError(issues);
  }
  const fm = result.data;
  const body = parsed.content.replace(/^\s+/, '');
  const heading = /^#\s+(.+)$/m.exec(body)?.[1]?.trim();
  const title: LocalText =
    fm.title === undefined
      ? heading
        ? CJK.test(heading)
          ? { zh: heading }
          : { en: heading }
        : { en: id }
      : typeof fm.title === 'string'
        ? CJK.test(fm.title)
          ? { zh: fm.title }
          : { en: fm.title }
        : { zh: fm.title.zh, en: fm.title.en };
  const sources: CaseSource[] = fm.sources.map((s) => {
    if (typeof s === 'string') return { citation: s };
    const { citation_en: citationEn, ...rest } = s;
    return citationEn ? { ...rest, citationEn } : rest;
  });
  return {
    id,
    file,
    title,
    city: fm.city,
    cityName: { zh: fm.city_name.zh, en: fm.city_name.en },
    year: fm.year,
    domains: fm.domains.map(domainText),
    indicators: [...fm.indicators],
    sources,
    body,
  };
}

/**
 * Read every `*.md` case of a folder of a `ProjectFiles` source (not recursive; `README.md` and names
 * starting with `_` are skipped), sorted by file name. All problems in all files are reported together
 * in one `CityIndexError`; `shown` names a file in issues (default: its path in the source).
 * @example
 * import { fsProjectFiles } from './project-fs.ts';
 * const found = await readCases(fsProjectFiles('.'), 'cases');
 * found.length // => 3
 */
export async function readCases(
  files: ProjectFiles,
  folder: string,
  shown: (path: string) => string = (p) => p,
): Promise<Case[]> {
  if ((await files.kind(folder)) !== 'folder') {
    const where = shown(folder);
    const expected = 'a folder of Markdown case files';
    const message = `case folder "${where}" not found`;
    throw new CityIndexError({ code: 'E_FILE_MISSING', message, file: where, expected });
  }
  const isCase = (n: string) => /\.md$/i.test(n) && !/^readme\.md$/i.test(n) && !n.startsWith('_');
  const names = (await files.list(folder)).filter(isCase).sort();
  const cases: Case[] = [];
  const issues: Issue[] = [];
  for (const name of names) {
    const resolved = files.resolve(name, folder);
    if (!resolved.ok) {
      const { code, message, expected } = resolved;
      issues.push({ code, message, file: shown(joinPosix(folder, name)), expected });
      continue;
    }
    const path = resolved.path;
    try {
      const bytes = await files.read(path);
      if (!bytes) continue;
      cases.push(parseCase(new TextDecoder().decode(bytes), shown(path)));
    } catch (e) {
      if (e instanceof CityIndexError) issues.push(...e.issues);
      else throw e;
    }
  }
  if (issues.length) throw new CityIndexError(issues);
  return cases;
}

/**
 * Load every `*.md` case in a folder on disk (`readCases` over the folder; issues name `dir/name.md`).
 * @example
 * const library = await loadCases('cases');
 * library.map((c) => c.id)
 * // => ['hangzhou-city-brain', 'nanchang-ganfutong', 'zhengzhou-epidemic-systems']
 */
export async function loadCases(dir: string): Promise<Case[]> {
  return readCases(fsProjectFiles(dir), '', (path) => (path === '' ? dir : join(dir, path)));
}
