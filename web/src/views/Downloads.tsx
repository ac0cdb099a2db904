/**
 * Downloads of the edition: the files `cityindex export-site` put in `downloads/` (results, workbook, the
 * report in HTML and, when exported with `--pdf`, PDF; the project's input files as a zip).
 */
import { useTranslation } from 'react-i18next';
import type { ViewProps } from '../App.tsx';

const LABELS: ReadonlyArray<[string, string]> = [
  ['results.csv', 'downloads.csv'],
  ['results.xlsx', 'downloads.xlsx'],
  ['report.html', 'downloads.report'],
  ['report.zh.html', 'downloads.reportZh'],
  ['report.en.html', 'downloads.reportEn'],
  ['report.pdf', 'downloads.pdf'],
  ['report.zh.pdf', 'downloads.pdfZh'],
  ['report.en.pdf', 'downloads.pdfEn'],
  ['project.zip', 'downloads.project'],
];

export function Downloads({ site }: ViewProps) {
  const { t } = useTranslation();
  const have = new Set(site.data.downloads ?? []);
  const list = LABELS.filter(([f]) => have.has(f));
  return (
    <article>
      <h1>{t('downloads.title')}</h1>
      {list.length ? (
        <ul data-testid="downloads">
          {list.map(([f, label]) => (
            <li key={f}>
              <a href={`downloads/${f}`} download>
                {t(label)}
              </a>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('downloads.none')}</p>
      )}
      {list.length && !list.some(([f]) => f.endsWith('.pdf')) ? <p className="note">{t('downloads.noPdf')}</p> : null}
    </article>
  );
}
