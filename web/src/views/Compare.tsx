/** Compare 2–4 cities side by side: every score and rank, and a radar of their dimensions. */
import { useTranslation } from 'react-i18next';
import type { ViewProps } from '../App.tsx';
import { formatRoute } from '../route.ts';
import { localText, unitName } from '../site.ts';
import { ChartLegend, EChart, PALETTE } from '../charts.tsx';
import { carry } from './Overview.tsx';

export const MAX_COMPARE = 4;

export function Compare({ site, route, lang, setParams }: ViewProps) {
  const { t } = useTranslation();
  const d = site.data;
  const chosen = [...new Set((route.params.get('u') ?? '').split(',').filter((c) => site.unitByCode.has(c)))].slice(
    0,
    MAX_COMPARE,
  );
  const set = (list: string[]) => setParams({ u: list.join(',') || null }, 'push');
  const nodeName = (c: string) => localText(site.nodeByCode.get(c)?.name, lang) || c;
  const dims = site.weightCodes;
  const radar =
    chosen.length && dims.length >= 3
      ? {
          tooltip: {},
          color: PALETTE,
          radar: { indicator: dims.map((c) => ({ name: nodeName(c), max: 100 })), radius: '60%' },
          series: [
            {
              type: 'radar',
              data: chosen.map((c) => ({
                name: unitName(site.unitByCode.get(c), lang),
                value: dims.map((k) => d.results.scores[k][site.rowOf.get(c)!] ?? 0),
              })),
            },
          ],
        }
      : null;
  const params = carry(route.params);
  return (
    <article>
      <h1>{t('compare.title')}</h1>
      <p className="note">{t('compare.hint')}</p>
      <div className="row">
        {chosen.map((c) => (
          <button
            key={c}
            type="button"
            className="chip"
            onClick={() => set(chosen.filter((x) => x !== c))}
            aria-label={t('compare.remove', { name: unitName(site.unitByCode.get(c), lang) })}
          >
            {unitName(site.unitByCode.get(c), lang)} ✕
          </button>
        ))}
        {chosen.length < MAX_COMPARE ? (
          <label>
            {t('compare.add')}{' '}
            <select value="" onChange={(e) => e.target.value && set([...chosen, e.target.value])}>
              <option value="">{t('compare.choose')}</option>
              {d.results.units
                .filter((c) => !chosen.includes(c))
                .map((c) => (
                  <option key={c} value={c}>
                    {unitName(site.unitByCode.get(c), lang)}
                  </option>
                ))}
            </select>
          </label>
        ) : null}
      </div>
      {chosen.length ? (
        <div className="scroll">
          <table data-testid="compare">
            <thead>
              <tr>
                <th scope="col">{t('overview.code')}</th>
                {chosen.map((c) => (
                  <th scope="col" key={c}>
                    <a href={formatRoute({ view: 'city', unit: c, params })}>
                      {unitName(site.unitByCode.get(c), lang)}
                    </a>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {site.aggregateCodes.map((k) => (
                <tr key={k}>
                  <th scope="row">{nodeName(k)}</th>
                  {chosen.map((c) => {
                    const r = site.rowOf.get(c)!;
                    const s = d.results.scores[k][r];
                    return (
                      <td key={c} className="num">
                        {s === null ? '–' : s.toFixed(2)}{' '}
                        <span className="rankcell">({d.results.ranks[k][r] ?? '–'})</span>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {radar ? <EChart option={radar} height={340} label={t('compare.title')} /> : null}
      {radar ? <ChartLegend names={chosen.map((c) => unitName(site.unitByCode.get(c), lang))} /> : null}
    </article>
  );
}
