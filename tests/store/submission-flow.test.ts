/**
 * City data submission by rounds (src/store/submission-flow.ts), on SQLite and PostgreSQL, with
 * examples/asem (51 units, 49 indicators): the whole draft → submitted → returned → resubmitted →
 * approved workflow through Excel templates; builds use approved values only and record their data
 * version (lineage back to the approval); hostile uploads refused with nothing stored; two officers of
 * one city editing one value at once → one 409, nothing lost; 50 cities submitting at once; a city
 * officer never reaches another city's template, values, history or attachments.
 */
import zlib from 'node:zlib';
import { strToU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importProjectFolder, loadStoredProject } from '../../src/store/project-io.ts';
import { ANONYMOUS, systemPrincipal, type Principal } from '../../src/store/principal.ts';
import type { ProjectInfo, Store } from '../../src/store/store.ts';
import {
  approvalOf,
  attachFile,
  attachment,
  openRound,
  reviewValues,
  roundValues,
  saveValues,
  submitUnit,
  templateFor,
  uploadTemplate,
  valueHistory,
  type RoundInfo,
} from '../../src/store/submission-flow.ts';
import { readXlsxTable } from '../../src/formats/xlsx-table.ts';
import { TEMPLATE_SHEETS } from '../../src/formats/template.ts';
import { zipRaw, deflateBomb } from '../formats/xlsx-hostile.ts';
import { codeOf, editParts, editXml, filledTemplate, issuesOf } from './submission-helpers.ts';
import { DIALECTS, type TestStore } from './stores.ts';

const CLI = systemPrincipal('test');
const PASSWORD = 'a long enough password';

async function user(store: Store, username: string, role: string, project: ProjectInfo, cities?: string[]) {
  const u = await store.createUser(CLI, { username, password: PASSWORD, role, projectId: project.id, cities });
  return { kind: 'user', userId: u.id, username, role: u.role } as Principal;
}

