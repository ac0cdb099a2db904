/**
 * The expert AHP panel pages. /survey/panel/<id>: an expert compares the elements of each group two at a
 * time on Saaty's 1–9 scale with a slider (keyboard: arrow keys, Home, End); the consistency ratio is
 * computed live by the engine in the page (the same function the server checks with), the most
 * inconsistent judgement is highlighted with the engine's suggested value; answers are saved as they go
 * and a group is submitted when CR ≤ 0.10 or with a written justification.
 * /survey/panel/<id>/results: the author's view — AIJ and AIP weights with their spread across experts,
 * each expert's CR and justification, invitations, and one click to build a draft edition.
 */
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { ahpConsistency, mostInconsistentJudgements } from '../../src/engine/survey/ahp-group.ts';
import { answerOfEntry, panelMatrix, panelPairs, type PanelGroup } from '../../src/engine/survey/ahp-panel.ts';
import { api, ApiError, setCsrf } from './api.ts';
import { at, strength } from './ahp-text.ts';
import { SignIn } from './monitor.tsx';
import './ahp.css';
import { local, t, type Lang } from './text.ts';

/** CR at or below which a group is submitted without a justification (as the server: PANEL_MAX_CR). */
const MAX_CR = 0.1;
const MIN_JUSTIFICATION = 20;

interface Panel {
  id: number;
  title: string;
  status: 'open' | 'closed';
  groups: PanelGroup[];
  closedAt?: string | null;
  closedBy?: string | null;
}

interface Judgement {
  parent: string;
  answers: Record<string, number>;
  status: 'draft' | 'submitted';
  justification: string | null;
}

/**
 * The signed-in user, and the session's CSRF token remembered for writes (after a reload the cookie is
 * still there but the page has forgotten the token). 401 when nobody is signed in.
 */
async function session(): Promise<{ username: string }> {
  const me = await api<{ user: { username: string }; csrf?: string }>('/api/me');
  setCsrf(me.csrf);
  return me.user;
}

/** Slider position −8…8 (left: the first element more important) ↔ stored Saaty answer 9…2, 1, −2…−9. */
const answerOfSlider = (v: number) => (v < 0 ? 1 - v : v > 0 ? -(1 + v) : 1);
const sliderOfAnswer = (a: number) => (a >= 2 ? 1 - a : a <= -2 ? -a - 1 : 0);

/** A judgement in words: "A is 3× as important as B (moderately more important)". */
function judgementText(answer: number, a: string, b: string, lang: Lang): string {
  if (answer === 1) return at('equal', lang, { a, b });
  const [x, y, k] = answer > 0 ? [a, b, answer] : [b, a, -answer];
  return at('more', lang, { a: x, b: y, k, v: strength(k, lang) });
}

function Header(props: { title: string; lang: Lang; setLang: (l: Lang) => void }) {
  return (
    <header className="bar">
      <h1>{props.title}</h1>
      <button type="button" className="lang" onClick={() => props.setLang(props.lang === 'zh' ? 'en' : 'zh')}>
        {t('language', props.lang)}
      </button>
    </header>
  );
}

