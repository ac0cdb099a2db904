/**
 * The overview's regional findings: sentences and a chart of group means, computed by a second engine
 * worker from the results the page shows (published, or re-weighted: recomputed when the reader's
 * settings settle). See web/src/regional.ts.
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { startRegionalEngine } from '../engine-client.ts';
import type { LiveSettings } from '../choices.ts';
import type { RegionalFindings } from '../regional.ts';
import { unitName, type Lang, type Site } from '../site.ts';
import { EChart } from '../charts.tsx';

export function RegionalPanel(props: {
  site: Site;
  lang: Lang;
  settings: LiveSettings | null;
  grouping: string | null;
  onGrouping(g: string): void;
}) {
  const { t } = useTranslation();
  const { site, lang, settings } = props;
  const key = JSON.stringify(settings);
  const [found, setFound] = useState<{ key: string; value: RegionalFindings } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stale = false;
    // wait for the reader to stop moving a slider
    const timer = setTimeout(() => {
      startRegionalEngine(site)
        .then((e) => e.request({ kind: 'regional', ...(settings ?? {}) }))
        .then((r) => {
          if (stale) return;
          setFound({ key, value: r.value as RegionalFindings });
          setError(null);
        })
        .catch((e: Error) => !stale && setError(e.message));
    }, 300);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- key is the serialised settings (a new object each render)
  }, [site, key]);
  const f = found?.value ?? null;
  const g = f?.groupings.find((x) => x.grouping === props.grouping) ?? f?.groupings[0] ?? null;
  const option = useMemo(() => {
    if (!g) return null;
    const labels = [...g.groups.map((x) => x.name[lang]), t('regional.national')];
    return {
      grid: { left: 40, right: 10, top: 20, bottom: 60 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, rotate: labels.length > 4 ? 30 : 0 } },
      yAxis: { type: 'value' },
      series: [
        {
          type: 'bar',
          data: [
            ...g.groups.map((x) => Math.round(x.mean * 10) / 10),
            { value: Math.round(g.national * 10) / 10, itemStyle: { color: '#57606a' } },
          ],
          itemStyle: { color: '#2b6cb0' },
        },
      ],
    };
  }, [g, lang, t]);
  if (!site.data.analyses?.regional && !site.data.analyses?.spatial) return null;
  return (
    <section className="panel regional" aria-labelledby="regional-title" data-testid="regional">
      <h2 id="regional-title">{t('regional.title')}</h2>
      <p className="note">{settings ? t('regional.live') : t('regional.published')}</p>
      {error ? <p role="alert">{t('common.error', { msg: error })}</p> : null}
      {!f ? (
        <p className="note">{t('weights.computing')}</p>
      ) : (
        <>
          <ul className="findings" data-testid="regional-findings" data-key={found?.key}>
            {f.sentences.map((s) => (
              <li key={s.id} data-id={s.id}>
                {s.text[lang]}
              </li>
            ))}
          </ul>
          {f.groupings.length ? (
            <label>
              {t('regional.grouping')}
              <select value={g?.grouping ?? ''} onChange={(e) => props.onGrouping(e.target.value)}>
                {f.groupings.map((x) => (
                  <option key={x.grouping} value={x.grouping}>
                    {x.name[lang]}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          {g && option ? (
            <>
              <EChart option={option} height={240} label={`${t('regional.chart')} · ${g.name[lang]}`} />
              <table className="visually-hidden">
                <caption>{`${t('regional.chart')} · ${g.name[lang]}`}</caption>
                <tbody>
                  {g.groups.map((x) => (
                    <tr key={x.group}>
                      <th scope="row">{x.name[lang]}</th>
                      <td>{x.mean.toFixed(1)}</td>
                      <td>{x.leader ? unitName(site.unitByCode.get(x.leader.unit), lang) : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}
        </>
      )}
    </section>
  );
}
