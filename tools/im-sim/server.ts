/**
 * The HTTP front: checks the bearer token, records the request, applies injected faults, brings
 * simulated time up to date, answers, and brings it up to date again so work that took zero
 * seconds (a lock, a zero-second step) is already done when the caller looks.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readBody } from '../sim-kit/http';
import { handleApi, type ApiResponse } from './api';
import type { SimContext } from './context';
import { GcpError, unauthenticated } from './errors';
import type { FaultBook } from './faults';
import { isSignedPath } from './planExport';
import type { ImSimRequestRecord } from './types';

export interface ServerDeps {
  ctx: SimContext;
  faults: FaultBook;
  requests: ImSimRequestRecord[];
  token(): string;
  rootUrl(): string;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;

export function createSimServer(deps: ServerDeps): Server {
  return createServer((req, res) => {
    readBody(req, MAX_BODY_BYTES)
      .then((body) => respond(res, answer(deps, req, body)))
      .catch((error: unknown) => {
        console.error('im-sim: request failed', error);
        if (!res.headersSent) respond(res, errorResponse(new GcpError(500, 'INTERNAL', 'Internal error encountered.')));
      });
  });
}

function answer(deps: ServerDeps, req: IncomingMessage, body: Buffer): ApiResponse {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = (req.method ?? 'GET').toUpperCase();
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = value;
  const record: ImSimRequestRecord = {
    method,
    path: url.pathname,
    query,
    at: new Date(deps.ctx.now()).toISOString(),
    authorization: req.headers.authorization !== undefined,
  };
  deps.requests.push(record);

  const finish = (response: ApiResponse): ApiResponse => {
    record.status = response.status;
    return response;
  };
  // A signed URL carries its authorization in the query; a bearer token is not asked for (and not looked at).
  if (!isSignedPath(url.pathname) && req.headers.authorization !== `Bearer ${deps.token()}`) return finish(errorResponse(unauthenticated()));
  const fault = deps.faults.take(method, url.pathname);
  if (fault) return finish(errorResponse(fault));

  try {
    deps.ctx.scheduler.runDue(deps.ctx.now());
    const response = handleApi(deps.ctx, { method, path: url.pathname, query, body, contentType: req.headers['content-type'] ?? '', rootUrl: deps.rootUrl() });
    deps.ctx.scheduler.runDue(deps.ctx.now());
    return finish(response);
  } catch (error) {
    if (error instanceof GcpError) return finish(errorResponse(error));
    throw error;
  }
}

function errorResponse(error: GcpError): ApiResponse {
  return { status: error.httpStatus, json: error.body() };
}

function respond(res: ServerResponse, response: ApiResponse): void {
  if (response.raw) {
    res.writeHead(response.status, { 'content-type': response.raw.contentType, 'content-length': response.raw.data.length });
    res.end(response.raw.data);
    return;
  }
  if (response.json === undefined) {
    res.writeHead(response.status);
    res.end();
    return;
  }
  const text = JSON.stringify(response.json);
  res.writeHead(response.status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
