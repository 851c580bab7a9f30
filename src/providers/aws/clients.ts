/**
 * The AWS SDK clients Stackwatch uses, built so that no call can hang and no unreadable answer
 * can pass for a real one.
 *
 * Timeouts: the locked @smithy/node-http-handler (4.14) only logs a warning when `requestTimeout`
 * passes, unless `throwOnRequestTimeout` is set; and `requestTimeout` stops counting once the
 * response headers arrive, so a body that stalls after them is caught by `socketTimeout` (idle).
 *
 * Answers: a middleware next to the transport turns the SDK's timeouts into NoAnswerError (once,
 * not retried inside the SDK, so the deployment can show "retrying" right away), and refuses a
 * CloudFormation success whose body is empty or is not that operation's XML answer: the SDK would
 * otherwise deserialize it into an empty result, and an empty DescribeStacks reads as "no stack".
 */
import * as l10n from '@vscode/l10n';
import { CloudFormationClient, type CloudFormationClientConfig } from '@aws-sdk/client-cloudformation';
import { S3Client } from '@aws-sdk/client-s3';
import { NoAnswerError, UnreadableResponseError, isSdkTimeout, looksLikeHtml, timeoutStage, type AwsService } from './errors';

export const DEFAULT_CONNECTION_TIMEOUT_MS = 5_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 20_000;

/** What the clients need from the provider's config (AwsProviderConfig has all of it). */
export interface AwsClientSettings {
  region: string;
  profile?: string;
  endpoint?: string;
  credentials?: CloudFormationClientConfig['credentials'];
  /** The SDK's own retries for throttling, 5xx and resets. Timeouts are never retried inside the SDK. */
  maxAttempts?: number;
  /** How long one request may wait for its complete answer. */
  requestTimeoutMs?: number;
  /** How long opening the connection may take. */
  connectionTimeoutMs?: number;
}

export interface Timeouts {
  connectMs: number;
  answerMs: number;
}

export function timeoutsOf(settings: Pick<AwsClientSettings, 'requestTimeoutMs' | 'connectionTimeoutMs'>): Timeouts {
  return {
    connectMs: positive(settings.connectionTimeoutMs) ?? DEFAULT_CONNECTION_TIMEOUT_MS,
    answerMs: positive(settings.requestTimeoutMs) ?? DEFAULT_REQUEST_TIMEOUT_MS,
  };
}

