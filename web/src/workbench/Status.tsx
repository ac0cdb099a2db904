/**
 * Data status by city (staff): per city how many values are draft, submitted, resubmitted, returned,
 * approved and missing in the chosen round; a filter and a search (both in the URL); a link to review.
 */
import { useEffect, useState } from 'react';
import { api } from './api.ts';
import { localName, type WbProps } from './context.ts';
import { RoundPicker, useRound } from './rounds.tsx';

interface UnitStatus {
  unit: string;
  name: { zh?: string; en?: string };
  counts: Record<'draft' | 'submitted' | 'returned' | 'resubmitted' | 'approved' | 'missing', number>;
}

const FILTERS = ['all', 'awaiting', 'returned', 'missing', 'complete'] as const;

function keep(filter: string, c: UnitStatus['counts'], total: number): boolean {
  switch (filter) {
    case 'awaiting':
      return c.submitted + c.resubmitted > 0;
    case 'returned':
      return c.returned > 0;
    case 'missing':
      return c.missing > 0;
    case 'complete':
      return c.approved === total;
    default:
      return true;
  }
}

export function StatusView(props: WbProps) {
  const { t, lang, params, go } = props;
  const { rounds, round, reload } = useRound(props);
  const [status, setStatus] = useState<{ indicators: number; units: UnitStatus[] } | null>(null);
  useEffect(() => {
    if (!round) return;
    let live = true;
    api<{ indicators: number; units: UnitStatus[] }>('GET', `/api/rounds/${round.id}/status`)
      .then((s) => live && setStatus(s))
      .catch(() => live && setStatus(null));
    return () => {
      live = false;
    };
  }, [round]);
  const filter = (FILTERS as readonly string[]).includes(params.get('filter') ?? '') ? params.get('filter')! : 'all';
  const q = (params.get('q') ?? '').trim().toLowerCase();
  const shown = (status?.units ?? []).filter(
    (u) =>
      keep(filter, u.counts, status!.indicators) &&
      (!q || u.unit.includes(q) || `${u.name.zh ?? ''} ${u.name.en ?? ''}`.toLowerCase().includes(q)),
  );
  const enParam = lang === 'en' ? '&lang=en' : '';
  const cols = ['submitted', 'resubmitted', 'returned', 'approved', 'draft', 'missing'] as const;
  const label = (c: (typeof cols)[number]) =>
    t(`status.${c === 'approved' ? 'approvedN' : c === 'returned' ? 'returnedN' : c === 'missing' ? 'missingN' : c}`);
  return (
    <section className="panel" aria-labelledby="wb-status-title">
      <h1 id="wb-status-title">{t('status.title')}</h1>
      {rounds ? <RoundPicker props={props} rounds={rounds} round={round} reload={reload} /> : null}
      {round && status ? (
        <>
          <div className="row">
            <label>
              {t('status.filter')}{' '}
              <select value={filter} onChange={(e) => go({ filter: e.target.value === 'all' ? null : e.target.value })}>
                {FILTERS.map((f) => (
                  <option key={f} value={f}>
                    {t(`status.${f}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('status.search')}{' '}
              <input type="search" defaultValue={params.get('q') ?? ''} onChange={(e) => go({ q: e.target.value })} />
            </label>
          </div>
          <p className="note" role="status">
            {t('status.shown', { n: shown.length, total: status.units.length, k: status.indicators })}
          </p>
          <div className="scroll">
            <table className="wb-table" data-testid="status">
              <caption className="visually-hidden">{t('status.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('status.city')}</th>
                  {cols.map((c) => (
                    <th scope="col" className="num" key={c}>
                      {label(c)}
                    </th>
                  ))}
                  <th scope="col">
                    <span className="visually-hidden">{t('status.review')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.map((u) => (
                  <tr key={u.unit} data-unit={u.unit}>
                    <th scope="row">{localName(u.name, lang, u.unit)}</th>
                    {cols.map((c) => (
                      <td className={`num wb-${c}`} key={c}>
                        {u.counts[c]}
                      </td>
                    ))}
                    <td>
                      <a href={`#/workbench?page=status&round=${round.id}&unit=${u.unit}${enParam}`}>
                        {t('status.review')}
                        <span className="visually-hidden"> {localName(u.name, lang, u.unit)}</span>
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}
