/**
 * Expert AHP panels on SQLite and PostgreSQL, with the SIMULATED expert panel of examples/cdgi-2020
 * (seven experts; E7 answers almost at random): experts added by name and through a one-time invitation
 * save and submit their judgements; the stored CR of every expert and group and the panel's AIJ/AIP
 * weights equal the engine's on the same answers (the path of `cityindex survey ahp`); an expert sees only
 * their own judgements, an outside expert, a city officer, a reviewer and the anonymous visitor cannot
 * reach the panel; hostile answers are refused with nothing stored; the panel's weights make a draft
 * edition whose framework weights are the AIJ weights.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expertPanel } from '../../src/app/survey.ts';
import { CityIndexError } from '../../src/engine/core/errors.ts';
import type { Framework } from '../../src/engine/core/framework.ts';
import { ahpConsistency, expertMatrices } from '../../src/engine/survey/ahp-group.ts';
import { parseExpertAnswers } from '../../src/formats/survey-read.ts';
import {
  addPanelExpert,
  closePanel,
  getPanel,
  invitePanelExpert,
  listJudgements,
  listPanels,
  openPanel,
  panelResults,
  panelVariant,
  saveJudgements,
  type PanelInfo,
} from '../../src/store/expert-panel.ts';
import { acceptInvitation } from '../../src/store/invitations.ts';
import { ANONYMOUS, systemPrincipal, type Principal } from '../../src/store/principal.ts';
import { importProjectFolder, loadStoredProject } from '../../src/store/project-io.ts';
import type { ProjectInfo, Store } from '../../src/store/store.ts';
import { DIALECTS, type TestStore } from './stores.ts';

const CLI = systemPrincipal('test');
const PASSWORD = 'a long enough password';
const FILE = 'examples/cdgi-2020/surveys/experts-simulated.json';
const EXPERTS = parseExpertAnswers(readFileSync(FILE, 'utf8'), FILE);
/** The account of a simulated expert (user names have at least three characters). */
const U = (expert: string) => `expert.${expert}`;
const WHY = 'I weigh digital infrastructure above everything, whatever the other pairs imply.';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CityIndexError) return e.issues[0].code;
    throw e;
  }
  return 'resolved';
}

/** The answers of one expert to the pairs under `parent`. */
function answersUnder(answers: Record<string, unknown>, parent: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(answers).filter(([k]) => k.startsWith(`ahp__${parent}__`)));
}