function positive(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Options for the SDK's NodeHttpHandler. */
export function requestHandlerOptions(timeouts: Timeouts): {
  connectionTimeout: number;
  requestTimeout: number;
  throwOnRequestTimeout: true;
  socketTimeout: number;
} {
  return {
    connectionTimeout: timeouts.connectMs,
    requestTimeout: timeouts.answerMs,
    throwOnRequestTimeout: true,
    socketTimeout: timeouts.answerMs,
  };
}

// ---------- the middleware next to the transport ----------

interface RawResponse {
  statusCode: number;
  headers: Record<string, string | undefined>;
  body: unknown;
}

type Context = { commandName?: string };
type CheckAnswer = (response: RawResponse, context: Context) => Promise<void>;

function isRawResponse(value: unknown): value is RawResponse {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<RawResponse>;
  return typeof candidate.statusCode === 'number' && typeof candidate.headers === 'object' && candidate.headers !== null;
}

function isTimeout(error: unknown): error is Error & { code?: unknown } {
  // The handler also names a connection reset TimeoutError; that is no wait, and the SDK's retry of it stays.
  return error instanceof Error && isSdkTimeout(error as Error & { code?: unknown }, error.name);
}

function noAnswer(error: Error, service: AwsService, timeouts: Timeouts): NoAnswerError {
  const stage = timeoutStage(error.message);
  return new NoAnswerError(service, stage, stage === 'connect' ? timeouts.connectMs : timeouts.answerMs, error);
}

/** Wraps the transport: timeouts become NoAnswerError, then the service's own check of the answer. */
function guardAnswers(service: AwsService, timeouts: Timeouts, check: CheckAnswer) {
  return <Args, Result extends { response: unknown }>(next: (args: Args) => Promise<Result>, context: Context) =>
    async (args: Args): Promise<Result> => {
      try {
        const result = await next(args);
        if (isRawResponse(result.response)) await check(result.response, context);
        return result;
      } catch (error) {
        throw isTimeout(error) ? noAnswer(error, service, timeouts) : error;
      }
    };
}

async function readBody(body: unknown): Promise<Uint8Array> {
  if (body === undefined || body === null) return new Uint8Array();
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function') return new Uint8Array();
  const chunks: Uint8Array[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
  return Buffer.concat(chunks);
}

/** Where a document's root element starts: after a byte-order mark, an XML declaration and comments. */
function rootElementName(xml: string): string | undefined {
  const rest = xml.replace(/^\uFEFF/, '').replace(/^\s*(<\?xml[^>]*\?>)?\s*((<!--[\s\S]*?-->)\s*)*/, '');
  return /^<([A-Za-z_][\w.:-]*)/.exec(rest)?.[1];
}

/**
 * CloudFormation answers every successful call with `<{Operation}Response …>` (the awsQuery
 * protocol). The whole body is read here, so a cut or stalled body fails now, with our words,
 * and the SDK deserializes the same bytes afterwards.
 */
const checkCloudFormationAnswer: CheckAnswer = async (response, context) => {
  let bytes: Uint8Array;
  try {
    bytes = await readBody(response.body);
  } catch (error) {
    if (isTimeout(error)) throw error;
    throw new UnreadableResponseError('CloudFormation', 'cut', response.statusCode, undefined, error);
  }
  response.body = bytes;
  if (response.statusCode < 200 || response.statusCode >= 300) return;
  const text = new TextDecoder().decode(bytes);
  if (text.trim() === '') throw new UnreadableResponseError('CloudFormation', 'empty', response.statusCode);
  if (looksLikeHtml(text)) throw new UnreadableResponseError('CloudFormation', 'html', response.statusCode);
  const operation = context.commandName?.replace(/Command$/, '');
  const root = rootElementName(text);
  if (root === undefined) throw new UnreadableResponseError('CloudFormation', 'notXml', response.statusCode);
  if (operation && root !== `${operation}Response`)
    throw new UnreadableResponseError('CloudFormation', 'unexpected', response.statusCode, `<${root.slice(0, 60)}>`);
};

/**
 * S3's PutObject success has an empty body, so the body proves nothing; the ETag it always
 * returns does. A 200 without one came from something else (a captive portal, a stub).
 */
const checkS3Answer: CheckAnswer = async (response, context) => {
  if (context.commandName !== 'PutObjectCommand' || response.statusCode < 200 || response.statusCode >= 300) return;
  const etag = Object.entries(response.headers).find(([key]) => key.toLowerCase() === 'etag')?.[1];
  if (!etag) throw new UnreadableResponseError('S3', 'incomplete', response.statusCode, l10n.t('the ETag header every stored object gets'));
};

/** Closest to the transport: inside the SDK's retries, before its deserializer. */
const GUARD_PLACEMENT = { step: 'deserialize', priority: 'low', name: 'stackwatchAnswerGuard' } as const;

export function createCloudFormationClient(settings: AwsClientSettings): CloudFormationClient {
  const timeouts = timeoutsOf(settings);
  const client = new CloudFormationClient({
    region: settings.region,
    profile: settings.profile,
    endpoint: settings.endpoint,
    credentials: settings.credentials,
    maxAttempts: settings.maxAttempts ?? 3,
    requestHandler: requestHandlerOptions(timeouts),
  });
  client.middlewareStack.add(guardAnswers('CloudFormation', timeouts, checkCloudFormationAnswer), GUARD_PLACEMENT);
  return client;
}

/**
 * Promise-returning because the S3 SDK used to be imported here on first use. It is a static import
 * now, inside the AWS bundle that itself loads only on the first deployment: a dynamic import of
 * '@aws-sdk/client-s3' kept every S3 command and shape in that bundle (177 KB for one PutObject),
 * and the bundle with S3 statically in it loads faster than it did with the dynamic import.
 */
export async function createS3Client(settings: AwsClientSettings): Promise<S3Client> {
  const timeouts = timeoutsOf(settings);
  const client = new S3Client({
    region: settings.region,
    profile: settings.profile,
    endpoint: settings.endpoint,
    forcePathStyle: settings.endpoint !== undefined,
    credentials: settings.credentials,
    maxAttempts: settings.maxAttempts ?? 3,
    requestHandler: requestHandlerOptions(timeouts),
  });
  client.middlewareStack.add(guardAnswers('S3', timeouts, checkS3Answer), GUARD_PLACEMENT);
  return client;
}
