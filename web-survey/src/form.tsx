/**
 * The resident form (mobile-first): the wave's SurveyJS definition rendered by survey-react-ui in zh or en.
 * Answers are kept on the device at every change and saved to the server at every page (and a moment
 * after each answer), so a reload resumes where the respondent was; the final submission is retried
 * with the same response id until the server acknowledges it (the server stores it once).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Model } from 'survey-core';
import 'survey-core/i18n/simplified-chinese';
import { Survey } from 'survey-react-ui';
import 'survey-core/survey-core.fontless.min.css';
import { api, ApiError } from './api.ts';
import { local, t, type Lang } from './text.ts';

interface PublicForm {
  wave: string;
  title: { zh?: string; en?: string };
  city: { code: string; name: { zh?: string; en?: string } };
  state: 'open' | 'closed' | 'quota_full';
  simulated: boolean;
  tokensRequired: boolean;
  definitions: Record<string, object>;
}

type Status = 'partial' | 'complete' | 'screened_out' | 'quota_full';
type View = 'loading' | 'form' | 'submitting' | Status | 'closed' | 'duplicate' | 'error';

interface Saved {
  responseId: string;
  data: Record<string, unknown>;
  page: number;
  pageTimes: Record<string, number>;
  done?: Status;
}

function randomId(bytes: number): string {
  const a = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...a))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** The device key of a wave: random, kept on this device, sent only as its salted hash is compared. */
