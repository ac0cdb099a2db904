/**
 * A city officer's submission form for their own city: every indicator with its unit, definition and
 * source, the last edition's value for reference, an input for this round's value and a source note;
 * returned values show the reviewer's comment. Save draft sends only the changed values, each with the
 * version it was edited from; the server's errors are shown on the row they are about. Submit sends the
 * draft and returned values for review. The city's Excel template can be downloaded and uploaded.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, cellValue, issueIndicator, type ApiIssue } from './api.ts';
import { fmtNum, localName, type WbProps } from './context.ts';
import { IssueList, RoundPicker, AttachmentLink, useRound, useSheet, type SheetRow } from './rounds.tsx';

const EDITABLE = new Set(['', 'draft', 'returned']);

function textOf(r: SheetRow): string {
  return r.current?.value == null ? '' : String(r.current.value);
}

export function OfficerForm(props: WbProps) {
  const { t, lang, me, params, project, go } = props;
  const cities = me.cities;
  const unit = cities.includes(params.get('unit') ?? '') ? params.get('unit')! : (cities[0] ?? null);
  const { rounds, round, reload: reloadRounds } = useRound(props);
  const { rows, reload } = useSheet(round, unit);
  const [values, setValues] = useState(new Map<string, string>());
  const [sources, setSources] = useState(new Map<string, string>());
  const [rowErrors, setRowErrors] = useState(new Map<string, ApiIssue[]>());
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [msg, setMsg] = useState('');
  const [busy, setBusy] = useState(false);

  // the inputs start from the stored values whenever the sheet is (re)loaded
  useEffect(() => {
    setValues(new Map((rows ?? []).map((r) => [r.indicator.code, textOf(r)])));
    setSources(new Map((rows ?? []).map((r) => [r.indicator.code, r.current?.source ?? ''])));
  }, [rows]);

  if (!unit) return <p className="panel">{t('noViews')}</p>;
  const cityName = localName(project.units.find((u) => u.code === unit)?.name, lang, unit);
  const changed = (rows ?? []).filter((r) => {
    const code = r.indicator.code;
    return (
      EDITABLE.has(r.current?.status ?? '') &&
      ((values.get(code) ?? '') !== textOf(r) || (sources.get(code) ?? '') !== (r.current?.source ?? ''))
    );
  });

  const fail = async (e: unknown, sent: readonly string[]) => {
    const err = e instanceof ApiError ? e : new ApiError(0, 'E_NETWORK', String(e), []);
    const byRow = new Map<string, ApiIssue[]>();
    for (const i of err.issues) {
      const code = issueIndicator(i, sent);
      if (code) byRow.set(code, [...(byRow.get(code) ?? []), i]);
    }
    setRowErrors(byRow);
    setProblem(err);
    if (err.code === 'E_CONFLICT') await reload();
  };

  const save = async (): Promise<boolean> => {
    setMsg('');
    setProblem(null);
    setRowErrors(new Map());
    if (changed.length === 0) return true;
    const edits = changed.map((r) => {
      const code = r.indicator.code;
      const source = (sources.get(code) ?? '').trim();
      return {
        indicator: code,
        value: cellValue(values.get(code) ?? ''),
        source: source || null,
        version: r.current?.version ?? 0,
      };
    });
    setBusy(true);
    try {
      await api('PUT', `/api/rounds/${round!.id}/units/${encodeURIComponent(unit)}/values`, { values: edits });
      setMsg(t('form.saved'));
      await reload();
      return true;
    } catch (e) {
      await fail(
        e,
        edits.map((x) => x.indicator),
      );
      return false;
    } finally {
      setBusy(false);
    }
  };

  const submit = async () => {
    if (!(await save())) return;
    setBusy(true);
    try {
      await api('POST', `/api/rounds/${round!.id}/units/${encodeURIComponent(unit)}/submit`);
      setMsg(t('form.submitted'));
    } catch (e) {
      await fail(e, []);
    } finally {
      setBusy(false);
      await reload();
    }
  };

  const upload = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setMsg('');
    setProblem(null);
    const data = new FormData(e.currentTarget);
    try {
      await api('POST', `/api/rounds/${round!.id}/units/${encodeURIComponent(unit)}/template`, data);
      setMsg(t('form.uploaded'));
    } catch (err) {
      await fail(err, []);
    }
    await reload();
  };

  // a value's bulletin (PDF or image): sent at once with the version it belongs to; errors go to its row
  const attach = async (r: SheetRow, file: File) => {
    const code = r.indicator.code;
    setMsg('');
    setProblem(null);
    setRowErrors(new Map());
    const data = new FormData();
    data.set('indicator', code);
    data.set('version', String(r.current?.version ?? 0));
    data.set('file', file, file.name);
    setBusy(true);
    try {
      await api('POST', `/api/rounds/${round!.id}/units/${encodeURIComponent(unit)}/attachments`, data);
      setMsg(t('sheet.attached'));
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, 'E_NETWORK', String(e), []);
      setRowErrors(new Map([[code, err.issues.length ? err.issues : [{ code: err.code, message: err.message }]]]));
      setProblem(err);
    } finally {
      setBusy(false);
      await reload();
    }
  };

  return (
    <section className="panel" aria-labelledby="wb-form-title">
      <h1 id="wb-form-title">{t('form.title', { city: cityName })}</h1>
      <p className="note">{t('form.intro')}</p>
      {cities.length > 1 ? (
        <label>
          {t('form.city')}{' '}
          <select value={unit} onChange={(e) => go({ unit: e.target.value })}>
            {cities.map((c) => (
              <option key={c} value={c}>
                {localName(project.units.find((u) => u.code === c)?.name, lang, c)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {rounds ? <RoundPicker props={props} rounds={rounds} round={round} reload={reloadRounds} /> : null}
      {round && rows ? (
        <>
          <details className="wb-template">
            <summary>{t('form.template')}</summary>
            <p>
              <a href={`/api/rounds/${round.id}/units/${encodeURIComponent(unit)}/template`} download>
                {t('form.download')}
              </a>
            </p>
            <form onSubmit={upload} className="wb-inline">
              <label>
                {t('form.uploadFile')}{' '}
                <input
                  type="file"
                  name="file"
                  accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                  required
                />
              </label>{' '}
              <button type="submit">{t('form.upload')}</button>
            </form>
          </details>
          <div className="wb-form" data-testid="officer-form">
            {rows.map((r) => {
              const code = r.indicator.code;
              const status = r.current?.status ?? '';
              const editable = EDITABLE.has(status);
              const errs = rowErrors.get(code) ?? [];
              const name = localName(r.indicator.name, lang, code);
              const id = `wb-v-${code}`;
              return (
                <div
                  key={code}
                  className={`wb-item${errs.length ? ' wb-invalid' : ''}${status === 'returned' ? ' wb-returned' : ''}`}
                  data-indicator={code}
                >
                  <div className="wb-item-head">
                    <label htmlFor={id} className="wb-name">
                      {name} <span className="wb-code">{code}</span>
                    </label>
                    <span className={`wb-status wb-s-${status || 'none'}`}>{t(`statuses.${status}`)}</span>
                  </div>
                  <dl className="wb-meta">
                    <dt>{t('sheet.unit')}</dt>
                    <dd>{r.indicator.unit ?? t('sheet.none')}</dd>
                    <dt>{t('sheet.previous')}</dt>
                    <dd className="wb-previous">{fmtNum(r.previous)}</dd>
                    {r.indicator.source ? (
                      <>
                        <dt>{t('sheet.source')}</dt>
                        <dd>{r.indicator.source}</dd>
                      </>
                    ) : null}
                  </dl>
                  {r.indicator.definition ? (
                    <details>
                      <summary>{t('sheet.definition')}</summary>
                      <p>{r.indicator.definition}</p>
                    </details>
                  ) : null}
                  {status === 'returned' && r.current?.comment ? (
                    <p className="wb-comment" data-testid="returned-comment">
                      {t('sheet.comment')}: {r.current.comment}
                    </p>
                  ) : null}
                  <div className="wb-inputs">
                    <input
                      id={id}
                      inputMode="decimal"
                      value={values.get(code) ?? ''}
                      disabled={!editable || busy}
                      aria-invalid={errs.length ? true : undefined}
                      aria-describedby={errs.length ? `${id}-err` : undefined}
                      title={editable ? undefined : t('form.locked')}
                      onChange={(e) => setValues((m) => new Map(m).set(code, e.target.value))}
                    />
                    <label className="wb-source">
                      <span className="visually-hidden">
                        {t('sheet.sourceNote')}: {name}
                      </span>
                      <input
                        placeholder={t('sheet.sourceNote')}
                        value={sources.get(code) ?? ''}
                        disabled={!editable || busy}
                        maxLength={2000}
                        onChange={(e) => setSources((m) => new Map(m).set(code, e.target.value))}
                      />
                    </label>
                  </div>
                  <div className="wb-attach">
                    <AttachmentLink cur={r.current} t={t} />
                    {editable && r.current ? (
                      <label>
                        {' '}
                        {t('sheet.attach')}{' '}
                        <input
                          type="file"
                          accept="application/pdf,image/png,image/jpeg,image/gif,image/webp"
                          disabled={busy}
                          data-testid={`attach-${code}`}
                          onChange={(e) => {
                            const file = e.target.files?.[0];
                            e.target.value = '';
                            if (file) void attach(r, file);
                          }}
                        />
                      </label>
                    ) : null}
                  </div>
                  {errs.length ? (
                    <p id={`${id}-err`} className="wb-error wb-row-error">
                      {errs
                        .map(
                          (i) => `${i.message}${i.expected ? ` (${t('errors.expected', { what: i.expected })})` : ''}`,
                        )
                        .join('; ')}
                    </p>
                  ) : null}
                </div>
              );
            })}
          </div>
          <div className="row wb-actions">
            <button type="button" onClick={() => void save()} disabled={busy}>
              {t('form.save')}
            </button>
            <button type="button" className="primary" onClick={() => void submit()} disabled={busy}>
              {t('form.submit')}
            </button>
          </div>
          {rowErrors.size && problem?.code !== 'E_CONFLICT' ? (
            <p className="wb-error" role="alert">
              {t('form.errors', { n: [...rowErrors.values()].reduce((s, l) => s + l.length, 0) })}
            </p>
          ) : (
            <IssueList props={props} error={problem} />
          )}
          {msg ? <p role="status">{msg}</p> : null}
        </>
      ) : null}
    </section>
  );
}
