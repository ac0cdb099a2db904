/**
 * The fieldwork monitor for staff (sign-in first): responses per city against quota, completion and
 * break-off rates, median duration and the cleaning flags, live over server-sent events (refreshed every
 * 10 seconds when the stream is not available); downloads of the
 * raw and cleaned responses with the codebook; QR codes per city link.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, setCsrf } from './api.ts';
import { local, t, type Lang } from './text.ts';

interface CityRow {
  code: string;
  name: { zh?: string; en?: string };
  quota: number;
  complete: number;
  started: number;
  completionRate: number | null;
  breakOffRate: number | null;
  medianDuration: number | null;
  flags: { speeders: number; straightLiners: number; duplicates: number };
}

interface Monitor {
  wave: { slug: string; title: { zh?: string; en?: string } };
  label: string | null;
  at: string;
  cities: CityRow[];
  totals: Omit<CityRow, 'code' | 'name'>;
}

const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)}%`);
const num = (x: number | null) => (x === null ? '–' : String(Math.round(x)));

export function SignIn(props: { lang: Lang; done: () => void }) {
  const [error, setError] = useState('');
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    try {
      const r = await api<{ csrf: string }>('/api/session', {
        method: 'POST',
        body: { username: String(f.get('username')), password: String(f.get('password')) },
      });
      setCsrf(r.csrf);
      props.done();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <form className="signin" onSubmit={submit}>
      <label>
        {t('username', props.lang)}
        <input name="username" autoComplete="username" required />
      </label>
      <label>
        {t('password', props.lang)}
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <button type="submit">{t('signIn', props.lang)}</button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}

export function FieldworkMonitor(props: { wave: string; lang: Lang; setLang: (l: Lang) => void }) {
  const { wave, lang } = props;
  const [data, setData] = useState<Monitor>();
  const [needLogin, setNeedLogin] = useState(false);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let stop = false;
    const load = async () => {
      try {
        const r = await api<{ monitor: Monitor }>(`/api/fieldwork/waves/${wave}/monitor`);
        if (!stop) {
          setData(r.monitor);
          setNeedLogin(false);
        }
      } catch (e) {
        if (e instanceof ApiError && (e.status === 401 || e.status === 403)) setNeedLogin(true);
      }
    };
    // live: server-sent events while the stream lasts; polling every 10 s as the fallback (no EventSource,
    // a refused or ended stream — an expired session then shows the sign-in form)
    let id: number | undefined;
    let source: EventSource | undefined;
    const poll = () => {
      source?.close();
      source = undefined;
      if (id === undefined && !stop) id = window.setInterval(load, 10_000);
    };
    void load().then(() => {
      if (stop || typeof EventSource === 'undefined') return poll();
      source = new EventSource(`/api/fieldwork/waves/${wave}/events`);
      source.addEventListener('monitor', (e) => {
        if (!stop) setData(JSON.parse((e as MessageEvent<string>).data) as Monitor);
      });
      source.addEventListener('end', poll);
      source.onerror = () => {
        if (source?.readyState === EventSource.CLOSED) poll();
      };
    });
    return () => {
      stop = true;
      source?.close();
      if (id !== undefined) window.clearInterval(id);
    };
  }, [wave, tick]);

  const base = `/api/fieldwork/waves/${wave}`;
  return (
    <main className="page wide">
      <header className="bar">
        <h1>
          {t('monitorTitle', lang)}
          {data && ` · ${local(data.wave.title, lang, wave)}`}
        </h1>
        <button type="button" className="lang" onClick={() => props.setLang(lang === 'zh' ? 'en' : 'zh')}>
          {t('language', lang)}
        </button>
      </header>
      {needLogin && <SignIn lang={lang} done={() => setTick((x) => x + 1)} />}
      {data?.label && (
        <p className="simulated" role="note">
          {t('simulated', lang)} ({data.label})
        </p>
      )}
      {data && (
        <>
          <p className="small">
            {t('updated', lang)} {data.at}
          </p>
          <div className="scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('city', lang)}</th>
                  <th scope="col">{t('complete', lang)}</th>
                  <th scope="col">{t('quota', lang)}</th>
                  <th scope="col">{t('completion', lang)}</th>
                  <th scope="col">{t('breakOff', lang)}</th>
                  <th scope="col">{t('median', lang)}</th>
                  <th scope="col">{t('speeders', lang)}</th>
                  <th scope="col">{t('straight', lang)}</th>
                  <th scope="col">{t('duplicates', lang)}</th>
                  <th scope="col">{t('qr', lang)}</th>
                </tr>
              </thead>
              <tbody>
                {data.cities.map((c) => (
                  <tr key={c.code}>
                    <th scope="row">{local(c.name, lang, c.code)}</th>
                    <td>
                      <meter min={0} max={c.quota} value={c.complete} aria-label={`${c.complete} / ${c.quota}`} />{' '}
                      {c.complete}
                    </td>
                    <td>{c.quota}</td>
                    <td>{pct(c.completionRate)}</td>
                    <td>{pct(c.breakOffRate)}</td>
                    <td>{num(c.medianDuration)}</td>
                    <td>{c.flags.speeders}</td>
                    <td>{c.flags.straightLiners}</td>
                    <td>{c.flags.duplicates}</td>
                    <td>
                      <a href={`${base}/cities/${c.code}/qr`}>SVG</a> ·{' '}
                      <a href={`${base}/cities/${c.code}/qr?format=png`}>PNG</a>
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('total', lang)}</th>
                  <td>{data.totals.complete}</td>
                  <td>{data.totals.quota}</td>
                  <td>{pct(data.totals.completionRate)}</td>
                  <td>{pct(data.totals.breakOffRate)}</td>
                  <td>{num(data.totals.medianDuration)}</td>
                  <td>{data.totals.flags.speeders}</td>
                  <td>{data.totals.flags.straightLiners}</td>
                  <td>{data.totals.flags.duplicates}</td>
                  <td />
                </tr>
              </tfoot>
            </table>
          </div>
          <h2>{t('downloads', lang)}</h2>
          <ul>
            <li>
              <a href={`${base}/export?kind=raw`}>{t('raw', lang)}</a>
            </li>
            <li>
              <a href={`${base}/export?kind=cleaned`}>{t('cleaned', lang)}</a>
            </li>
            <li>
              <a href={`${base}/export?kind=codebook`}>{t('codebook', lang)}</a>
            </li>
            <li>
              <a href={`${base}/export?format=xlsx`}>{t('workbook', lang)}</a>
            </li>
          </ul>
        </>
      )}
    </main>
  );
}
