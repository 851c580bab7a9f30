/**
 * An HTTP proxy between real SDK clients and a simulator that injects faults per request:
 * stalls, resets, truncated, garbled or rewritten bodies, lost responses, expired credentials.
 *
 *   const proxy = await FaultProxy.start({ upstream: sim.url });
 *   proxy.add({ match: { action: 'DescribeStackEvents' }, fault: { kind: 'stall' } });
 *   // point the SDK at proxy.url
 *
 * Requests to `/__faults` are the control route (see control.ts) and never reach the upstream.
 */
import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { closeServer, listenOn, readBody } from '../sim-kit/http';
import { actionOf } from './actions';
import { CONTROL_PATH, handleControl } from './control';
import { expiredCredentials, GARBAGE, type MadeResponse } from './responses';
import { RuleBook } from './rules';
import type { Fault, FaultRule, ProxyLogEntry } from './types';

const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** Headers that describe one hop, not the message; the proxy sets its own. */
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host', 'proxy-connection', 'upgrade']);

export interface FaultProxyOptions {
  /** The simulator's base URL, e.g. cfn-sim's `url` or im-sim's `rootUrl`. */
  upstream: string;
  /** Default 0 (ephemeral). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

interface Upstream {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export class FaultProxy {
  /** http://host:port, for AWS `endpoint`. */
  readonly url: string;
  /** url with a trailing slash, for googleapis `rootUrl`. */
  readonly rootUrl: string;
  private readonly rules = new RuleBook();
  private readonly entries: ProxyLogEntry[] = [];
  private readonly stalled = new Set<Socket>();
  private readonly listeners = new Set<(entry: ProxyLogEntry) => void>();
  private readonly agent = new Agent({ keepAlive: true });

  private constructor(
    private readonly server: Server,
    private readonly upstream: URL,
    url: string,
  ) {
    this.url = url;
    this.rootUrl = `${url}/`;
  }

  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const upstream = new URL(options.upstream);
    if (upstream.protocol !== 'http:') throw new TypeError(`the fault proxy forwards to http:// simulators only, got ${options.upstream}`);
    // The server exists before the proxy knows its own URL; requests cannot arrive before listen resolves.
    const ready: { proxy?: FaultProxy } = {};
    const server = createServer((req, res) => {
      if (ready.proxy) ready.proxy.handle(req, res);
      else res.destroy();
    });
    const url = await listenOn(server, options.host ?? '127.0.0.1', options.port ?? 0);
    ready.proxy = new FaultProxy(server, upstream, url);
    return ready.proxy;
  }

  add(rule: FaultRule): void {
    this.rules.add(rule);
  }

  /** Disarms every rule (stalled requests stay stalled; see releaseStalled). */
  clear(): void {
    this.rules.clear();
  }

  /** A clean slate between tests: no rules, no stalled connections, an empty log. */
  reset(): void {
    this.rules.clear();
    this.releaseStalled();
    this.entries.length = 0;
  }

  rulesArmed(): ReturnType<RuleBook['list']> {
    return this.rules.list();
  }

  /** Every request seen (control route excluded), oldest first. */
  get log(): ReadonlyArray<ProxyLogEntry> {
    return this.entries;
  }

  /** Resolves with the next log entry (from now on, or already logged if `includePast`) that got a fault of this kind / action. */
  waitForFault(match: { kind?: Fault['kind']; action?: string }, timeoutMs = 30_000): Promise<ProxyLogEntry> {
    const fits = (e: ProxyLogEntry): boolean =>
      e.fault !== undefined && (match.kind === undefined || e.fault === match.kind) && (match.action === undefined || e.action === match.action);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(
          new Error(
            `no ${match.kind ?? 'fault'} on ${match.action ?? 'any call'} within ${timeoutMs} ms; log: ${this.entries.map((e) => `${e.action ?? e.path}${e.fault ? `[${e.fault}]` : ''}`).join(' ')}`,
          ),
        );
      }, timeoutMs);
      const listener = (entry: ProxyLogEntry): void => {
        if (!fits(entry)) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(entry);
      };
      this.listeners.add(listener);
    });
  }

  /** Drops every stalled connection (the clients see a reset). */
  releaseStalled(): void {
    for (const socket of this.stalled) socket.destroy();
    this.stalled.clear();
  }

  async close(): Promise<void> {
    this.releaseStalled();
    this.agent.destroy();
    await closeServer(this.server);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    readBody(req, MAX_BODY_BYTES)
      .then((body) => this.route(req, res, body))
      .catch((error: unknown) => {
        if (!res.headersSent)
          send(res, {
            status: 502,
            headers: { 'content-type': 'text/plain' },
            body: Buffer.from(`fault-proxy: ${error instanceof Error ? error.message : String(error)}\n`),
          });
        else res.destroy();
      });
  }

  private async route(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    if (url.pathname === CONTROL_PATH || url.pathname.startsWith(`${CONTROL_PATH}/`)) {
      const { status, json } = handleControl(this, method, url.pathname, body.toString('utf8'));
      const text = JSON.stringify(json, null, 2);
      send(res, { status, headers: { 'content-type': 'application/json' }, body: Buffer.from(text) });
      return;
    }
    const contentType = req.headers['content-type'] ?? '';
    const action = actionOf(method, url.pathname, contentType, body);
    const fault = this.rules.take({ action, method, path: url.pathname });
    const entry: ProxyLogEntry = { at: Date.now(), action, method, path: url.pathname, fault: fault?.kind };
    this.entries.push(entry);
    if (fault) for (const listener of [...this.listeners]) listener(entry);

    const forward = (): Promise<Upstream> => this.forward(req, method, body);
    const isAwsQuery = contentType.includes('application/x-www-form-urlencoded');
    await applyFault(fault, { res, entry, forward, isAwsQuery, stall: (socket) => this.stall(socket) });
  }

  private stall(socket: Socket): void {
    this.stalled.add(socket);
    socket.once('close', () => this.stalled.delete(socket));
  }

  private forward(req: IncomingMessage, method: string, body: Buffer): Promise<Upstream> {
    const base = this.upstream.pathname.replace(/\/+$/, '');
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !HOP_HEADERS.has(name)) headers[name] = value;
    headers['content-length'] = String(body.length);
    return new Promise((resolve, reject) => {
      const upstreamReq = httpRequest(
        { protocol: 'http:', hostname: this.upstream.hostname, port: this.upstream.port, method, path: `${base}${req.url ?? '/'}`, headers, agent: this.agent },
        (upstreamRes) => {
          readBody(upstreamRes, MAX_BODY_BYTES).then(
            (data) => resolve({ status: upstreamRes.statusCode ?? 502, headers: messageHeaders(upstreamRes.headers), body: data }),
            reject,
          );
        },
      );
      upstreamReq.on('error', reject);
      upstreamReq.end(body);
    });
  }
}

