/**
 * Data status by city (staff): per city how many values are draft, submitted, resubmitted, returned,
 * approved and missing in the chosen round; a filter and a search (both in the URL); a link to review.
 */
import { useEffect, useState } from 'react';
import { api } from './api.ts';
import { localName, type WbProps } from './context.ts';
import { RoundPicker, useRound } from './rounds.tsx';
import { WbTable } from './WbTable.tsx';

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
          <WbTable
            testId="status"
            caption={t('status.title')}
            rows={shown}
            rowKey={(u) => u.unit}
            rowProps={(u) => ({ 'data-unit': u.unit })}
            columns={[
              { key: 'city', header: t('status.city'), cell: (u) => localName(u.name, lang, u.unit) },
              ...cols.map((c) => ({
                key: c,
                header: label(c),
                num: true,
                className: `wb-${c}`,
                cell: (u: UnitStatus) => u.counts[c],
              })),
              {
                key: 'review',
                header: t('status.review'),
                hiddenHeader: true,
                cell: (u) => (
                  <a href={`#/workbench?page=status&round=${round.id}&unit=${u.unit}${enParam}`}>
                    {t('status.review')}
                    <span className="visually-hidden"> {localName(u.name, lang, u.unit)}</span>
                  </a>
                ),
              },
            ]}
          />
        </>
      ) : null}
    </section>
  );
}