describe.each(DIALECTS)('expert panels on $name', ({ open, skip }) => {
  let t: TestStore;
  let store: Store;
  let project: ProjectInfo;
  let framework: Framework;
  let panel: PanelInfo;
  const who = new Map<string, Principal>();

  beforeAll(async () => {
    if (skip) return;
    t = await open();
    store = t.store;
    project = await importProjectFolder(store, CLI, 'examples/cdgi-2020');
    framework = (await loadStoredProject(store, CLI, project)).project.input.framework;
    const unit = (await store.units(project.id))[0].code;
    const users: Array<[string, string, string[]?]> = [
      ['author1', 'author'],
      ['reviewer1', 'reviewer'],
      ['cityA', 'city', [unit]],
      ['outsider', 'expert'],
      ...EXPERTS.slice(0, 6).map((e) => [U(e.expert), 'expert'] as [string, string]),
    ];
    for (const [username, role, cities] of users) {
      const u = await store.createUser(CLI, { username, password: PASSWORD, role, projectId: project.id, cities });
      who.set(username, { kind: 'user', userId: u.id, username, role: u.role });
    }
  }, 180_000);
  afterAll(async () => {
    if (!skip) await t.dispose();
  });

  it.skipIf(skip)('an author opens a panel on parent nodes; the groups are the engine comparison groups', async () => {
    const author = who.get('author1')!;
    expect(await codeOf(openPanel(store, who.get('reviewer1')!, project, { title: 'x' }))).toBe('E_FORBIDDEN');
    expect(await codeOf(openPanel(store, who.get(U('E1'))!, project, { title: 'x' }))).toBe('E_FORBIDDEN');
    expect(await codeOf(openPanel(store, ANONYMOUS, project, { title: 'x' }))).toBe('E_UNAUTHENTICATED');
    expect(await codeOf(openPanel(store, author, project, { title: 'x', parents: ['INF_BB_PILOT'] }))).toBe(
      'E_PANEL_PARENT',
    );
    expect(await codeOf(openPanel(store, author, project, { title: ' ', parents: ['CDGI'] }))).toBe('E_PANEL_TITLE');
    panel = await openPanel(store, author, project, { title: 'CDGI weights (simulated experts)' });
    expect(panel.groups.map((g) => g.parent)).toEqual(['CDGI', 'INFRA', 'ADMIN', 'PUBLIC', 'LIFE']);
    expect(panel.groups[0].codes).toEqual(['INFRA', 'ADMIN', 'PUBLIC', 'LIFE']);
    expect(panel.groups[0].parentName.zh).toBe('中国城市数字治理指数');
    for (const e of EXPERTS.slice(0, 6)) await addPanelExpert(store, author, panel.id, U(e.expert));
    expect(await addPanelExpert(store, author, panel.id, U('E1'))).toEqual({ username: U('E1'), added: false });
    expect(await codeOf(addPanelExpert(store, author, panel.id, 'reviewer1'))).toBe('E_NOT_EXPERT');
    // E7 comes through a one-time invitation with the expert role
    expect(await codeOf(invitePanelExpert(store, who.get('cityA')!, panel.id))).toBe('E_FORBIDDEN');
    const { invitation, token } = await invitePanelExpert(store, author, panel.id);
    expect(invitation).toMatchObject({ role: 'expert', projectId: project.id, status: 'open' });
    const e7 = await acceptInvitation(store, token, { username: U('E7'), password: PASSWORD });
    who.set(U('E7'), { kind: 'user', userId: e7.id, username: U('E7'), role: 'expert' });
    expect((await listPanels(store, who.get(U('E7'))!, project.id)).map((p) => p.id)).toEqual([panel.id]);
    expect(await listPanels(store, who.get('outsider')!, project.id)).toEqual([]);
  });

  it.skipIf(skip)('experts save as they go and submit; the stored CR is the engine CR of their answers', async () => {
    for (const e of EXPERTS) {
      const actor = who.get(U(e.expert))!;
      for (const g of panel.groups) {
        const answers = answersUnder(e.answers, g.parent);
        // a first, partial save: no CR yet
        const first = Object.keys(answers)[0];
        const part = await saveJudgements(store, actor, panel.id, {
          parent: g.parent,
          answers: { [first]: answers[first] },
        });
        expect(part).toMatchObject({ complete: g.codes.length === 2, status: 'draft' });
        const draft = await saveJudgements(store, actor, panel.id, { parent: g.parent, answers });
        const engine = ahpConsistency(
          expertMatrices(framework, e.expert, e.answers).matrices.find((m) => m.parent === g.parent)!.matrix,
        );
        expect(draft.cr).toBe(engine.cr);
        if (engine.cr > 0.1) {
          expect(
            await codeOf(saveJudgements(store, actor, panel.id, { parent: g.parent, answers, submit: true })),
          ).toBe('E_AHP_JUSTIFY');
          const short = { parent: g.parent, answers, submit: true, justification: 'because' };
          expect(await codeOf(saveJudgements(store, actor, panel.id, short))).toBe('E_AHP_JUSTIFY');
        }
        const done = await saveJudgements(store, actor, panel.id, {
          parent: g.parent,
          answers,
          submit: true,
          justification: WHY,
        });
        expect(done).toMatchObject({ status: 'submitted', justification: engine.cr > 0.1 ? WHY : null });
      }
    }
    // E7 answers almost at random: its CR under CDGI is above 0.10 (as the example's README says)
    const e7 = (await listJudgements(store, who.get(U('E7'))!, panel.id)).find((j) => j.parent === 'CDGI')!;
    expect(e7.cr).toBeGreaterThan(0.1);
    expect(e7.justification).toBe(WHY);
    // submitted is final
    const again = { parent: 'CDGI', answers: answersUnder(EXPERTS[0].answers, 'CDGI') };
    expect(await codeOf(saveJudgements(store, who.get(U('E1'))!, panel.id, again))).toBe('E_CONFLICT');
  });

  it.skipIf(skip)('the aggregate (AIJ, AIP) and every CR equal the engine on the simulated panel', async () => {
    const results = await panelResults(store, who.get('author1')!, panel.id);
    const aij = expertPanel(framework, EXPERTS, { method: 'aij' });
    const aip = expertPanel(framework, EXPERTS, { method: 'aip' });
    expect(results.experts.map((e) => [e.username, e.via, e.submitted.length])).toEqual([
      ...EXPERTS.slice(0, 6).map((e) => [U(e.expert), 'added', 5]),
      [U('E7'), 'invitation', 5],
    ]);
    expect(results.invitations).toEqual({ open: 0, used: 1, expired: 0 });
    for (const [k, g] of results.groups.entries()) {
      expect(g.group.parent).toBe(aij.groups[k].parent);
      expect(g.submitted).toBe(7);
      expect(g.aij!.weights).toEqual(aij.groups[k].weights);
      expect(g.aij!.cr).toBe(aij.groups[k].groupConsistency!.cr);
      expect(g.aip!.weights).toEqual(aip.groups[k].weights);
      expect(g.experts.map((e) => [e.expert, e.cr])).toEqual(aij.groups[k].experts.map((e) => [U(e.expert), e.cr]));
      for (const s of g.spread) {
        const ws = g.experts.map((e) => e.weights[s.code]);
        expect(s.min).toBe(Math.min(...ws));
        expect(s.max).toBe(Math.max(...ws));
        expect(s.q1).toBeLessThanOrEqual(s.median);
        expect(s.median).toBeLessThanOrEqual(s.q3);
      }
    }
    // the numbers of the example (simulated): AIJ weights of the four dimensions
    const top = results.groups[0];
    const sum = Object.values(top.aij!.weights).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 12);
    expect(top.aij!.weights.INFRA).toBeGreaterThan(top.aij!.weights.PUBLIC);
    const e7 = top.experts.find((e) => e.expert === U('E7'))!;
    expect(e7.consistent).toBe(false);
    expect(e7.worst).not.toBeNull();
    console.info(
      'simulated panel, CDGI: AIJ',
      top.aij!.weights,
      'CR',
      top.aij!.cr,
      'AIP',
      top.aip!.weights,
      'expert CRs',
      top.experts.map((e) => `${e.expert} ${e.cr.toFixed(4)}`).join(', '),
    );
  });

  it.skipIf(skip)('an expert sees only their own judgements; others cannot reach the panel', async () => {
    const mine = await listJudgements(store, who.get(U('E1'))!, panel.id);
    expect(mine).toHaveLength(5);
    expect(new Set(mine.map((j) => j.expert))).toEqual(new Set([U('E1')]));
    const all = await listJudgements(store, who.get('author1')!, panel.id);
    expect(all).toHaveLength(35);
    expect(await codeOf(listJudgements(store, who.get('outsider')!, panel.id))).toBe('E_NOT_FOUND');
    expect(await codeOf(getPanel(store, who.get('outsider')!, panel.id))).toBe('E_NOT_FOUND');
    for (const [name, code] of [
      ['cityA', 'E_FORBIDDEN'],
      ['reviewer1', 'E_FORBIDDEN'],
    ] as const) {
      expect(await codeOf(getPanel(store, who.get(name)!, panel.id))).toBe(code);
      expect(await codeOf(listJudgements(store, who.get(name)!, panel.id))).toBe(code);
      expect(await codeOf(panelResults(store, who.get(name)!, panel.id))).toBe(code);
      const save = { parent: 'CDGI', answers: {} };
      expect(await codeOf(saveJudgements(store, who.get(name)!, panel.id, save))).toBe(code);
      expect(await codeOf(listPanels(store, who.get(name)!, project.id))).toBe(code);
    }
    expect(await codeOf(getPanel(store, ANONYMOUS, panel.id))).toBe('E_UNAUTHENTICATED');
    expect(await codeOf(panelResults(store, who.get(U('E1'))!, panel.id))).toBe('E_FORBIDDEN');
    expect(await codeOf(saveJudgements(store, who.get('outsider')!, panel.id, { parent: 'CDGI', answers: {} }))).toBe(
      'E_NOT_FOUND',
    );
    // an author does not answer as an expert
    expect(await codeOf(saveJudgements(store, who.get('author1')!, panel.id, { parent: 'CDGI', answers: {} }))).toBe(
      'E_FORBIDDEN',
    );
  });

  it.skipIf(skip)('hostile answers are refused with a located error and nothing stored', async () => {
    const author = who.get('author1')!;
    const second = await openPanel(store, author, project, { title: 'hostile', parents: ['ADMIN', 'CDGI'] });
    await addPanelExpert(store, author, second.id, U('E1'));
    const e1 = who.get(U('E1'))!;
    const ok = 'ahp__CDGI__INFRA__ADMIN';
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ [ok]: 10 }, 'E_AHP_VALUE'],
      [{ [ok]: -1 }, 'E_AHP_VALUE'],
      [{ [ok]: 0 }, 'E_AHP_VALUE'],
      [{ [ok]: '3' }, 'E_AHP_VALUE'],
      [{ [ok]: 2.5 }, 'E_AHP_VALUE'],
      [{ [ok]: Number.NaN }, 'E_AHP_VALUE'],
      [{ ahp__CDGI__INFRA__INF_BB_PILOT: 3 }, 'E_AHP_PAIR'],
      [{ __proto__: 3, constructor: 2 } as Record<string, unknown>, 'E_AHP_PAIR'],
      [Object.fromEntries(Array.from({ length: 7 }, (_, k) => [`k${k}`, 3])), 'E_AHP_ANSWERS'],
    ];
    for (const [answers, code] of cases)
      expect(await codeOf(saveJudgements(store, e1, second.id, { parent: 'CDGI', answers }))).toBe(code);
    expect(await codeOf(saveJudgements(store, e1, second.id, { parent: 'LIFE', answers: {} }))).toBe('E_PANEL_PARENT');
    const incomplete = { parent: 'CDGI', answers: { [ok]: 3 }, submit: true };
    expect(await codeOf(saveJudgements(store, e1, second.id, incomplete))).toBe('E_AHP_INCOMPLETE');
    const long = { parent: 'ADMIN', answers: {}, justification: 'x'.repeat(2001) };
    expect(await codeOf(saveJudgements(store, e1, second.id, long))).toBe('E_JUSTIFICATION');
    const stored = await store.db
      .selectFrom('ahp_judgements')
      .select('answers')
      .where('panel_id', '=', second.id)
      .execute();
    // a refused save or submit stores nothing
    expect(stored).toEqual([]);
    expect(await codeOf(panelVariant(store, author, project, second.id))).toBe('E_PANEL_INCOMPLETE');
  });

  it.skipIf(skip)(
    "one click: a draft edition built with the panel's AIJ weights",
    async () => {
      const author = who.get('author1')!;
      expect(await codeOf(panelVariant(store, who.get(U('E1'))!, project, panel.id))).toBe('E_FORBIDDEN');
      const edition = await panelVariant(store, author, project, panel.id, 'aij');
      expect(edition.status).toBe('draft');
      expect(edition.name).toBe('CDGI weights (simulated experts) — AHP AIJ');
      const results = edition.results as {
        framework: Array<{ code: string; weight: number }>;
        panel: { method: string };
        rows: unknown[][];
      };
      expect(results.panel.method).toBe('aij');
      const aij = expertPanel(framework, EXPERTS, { method: 'aij' });
      const weightOf = new Map(results.framework.map((n) => [n.code, n.weight]));
      for (const g of aij.groups) for (const [code, w] of Object.entries(g.weights)) expect(weightOf.get(code)).toBe(w);
      // the scores change against the framework's equal weights
      const { buildStoredProject } = await import('../../src/store/edition.ts');
      const plain = await buildStoredProject(store, author, project);
      expect(edition.fingerprint).not.toBe(plain.fingerprint);
      expect(results.rows.length).toBe(plain.table.rows.length);
    },
    120_000,
  );
  it.skipIf(skip)('an author closes a panel: experts are refused with 409 E_PANEL_CLOSED, audited, shown', async () => {
    const author = who.get('author1')!;
    const e1 = who.get(U('E1'))!;
    const third = await openPanel(store, author, project, { title: 'to close', parents: ['CDGI'] });
    await addPanelExpert(store, author, third.id, U('E1'));
    const pair = 'ahp__CDGI__INFRA__ADMIN';
    await saveJudgements(store, e1, third.id, { parent: 'CDGI', answers: { [pair]: 3 } });
    expect(await codeOf(closePanel(store, e1, third.id))).toBe('E_FORBIDDEN');
    expect(await codeOf(closePanel(store, who.get('reviewer1')!, third.id))).toBe('E_FORBIDDEN');
    const seqBefore = (await store.db.selectFrom('audit_log').select('seq').orderBy('seq', 'desc').executeTakeFirst())!;
    const closed = await closePanel(store, author, third.id);
    expect(closed).toMatchObject({ status: 'closed', closedBy: 'author1' });
    expect(closed.closedAt).toMatch(/^\d{4}-/);
    const audit = await store.db.selectFrom('audit_log').selectAll().where('seq', '>', Number(seqBefore.seq)).execute();
    expect(audit.map((a) => [a.action, a.actor, a.entity_id])).toEqual([['panel.close', 'author1', String(third.id)]]);
    expect(JSON.parse(audit[0].after!)).toMatchObject({ status: 'closed', submitted: 0, drafts: 1 });
    // saves and submissions after closing: refused, nothing changed
    const err = await saveJudgements(store, e1, third.id, { parent: 'CDGI', answers: { [pair]: 5 } }).catch((e) => e);
    expect(err).toBeInstanceOf(CityIndexError);
    expect(err.issues[0]).toMatchObject({ code: 'E_PANEL_CLOSED', field: 'panel' });
    expect(err.issues[0].message).toMatch(/closed.*\/ .*已关闭/);
    const submit = { parent: 'CDGI', answers: { [pair]: 3 }, submit: true };
    expect(await codeOf(saveJudgements(store, e1, third.id, submit))).toBe('E_PANEL_CLOSED');
    const stored = await store.db
      .selectFrom('ahp_judgements')
      .select(['answers', 'status'])
      .where('panel_id', '=', third.id)
      .execute();
    expect(stored).toEqual([{ answers: JSON.stringify({ [pair]: 3 }), status: 'draft' }]);
    expect(await codeOf(invitePanelExpert(store, author, third.id, {}))).toBe('E_PANEL_CLOSED');
    expect(await codeOf(closePanel(store, author, third.id))).toBe('E_PANEL_CLOSED');
    // the author's view says so; the expert still reads the panel
    expect((await panelResults(store, author, third.id)).panel).toMatchObject({
      status: 'closed',
      closedBy: 'author1',
    });
    expect((await getPanel(store, e1, third.id)).status).toBe('closed');
  });
});
