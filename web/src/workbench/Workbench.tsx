/**
 * The workbench's shell: asks the platform who is signed in (/api/me), shows the login form otherwise,
 * then the pages of the user's role — staff: data status, review, editions and comparison, audit and
 * sensitivity (admins: accounts); city officers: their city's form and results. Page state is in the
 * URL hash (`#/workbench?page=…`), so a page can be reloaded and shared.
 */
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, ApiError, setCsrf } from './api.ts';
import type { Me, ProjectInfo, WbProps } from './context.ts';
import { wbText, type WbLang } from './text.ts';
import { StatusView } from './Status.tsx';
import { ReviewView } from './Review.tsx';
import { OfficerForm } from './OfficerForm.tsx';
import { EditionsView } from './Editions.tsx';
import { AnalysisView } from './Analysis.tsx';
import { CityResults } from './CityResults.tsx';
import { UsersView } from './Users.tsx';

const STAFF = new Set(['admin', 'author', 'reviewer']);

/** The workbench's parameters from the location hash (`#/workbench?k=v`), bounded. */
function hashParams(): Map<string, string> {
  const h = location.hash.slice(0, 4000);
  const q = h.indexOf('?');
  const out = new Map<string, string>();
  if (q >= 0) for (const [k, v] of new URLSearchParams(h.slice(q + 1))) if (!out.has(k)) out.set(k, v.slice(0, 200));
  return out;
}

function useHashParams(): Map<string, string> {
  const [params, setParams] = useState(hashParams);
  useEffect(() => {
    const on = () => setParams(hashParams());
    window.addEventListener('hashchange', on);
    window.addEventListener('popstate', on);
    return () => {
      window.removeEventListener('hashchange', on);
      window.removeEventListener('popstate', on);
    };
  }, []);
  return params;
}

function pagesOf(role: string): string[] {
  if (role === 'city') return ['form', 'results'];
  if (role === 'admin') return ['status', 'editions', 'analysis', 'users'];
  if (STAFF.has(role)) return ['status', 'editions', 'analysis'];
  return [];
}

function Login({ lang, onDone }: { lang: WbLang; onDone(me: Me): void }) {
  const t = (k: string) => wbText(lang, k);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError('');
    try {
      const r = await api<{ csrf: string }>('POST', '/api/session', {
        username: String(form.get('username') ?? ''),
        password: String(form.get('password') ?? ''),
      });
      setCsrf(r.csrf);
      onDone(await api<Me>('GET', '/api/me'));
    } catch (err) {
      setError(err instanceof ApiError && err.status === 0 ? t('errors.network') : t('login.failed'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel wb-login" aria-labelledby="wb-login-title">
      <h1 id="wb-login-title">{t('login.title')}</h1>
      <p className="note">{t('login.intro')}</p>
      <form onSubmit={submit}>
        <p>
          <label>
            {t('login.username')}
            <input name="username" autoComplete="username" required maxLength={64} />
          </label>
        </p>
        <p>
          <label>
            {t('login.password')}
            <input name="password" type="password" autoComplete="current-password" required maxLength={1024} />
          </label>
        </p>
        {error ? (
          <p className="wb-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
    </section>
  );
}

/** The workbench in a language (the page's `lang`). */
export function Workbench({ lang }: { lang: WbLang }) {
  const t = useCallback((k: string, p?: Record<string, string | number>) => wbText(lang, k, p), [lang]);
  const params = useHashParams();
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [project, setProject] = useState<ProjectInfo | null>(null);
  const [fatal, setFatal] = useState('');

  useEffect(() => {
    let live = true;
    api<ProjectInfo>('GET', '/api/project')
      .then((p) => live && setProject(p))
      .catch((e: ApiError) => live && setFatal(e.status === 0 || e.status === 404 ? 'noPlatform' : e.message));
    api<Me>('GET', '/api/me')
      .then((m) => {
        setCsrf(m.csrf);
        if (live) setMe(m);
      })
      .catch(() => live && setMe(null));
    return () => {
      live = false;
    };
  }, []);

  const go = useCallback((changes: Record<string, string | null>) => {
    const next = hashParams();
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === '') next.delete(k);
      else next.set(k, v);
    }
    const qs = new URLSearchParams([...next]).toString();
    location.hash = `#/workbench${qs ? `?${qs}` : ''}`;
  }, []);

  const logout = async () => {
    try {
      await api('DELETE', '/api/session');
    } finally {
      setCsrf(undefined);
      setMe(null);
    }
  };

  const pages = useMemo(() => (me ? pagesOf(me.user.role) : []), [me]);
  if (fatal) return <p className="panel">{fatal === 'noPlatform' ? t('login.noPlatform') : fatal}</p>;
  if (me === undefined || !project)
    return (
      <p className="panel" role="status">
        {t('loading')}
      </p>
    );
  if (me === null) return <Login lang={lang} onDone={setMe} />;
  const page = pages.includes(params.get('page') ?? '') ? params.get('page')! : (pages[0] ?? '');
  const review = page === 'status' && params.get('unit');
  const props: WbProps = { lang, t, me, project, params, go };
  return (
    <div className="workbench">
      <div className="wb-bar">
        <nav aria-label={t('nav.label')}>
          <ul>
            {pages.map((p) => (
              <li key={p}>
                <a
                  href={`#/workbench?page=${p}${lang === 'en' ? '&lang=en' : ''}`}
                  aria-current={p === page && !review ? 'page' : undefined}
                >
                  {t(`nav.${p}`)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span className="wb-user">
          {t('login.signedIn', { user: me.user.username, role: t(`roles.${me.user.role}`) })}{' '}
          <button type="button" onClick={logout}>
            {t('login.logout')}
          </button>
        </span>
      </div>
      {page === '' ? (
        <p className="panel">{t('noViews')}</p>
      ) : review ? (
        <ReviewView {...props} />
      ) : page === 'status' ? (
        <StatusView {...props} />
      ) : page === 'editions' ? (
        <EditionsView {...props} />
      ) : page === 'analysis' ? (
        <AnalysisView {...props} />
      ) : page === 'users' ? (
        <UsersView {...props} />
      ) : page === 'results' ? (
        <CityResults {...props} />
      ) : (
        <OfficerForm {...props} />
      )}
    </div>
  );
}
