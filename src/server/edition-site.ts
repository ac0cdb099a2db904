/**
 * The public site of `serve`, from the store's latest published edition: the page's assets (built
 * once) plus the edition's data files, built once per edition (`editionSiteFiles`, seconds) and kept
 * as bytes with a strong ETag each, so a request after the first costs one small read of the latest
 * edition's id. Only the latest edition is kept; a publish starts its build at once (`refresh`).
 * Before the first publish the page is a polite bilingual notice with the staff's way in
 * (`#/workbench`, which the page's script opens without site data); when the latest edition's site
 * could not be built (logged), a notice saying so instead.
 */
import { createHash } from 'node:crypto';
import type { OutputFiles } from '../formats/output.ts';
import { escapeHtml } from '../report/markdown.ts';
import { systemPrincipal } from '../store/principal.ts';
import type { Edition, ProjectInfo, Store } from '../store/store.ts';

/** One file of the site as served: its bytes and ETag. */
export interface SiteFile {
  body: Buffer;
  etag: string;
}

/** Where the site's files come from (createServer's `editionSite` option). */
export interface EditionSiteSource {
  /** The page's own files (index.html, assets/…), as `siteAssetFiles` gives them. */
  assets: ReadonlyMap<string, string | Uint8Array>;
  /** The data files of a published edition (default: `editionSiteFiles` of the store). */
  build?: (editionId: number) => Promise<OutputFiles>;
  /** Told when an edition's site could not be built (default: a line on standard error). */
  onError?: (edition: Edition, error: unknown) => void;
}

/**
 * A file as served: bytes and a strong ETag from their SHA-256.
 * @example siteFile('a').etag // => '"ypeBEsobvcr6wjGzmiPcTaeG7_gUfE5yuYB3ha_uSLs"'
 */
export function siteFile(content: string | Uint8Array): SiteFile {
  const body = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url')}"` };
}

/**
 * The page shown before any edition is published (or, `failed`, when the latest edition's site could not
 * be built): both languages, the staff's sign-in link, the site's stylesheet and script (which opens the
 * workbench at `#/workbench`), no site data.
 * @example noEditionPage('成都').includes('尚未发布') // => true
 * @example noEditionPage('成都', true).includes('暂时无法显示') // => true
 */
export function noEditionPage(projectName: string, failed = false): string {
  const name = escapeHtml(projectName);
  const zh = failed
    ? '最新发布的版本暂时无法显示，管理人员已收到记录。请稍后再来。'
    : '本指数尚未发布任何版本。首个版本发布后，排名、地图和城市画像将在此显示。';
  const en = failed
    ? 'The latest published edition cannot be shown at the moment; the error was logged for the staff. ' +
      'Please come back later.'
    : 'No edition of this index has been published yet. Rankings, the map and city profiles will appear here ' +
      'once the first edition is published.';
  return `<!doctype html>
<html lang="zh-CN">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    <title>${name} · ${failed ? '暂时无法显示 · Unavailable' : '尚未发布 · Not published yet'}</title>
    <link rel="stylesheet" href="assets/app.css" />
  </head>
  <body>
    <div id="root">
      <main class="no-edition">
        <h1>${name}</h1>
        <p>${zh}</p>
        <p lang="en">${en}</p>
        <p><a href="#/workbench">工作人员登录 <span lang="en">/ Staff sign-in</span></a></p>
      </main>
    </div>
    <script src="assets/app.js"></script>
  </body>
</html>
`;
}

/** The cache of the public site (one per server). */
export class EditionSite {
  private readonly assets = new Map<string, SiteFile>();
  private readonly noEdition: SiteFile;
  private readonly unavailable: SiteFile;
  private current: { id: number; files: Promise<Map<string, SiteFile> | null> } | undefined;

  constructor(
    private readonly store: Store,
    private readonly project: ProjectInfo,
    private readonly source: EditionSiteSource & { build: (editionId: number) => Promise<OutputFiles> },
  ) {
    for (const [name, content] of source.assets) this.assets.set(name, siteFile(content));
    this.noEdition = siteFile(noEditionPage(project.name));
    this.unavailable = siteFile(noEditionPage(project.name, true));
  }

  /** The latest published edition's data files, built on first use (null: none published, or it failed). */
  private async editionFiles(): Promise<Map<string, SiteFile> | null> {
    const latest = await this.store.latestPublishedEdition(systemPrincipal('site'), this.project.id);
    if (!latest) return null;
    if (this.current?.id !== latest.id) {
      const files = this.source
        .build(latest.id)
        .then(async (out) => {
          const map = new Map<string, SiteFile>();
          for (const [name, content] of out)
            map.set(name, siteFile(typeof content === 'function' ? await content() : content));
          return map;
        })
        .catch((e: unknown) => {
          (this.source.onError ?? defaultOnError)(latest, e);
          return null;
        });
      this.current = { id: latest.id, files };
    }
    return this.current.files;
  }

  /** Start building the latest published edition's site now (after a publish, at start). */
  refresh(): void {
    void this.editionFiles().catch(() => undefined);
  }

  /** A file of the site by its path (`index.html`, `assets/x.js`, `data/x.js`, `downloads/x`), or undefined. */
  async file(name: string): Promise<SiteFile | undefined> {
    if (name.startsWith('data/') || name.startsWith('downloads/')) return (await this.editionFiles())?.get(name);
    if (name === 'index.html') {
      const files = await this.editionFiles();
      return files ? this.assets.get(name) : this.current ? this.unavailable : this.noEdition;
    }
    return this.assets.get(name);
  }
}

function defaultOnError(edition: Edition, e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`cityindex: the site of edition ${edition.id} could not be built: ${message}\n`);
}
