/**
 * The advanced re-weighting panel of the overview: indicator weights grouped by dimension, and the
 * normalisation and aggregation choice. Every change goes into the URL (`iw`, `norm`, `agg`); the
 * engine worker recomputes with the real pipeline (see `LiveSession.specOf`).
 */
import { useTranslation } from 'react-i18next';
import { formatWeights } from '../route.ts';
import { AGGREGATE_CHOICES, NORMALISE_CHOICES } from '../choices.ts';
import { localText, type Lang, type Site } from '../site.ts';

/** Indicators (level 1) under each slider-level node, with published weights; empty when level ≤ 1. */
export function indicatorGroups(site: Site): Array<{ parent: string; codes: string[] }> {
  if (site.weightLevel === null || site.weightLevel <= 1) return [];
  const fw = site.data.live.input.framework;
  const byCode = new Map(fw.nodes.map((n) => [n.code, n] as const));
  const top = (code: string): string | null => {
    let n = byCode.get(code);
    while (n && n.level < site.weightLevel!) n = n.parent ? byCode.get(n.parent) : undefined;
    return n && n.level === site.weightLevel ? n.code : null;
  };
  const groups = new Map<string, string[]>(site.weightCodes.map((c) => [c, []]));
  for (const n of fw.nodes) if (n.level === 1) groups.get(top(n.code) ?? '')?.push(n.code);
  return [...groups].map(([parent, codes]) => ({ parent, codes })).filter((g) => g.codes.length > 0);
}

export function AdvancedPanel(props: {
  site: Site;
  lang: Lang;
  indicators: ReadonlyMap<string, number>;
  published: ReadonlyMap<string, number>;
  normalise: string | undefined;
  aggregate: string | undefined;
  setParams(changes: Record<string, string | null>, mode?: 'push' | 'replace'): void;
}) {
  const { t } = useTranslation();
  const { site, lang, indicators, published } = props;
  const name = (c: string) => localText(site.nodeByCode.get(c)?.name, lang) || c;
  const groups = indicatorGroups(site);
  return (
    <details className="advanced" data-testid="advanced" open={props.normalise || props.aggregate ? true : undefined}>
      <summary>{t('advanced.title')}</summary>
      <div className="row">
        <label>
          {t('advanced.normalise')}
          <select
            value={props.normalise ?? ''}
            onChange={(e) => props.setParams({ norm: e.target.value || null }, 'push')}
          >
            <option value="">{t('advanced.asPublished')}</option>
            {Object.keys(NORMALISE_CHOICES).map((k) => (
              <option key={k} value={k}>
                {t(`advanced.norm.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('advanced.aggregate')}
          <select
            value={props.aggregate ?? ''}
            onChange={(e) => props.setParams({ agg: e.target.value || null }, 'push')}
          >
            <option value="">{t('advanced.asPublished')}</option>
            {Object.keys(AGGREGATE_CHOICES).map((k) => (
              <option key={k} value={k}>
                {t(`advanced.agg.${k}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {groups.map((g) => (
        <fieldset key={g.parent} className="indicator-weights">
          <legend>{name(g.parent)}</legend>
          {g.codes.map((c) => {
            const w = indicators.get(c) ?? 0;
            return (
              <div className="slider" key={c}>
                <label htmlFor={`iw-${c}`}>{name(c)}</label>
                <input
                  id={`iw-${c}`}
                  type="range"
                  min={0}
                  max={5}
                  step={0.1}
                  value={w}
                  aria-valuetext={w.toFixed(1)}
                  onChange={(e) => {
                    const next = new Map(indicators);
                    next.set(c, Number(e.target.value));
                    props.setParams({ iw: formatWeights(next, published) || null });
                  }}
                />
                <output htmlFor={`iw-${c}`}>{w.toFixed(1)}</output>
              </div>
            );
          })}
        </fieldset>
      ))}
    </details>
  );
}