function GroupForm(props: { panelId: number; group: PanelGroup; saved?: Judgement; lang: Lang }) {
  const { group, lang } = props;
  const [answers, setAnswers] = useState<Record<string, number>>(props.saved?.answers ?? {});
  const [justification, setJustification] = useState(props.saved?.justification ?? '');
  const [submitted, setSubmitted] = useState(props.saved?.status === 'submitted');
  const [saveState, setSaveState] = useState<'idle' | 'saving' | 'saved' | 'failed'>('idle');
  const [error, setError] = useState('');
  const timer = useRef<number | undefined>(undefined);
  const pairs = useMemo(() => panelPairs(group), [group]);
  const name = (i: number) => local(group.names[i], lang, group.codes[i]);
  const parentName = local(group.parentName, lang, group.parent);

  // the engine, in the page: the matrix, its CR and the most inconsistent judgement
  const live = useMemo(() => {
    const matrix = panelMatrix(group, answers);
    if (!matrix) return null;
    const c = ahpConsistency(matrix);
    const worst = c.cr > MAX_CR ? mostInconsistentJudgements(matrix, group.codes, 1, c.weights)[0] : undefined;
    return { cr: c.cr, worst };
  }, [group, answers]);
  const worstPair = live?.worst
    ? pairs.find((p) => group.codes[p.i] === live.worst!.row && group.codes[p.j] === live.worst!.column)
    : undefined;

  const save = async (next: Record<string, number>, submit = false) => {
    setSaveState('saving');
    setError('');
    try {
      const body: Record<string, unknown> = { parent: group.parent, answers: next };
      if (submit) {
        body.submit = true;
        if (justification.trim()) body.justification = justification.trim();
      }
      await api(`/api/panels/${props.panelId}/judgements`, { method: 'POST', body });
      setSaveState('saved');
      if (submit) setSubmitted(true);
    } catch (e) {
      setSaveState('failed');
      if (e instanceof ApiError && e.code === 'E_CONFLICT') setSubmitted(true);
      else setError(e instanceof Error ? e.message : String(e));
    }
  };
  const answer = (pair: string, value: number) => {
    if (submitted) return;
    const next = { ...answers, [pair]: value };
    setAnswers(next);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void save(next), 400);
  };
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const complete = live !== null;
  const canSubmit =
    complete && !submitted && (live.cr <= MAX_CR + 1e-12 || justification.trim().length >= MIN_JUSTIFICATION);
  const crText = live ? live.cr.toFixed(3) : '';
  const headingId = `group-${group.parent}`;

  return (
    <section className="ahp-group" aria-labelledby={headingId}>
      <h2 id={headingId}>{at('within', lang, { p: parentName })}</h2>
      {pairs.map((p) => {
        const a = name(p.i);
        const b = name(p.j);
        const given = answers[p.name];
        const answered = given !== undefined;
        const isWorst = worstPair?.name === p.name;
        const text = answered ? judgementText(given, a, b, lang) : at('notAnswered', lang);
        const inputId = `pair-${p.name}`;
        return (
          <div key={p.name} className={isWorst ? 'pair worst' : 'pair'} data-pair={p.name}>
            <div className="ends" aria-hidden="true">
              <span>{a}</span>
              <span>{b}</span>
            </div>
            <label className="sr-only" htmlFor={inputId}>
              {`${a} — ${b}`}
            </label>
            <input
              id={inputId}
              type="range"
              min={-8}
              max={8}
              step={1}
              value={answered ? sliderOfAnswer(given) : 0}
              aria-valuetext={text}
              disabled={submitted}
              className={answered ? '' : 'unanswered'}
              onChange={(e) => answer(p.name, answerOfSlider(Number(e.currentTarget.value)))}
              onClick={(e) => {
                if (!answered) answer(p.name, answerOfSlider(Number(e.currentTarget.value)));
              }}
              onKeyDown={(e) => {
                // Enter or space on an untouched slider confirms "equal" without moving it
                if (!answered && (e.key === 'Enter' || e.key === ' ')) answer(p.name, 1);
              }}
            />
            <p className="readout">{text}</p>
            {isWorst && live?.worst && (
              <div className="suggest" role="note">
                <p>
                  {at('worst', lang, {
                    implied: judgementText(answerOfEntry(live.worst.implied), a, b, lang),
                    suggested: judgementText(answerOfEntry(live.worst.suggested), a, b, lang),
                  })}
                </p>
                {!submitted && (
                  <button type="button" onClick={() => answer(p.name, answerOfEntry(live.worst!.suggested))}>
                    {at('useSuggested', lang)}
                  </button>
                )}
              </div>
            )}
          </div>
        );
      })}
      <p className={live && live.cr > MAX_CR ? 'cr high' : 'cr'} role="status" aria-live="polite">
        {group.codes.length <= 2 && complete
          ? at('crOk', lang, { cr: '0.000' })
          : !live
            ? at('crPending', lang, { n: pairs.length })
            : live.cr > MAX_CR
              ? at('crHigh', lang, { cr: crText })
              : at('crOk', lang, { cr: crText })}
      </p>
      {complete && live.cr > MAX_CR && !submitted && (
        <label className="justify">
          {at('justification', lang)}
          <textarea
            value={justification}
            maxLength={2000}
            rows={3}
            onChange={(e) => setJustification(e.currentTarget.value)}
          />
        </label>
      )}
      {submitted ? (
        <p className="done" role="status">
          {at('submitted', lang)}
        </p>
      ) : (
        <p className="actions">
          <button type="button" className="primary" disabled={!canSubmit} onClick={() => void save(answers, true)}>
            {at('submit', lang)}
          </button>{' '}
          <span className="small" aria-live="polite">
            {saveState === 'saving'
              ? at('saving', lang)
              : saveState === 'saved'
                ? at('saved', lang)
                : saveState === 'failed' && !error
                  ? at('saveFailed', lang)
                  : ''}
          </span>
        </p>
      )}
      {error && <p role="alert">{error}</p>}
    </section>
  );
}