interface FaultContext {
  res: ServerResponse;
  entry: ProxyLogEntry;
  forward(): Promise<Upstream>;
  isAwsQuery: boolean;
  stall(socket: Socket): void;
}

async function applyFault(fault: Fault | undefined, ctx: FaultContext): Promise<void> {
  const { res, entry } = ctx;
  const socket = res.socket;
  const answer = (response: MadeResponse): void => {
    entry.status = response.status;
    send(res, response);
  };
  const cut = (): void => {
    entry.status = 0;
    res.socket?.destroy();
  };
  switch (fault?.kind) {
    case undefined:
      return answer(await ctx.forward());
    case 'stall':
      entry.status = 0;
      if (socket) ctx.stall(socket);
      if (fault.forward) await ctx.forward();
      return;
    case 'reset':
      return cut();
    case 'lostResponse':
      await ctx.forward();
      return cut();
    case 'expiredCredentials':
      return answer(expiredCredentials(ctx.isAwsQuery));
    case 'httpStatus':
      return answer({ status: fault.status, headers: { 'content-type': fault.contentType ?? 'text/plain' }, body: Buffer.from(fault.body ?? '') });
    case 'delay': {
      const upstream = await ctx.forward();
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
      return answer(upstream);
    }
    case 'garbage': {
      const upstream = await ctx.forward();
      return answer({ status: 200, headers: { ...upstream.headers }, body: GARBAGE });
    }
    case 'rewrite': {
      const upstream = await ctx.forward();
      return answer({ ...upstream, body: Buffer.from(upstream.body.toString('utf8').split(fault.from).join(fault.to)) });
    }
    case 'truncate': {
      const upstream = await ctx.forward();
      const keep = Math.min(fault.keepBytes ?? Math.floor(upstream.body.length / 2), upstream.body.length);
      const kept = upstream.body.subarray(0, keep);
      if (fault.contentLength !== 'original') return answer({ ...upstream, body: kept });
      // Declares the whole length, sends part of it, then drops the connection mid-body.
      entry.status = upstream.status;
      res.writeHead(upstream.status, { ...upstream.headers, 'content-length': String(upstream.body.length) });
      res.write(kept, () => res.socket?.destroy());
      return;
    }
  }
}

function messageHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_HEADERS.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function send(res: ServerResponse, response: MadeResponse): void {
  if (res.destroyed) return;
  res.writeHead(response.status, { ...response.headers, 'content-length': String(response.body.length) });
  res.end(response.body);
}
