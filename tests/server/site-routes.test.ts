/**
 * The server's static routes for the public dashboard: files from memory with the site's CSP, only
 * known folders and extensions, no traversal or hidden files, the API's headers unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createServer, SITE_CSP } from '../../src/server/app.ts';
import { Store } from '../../src/store/store.ts';
import { systemPrincipal } from '../../src/store/principal.ts';

describe('site routes', () => {
  let store: Store;
  let app: FastifyInstance;
  let bare: FastifyInstance;
  beforeAll(async () => {
    store = await Store.open({ sqliteFile: ':memory:' });
    const empty = { slug: 'p', name: 'P', projectFile: 'project.yaml', files: [], nodes: [], units: [], values: [] };
    const project = await store.saveProject(systemPrincipal('test'), empty);
    const site = new Map<string, string | Uint8Array>([
      ['index.html', '<!doctype html><title>x</title>'],
      ['assets/app.js', 'console.log(1)'],
      ['data/site-data.js', 'globalThis.__CITYINDEX_SITE__ = {};'],
      ['downloads/results.csv', 'code\n1\n'],
      ['downloads/notes.txt', 'not a served type'],
      ['.cityindex-output', 'marker'],
    ]);
    app = await createServer({ store, project, site });
    bare = await createServer({ store, project });
  });
  afterAll(async () => {
    await app.close();
    await bare.close();
    await store.close();
  });

  it('serves the page and its files with the site CSP; the API keeps its own', async () => {
    const r = await app.inject({ url: '/' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-security-policy']).toBe(SITE_CSP);
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['x-cityindex-site']).toBeUndefined();
    const js = await app.inject({ url: '/assets/app.js' });
    expect(js.body).toBe('console.log(1)');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const csv = await app.inject({ url: '/downloads/results.csv' });
    expect(csv.headers['content-disposition']).toBe('attachment');
    const api = await app.inject({ url: '/api/health' });
    expect(api.headers['content-security-policy']).toMatch(/^default-src 'none'; frame-ancestors/);
    expect(api.headers['cache-control']).toBe('no-store');
    expect(SITE_CSP).not.toContain('unsafe');
  });

  it('refuses traversal, hidden files, other types and other folders; no site → 404', async () => {
    for (const url of [
      '/assets/..%2Fdata%2Fsite-data.js',
      '/assets/../index.html/x',
      '/data/.cityindex-output',
      '/downloads/notes.txt',
      '/src/app.js',
      '/assets/%00app.js',
      '/data/constructor',
      '/data/__proto__',
    ]) {
      const r = await app.inject({ url });
      expect(r.statusCode, url).toBe(404);
      expect(r.body).not.toContain('console.log');
    }
    expect((await bare.inject({ url: '/' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/', payload: {} })).statusCode).toBe(404);
  });
});
