/**
 * Shared pieces of the round-based views: the round chooser (latest round by default; admins and authors
 * may open one), one city's sheet with reloading, and the located error list.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, type ApiIssue } from './api.ts';
import type { WbProps } from './context.ts';

/** A submission round as /api/rounds lists it. */
export interface Round {
  id: number;
  name: string;
  status: string;
}

/** A value of a round (current state). */
export interface RoundValue {
  indicator: string;
  version: number;
  status: string;
  value: number | null;
  source: string | null;
  /** The attached bulletin's id (GET /api/attachments/:id), or null. */
  attachmentId: number | null;
  comment: string | null;
  actor: string;
  at: string;
}

/** One row of a city's sheet (GET /api/rounds/:round/units/:unit/sheet). */
export interface SheetRow {
  indicator: {
    code: string;
    name: { zh?: string; en?: string };
    unit: string | null;
    definition: string | null;
    source: string | null;
    parent: string | null;
  };
  previous: number | null;
  current: RoundValue | null;
  flags: Array<{ kind: 'range'; min: number; max: number } | { kind: 'change'; change: number; z: number | null }>;
}

/** The rounds and the chosen one (the `round` parameter, else the latest). */
export function useRound(props: WbProps): { rounds: Round[] | null; round: Round | null; reload(): void } {
  const [rounds, setRounds] = useState<Round[] | null>(null);
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    api<{ rounds: Round[] }>('GET', '/api/rounds')
      .then((r) => live && setRounds(r.rounds))
      .catch(() => live && setRounds([]));
    return () => {
      live = false;
    };
  }, [n]);
  const wanted = Number(props.params.get('round') ?? NaN);
  const round = rounds?.find((r) => r.id === wanted) ?? rounds?.[rounds.length - 1] ?? null;
  return { rounds, round, reload: () => setN((x) => x + 1) };
}

/** The round chooser, and for admins and authors a form opening a new round. */
export function RoundPicker({
  props,
  rounds,
  round,
  reload,
}: {
  props: WbProps;
  rounds: Round[];
  round: Round | null;
  reload(): void;
}) {
  const { t, me, go } = props;
  const [msg, setMsg] = useState('');
  const canOpen = me.user.role === 'admin' || me.user.role === 'author';
  const open = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const name = String(new FormData(e.currentTarget).get('name') ?? '').trim();
    try {
      const r = await api<{ round: Round }>('POST', '/api/rounds', { name });
      setMsg(t('round.opened', { name: r.round.name }));
      go({ round: String(r.round.id) });
      reload();
    } catch (err) {
      setMsg(t('errors.generic', { msg: (err as Error).message }));
    }
  };
  return (
    <div className="row wb-round">
      {rounds.length ? (
        <label>
          {t('round.label')}{' '}
          <select value={round?.id ?? ''} onChange={(e) => go({ round: e.target.value })}>
            {rounds.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <p>{t('round.none')}</p>
      )}
      {canOpen ? (
        <form onSubmit={open} className="wb-inline">
          <label>
            {t('round.name')} <input name="name" required maxLength={100} />
          </label>{' '}
          <button type="submit">{t('round.open')}</button>
        </form>
      ) : null}
      {msg ? <span role="status">{msg}</span> : null}
    </div>
  );
}

/** One city's sheet in a round, with a reload function (after a write or a 409). */
export function useSheet(
  round: Round | null,
  unit: string | null,
): { rows: SheetRow[] | null; error: string; reload(): Promise<void> } {
  const [rows, setRows] = useState<SheetRow[] | null>(null);
  const [error, setError] = useState('');
  const reload = useCallback(async () => {
    if (!round || !unit) return;
    try {
      const r = await api<{ rows: SheetRow[] }>(
        'GET',
        `/api/rounds/${round.id}/units/${encodeURIComponent(unit)}/sheet`,
      );
      setRows(r.rows);
      setError('');
    } catch (e) {
      setError((e as Error).message);
    }
  }, [round, unit]);
  useEffect(() => {
    setRows(null);
    void reload();
  }, [reload]);
  return { rows, error, reload };
}

/** The issues of a refused request, each with where it is and what was expected. */
export function IssueList({ props, error }: { props: WbProps; error: ApiError | null }) {
  if (!error) return null;
  const { t } = props;
  if (error.code === 'E_CONFLICT')
    return (
      <div className="wb-error" role="alert">
        {t('errors.conflict')}
      </div>
    );
  const issues: ApiIssue[] = error.issues.length ? error.issues : [{ code: error.code, message: error.message }];
  return (
    <div className="wb-error" role="alert">
      <p>{t('errors.generic', { msg: error.message })}</p>
      <ul>
        {issues.slice(0, 50).map((i, k) => (
          <li key={k}>
            {[i.indicator, i.row !== undefined ? t('form.rowError', { row: i.row }) : ''].filter(Boolean).join(' · ')}
            {i.indicator || i.row !== undefined ? ': ' : ''}
            {i.message}
            {i.expected ? ` (${t('errors.expected', { what: i.expected })})` : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * A value's source note and its attached bulletin (a link that downloads it), or a dash when it has neither.
 * @example // no-run: a React component
 * <SourceNote cur={row.current} t={t} />
 */
export function SourceNote({ cur, t }: { cur: RoundValue | null; t: WbProps['t'] }) {
  if (!cur?.source && !cur?.attachmentId) return <>{t('sheet.none')}</>;
  return (
    <>
      {cur.source ? <span className="wb-source-text">{cur.source}</span> : null}
      {cur.source && cur.attachmentId ? ' ' : null}
      <AttachmentLink cur={cur} t={t} />
    </>
  );
}

/** The download link of a value's attached bulletin, or nothing. */
export function AttachmentLink({ cur, t }: { cur: RoundValue | null; t: WbProps['t'] }) {
  return cur?.attachmentId ? (
    <a className="wb-attachment" href={`/api/attachments/${cur.attachmentId}`} download>
      {t('sheet.attachment')}
    </a>
  ) : null;
}