/** The expert's page. */
export function ExpertPanel(props: { panelId: number; lang: Lang; setLang: (l: Lang) => void }) {
  const { panelId, lang } = props;
  const [panel, setPanel] = useState<Panel>();
  const [saved, setSaved] = useState<Map<string, Judgement>>(new Map());
  const [state, setState] = useState<'loading' | 'login' | 'missing' | 'ready'>('loading');
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let stop = false;
    (async () => {
      try {
        const me = await session();
        const p = await api<{ panel: Panel }>(`/api/panels/${panelId}`);
        const j = await api<{ judgements: Array<Judgement & { expert: string }> }>(`/api/panels/${panelId}/judgements`);
        if (stop) return;
        setPanel(p.panel);
        setSaved(new Map(j.judgements.filter((x) => x.expert === me.username).map((x) => [x.parent, x])));
        setState('ready');
      } catch (e) {
        if (stop) return;
        setState(e instanceof ApiError && (e.status === 401 || e.status === 403) ? 'login' : 'missing');
      }
    })();
    return () => {
      stop = true;
    };
  }, [panelId, tick]);

  return (
    <main className="page">
      <Header title={panel ? `${at('panelTitle', lang)} · ${panel.title}` : at('panelTitle', lang)} {...props} />
      {state === 'loading' && <p>{t('loading', lang)}</p>}
      {state === 'login' && <SignIn lang={lang} done={() => setTick((x) => x + 1)} />}
      {state === 'missing' && <p className="notice">{at('noPanel', lang)}</p>}
      {state === 'ready' && panel && (
        <>
          {panel.status === 'closed' ? (
            <p className="notice" role="status">
              {at('closedForExpert', lang)}
            </p>
          ) : (
            <p className="small">{at('intro', lang)}</p>
          )}
          {panel.groups.map((g) => (
            <GroupForm key={g.parent} panelId={panelId} group={g} saved={saved.get(g.parent)} lang={lang} />
          ))}
        </>
      )}
    </main>
  );
}

