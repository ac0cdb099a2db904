/**
 * The live fieldwork monitor over server-sent events: `GET /api/fieldwork/waves/:wave/events`. Staff only
 * (the monitor's own role check, at connection and at every check after). A browser's EventSource (it
 * asks for `text/event-stream`) keeps the stream: an `event: monitor` with the figures at once, then one
 * whenever they change (checked every few seconds: the monitor reads counters kept at submit time, so a
 * check costs a few small queries), a comment line every 15 s to keep proxies from closing it. Bounded:
 * at most `perUser` streams per user (one more is refused with 429); a stream ends when its session ends
 * (sign-out closes it at once, an expired session at the next check) or when the server closes. A client
 * that does not ask for a stream gets one event and the end of the response.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CityIndexError } from '../engine/core/errors.ts';
import type { Fieldwork, Monitor } from '../store/fieldwork.ts';
import type { Store } from '../store/store.ts';
import { SECURITY_HEADERS } from './security.ts';
// the request's principal and session (declared on FastifyRequest by app.ts)
import type {} from './app.ts';

/** Options of the live monitor route. */
export interface LiveMonitorOptions {
  fieldwork: Fieldwork;
  store: Store;
  /** The wave of the served project (refuses what the caller may not see). */
  waveOf: (req: FastifyRequest, slug: string) => Promise<{ slug: string }>;
  intervalMs: number;
  perUser: number;
}

/** Milliseconds between keep-alive comments on a quiet stream. */
const KEEP_ALIVE_MS = 15_000;

/**
 * One server-sent event.
 * @example sseEvent('monitor', { a: 1 }) // => 'event: monitor\ndata: {"a":1}\n\n'
 */
export function sseEvent(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The figures without their time stamp: what "changed" compares. */
const figures = (m: Monitor): string => JSON.stringify({ ...m, at: undefined });

/**
 * Mount the live monitor route (called by `registerFieldworkRoutes`).
 * @example // no-run: mounts a route on a Fastify app (tests/store/fieldwork-live.test.ts)
 * registerLiveMonitor(app, { fieldwork, store, waveOf, intervalMs: 2000, perUser: 4 });
 */
export function registerLiveMonitor(app: FastifyInstance, o: LiveMonitorOptions): void {
  /** Open streams by user id, each with its session token and how to end it. */
  const open = new Map<number, Set<{ session: string | undefined; end: (reason: string) => void }>>();
  const endWhere = (test: (session: string | undefined) => boolean, reason: string) => {
    for (const set of open.values()) for (const s of [...set]) if (test(s.session)) s.end(reason);
  };

  // sign-out ends that session's streams at once; closing the server ends them all
  app.addHook('onResponse', async (req) => {
    if (req.method === 'DELETE' && req.url.split('?')[0] === '/api/session' && req.sessionToken)
      endWhere((session) => session === req.sessionToken, 'signed out');
  });
  app.addHook('onClose', async () => endWhere(() => true, 'server closing'));

  app.get('/api/fieldwork/waves/:wave/events', async (req, reply) => {
    const slug = String((req.params as Record<string, string>).wave ?? '');
    const w = await o.waveOf(req, slug);
    const principal = req.principal;
    const first = await o.fieldwork.monitor(principal, w.slug);
    const accepts = String(req.headers.accept ?? '').includes('text/event-stream');
    if (!accepts || principal.kind !== 'user') {
      return reply.header('content-type', 'text/event-stream; charset=utf-8').send(sseEvent('monitor', first));
    }
    const mine = open.get(principal.userId) ?? new Set();
    if (mine.size >= o.perUser)
      throw new CityIndexError({
        code: 'E_RATE_LIMIT',
        message: `at most ${o.perUser} live monitors open per user / 每位用户最多同时打开 ${o.perUser} 个实时监控`,
        expected: 'close another monitor tab first',
      });
    reply.hijack();
    const raw = reply.raw;
    const headers: Record<string, string> = Object.fromEntries(SECURITY_HEADERS);
    raw.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    let last = figures(first);
    let lastWrite = Date.now();
    let busy = false;
    const write = (text: string) => {
      raw.write(text);
      lastWrite = Date.now();
    };
    write(`retry: ${o.intervalMs}\n` + sseEvent('monitor', first));
    const stream = {
      session: req.sessionToken,
      end: (reason: string) => {
        clearInterval(timer);
        mine.delete(stream);
        if (mine.size === 0) open.delete(principal.userId);
        if (!raw.writableEnded) {
          raw.write(sseEvent('end', { reason }));
          raw.end();
        }
      },
    };
    const timer = setInterval(async () => {
      if (busy) return;
      busy = true;
      try {
        // the session must still be valid, and the role still allowed to watch
        if (!req.sessionToken || !(await o.store.session(req.sessionToken))) return stream.end('session ended');
        const m = await o.fieldwork.monitor(principal, w.slug);
        const now = figures(m);
        if (now !== last) {
          last = now;
          write(sseEvent('monitor', m));
        } else if (Date.now() - lastWrite >= KEEP_ALIVE_MS) write(': keep-alive\n\n');
      } catch (e) {
        stream.end(e instanceof CityIndexError ? (e.issues[0]?.code ?? 'error') : 'error');
      } finally {
        busy = false;
      }
    }, o.intervalMs);
    mine.add(stream);
    open.set(principal.userId, mine);
    req.raw.on('close', () => stream.end('client closed'));
  });
}