function deviceKey(wave: string): string {
  const k = `cityindex-fw-device:${wave}`;
  let key = localStorage.getItem(k);
  if (!key) {
    key = randomId(24);
    localStorage.setItem(k, key);
  }
  return key;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function ResidentForm(props: { wave: string; city: string; lang: Lang; setLang: (l: Lang) => void }) {
  const { wave, city, lang } = props;
  const [form, setForm] = useState<PublicForm>();
  const [view, setView] = useState<View>('loading');
  const [message, setMessage] = useState('');
  const [offline, setOffline] = useState(false);
  const storeKey = `cityindex-fw:${wave}:${city}`;
  const token = new URLSearchParams(location.search).get('t') ?? undefined;
  const saved = useRef<Saved>({ responseId: crypto.randomUUID(), data: {}, page: 0, pageTimes: {} });
  const pageStart = useRef(performance.now());
  const timer = useRef<number>(undefined);

  const keep = () => localStorage.setItem(storeKey, JSON.stringify(saved.current));

  const send = async (complete: boolean): Promise<{ status: Status }> =>
    api<{ status: Status }>(`/api/fieldwork/responses/${saved.current.responseId}`, {
      method: 'POST',
      body: {
        wave,
        city,
        deviceKey: deviceKey(wave),
        ...(token && { token }),
        answers: saved.current.data,
        pageTimes: saved.current.pageTimes,
        language: lang,
        complete,
      },
    });

  const finish = (status: Status) => {
    saved.current.done = status;
    keep();
    setView(status);
  };

  const fail = (e: unknown) => {
    if (e instanceof ApiError && (e.code === 'E_DUPLICATE_RESPONSE' || e.code === 'E_TOKEN_USED')) setView('duplicate');
    else if (e instanceof ApiError && e.code === 'E_CLOSED') setView('closed');
    else {
      setMessage(e instanceof Error ? e.message : String(e));
      setView('error');
    }
  };

  const savePartial = async () => {
    try {
      const r = await send(false);
      setOffline(false);
      if (r.status !== 'partial') finish(r.status);
    } catch (e) {
      if (e instanceof ApiError) fail(e);
      else setOffline(true); // kept on the device; the next save or the submission sends it
    }
  };

  const submit = async () => {
    setView('submitting');
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await send(true);
        setOffline(false);
        return finish(r.status === 'partial' ? 'complete' : r.status);
      } catch (e) {
        if (e instanceof ApiError && e.status < 500 && e.status !== 429) return fail(e);
        setOffline(true);
        await sleep(Math.min(30_000, 1000 * 2 ** attempt));
      }
    }
  };

  useEffect(() => {
    (async () => {
      try {
        const r = await api<{ form: PublicForm }>(`/api/fieldwork/waves/${wave}/cities/${city}/form`);
        setForm(r.form);
        const prior = localStorage.getItem(storeKey);
        if (prior) saved.current = { ...saved.current, ...(JSON.parse(prior) as Saved) };
        if (saved.current.done) return setView(saved.current.done);
        if (prior) {
          // the server's copy decides whether it was already submitted from another tab
          const s = await api<{ response: { status: Status; answers: Record<string, unknown> } }>(
            `/api/fieldwork/responses/${saved.current.responseId}?wave=${wave}`,
            { headers: { 'x-device-key': deviceKey(wave) } },
          ).catch(() => undefined);
          if (s && s.response.status !== 'partial') return finish(s.response.status);
        }
        setView(r.form.state === 'open' ? 'form' : 'closed');
      } catch (e) {
        fail(e);
      }
    })();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [wave, city]);

  const model = useMemo(() => {
    if (!form || view !== 'form') return undefined;
    const m = new Model(form.definitions[lang] ?? Object.values(form.definitions)[0]);
    m.locale = lang === 'zh' ? 'zh-cn' : 'en';
    m.data = saved.current.data;
    if (saved.current.page > 0 && saved.current.page < m.visiblePages.length) m.currentPageNo = saved.current.page;
    m.showCompletedPage = false;
    m.onValueChanged.add((sender) => {
      saved.current.data = sender.data;
      keep();
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(savePartial, 1500);
    });
    m.onCurrentPageChanged.add((sender, options) => {
      const name = options.oldCurrentPage?.name;
      const now = performance.now();
      if (name) saved.current.pageTimes[name] = (saved.current.pageTimes[name] ?? 0) + (now - pageStart.current) / 1000;
      pageStart.current = now;
      saved.current.page = sender.currentPageNo;
      saved.current.data = sender.data;
      keep();
      window.clearTimeout(timer.current);
      void savePartial();
    });
    m.onComplete.add((sender) => {
      const name = sender.currentPage?.name;
      if (name)
        saved.current.pageTimes[name] =
          (saved.current.pageTimes[name] ?? 0) + (performance.now() - pageStart.current) / 1000;
      saved.current.data = sender.data;
      keep();
      window.clearTimeout(timer.current);
      void submit();
    });
    return m;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [form, view === 'form', lang]);

  const title = form ? local(form.title, lang) : '';
  const cityName = form ? local(form.city.name, lang, form.city.code) : '';
  const notice = (head: string, body: string) => (
    <section className="notice" aria-live="polite">
      <h2>{head}</h2>
      <p>{body}</p>
    </section>
  );

  return (
    <main className="page">
      <header className="bar">
        <h1>
          {title}
          {cityName && <span className="city"> · {cityName}</span>}
        </h1>
        <button type="button" className="lang" onClick={() => props.setLang(lang === 'zh' ? 'en' : 'zh')}>
          {t('language', lang)}
        </button>
      </header>
      {form?.simulated && (
        <p className="simulated" role="note">
          {t('simulated', lang)}
        </p>
      )}
      {offline && (
        <p className="offline" role="status">
          {t('offline', lang)}
        </p>
      )}
      {view === 'loading' && <p>{t('loading', lang)}</p>}
      {view === 'form' && model && <Survey model={model} />}
      {view === 'form' && <p className="small">{t('anonymous', lang)}</p>}
      {view === 'submitting' && notice(t('submitting', lang), '')}
      {view === 'complete' && notice(t('thanksTitle', lang), t('thanksBody', lang))}
      {view === 'screened_out' && notice(t('screenedTitle', lang), t('screenedBody', lang))}
      {view === 'quota_full' && notice(t('quotaTitle', lang), t('quotaBody', lang))}
      {view === 'closed' && notice(t('closedTitle', lang), t('closedBody', lang))}
      {view === 'duplicate' && notice(t('duplicateTitle', lang), t('duplicateBody', lang))}
      {view === 'error' && notice(t('error', lang), message)}
    </main>
  );
}
