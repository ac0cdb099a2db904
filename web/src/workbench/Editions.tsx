/**
 * Editions (staff): the list with status; authors and admins build a draft from the approved values and
 * publish an edition; anyone of the staff compares two editions — per city the rank and score in both,
 * the change, and why it moved (the dimension contributing most to the index's change, from the compare
 * API's per-dimension contributions). The two editions compared are in the URL (`from`, `to`).
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from './api.ts';
import { fmtNum, localName, type WbProps } from './context.ts';
import { IssueList } from './rounds.tsx';

/** An edition as listed. */
export interface EditionInfo {
  id: number;
  name: string;
  status: 'draft' | 'published';
  createdBy: string;
  createdAt: string;
  publishedAt: string | null;
}

interface Comparison {
  from: { id: number; name: string };
  to: { id: number; name: string };
  comparison: {
    index: string | null;
    units: Array<{
      unit: string;
      name: { zh: string; en: string };
      changes: Array<{
        code: string;
        from: number | null;
        to: number | null;
        delta: number | null;
        rankFrom: number | null;
        rankTo: number | null;
        rankChange: number | null;
      }>;
      drivers: Array<{
        code: string;
        driver: string | null;
        contributions: Array<{ child: string; contribution: number }>;
      }>;
    }>;
  };
}

const signed = (v: number | null, digits = 2) =>
  v === null ? '—' : `${v > 0 ? '+' : ''}${digits === 0 ? v : v.toFixed(digits)}`;

/** The editions of the project (reloaded on demand). */
export function useEditions(): { editions: EditionInfo[] | null; reload(): void } {
  const [editions, setEditions] = useState<EditionInfo[] | null>(null);
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    api<{ editions: EditionInfo[] }>('GET', '/api/editions')
      .then((r) => live && setEditions(r.editions))
      .catch(() => live && setEditions([]));
    return () => {
      live = false;
    };
  }, [n]);
  return { editions, reload: () => setN((x) => x + 1) };
}

export function EditionsView(props: WbProps) {
  const { t, lang, me, params, project, go } = props;
  const { editions, reload } = useEditions();
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState('');
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [cmp, setCmp] = useState<Comparison | null>(null);
  const canBuild = me.user.role === 'admin' || me.user.role === 'author';
  const nodeName = (code: string) => localName(project.framework.find((n) => n.code === code)?.name, lang, code);

  const from = params.get('from');
  const to = params.get('to');
  useEffect(() => {
    setCmp(null);
    if (!from || !to) return;
    let live = true;
    api<Comparison>('GET', `/api/compare?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)
      .then((c) => live && setCmp(c))
      .catch((e: ApiError) => live && setProblem(e));
    return () => {
      live = false;
    };
  }, [from, to]);

  const build = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const name = String(new FormData(e.currentTarget).get('name') ?? '').trim();
    setBusy(true);
    setProblem(null);
    setMsg(t('editions.building'));
    try {
      const r = await api<{ edition: EditionInfo }>('POST', '/api/editions', { name });
      setMsg(t('editions.built', { name: r.edition.name }));
      reload();
    } catch (err) {
      setMsg('');
      setProblem(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const publish = async (ed: EditionInfo) => {
    if (!window.confirm(t('editions.confirmPublish', { name: ed.name }))) return;
    setProblem(null);
    try {
      await api('POST', `/api/editions/${ed.id}/publish`);
      setMsg(t('editions.publishedMsg', { name: ed.name }));
      reload();
    } catch (err) {
      setProblem(err as ApiError);
    }
  };
  const compare = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    go({ from: String(f.get('from')), to: String(f.get('to')) });
  };

  const list = editions ?? [];
  const units = cmp?.comparison.units ?? [];
  const moved = units.filter((u) => (u.changes[0]?.rankChange ?? 0) !== 0).length;
  return (
    <>
      <section className="panel" aria-labelledby="wb-ed-title">
        <h1 id="wb-ed-title">{t('editions.title')}</h1>
        {list.length === 0 ? <p>{t('editions.none')}</p> : null}
        {list.length ? (
          <div className="scroll">
            <table className="wb-table" data-testid="editions">
              <caption className="visually-hidden">{t('editions.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('editions.name')}</th>
                  <th scope="col">{t('editions.status')}</th>
                  <th scope="col">{t('editions.created')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('editions.publish')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((ed) => (
                  <tr key={ed.id} data-edition={ed.id}>
                    <th scope="row">{ed.name}</th>
                    <td>{t(`editions.${ed.status}`)}</td>
                    <td>
                      {ed.createdBy} · {ed.createdAt.slice(0, 16).replace('T', ' ')}
                    </td>
                    <td>
                      {canBuild && ed.status === 'draft' ? (
                        <button type="button" onClick={() => void publish(ed)}>
                          {t('editions.publish')}
                          <span className="visually-hidden"> {ed.name}</span>
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {canBuild ? (
          <form onSubmit={build} className="row wb-inline">
            <label>
              {t('editions.buildName')} <input name="name" required maxLength={200} />
            </label>
            <button type="submit" disabled={busy}>
              {t('editions.build')}
            </button>
          </form>
        ) : null}
        {msg ? <p role="status">{msg}</p> : null}
        <IssueList props={props} error={problem} />
      </section>
      {list.length >= 2 ? (
        <section className="panel" aria-labelledby="wb-cmp-title">
          <h2 id="wb-cmp-title">{t('editions.compare')}</h2>
          <form onSubmit={compare} className="row wb-inline">
            {(['from', 'to'] as const).map((k, i) => (
              <label key={k}>
                {t(`editions.${k}`)}{' '}
                <select name={k} defaultValue={params.get(k) ?? String(list[list.length - 2 + i]?.id ?? '')}>
                  {list.map((ed) => (
                    <option key={ed.id} value={ed.id}>
                      {ed.name} ({t(`editions.${ed.status}`)})
                    </option>
                  ))}
                </select>
              </label>
            ))}
            <button type="submit">{t('editions.run')}</button>
          </form>
          {cmp ? (
            <>
              <p role="status">
                {cmp.from.name} → {cmp.to.name}: {t('editions.moved', { n: moved })}
              </p>
              <div className="scroll">
                <table className="wb-table" data-testid="compare">
                  <caption className="visually-hidden">{t('editions.compare')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('editions.city')}</th>
                      <th scope="col" className="num">
                        {t('editions.rank')}
                      </th>
                      <th scope="col" className="num">
                        {t('editions.rankChange')}
                      </th>
                      <th scope="col" className="num">
                        {t('editions.score')}
                      </th>
                      <th scope="col" className="num">
                        {t('editions.delta')}
                      </th>
                      <th scope="col">{t('editions.driver')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {units.map((u) => {
                      const c = u.changes[0];
                      const top = u.drivers.find((d) => d.code === cmp.comparison.index);
                      const drv = top?.contributions.find((x) => x.child === top.driver);
                      return (
                        <tr key={u.unit} data-unit={u.unit}>
                          <th scope="row">{localName(u.name, lang, u.unit)}</th>
                          <td className="num">
                            {c?.rankFrom ?? '—'} → {c?.rankTo ?? '—'}
                          </td>
                          <td className="num wb-rank-change">{signed(c?.rankChange ?? null, 0)}</td>
                          <td className="num">
                            {fmtNum(c?.from)} → {fmtNum(c?.to)}
                          </td>
                          <td className="num wb-delta">{signed(c?.delta ?? null)}</td>
                          <td>
                            {drv
                              ? t('editions.driverText', { dim: nodeName(drv.child), c: signed(drv.contribution) })
                              : t('editions.noChange')}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            </>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