/** The list of panels: an expert's own (to answer); for authors every panel and a form to open one. */
export function PanelList(props: { lang: Lang; setLang: (l: Lang) => void }) {
  const { lang } = props;
  const [panels, setPanels] = useState<Panel[]>();
  const [candidates, setCandidates] = useState<PanelGroup[]>();
  const [state, setState] = useState<'loading' | 'login' | 'ready'>('loading');
  const [tick, setTick] = useState(0);
  const [error, setError] = useState('');

  useEffect(() => {
    let stop = false;
    (async () => {
      try {
        await session();
        const r = await api<{ panels: Panel[] }>('/api/panels');
        // only authors and admins may open panels: for anyone else the candidates are refused
        const c = await api<{ groups: PanelGroup[] }>('/api/panels/candidates').catch(() => undefined);
        if (stop) return;
        setPanels(r.panels);
        setCandidates(c?.groups);
        setState('ready');
      } catch (e) {
        if (!stop) setState(e instanceof ApiError && (e.status === 401 || e.status === 403) ? 'login' : 'ready');
        if (!stop && !(e instanceof ApiError && (e.status === 401 || e.status === 403)))
          setError(e instanceof Error ? e.message : String(e));
      }
    })();
    return () => {
      stop = true;
    };
  }, [tick]);

  const create = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setError('');
    try {
      const r = await api<{ panel: Panel }>('/api/panels', {
        method: 'POST',
        body: { title: String(f.get('title') ?? '').trim(), parents: f.getAll('parents').map(String) },
      });
      location.assign(`/survey/panel/${r.panel.id}/results?lang=${lang}`);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <main className="page">
      <Header title={at('listTitle', lang)} {...props} />
      {state === 'loading' && <p>{t('loading', lang)}</p>}
      {state === 'login' && <SignIn lang={lang} done={() => setTick((x) => x + 1)} />}
      {state === 'ready' && panels && (
        <>
          {panels.length === 0 && <p>{at('noPanels', lang)}</p>}
          <ul>
            {panels.map((p) => (
              <li key={p.id}>
                {p.title}: <a href={`/survey/panel/${p.id}?lang=${lang}`}>{at('answer', lang)}</a>
                {candidates && (
                  <>
                    {' · '}
                    <a href={`/survey/panel/${p.id}/results?lang=${lang}`}>{at('results', lang)}</a>
                  </>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {state === 'ready' && candidates && (
        <form className="new-panel" onSubmit={(e) => void create(e)}>
          <h2>{at('newPanel', lang)}</h2>
          <label>
            {at('panelName', lang)}
            <input name="title" required maxLength={200} />
          </label>
          <fieldset>
            <legend>{at('compare', lang)}</legend>
            {candidates.map((g) => (
              <label key={g.parent} className="check">
                <input type="checkbox" name="parents" value={g.parent} defaultChecked />
                {local(g.parentName, lang, g.parent)} ({at('children', lang, { n: g.codes.length })})
              </label>
            ))}
          </fieldset>
          <button type="submit" className="primary">
            {at('create', lang)}
          </button>
        </form>
      )}
      {error && <p role="alert">{error}</p>}
    </main>
  );
}

interface Spread {
  code: string;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
}

interface Results {
  panel: Panel;
  experts: Array<{ username: string; via: string; submitted: string[]; drafts: string[] }>;
  invitations: { open: number; used: number; expired: number };
  groups: Array<{
    group: PanelGroup;
    submitted: number;
    aij: { weights: Record<string, number>; cr: number } | null;
    aip: { weights: Record<string, number> } | null;
    spread: Spread[];
    experts: Array<{ expert: string; cr: number; consistent: boolean; justification: string | null }>;
  }>;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The author's view. */
export function PanelResults(props: { panelId: number; lang: Lang; setLang: (l: Lang) => void }) {
  const { panelId, lang } = props;
  const [data, setData] = useState<Results>();
  const [state, setState] = useState<'loading' | 'login' | 'missing' | 'ready'>('loading');
  const [tick, setTick] = useState(0);
  const [invite, setInvite] = useState<{ link: string; page: string }>();
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');

  useEffect(() => {
    let stop = false;
    session()
      .then(() => api<{ results: Results }>(`/api/panels/${panelId}/results`))
      .then((r) => {
        if (stop) return;
        setData(r.results);
        setState('ready');
      })
      .catch((e) => {
        if (!stop) setState(e instanceof ApiError && (e.status === 401 || e.status === 403) ? 'login' : 'missing');
      });
    return () => {
      stop = true;
    };
  }, [panelId, tick]);

  const run = async (f: () => Promise<void>) => {
    setError('');
    try {
      await f();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const doInvite = () =>
    run(async () => {
      const r = await api<{ link: string; panelPage: string }>(`/api/panels/${panelId}/invitations`, {
        method: 'POST',
        body: {},
      });
      setInvite({ link: location.origin + r.link, page: location.origin + r.panelPage });
      setTick((x) => x + 1);
    });
  const addExpert = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const username = String(new FormData(e.currentTarget).get('username') ?? '').trim();
    void run(async () => {
      await api(`/api/panels/${panelId}/experts`, { method: 'POST', body: { username } });
      setMessage(`${at('added', lang)}: ${username}`);
      setTick((x) => x + 1);
    });
  };
  const close = () =>
    run(async () => {
      if (!window.confirm(at('closeConfirm', lang))) return;
      await api(`/api/panels/${panelId}/close`, { method: 'POST', body: {} });
      setTick((x) => x + 1);
    });
  const variant = (method: 'aij' | 'aip') =>
    run(async () => {
      const r = await api<{ edition: { id: number; name: string } }>(`/api/panels/${panelId}/variant`, {
        method: 'POST',
        body: { method },
      });
      setMessage(at('variantDone', lang, { id: r.edition.id, name: r.edition.name }));
    });

  const nameIn = (g: PanelGroup, code: string) => local(g.names[g.codes.indexOf(code)], lang, code);
  return (
    <main className="page wide">
      <Header
        title={data ? `${at('resultsTitle', lang)} · ${data.panel.title}` : at('resultsTitle', lang)}
        {...props}
      />
      {state === 'loading' && <p>{t('loading', lang)}</p>}
      {state === 'login' && <SignIn lang={lang} done={() => setTick((x) => x + 1)} />}
      {state === 'missing' && <p className="notice">{at('noPanel', lang)}</p>}
      {data && (
        <>
          <p role="status" data-testid="panel-state">
            {data.panel.status === 'closed'
              ? at('panelClosed', lang, {
                  at: (data.panel.closedAt ?? '').slice(0, 16).replace('T', ' '),
                  by: data.panel.closedBy ?? '',
                })
              : at('panelOpen', lang)}
          </p>
          <p className="small">{at('aijNote', lang)}</p>
          {data.groups.map((g) => (
            <section key={g.group.parent} aria-labelledby={`r-${g.group.parent}`}>
              <h2 id={`r-${g.group.parent}`}>{at('within', lang, { p: local(g.group.parentName, lang) })}</h2>
              {!g.aij || !g.aip ? (
                <p>{at('noneYet', lang)}</p>
              ) : (
                <>
                  <p>{at('groupSummary', lang, { n: g.submitted, cr: g.aij.cr.toFixed(3) })}</p>
                  <div
                    className="scroll"
                    tabIndex={0}
                    role="region"
                    aria-label={at('weightsOf', lang, { p: local(g.group.parentName, lang) })}
                  >
                    <table>
                      <thead>
                        <tr>
                          <th scope="col">{at('element', lang)}</th>
                          <th scope="col">{at('aij', lang)}</th>
                          <th scope="col">{at('aip', lang)}</th>
                          <th scope="col">{at('range', lang)}</th>
                          <th scope="col">{at('iqr', lang)}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {g.spread.map((s) => (
                          <tr key={s.code}>
                            <th scope="row">{nameIn(g.group, s.code)}</th>
                            <td>{pct(g.aij!.weights[s.code])}</td>
                            <td>{pct(g.aip!.weights[s.code])}</td>
                            <td>{`${pct(s.min)} – ${pct(s.max)}`}</td>
                            <td>{`${pct(s.q1)} – ${pct(s.q3)}`}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                  <div
                    className="scroll"
                    tabIndex={0}
                    role="region"
                    aria-label={at('expertsOf', lang, { p: local(g.group.parentName, lang) })}
                  >
                    <table>
                      <thead>
                        <tr>
                          <th scope="col">{at('expert', lang)}</th>
                          <th scope="col">{at('cr', lang)}</th>
                          <th scope="col">{at('why', lang)}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {g.experts.map((e) => (
                          <tr key={e.expert}>
                            <th scope="row">{e.expert}</th>
                            <td>
                              {e.cr.toFixed(3)} ({e.consistent ? at('consistent', lang) : at('inconsistent', lang)})
                            </td>
                            <td className="why">{e.justification ?? '–'}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </>
              )}
            </section>
          ))}
          <h2>{at('experts', lang)}</h2>
          <ul>
            {data.experts.map((e) => (
              <li key={e.username}>
                {e.username}: {at('groupsDone', lang, { n: e.submitted.length, m: data.panel.groups.length })}
              </li>
            ))}
          </ul>
          {data.panel.status === 'open' && (
            <p>
              <button type="button" className="primary" onClick={() => void doInvite()}>
                {at('invite', lang)}
              </button>{' '}
              <button type="button" onClick={() => void close()}>
                {at('closePanel', lang)}
              </button>
            </p>
          )}
          {invite && (
            <div className="invite" role="status">
              <p>{at('inviteLink', lang)}</p>
              <p>
                <code>{invite.link}</code>
              </p>
              <p>
                {at('panelPage', lang)}: <a href={invite.page}>{invite.page}</a>
              </p>
            </div>
          )}
          <form className="signin" onSubmit={addExpert}>
            <label>
              {at('addExpert', lang)}
              <input name="username" autoComplete="off" required maxLength={64} />
            </label>
            <button type="submit">{at('add', lang)}</button>
          </form>
          <h2>{at('variant', lang)}</h2>
          <p>
            <button type="button" className="primary" onClick={() => void variant('aij')}>
              {at('variantAij', lang)}
            </button>{' '}
            <button type="button" className="primary" onClick={() => void variant('aip')}>
              {at('variantAip', lang)}
            </button>
          </p>
          {message && <p role="status">{message}</p>}
          {error && <p role="alert">{error}</p>}
        </>
      )}
    </main>
  );
}
