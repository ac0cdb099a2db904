/** Methodology from the spec: the steps in words, the framework with weights and sources, the gaps. */
import { useTranslation } from 'react-i18next';
import type { ViewProps } from '../App.tsx';
import { localText } from '../site.ts';
import { sourceText } from './CityProfile.tsx';

export function Methodology({ site, lang }: ViewProps) {
  const { t } = useTranslation();
  const m = site.data.methodology;
  const nodeName = (c: string | null) => (c ? localText(site.nodeByCode.get(c)?.name, lang) || c : '');
  const dims = site.data.framework.nodes.filter((n) => n.kind === 'aggregate' && n.parent !== null);
  return (
    <article className="method">
      <h1>{t('method.title')}</h1>
      {site.data.project.description ? <p>{localText(site.data.project.description, lang)}</p> : null}
      <section className="panel">
        <h2>{t('method.steps')}</h2>
        <ol data-testid="steps">
          {m.steps.map((s) => (
            <li key={s.id}>{s.text[lang]}</li>
          ))}
        </ol>
      </section>
      <section className="panel">
        <h2>{t('method.framework')}</h2>
        <div className="scroll">
          <table data-testid="framework">
            <thead>
              <tr>
                <th scope="col">{t('whatif.indicator')}</th>
                <th scope="col">{t('method.weight')}</th>
                <th scope="col">{t('method.direction')}</th>
                <th scope="col">{t('method.unit')}</th>
                <th scope="col">{t('method.source')}</th>
              </tr>
            </thead>
            <tbody>
              {dims.map((dn) => (
                <tr key={dn.code} className="group">
                  <th scope="row" colSpan={1}>
                    {nodeName(dn.code)}
                  </th>
                  <td className="num">{+dn.weight.toFixed(4)}</td>
                  <td colSpan={3}>{dn.parent ? nodeName(dn.parent) : ''}</td>
                </tr>
              ))}
              {m.indicators.map((i) => (
                <tr key={i.code}>
                  <th scope="row">
                    {localText(i.name, lang) || i.code} <span className="alt">({nodeName(i.parent)})</span>
                  </th>
                  <td className="num">{+i.weight.toFixed(4)}</td>
                  <td>{i.direction === 1 ? t('method.positive') : t('method.negative')}</td>
                  <td>{i.unit ?? ''}</td>
                  <td>{sourceText(i.source)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="panel">
        <h2>{t('method.gaps')}</h2>
        {m.gaps.length ? (
          <ul data-testid="gaps-list">
            {m.gaps.map((g) => (
              <li key={g.code}>
                <span className="gap">{t('method.gapNote')}</span> {localText(g.name, lang) || g.code}{' '}
                <span className="alt">({nodeName(g.parent)})</span>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('method.noGaps')}</p>
        )}
      </section>
    </article>
  );
}
