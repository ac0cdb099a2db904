/**
 * A city's change over time on its profile (the project's change analysis: the followed score and its
 * rank per period). Not shown at all when the project has one period.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { EChart } from '../charts.tsx';
import type { Site } from '../site.ts';

export function ChangePanel({ site, unit }: { site: Site; unit: string }) {
  const { t } = useTranslation();
  const c = site.data.change;
  const j = c ? c.units.indexOf(unit) : -1;
  const option = useMemo(() => {
    if (!c || j < 0) return null;
    return {
      grid: { left: 40, right: 10, top: 20, bottom: 30 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: c.periods },
      yAxis: { type: 'value', inverse: true, minInterval: 1, min: 1 },
      series: [{ type: 'bar', data: c.ranks.map((r) => r[j]), itemStyle: { color: '#2b6cb0' } }],
    };
  }, [c, j]);
  if (!c || j < 0 || c.periods.length < 2) return null;
  return (
    <section className="panel" aria-labelledby="change-title" data-testid="change">
      <h2 id="change-title">{t('change.title')}</h2>
      {c.relativeScores ? <p className="note">{t('change.relative')}</p> : null}
      {option ? <EChart option={option} height={200} label={t('change.title')} /> : null}
      <div className="scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('change.period')}</th>
              <th scope="col">{t('col.score')}</th>
              <th scope="col">{t('col.rank')}</th>
            </tr>
          </thead>
          <tbody>
            {c.periods.map((p, i) => (
              <tr key={p}>
                <th scope="row">{p}</th>
                <td className="num">{c.scores[i][j] === null ? '–' : c.scores[i][j]!.toFixed(2)}</td>
                <td className="num">{c.ranks[i][j] ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
