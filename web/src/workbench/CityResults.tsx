/**
 * A city officer's results of their own city in the latest published edition: the score and rank at the
 * index and every dimension beside the median of all cities, and the gaps (短板): the dimensions where
 * the city scores below the median. Only published editions are readable by city officers.
 */
import { useEffect, useState } from 'react';
import { api } from './api.ts';
import { fmtNum, localName, type WbProps } from './context.ts';
import { useEditions } from './Editions.tsx';
import { cityLines, type ResultsTable } from './figures.ts';

export function CityResults(props: WbProps) {
  const { t, lang, me, project, params } = props;
  const unit = me.cities.includes(params.get('unit') ?? '') ? params.get('unit')! : (me.cities[0] ?? '');
  const { editions } = useEditions();
  const published = (editions ?? []).filter((e) => e.status === 'published');
  const latest = published[published.length - 1];
  const [table, setTable] = useState<ResultsTable | null>(null);
  useEffect(() => {
    if (!latest) return;
    let live = true;
    api<{ edition: { results: ResultsTable } }>('GET', `/api/editions/${latest.id}`)
      .then((r) => live && setTable(r.edition.results))
      .catch(() => live && setTable(null));
    return () => {
      live = false;
    };
  }, [latest]);
  const cityName = localName(project.units.find((u) => u.code === unit)?.name, lang, unit);
  const root = project.framework.find((n) => n.parent === null);
  const dims = project.framework.filter((n) => root && n.parent === root.code && n.kind !== 'indicator');
  const codes = root ? [root.code, ...dims.map((d) => d.code)] : [];
  const lines = table ? cityLines(table, unit, codes) : [];
  const gaps = lines.slice(1).filter((l) => l.score !== null && l.median !== null && l.score < l.median);
  const name = (code: string) => localName(project.framework.find((n) => n.code === code)?.name, lang, code);
  return (
    <section className="panel" aria-labelledby="wb-res-title">
      <h1 id="wb-res-title">{t('results.title', { city: cityName })}</h1>
      {editions && !latest ? <p>{t('results.none')}</p> : null}
      {latest && table ? (
        <>
          <p>
            {t('results.edition', { name: latest.name })} · {t('results.of', { n: table.rows.length })}
          </p>
          <table className="wb-table" data-testid="city-results">
            <caption className="visually-hidden">{t('results.title', { city: cityName })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('results.level')}</th>
                <th scope="col" className="num">
                  {t('results.score')}
                </th>
                <th scope="col" className="num">
                  {t('results.rank')}
                </th>
                <th scope="col" className="num">
                  {t('results.median')}
                </th>
              </tr>
            </thead>
            <tbody>
              {lines.map((l) => (
                <tr key={l.code}>
                  <th scope="row">{name(l.code)}</th>
                  <td className="num">{fmtNum(l.score)}</td>
                  <td className="num">{l.rank ?? '—'}</td>
                  <td className="num">{fmtNum(l.median)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{t('results.gaps')}</h2>
          {gaps.length ? (
            <ul data-testid="gaps">
              {gaps.map((g) => (
                <li key={g.code}>
                  {name(g.code)}: {fmtNum(g.score)} &lt; {fmtNum(g.median)}
                </li>
              ))}
            </ul>
          ) : (
            <p>{t('results.noGaps')}</p>
          )}
        </>
      ) : null}
    </section>
  );
}
