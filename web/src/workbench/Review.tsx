/**
 * The review screen of one city's submission: each value beside the last edition's, its change, the
 * outlier flags (rule stated on the page), and per value awaiting review a decision (approve / return /
 * not now) with a comment; a return needs a comment. A stale version (409) reloads the sheet and says so.
 */
import { useState } from 'react';
import { api, ApiError } from './api.ts';
import { fmtNum, fmtPct, localName, type WbProps } from './context.ts';
import { IssueList, SourceNote, useRound, useSheet, type SheetRow } from './rounds.tsx';
import { WbTable } from './WbTable.tsx';

type Decision = 'approve' | 'return' | '';

const AWAITING = new Set(['submitted', 'resubmitted']);

function flagText(props: WbProps, f: SheetRow['flags'][number]): string {
  if (f.kind === 'range') return props.t('flags.range', { min: fmtNum(f.min), max: fmtNum(f.max) });
  return f.z === null
    ? props.t('flags.changeFew', { change: fmtPct(f.change) })
    : props.t('flags.change', { change: fmtPct(f.change), z: f.z.toFixed(1) });
}

export function ReviewView(props: WbProps) {
  const { t, lang, params, project, me, go } = props;
  const unit = params.get('unit')!;
  const { round } = useRound(props);
  const { rows, error, reload } = useSheet(round, unit);
  const [decisions, setDecisions] = useState(new Map<string, Decision>());
  const [comments, setComments] = useState(new Map<string, string>());
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [local, setLocal] = useState('');
  const [done, setDone] = useState('');
  const canReview = me.user.role === 'admin' || me.user.role === 'reviewer';
  const city = project.units.find((u) => u.code === unit);
  const cityName = localName(city?.name, lang, unit);
  const awaiting = (rows ?? []).filter((r) => r.current && AWAITING.has(r.current.status));

  const setDecision = (code: string, d: Decision) => setDecisions((m) => new Map(m).set(code, d));
  const send = async () => {
    setDone('');
    setProblem(null);
    const list = awaiting
      .filter((r) => decisions.get(r.indicator.code))
      .map((r) => ({
        indicator: r.indicator.code,
        decision: decisions.get(r.indicator.code) as 'approve' | 'return',
        comment: (comments.get(r.indicator.code) ?? '').trim(),
        version: r.current!.version,
      }));
    if (list.length === 0) return setLocal(t('review.nothing'));
    if (list.some((d) => d.decision === 'return' && d.comment === '')) return setLocal(t('review.needComment'));
    setLocal('');
    try {
      await api('POST', `/api/rounds/${round!.id}/units/${encodeURIComponent(unit)}/review`, { decisions: list });
      setDone(t('review.done', { n: list.length }));
      setDecisions(new Map());
      setComments(new Map());
    } catch (e) {
      setProblem(e instanceof ApiError ? e : new ApiError(0, 'E_NETWORK', String(e), []));
    }
    await reload();
  };

  return (
    <section className="panel" aria-labelledby="wb-review-title">
      <p>
        <a href={`#/workbench?page=status${round ? `&round=${round.id}` : ''}${lang === 'en' ? '&lang=en' : ''}`}>
          {t('review.back')}
        </a>
      </p>
      <h1 id="wb-review-title">{t('review.title', { city: cityName })}</h1>
      <p className="note">{t('flags.rule')}</p>
      {!canReview ? <p className="note">{t('review.readOnly')}</p> : null}
      {error ? <p className="wb-error">{error}</p> : null}
      {rows ? (
        <>
          <p role="status">{t('review.awaiting', { n: awaiting.length })}</p>
          <WbTable
            testId="review"
            caption={t('review.title', { city: cityName })}
            rows={rows}
            rowKey={(r) => r.indicator.code}
            rowProps={(r) => ({
              'data-indicator': r.indicator.code,
              className: r.flags.length ? 'wb-flagged' : undefined,
            })}
            columns={[
              {
                key: 'indicator',
                header: t('sheet.indicator'),
                cell: (r) => (
                  <>
                    {localName(r.indicator.name, lang, r.indicator.code)}
                    <span className="wb-code"> {r.indicator.code}</span>
                    {r.indicator.unit ? <span className="wb-unit"> · {r.indicator.unit}</span> : null}
                  </>
                ),
              },
              { key: 'previous', header: t('sheet.previous'), num: true, cell: (r) => fmtNum(r.previous) },
              {
                key: 'value',
                header: t('sheet.value'),
                num: true,
                className: 'wb-value',
                cell: (r) => fmtNum(r.current?.value),
              },
              {
                key: 'change',
                header: t('sheet.change'),
                num: true,
                cell: (r) => {
                  const cur = r.current;
                  const change =
                    cur?.value != null && r.previous !== null && r.previous !== 0
                      ? (cur.value - r.previous) / Math.abs(r.previous)
                      : null;
                  return change === null ? '—' : fmtPct(change);
                },
              },
              {
                key: 'flags',
                header: t('sheet.flags'),
                className: 'wb-flags',
                cell: (r) =>
                  r.flags.map((f) => (
                    <span className="wb-flag" key={f.kind}>
                      ⚠ {flagText(props, f)}
                    </span>
                  )),
              },
              {
                key: 'source',
                header: t('sheet.sourceNote'),
                className: 'wb-source-cell',
                cell: ({ current: cur }) => <SourceNote cur={cur} t={t} />,
              },
              {
                key: 'status',
                header: t('sheet.status'),
                cell: ({ current: cur }) => (
                  <>
                    <span className={`wb-status wb-s-${cur?.status ?? 'none'}`}>
                      {t(`statuses.${cur?.status ?? ''}`)}
                    </span>
                    {cur?.comment ? <span className="wb-comment"> “{cur.comment}”</span> : null}
                  </>
                ),
              },
              {
                key: 'decision',
                header: t('review.decision'),
                cell: (r) => {
                  const code = r.indicator.code;
                  const open = canReview && r.current && AWAITING.has(r.current.status);
                  const d = decisions.get(code) ?? '';
                  const name = localName(r.indicator.name, lang, code);
                  return open ? (
                    <fieldset className="wb-decide">
                      <legend className="visually-hidden">
                        {t('review.decision')}: {name}
                      </legend>
                      {(['approve', 'return', ''] as const).map((v) => (
                        <label key={v || 'skip'}>
                          <input
                            type="radio"
                            name={`d-${code}`}
                            value={v}
                            checked={d === v}
                            onChange={() => setDecision(code, v)}
                          />{' '}
                          {t(`review.${v || 'skip'}`)}
                        </label>
                      ))}
                      <label className="wb-comment-input">
                        <span className="visually-hidden">
                          {t('sheet.comment')}: {name}
                        </span>
                        <input
                          type="text"
                          maxLength={2000}
                          placeholder={t('sheet.comment')}
                          value={comments.get(code) ?? ''}
                          onChange={(e) => setComments((m) => new Map(m).set(code, e.target.value))}
                        />
                      </label>
                    </fieldset>
                  ) : null;
                },
              },
            ]}
          />
          {canReview && awaiting.length ? (
            <div className="row">
              <button
                type="button"
                onClick={() => setDecisions(new Map(awaiting.map((r) => [r.indicator.code, 'approve' as Decision])))}
              >
                {t('review.approveAll')}
              </button>
              <button type="button" className="primary" onClick={send}>
                {t('review.send')}
              </button>
            </div>
          ) : null}
          {local ? (
            <p className="wb-error" role="alert">
              {local}
            </p>
          ) : null}
          <IssueList props={props} error={problem} />
          {done ? <p role="status">{done}</p> : null}
          {round ? null : <button onClick={() => go({ unit: null })}>{t('review.back')}</button>}
        </>
      ) : null}
    </section>
  );
}