describe.each(DIALECTS)('submission rounds on $name', ({ open, skip }) => {
  let t: TestStore;
  let store: Store;
  let project: ProjectInfo;
  let author: Principal, reviewer: Principal, cityA: Principal, cityA2: Principal, cityB: Principal;
  let units: string[];
  let indicators: string[];
  let round: RoundInfo;

  /** Rows of the round's tables and of the audit log: "nothing stored" is these unchanged. */
  async function counts() {
    const n = async (table: string) =>
      Number(
        (
          await (store.db as any)
            .selectFrom(table)
            .select((eb: any) => eb.fn.countAll().as('n'))
            .executeTakeFirst()
        ).n,
      );
    return {
      values: await n('round_values'),
      versions: await n('round_value_versions'),
      attachments: await n('attachments'),
      audit: await n('audit_log'),
    };
  }

  beforeAll(async () => {
    if (skip) return;
    t = await open();
    store = t.store;
    project = await importProjectFolder(store, CLI, 'examples/asem');
    units = (await store.units(project.id)).map((u) => u.code);
    indicators = (await store.framework(project.id)).filter((n) => n.kind === 'indicator').map((n) => n.code);
    author = await user(store, 'author1', 'author', project);
    reviewer = await user(store, 'reviewer1', 'reviewer', project);
    cityA = await user(store, 'cityA', 'city', project, [units[0]]);
    cityA2 = await user(store, 'cityA2', 'city', project, [units[0]]);
    cityB = await user(store, 'cityB', 'city', project, [units[1]]);
    round = await openRound(store, author, project.id, '2024');
  }, 60_000);
  afterAll(async () => {
    if (!skip) await t.dispose();
  });

  it.skipIf(skip)('only authors and admins open rounds; names are unique', async () => {
    expect(await codeOf(openRound(store, cityA, project.id, 'x'))).toBe('E_FORBIDDEN');
    expect(await codeOf(openRound(store, reviewer, project.id, 'x'))).toBe('E_FORBIDDEN');
    expect(await codeOf(openRound(store, ANONYMOUS, project.id, 'x'))).toBe('E_UNAUTHENTICATED');
    expect(await codeOf(openRound(store, author, project.id, '2024'))).toBe('E_CONFLICT');
    expect(await codeOf(openRound(store, author, project.id, '<script>'))).toBe('E_ROUND_NAME');
  });

  it.skipIf(skip)(
    'the whole workflow: template → draft → submitted → returned → resubmitted → approved; builds use approved only',
    async () => {
      const unit = units[0];
      const [i1, i2, i3] = indicators.slice(0, 3).sort(); // values are listed by indicator code
      // the template: bilingual header, the city's adcode and name, previous values, signature sheet
      const tpl = await templateFor(store, cityA, round.id, unit);
      expect(tpl.fileName).toBe(`asem-2024-${unit}.xlsx`);
      const sheet = await readXlsxTable(tpl.bytes, tpl.fileName, TEMPLATE_SHEETS.data);
      expect(sheet.header[0]).toBe('指标代码 Code');
      expect(sheet.rows.map((r) => r[0])).toEqual(indicators);
      const imported = await store.unitValues(cityA, project.id, unit);
      expect(Number(sheet.rows[0][5])).toBe(imported.find((v) => v.indicator === indicators[0])!.value);
      expect(sheet.warnings[0].message).toContain(unit); // the title row names the city

      // 1. the officer fills three values and uploads: drafts at version 1
      const values = new Map([
        [i1, 11.5],
        [i2, 22.25],
        [i3, 33],
      ]);
      const drafts = await uploadTemplate(store, cityA, round.id, unit, {
        fileName: 'filled.xlsx',
        bytes: await filledTemplate(store, cityA, round.id, unit, values),
      });
      expect(drafts.map((v) => [v.indicator, v.value, v.status, v.version])).toEqual([
        [i1, 11.5, 'draft', 1],
        [i2, 22.25, 'draft', 1],
        [i3, 33, 'draft', 1],
      ]);
      // a draft is not used by a build
      let loaded = await loadStoredProject(store, author, project);
      expect(loaded.approved).toEqual([]);
      // 2. submit
      const submitted = await submitUnit(store, cityA, round.id, unit);
      expect(submitted.map((v) => [v.status, v.version])).toEqual([
        ['submitted', 2],
        ['submitted', 2],
        ['submitted', 2],
      ]);
      expect(await codeOf(submitUnit(store, cityA, round.id, unit))).toBe('E_EMPTY');
      // a submitted value cannot be edited
      expect(await codeOf(saveValues(store, cityA, round.id, unit, [{ indicator: i1, value: 1, version: 2 }]))).toBe(
        'E_NOT_EDITABLE',
      );
      // 3. the reviewer approves two and returns one with a comment; returning without a comment is refused
      expect(
        await codeOf(
          reviewValues(store, reviewer, round.id, unit, [{ indicator: i2, decision: 'return', version: 2 }]),
        ),
      ).toBe('E_COMMENT');
      expect(
        await codeOf(reviewValues(store, cityA, round.id, unit, [{ indicator: i1, decision: 'approve', version: 2 }])),
      ).toBe('E_FORBIDDEN');
      const reviewed = await reviewValues(store, reviewer, round.id, unit, [
        { indicator: i1, decision: 'approve', version: 2 },
        { indicator: i2, decision: 'return', comment: '单位应为万元 / unit should be 10k yuan', version: 2 },
        { indicator: i3, decision: 'approve', version: 2 },
      ]);
      expect(reviewed.map((v) => [v.indicator, v.status, v.version, v.comment])).toEqual([
        [i1, 'approved', 3, null],
        [i2, 'returned', 3, '单位应为万元 / unit should be 10k yuan'],
        [i3, 'approved', 3, null],
      ]);
      // the next template carries the comment and the status; approved rows stay locked
      const again = await readXlsxTable(
        (await templateFor(store, cityA, round.id, unit)).bytes,
        'a.xlsx',
        TEMPLATE_SHEETS.data,
      );
      const row2 = again.rows.find((r) => r[0] === i2)!;
      expect([row2[6], row2[8], row2[9], row2[10]]).toEqual([
        '22.25',
        '单位应为万元 / unit should be 10k yuan',
        '退回 returned',
        '3',
      ]);
      // 4. corrected through a fresh template: still returned (until resubmitted), version 4
      const corrected = await uploadTemplate(store, cityA, round.id, unit, {
        fileName: 'fixed.xlsx',
        bytes: await filledTemplate(store, cityA, round.id, unit, new Map([[i2, 0.2225]])),
      });
      expect(corrected.find((v) => v.indicator === i2)).toMatchObject({
        value: 0.2225,
        status: 'returned',
        version: 4,
      });
      // 5. resubmit: only the returned value moves, to resubmitted
      const resubmitted = await submitUnit(store, cityA, round.id, unit);
      expect(resubmitted.map((v) => [v.indicator, v.status, v.version])).toEqual([
        [i1, 'approved', 3],
        [i2, 'resubmitted', 5],
        [i3, 'approved', 3],
      ]);
      // 6. approve
      const final = await reviewValues(store, reviewer, round.id, unit, [
        { indicator: i2, decision: 'approve', comment: 'ok', version: 5 },
      ]);
      expect(final.every((v) => v.status === 'approved')).toBe(true);
      // every version kept with who and when
      const history = await valueHistory(store, cityA, round.id, unit, i2);
      expect(history.map((v) => [v.version, v.status, v.value, v.actor])).toEqual([
        [1, 'draft', 22.25, 'cityA'],
        [2, 'submitted', 22.25, 'cityA'],
        [3, 'returned', 22.25, 'reviewer1'],
        [4, 'returned', 0.2225, 'cityA'],
        [5, 'resubmitted', 0.2225, 'cityA'],
        [6, 'approved', 0.2225, 'reviewer1'],
      ]);
      expect(history.every((v) => /^\d{4}-\d\d-\d\dT/.test(v.at))).toBe(true);
      // builds use the approved values, and record which data version of each they used
      loaded = await loadStoredProject(store, author, project);
      expect(loaded.approved).toEqual([
        { unit, indicator: i1, submissionId: 0, version: 2 },
        { unit, indicator: i2, submissionId: 0, version: 2 },
        { unit, indicator: i3, submissionId: 0, version: 2 },
      ]);
      const raw = loaded.project.input.raw;
      const at = (code: string) =>
        raw.values[raw.codes.indexOf(code) * raw.unitCodes.length + raw.unitCodes.indexOf(unit)];
      expect([at(i1), at(i2), at(i3)]).toEqual([11.5, 0.2225, 33]);
      // lineage: the data version a build used leads back to the approval
      const lineage = await approvalOf(store, author, project.id, unit, i2, 2);
      expect(lineage).toMatchObject({
        round: round.id,
        version: 6,
        status: 'approved',
        actor: 'reviewer1',
        value: 0.2225,
      });
      // the audit chain holds every step and verifies
      const actions = (await store.auditLog(CLI, { limit: 10_000 })).map((r) => r.action);
      expect(actions).toEqual(
        expect.arrayContaining(['round.open', 'round_value.upload', 'round_unit.submit', 'round_unit.review']),
      );
      expect((await store.verifyAudit(CLI)).ok).toBe(true);
    },
    60_000,
  );

  it.skipIf(skip)(
    'hostile and wrong uploads are refused with a located error, and nothing is stored',
    async () => {
      const unit = units[2];
      const officer = await user(store, 'cityC', 'city', project, [unit]);
      const good = await filledTemplate(store, officer, round.id, unit, new Map([[indicators[0], 5]]));
      const otherCity = await filledTemplate(store, CLI, round.id, units[3], new Map([[indicators[0], 5]]));
      const other = await openRound(store, author, project.id, 'other round');
      const otherRound = await filledTemplate(store, CLI, other.id, unit, new Map([[indicators[0], 5]]));
      const sheet = 'xl/worksheets/sheet1.xml';
      const bomb = deflateBomb(
        '<worksheet><sheetData>',
        '<row><c><v>1</v></c></row>',
        200 * 1024 * 1024,
        '</sheetData></worksheet>',
      );
      const withBomb = (declared: number) => {
        const entries = Object.entries(unzipSync(good)).map(([name, data]) => ({
          name,
          data: new Uint8Array(zlib.deflateRawSync(data)),
          method: 8 as const,
          declaredSize: data.length,
        }));
        return zipRaw(entries.map((e) => (e.name === sheet ? { ...e, data: bomb.data, declaredSize: declared } : e)));
      };
      const cases: Array<[string, string, Uint8Array, string]> = [
        ['macro-enabled name', 'city.xlsm', good, 'E_TEMPLATE_MACRO'],
        [
          'old .xls content',
          'city.xlsx',
          new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]),
          'E_TEMPLATE_TYPE',
        ],
        ['not a workbook', 'city.xlsx', strToU8('<html>hello</html>'), 'E_TEMPLATE_TYPE'],
        [
          'macros inside',
          'city.xlsx',
          editParts(good, (p) => (p['xl/vbaProject.bin'] = strToU8('VBA'))),
          'E_TEMPLATE_MACRO',
        ],
        [
          'external link',
          'city.xlsx',
          editParts(good, (p) => (p['xl/externalLinks/externalLink1.xml'] = strToU8('<externalLink/>'))),
          'E_TEMPLATE_EXTERNAL_LINK',
        ],
        [
          'embedded object',
          'city.xlsx',
          editParts(good, (p) => (p['xl/embeddings/oleObject1.bin'] = strToU8('x'))),
          'E_TEMPLATE_EMBEDDED',
        ],
        [
          'formula cell',
          'city.xlsx',
          editParts(good, (p) =>
            editXml(p, sheet, (x) =>
              x.replace(/<c r="G5" s="(\d+)"\/>/, '<c r="G5" s="$1"><f>SUM(F4:F9)</f><v>7</v></c>'),
            ),
          ),
          'E_XLSX_FORMULA',
        ],
        ['zip bomb (declared)', 'city.xlsx', withBomb(bomb.size), 'E_XLSX_LIMIT'],
        ['zip bomb (lying about its size)', 'city.xlsx', withBomb(100_000), 'E_XLSX_LIMIT'],
        [
          'huge sheet',
          'city.xlsx',
          editParts(good, (p) =>
            editXml(p, sheet, (x) => x.replace(/<dimension ref="[^"]*"\/>/, '<dimension ref="A1:K2000000"/>')),
          ),
          'E_XLSX_LIMIT',
        ],
        [
          'wrong template (no signature sheet)',
          'city.xlsx',
          editParts(good, (p) => editXml(p, 'xl/workbook.xml', (x) => x.replace('name="_signature"', 'name="other"'))),
          'E_TEMPLATE_WRONG',
        ],
        [
          'tampered signature sheet (unit changed)',
          'city.xlsx',
          editParts(good, (p) =>
            editXml(p, 'xl/sharedStrings.xml', (x) => x.replace(`<t>${unit}</t>`, `<t>${units[0]}</t>`)),
          ),
          'E_TEMPLATE_SIGNATURE',
        ],
        ["another city's template", 'city.xlsx', otherCity, 'E_TEMPLATE_UNIT'],
        ["another round's template", 'city.xlsx', otherRound, 'E_TEMPLATE_ROUND'],
        [
          'a text in a number cell',
          'city.xlsx',
          await filledTemplate(store, officer, round.id, unit, new Map([[indicators[0], 5]]), 'x').then((b) =>
            editParts(b, (p) =>
              editXml(p, sheet, (x) =>
                x.replace(
                  /<c r="G4" s="(\d+)"><v>5<\/v><\/c>/,
                  '<c r="G4" s="$1" t="inlineStr"><is><t>1,234</t></is></c>',
                ),
              ),
            ),
          ),
          'E_NOT_NUMBER',
        ],
      ];
      const before = await counts();
      for (const [what, fileName, bytes, code] of cases) {
        const issues = await issuesOf(uploadTemplate(store, officer, round.id, unit, { fileName, bytes }));
        expect(issues[0]?.code, `${what}: ${JSON.stringify(issues[0])}`).toBe(code);
        expect(issues[0].file, what).toBe(fileName);
        expect(await counts(), what).toEqual(before);
      }
      // located: the formula and the bad number name their cell
      const formula = await issuesOf(
        uploadTemplate(store, officer, round.id, unit, { fileName: 'city.xlsx', bytes: cases[6][2] }),
      );
      expect(formula[0]).toMatchObject({ row: 5, column: 'G5' });
      const text = await issuesOf(
        uploadTemplate(store, officer, round.id, unit, { fileName: 'city.xlsx', bytes: cases[14][2] }),
      );
      expect(text[0]).toMatchObject({ row: 4, column: 'G4', indicator: indicators[0] });
      // a file over the size cap is refused before it is read
      expect(
        await codeOf(
          uploadTemplate(store, officer, round.id, unit, {
            fileName: 'a.xlsx',
            bytes: new Uint8Array(6 * 1024 * 1024),
          }),
        ),
      ).toBe('E_XLSX_LIMIT');
      // and the good one is accepted (the refusals above were about the file, not the officer)
      await uploadTemplate(store, officer, round.id, unit, { fileName: 'city.xlsx', bytes: good });
      expect((await counts()).values).toBe(before.values + 1);
    },
    60_000,
  );

  it.skipIf(skip)('two officers of one city editing the same value at once: one 409, nothing lost', async () => {
    const unit = units[0];
    const ind = indicators[10];
    // both start from nothing (version 0)
    const first = await Promise.allSettled([
      saveValues(store, cityA, round.id, unit, [{ indicator: ind, value: 1, version: 0 }]),
      saveValues(store, cityA2, round.id, unit, [{ indicator: ind, value: 2, version: 0 }]),
    ]);
    expect(first.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const lost = first.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason.issues[0]).toMatchObject({ code: 'E_CONFLICT', indicator: ind });
    // both edit version 1 at once
    const second = await Promise.allSettled([
      saveValues(store, cityA, round.id, unit, [{ indicator: ind, value: 3, version: 1 }]),
      saveValues(store, cityA2, round.id, unit, [{ indicator: ind, value: 4, version: 1 }]),
    ]);
    expect(second.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const won = (second.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<any>).value;
    const winner = won.find((v: { indicator: string }) => v.indicator === ind);
    expect(winner.version).toBe(2);
    // the loser reloads and edits again: accepted; every accepted write is in the history
    await saveValues(store, cityA, round.id, unit, [{ indicator: ind, value: 5, version: 2 }]);
    const history = await valueHistory(store, cityA, round.id, unit, ind);
    expect(history.map((v) => v.version)).toEqual([1, 2, 3]);
    expect(history[2].value).toBe(5);
    expect([1, 2]).toContain(history[0].value);
    expect([3, 4]).toContain(history[1].value);
  });

  it.skipIf(skip)(
    '50 cities upload and submit at once: every value stored, the audit chain intact',
    async () => {
      const r = await openRound(store, author, project.id, 'fifty');
      const cities = units.slice(0, 50);
      const officers = await Promise.all(cities.map((u, k) => user(store, `city50_${k}`, 'city', project, [u])));
      const value = (k: number, j: number) => k * 1000 + j + 0.5;
      const files = await Promise.all(
        cities.map((u, k) =>
          filledTemplate(store, officers[k], r.id, u, new Map(indicators.map((c, j) => [c, value(k, j)]))),
        ),
      );
      await Promise.all(
        cities.map(async (u, k) => {
          await uploadTemplate(store, officers[k], r.id, u, { fileName: `${u}.xlsx`, bytes: files[k] });
          await submitUnit(store, officers[k], r.id, u);
        }),
      );
      for (const k of [0, 17, 49]) {
        const stored = await roundValues(store, reviewer, r.id, cities[k]);
        expect(stored).toHaveLength(indicators.length);
        expect(stored.every((v) => v.status === 'submitted' && v.version === 2)).toBe(true);
        expect(stored.find((v) => v.indicator === indicators[5])!.value).toBe(value(k, 5));
      }
      const all = await (store.db as any)
        .selectFrom('round_values')
        .select((eb: any) => eb.fn.countAll().as('n'))
        .where('round_id', '=', r.id)
        .executeTakeFirst();
      expect(Number(all.n)).toBe(50 * indicators.length);
      expect((await store.verifyAudit(CLI)).ok).toBe(true);
    },
    120_000,
  );

  it.skipIf(skip)("a city officer never reaches another city's template, values, history or attachments", async () => {
    const [a, b] = [units[0], units[1]];
    expect(await codeOf(templateFor(store, cityA, round.id, b))).toBe('E_FORBIDDEN');
    expect(await codeOf(roundValues(store, cityA, round.id, b))).toBe('E_FORBIDDEN');
    expect(await codeOf(valueHistory(store, cityA, round.id, b))).toBe('E_FORBIDDEN');
    expect(
      await codeOf(saveValues(store, cityA, round.id, b, [{ indicator: indicators[0], value: 1, version: 0 }])),
    ).toBe('E_FORBIDDEN');
    expect(await codeOf(submitUnit(store, cityA, round.id, b))).toBe('E_FORBIDDEN');
    expect(await codeOf(approvalOf(store, cityA, project.id, b, indicators[0], 1))).toBe('E_FORBIDDEN');
    // B's own template uploaded by A, to B's unit or to A's
    const bTemplate = await filledTemplate(store, cityB, round.id, b, new Map([[indicators[0], 9]]));
    expect(await codeOf(uploadTemplate(store, cityA, round.id, b, { fileName: 'b.xlsx', bytes: bTemplate }))).toBe(
      'E_FORBIDDEN',
    );
    expect(await codeOf(uploadTemplate(store, cityA, round.id, a, { fileName: 'b.xlsx', bytes: bTemplate }))).toBe(
      'E_TEMPLATE_UNIT',
    );
    // B attaches a bulletin; A cannot read it (not found), staff can
    await uploadTemplate(store, cityB, round.id, b, { fileName: 'b.xlsx', bytes: bTemplate });
    const pdf = strToU8('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    const att = await attachFile(store, cityB, round.id, b, indicators[0], 1, { fileName: 'bulletin.pdf', bytes: pdf });
    expect(att.contentType).toBe('application/pdf');
    expect(att.value).toMatchObject({ attachmentId: att.attachmentId, version: 2 });
    expect(await codeOf(attachment(store, cityA, att.attachmentId))).toBe('E_NOT_FOUND');
    expect(await codeOf(attachment(store, ANONYMOUS, att.attachmentId))).toBe('E_UNAUTHENTICATED');
    expect(Buffer.from((await attachment(store, reviewer, att.attachmentId)).bytes).toString()).toContain('%PDF-1.4');
    // the reviewer and the author may read; they may not enter values
    expect((await roundValues(store, reviewer, round.id, b)).length).toBe(1);
    expect(
      await codeOf(saveValues(store, reviewer, round.id, b, [{ indicator: indicators[1], value: 1, version: 0 }])),
    ).toBe('E_FORBIDDEN');
    expect(await codeOf(roundValues(store, ANONYMOUS, round.id, b))).toBe('E_UNAUTHENTICATED');
  });

  it.skipIf(skip)('attachments: PDF or image by content, bounded, at the current version', async () => {
    const b = units[1];
    const cur = (await roundValues(store, cityB, round.id, b)).find((v) => v.indicator === indicators[0])!;
    const html = strToU8('<html><script>alert(1)</script></html>');
    const before = await counts();
    expect(
      await codeOf(
        attachFile(store, cityB, round.id, b, indicators[0], cur.version, { fileName: 'x.pdf', bytes: html }),
      ),
    ).toBe('E_ATTACHMENT_TYPE');
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    big.set(strToU8('%PDF-'));
    expect(
      await codeOf(
        attachFile(store, cityB, round.id, b, indicators[0], cur.version, { fileName: 'x.pdf', bytes: big }),
      ),
    ).toBe('E_ATTACHMENT_SIZE');
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    expect(
      await codeOf(
        attachFile(store, cityB, round.id, b, indicators[0], cur.version - 1, { fileName: 'p.png', bytes: png }),
      ),
    ).toBe('E_CONFLICT');
    expect(await counts()).toEqual(before);
    const ok = await attachFile(store, cityB, round.id, b, indicators[0], cur.version, {
      fileName: 'p.png',
      bytes: png,
    });
    expect(ok.contentType).toBe('image/png');
  });
});
