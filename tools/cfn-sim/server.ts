/**
 * The HTTP front: `POST /` carries awsQuery API calls, `/_sim/*` the control routes.
 * Every API call is recorded, may be hit by an injected fault, and first brings the
 * simulation up to the current simulated time.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readBody } from '../sim-kit/http';
import { ACTIONS, type ActionContext } from './actions';
import { SimError } from './errors';
import type { FaultBook } from './faults';
import { isS3Request } from './s3';
import { API_VERSION, errorDocument, newRequestId, parseForm, successDocument, XML_NAMESPACE } from './protocol';
import { accessKeyOf, changeSetStatusOf, eventIdsOf, type NewsBook } from './attribution';
import { callerIdentity, STS_ACTIONS, STS_XML_NAMESPACE } from './sts';
import type { XmlObject } from './xml';
import type { CallRecord, FaultKind } from './types';

export interface ServerDeps {
  actions: ActionContext;
  faults: FaultBook;
  calls: CallRecord[];
  /** Which events each caller has been given, for the calls' `news` flag. */
  news: NewsBook;
  /** Answers a /_sim route. */
  control(method: string, path: string, body: string): Promise<{ status: number; json: unknown }>;
  /** The simulator's own S3 (s3.ts): requests to `/bucket[/key]`. */
  s3?: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;
}

const MAX_BODY_BYTES = 8 * 1024 * 1024;

export function createSimServer(deps: ServerDeps): Server {
  return createServer((req, res) => {
    readBody(req, MAX_BODY_BYTES)
      .then((body) => {
        const path = new URL(req.url ?? '/', 'http://localhost').pathname;
        if (deps.s3 && isS3Request(req.method ?? 'GET', path)) deps.s3(req, res, body);
        else return route(deps, req, res, body.toString('utf8'));
      })
      .catch((error: unknown) => {
        if (!res.headersSent) sendXml(res, 500, errorDocument(internalFailure(), newRequestId()), newRequestId());
        console.error('cfn-sim: request failed', error);
      });
  });
}

async function route(deps: ServerDeps, req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path === '/_sim' || path.startsWith('/_sim/')) {
    const { status, json } = await deps.control(req.method ?? 'GET', path, body);
    const text = JSON.stringify(json, null, 2);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  if (req.method !== 'POST') {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('cfn-sim: POST awsQuery requests to /, or use /_sim/state\n');
    return;
  }
  handleApiCall(deps, req, res, body);
}

function handleApiCall(deps: ServerDeps, req: IncomingMessage, res: ServerResponse, body: string): void {
  const requestId = newRequestId();
  const params = parseForm(body);
  const action = params['Action'] ?? '';
  const { Action: _action, Version: _version, ...rest } = params;
  const authorization = req.headers.authorization;
  const record: CallRecord = { action, at: new Date().toISOString(), params: rest, status: 0, accessKeyId: accessKeyOf(authorization) };
  deps.calls.push(record);
  const namespace = STS_ACTIONS.has(action) ? STS_XML_NAMESPACE : XML_NAMESPACE;

  const fault = deps.faults.take(action);
  if (fault) {
    record.fault = fault;
    applyFault(fault, req, res, requestId, record, namespace);
    return;
  }

  let status = 200;
  let document: string;
  try {
    const result = answer(deps, action, params, record.accessKeyId);
    // Zero-second work the call started (an empty phase, an instant skip) is done before anyone looks.
    deps.actions.engine.sync();
    noteAnswer(deps, record, result);
    document = successDocument(action, result, requestId, namespace);
  } catch (error) {
    const simError = error instanceof SimError ? error : internalFailure();
    if (!(error instanceof SimError)) console.error(`cfn-sim: ${action} failed`, error);
    status = simError.status;
    document = errorDocument(simError, requestId, namespace);
  }
  record.status = status;
  record.answeredAt = new Date().toISOString();
  sendXml(res, status, document, requestId);
}

function answer(deps: ServerDeps, action: string, params: Record<string, string>, caller: string | undefined): XmlObject | undefined {
  if (action === '') throw new SimError('MissingAction', 'Missing Action');
  if (action === 'GetCallerIdentity') return callerIdentity(deps.actions.engine.options.accountId, caller);
  const handler = ACTIONS[action];
  if (!handler) throw new SimError('InvalidAction', `Could not find operation ${action} for version ${params['Version'] ?? API_VERSION}`);
  return handler(params, deps.actions);
}

/** What a benchmark needs to know about an answer, kept on the call's record. */
function noteAnswer(deps: ServerDeps, record: CallRecord, result: XmlObject | undefined): void {
  if (record.action === 'DescribeStackEvents') record.news = deps.news.note(record.accessKeyId, eventIdsOf(result));
  if (record.action === 'DescribeChangeSet') record.changeSetStatus = changeSetStatusOf(result);
}

function applyFault(fault: FaultKind, req: IncomingMessage, res: ServerResponse, requestId: string, record: CallRecord, namespace: string): void {
  if (fault === 'drop') {
    record.status = 0;
    req.socket.destroy();
    return;
  }
  const error = fault === 'throttle' ? new SimError('Throttling', 'Rate exceeded', 400) : internalFailure();
  record.status = error.status;
  record.answeredAt = new Date().toISOString();
  sendXml(res, error.status, errorDocument(error, requestId, namespace), requestId);
}

function internalFailure(): SimError {
  return new SimError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500, 'Receiver');
}

function sendXml(res: ServerResponse, status: number, document: string, requestId: string): void {
  res.writeHead(status, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(document),
    'x-amzn-requestid': requestId,
  });
  res.end(document);
}
