/**
 * Editions (staff): the list with status; authors and admins build a draft from the approved values and
 * publish an edition; anyone of the staff compares two editions — per city the rank and score in both,
 * the change, and why it moved (the dimension contributing most to the index's change, from the compare
 * API's per-dimension contributions). The two editions compared are in the URL (`from`, `to`).
 */
import { useEffect, useState, type FormEvent } from 'react';
import { WbTable } from './WbTable.tsx';
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
          <WbTable
            testId="editions"
            caption={t('editions.title')}
            rows={list}
            rowKey={(ed) => ed.id}
            rowProps={(ed) => ({ 'data-edition': ed.id })}
            columns={[
              { key: 'name', header: t('editions.name'), cell: (ed) => ed.name },
              { key: 'status', header: t('editions.status'), cell: (ed) => t(`editions.${ed.status}`) },
              {
                key: 'created',
                header: t('editions.created'),
                cell: (ed) => `${ed.createdBy} · ${ed.createdAt.slice(0, 16).replace('T', ' ')}`,
              },
              {
                key: 'publish',
                header: t('editions.publish'),
                hiddenHeader: true,
                cell: (ed) =>
                  canBuild && ed.status === 'draft' ? (
                    <button type="button" onClick={() => void publish(ed)}>
                      {t('editions.publish')}
                      <span className="visually-hidden"> {ed.name}</span>
                    </button>
                  ) : null,
              },
            ]}
          />
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
              <WbTable
                testId="compare"
                caption={t('editions.compare')}
                rows={units}
                rowKey={(u) => u.unit}
                rowProps={(u) => ({ 'data-unit': u.unit })}
                columns={[
                  { key: 'city', header: t('editions.city'), cell: (u) => localName(u.name, lang, u.unit) },
                  {
                    key: 'rank',
                    header: t('editions.rank'),
                    num: true,
                    cell: (u) => `${u.changes[0]?.rankFrom ?? '—'} → ${u.changes[0]?.rankTo ?? '—'}`,
                  },
                  {
                    key: 'rankChange',
                    header: t('editions.rankChange'),
                    num: true,
                    className: 'wb-rank-change',
                    cell: (u) => signed(u.changes[0]?.rankChange ?? null, 0),
                  },
                  {
                    key: 'score',
                    header: t('editions.score'),
                    num: true,
                    cell: (u) => `${fmtNum(u.changes[0]?.from)} → ${fmtNum(u.changes[0]?.to)}`,
                  },
                  {
                    key: 'delta',
                    header: t('editions.delta'),
                    num: true,
                    className: 'wb-delta',
                    cell: (u) => signed(u.changes[0]?.delta ?? null),
                  },
                  {
                    key: 'driver',
                    header: t('editions.driver'),
                    cell: (u) => {
                      const top = u.drivers.find((d) => d.code === cmp.comparison.index);
                      const drv = top?.contributions.find((x) => x.child === top.driver);
                      return drv
                        ? t('editions.driverText', { dim: nodeName(drv.child), c: signed(drv.contribution) })
                        : t('editions.noChange');
                    },
                  },
                ]}
              />
            </>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
