/** The case library of the project: search by city, domain or words (both languages). */
import { useTranslation } from 'react-i18next';
import type { ViewProps } from '../App.tsx';
import { formatRoute } from '../route.ts';
import { localText } from '../site.ts';
import { caseMatches } from '../cases.ts';
import { carry } from './Overview.tsx';

/** The case library view. */
export function Cases({ site, route, lang, setParams }: ViewProps) {
  const { t } = useTranslation();
  const q = route.params.get('q') ?? '';
  const list = site.data.cases.filter((c) => caseMatches(c, q));
  return (
    <article>
      <h1>{t('cases.title')}</h1>
      <label className="search">
        <span className="visually-hidden">{t('cases.search')}</span>
        <input
          type="search"
          value={q}
          placeholder={t('cases.search')}
          onChange={(e) => setParams({ q: e.target.value })}
        />
      </label>
      {list.length ? (
        <ul className="cases" data-testid="cases">
          {list.map((c) => (
            <li key={c.id} className="panel">
              <h2>{localText(c.title, lang)}</h2>
              <p className="note">
                <a href={formatRoute({ view: 'city', unit: c.city, params: carry(route.params) })}>
                  {localText(c.cityName, lang)}
                </a>{' '}
                · {c.year} · {c.domains.map((d) => localText(d, lang)).join('、')}
              </p>
              <p>{localText(c.summary, lang)}</p>
              <ul className="case-sources note" aria-label={t('cases.sources')}>
                {c.sources.map((s, k) => (
                  <li key={k}>
                    {lang === 'en' && s.citationEn ? (
                      <>
                        {s.citationEn}{' '}
                        <span lang="zh" className="orig">
                          [{s.citation}]
                        </span>
                      </>
                    ) : (
                      s.citation
                    )}
                    {s.url ? (
                      <>
                        {' '}
                        <a href={s.url} rel="noopener noreferrer" target="_blank" className="url">
                          {s.url}
                        </a>
                      </>
                    ) : null}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('cases.none')}</p>
      )}
    </article>
  );
}
