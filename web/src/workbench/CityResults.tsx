/**
 * A city officer's results of their own city in the latest published edition: the score and rank at the
 * index and every dimension beside the median of all cities, and the gaps (短板): the dimensions where
 * the city scores below the median. Only published editions are readable by city officers.
 */
import { useEffect, useState } from 'react';
import { api } from './api.ts';
import { fmtNum, localName, type WbProps } from './context.ts';
import { useEditions } from './Editions.tsx';

interface ResultsTable {
  header: string[];
  rows: Array<Array<string | number | null>>;
}

/** A city's line at each aggregate of a results table, with the median of all cities. */
export interface CityLine {
  code: string;
  score: number | null;
  rank: number | null;
  median: number | null;
}

/**
 * The lines of a unit in a results table for the given aggregates.
 * @example
 * const table = { header: ['code', 'name_zh', 'name_en', 'I', 'I_rank'],
 *   rows: [['1', '', '', 10, 3], ['2', '', '', 30, 1], ['3', '', '', 20, 2]] };
 * cityLines(table, '1', ['I']) // => [{ code: 'I', score: 10, rank: 3, median: 20 }]
 */
export function cityLines(table: ResultsTable, unit: string, codes: readonly string[]): CityLine[] {
  const row = table.rows.find((r) => String(r[0]) === unit);
  return codes.map((code) => {
    const i = table.header.indexOf(code);
    const j = table.header.indexOf(`${code}_rank`);
    const all = table.rows
      .map((r) => r[i])
      .filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
      .sort((a, b) => a - b);
    const m = all.length >> 1;
    const median = all.length === 0 ? null : all.length % 2 ? all[m] : (all[m - 1] + all[m]) / 2;
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
    return { code, score: row && i >= 0 ? num(row[i]) : null, rank: row && j >= 0 ? num(row[j]) : null, median };
  });
}

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
