/**
 * Turns whatever googleapis (gaxios) or google-auth-library throws into a ProviderError with a
 * code the machine can act on and a message a person can act on.
 */
import * as l10n from '@vscode/l10n';
import { callError, ProviderError, type ProviderErrorCode } from '../provider';
import { GCP_SETTING_KEYS } from './settings';

export interface ErrorContext {
  operation: string;
  endpoint?: string;
  project?: string;
  /**
   * The caller's signal. Each request also has its own timeout, which surfaces as an AbortError
   * too: with the caller's signal still live, such an abort is a slow answer, not a cancel.
   */
  signal?: AbortSignal;
}

const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  // node-fetch (under gaxios) when a connection closes mid-body: a truncated answer.
  'ERR_STREAM_PREMATURE_CLOSE',
  'Z_DATA_ERROR',
  'Z_BUF_ERROR',
]);

/** gaxios 8 sets `code: 'TimeoutError'` (and no HTTP status) when a request's own timeout fires. */
const TIMEOUT_CODES = new Set(['TimeoutError', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** google.rpc.Code names as they appear in `error.status` of a JSON error body. */
const RPC_STATUS: Record<string, ProviderErrorCode> = {
  RESOURCE_EXHAUSTED: 'Throttling',
  UNAVAILABLE: 'Transient',
  INTERNAL: 'Transient',
  DEADLINE_EXCEEDED: 'Transient',
  NOT_FOUND: 'NotFound',
  INVALID_ARGUMENT: 'Validation',
  OUT_OF_RANGE: 'Validation',
  UNAUTHENTICATED: 'Credentials',
  PERMISSION_DENIED: 'Credentials',
  ALREADY_EXISTS: 'Conflict',
  FAILED_PRECONDITION: 'Conflict',
  ABORTED: 'Conflict',
  UNIMPLEMENTED: 'Unsupported',
  CANCELLED: 'Aborted',
};

/** google-auth-library's ways of saying "no usable Application Default Credentials". */
const NO_CREDENTIALS = [
  /Could not load the default credentials/i,
  /Unable to find credentials/i,
  /credential file specified by the GOOGLE_APPLICATION_CREDENTIALS/i,
  /invalid_grant|invalid_rapt|reauth/i,
  /No access, refresh token, API key or refresh handler/i,
  // google-auth-library 10 when GOOGLE_APPLICATION_CREDENTIALS names a file that is not there.
  /The file at .* does not exist, or it is not a file/i,
];

interface ErrorShape {
  name?: unknown;
  /** Set on every GaxiosError: the request that failed. */
  config?: unknown;
  code?: unknown;
  status?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
  response?: { status?: unknown; data?: unknown };
}

interface RpcError {
  httpStatus?: number;
  rpcStatus?: string;
  message?: string;
  /** Cloud Storage's `errors[].reason` (its JSON API names no rpc status). */
  reasons?: string[];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function shapeOf(value: unknown): ErrorShape {
  return typeof value === 'object' && value !== null ? value : {};
}

/** Node wraps socket errors a level or two down (`cause`, AggregateError). */
function networkCode(error: ErrorShape, depth = 0): string | undefined {
  const code = text(error.code);
  if (code && (NETWORK.has(code) || TIMEOUT_CODES.has(code))) return code;
  if (depth >= 3) return undefined;
  if (typeof error.cause === 'object' && error.cause !== null) {
    const found = networkCode(shapeOf(error.cause), depth + 1);
    if (found) return found;
  }
  if (Array.isArray(error.errors)) {
    for (const inner of error.errors) {
      const found = networkCode(shapeOf(inner), depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** The `{ error: { code, status, message } }` body every Google API returns on failure. */
function rpcError(shape: ErrorShape): RpcError {
  const httpStatus =
    typeof shape.response?.status === 'number'
      ? shape.response.status
      : typeof shape.status === 'number'
        ? shape.status
        : typeof shape.code === 'number'
          ? shape.code
          : undefined;
  const data = shape.response?.data;
  const body = typeof data === 'object' && data !== null ? (data as { error?: unknown }).error : undefined;
  if (typeof body === 'object' && body !== null) {
    const { status, message, errors } = body as { status?: unknown; message?: unknown; errors?: unknown };
    const reasons = Array.isArray(errors)
      ? errors
          .map((e: unknown) => text(typeof e === 'object' && e !== null ? (e as { reason?: unknown }).reason : undefined))
          .filter((r): r is string => r !== undefined)
      : [];
    return { httpStatus, rpcStatus: text(status), message: text(message), reasons };
  }
  return { httpStatus, message: typeof data === 'string' && data.length < 500 ? text(data.trim()) : undefined };
}

/** An abort the caller did not ask for: gaxios' per-request timeout, however it is dressed. */
function isOwnTimeout(name: string, shape: ErrorShape, context: ErrorContext): boolean {
  if (context.signal?.aborted) return false;
  const code = text(shape.code);
  if (code === 'TimeoutError' || name === 'TimeoutError') return true;
  // Without the caller's signal there is no telling a timeout from a cancel: keep it a cancel.
  const aborted = name === 'AbortError' || /aborted/i.test(name) || code === 'AbortError';
  return aborted && context.signal !== undefined;
}

function classify(name: string, message: string, rpc: RpcError, shape: ErrorShape, context: ErrorContext): ProviderErrorCode {
  if (context.signal?.aborted) return 'Aborted';
  if (isOwnTimeout(name, shape, context)) return 'Transient';
  if (name === 'AbortError' || /aborted/i.test(name) || text(shape.code) === 'AbortError') return 'Aborted';
  if (NO_CREDENTIALS.some((pattern) => pattern.test(message))) return 'Credentials';
  const byRpc = rpc.rpcStatus ? RPC_STATUS[rpc.rpcStatus] : undefined;
  if (byRpc) return byRpc;
  const status = rpc.httpStatus;
  if (status === 429) return 'Throttling';
  if (status !== undefined && status >= 500) return 'Transient';
  // "Not found" decides things (missing, deleted, done), so only Google saying so counts: a
  // bare 404 (a proxy's or load balancer's page) says nothing about the resource.
  if (status === 404) return isGoogleNotFound(rpc) ? 'NotFound' : 'Transient';
  if (status === 401 || status === 403) return 'Credentials';
  if (status === 409 || status === 412) return 'Conflict';
  if (status === 400) return 'Validation';
  if (networkCode(shape) || /socket hang up|ECONNRESET|network error|fetch failed|premature close|invalid response body/i.test(message)) return 'Transient';
  // A request that got no HTTP answer at all (reset, cut, unreadable): nothing was learned, so
  // the caller may ask again. A bad endpoint URL is the one such failure asking again cannot fix.
  if (shape.config !== undefined && rpc.httpStatus === undefined) return invalidUrl(shape) ? 'Validation' : 'Transient';
  return 'Unknown';
}

/** Google's own "not found": the rpc status, or Cloud Storage's reason (its errors carry no status). */
function isGoogleNotFound(rpc: RpcError): boolean {
  return rpc.rpcStatus === 'NOT_FOUND' || (rpc.reasons ?? []).includes('notFound');
}

/** An HTTP 404 whose body is not Google's error: the answer came from something else. */
function isBare404(rpc: RpcError, code: ProviderErrorCode): boolean {
  return code === 'Transient' && rpc.httpStatus === 404 && !isGoogleNotFound(rpc);
}

function invalidUrl(shape: ErrorShape, depth = 0): boolean {
  if (text(shape.code) === 'ERR_INVALID_URL') return true;
  return depth < 3 && typeof shape.cause === 'object' && shape.cause !== null && invalidUrl(shapeOf(shape.cause), depth + 1);
}

function hintFor(code: ProviderErrorCode, rpc: RpcError, context: ErrorContext): string | undefined {
  switch (code) {
    case 'Credentials':
      if (rpc.httpStatus === 403 || rpc.rpcStatus === 'PERMISSION_DENIED') {
        return l10n.t(
          'Your credentials work but lack a permission this call needs in project {0}: grant roles/config.admin (and storage access to the staging bucket), and check the service account in {1}.',
          context.project ?? l10n.t({ message: '(unset)', comment: ['Shown in place of a project ID that is not set.'] }),
          GCP_SETTING_KEYS.serviceAccount,
        );
      }
      return l10n.t('Run "gcloud auth application-default login", or set GOOGLE_APPLICATION_CREDENTIALS to a service account key file, then deploy again.');
    case 'Transient':
      return context.endpoint
        ? l10n.t('Check that the endpoint in {0} ({1}) is running and reachable.', GCP_SETTING_KEYS.endpoint, context.endpoint)
        : l10n.t('Check your network connection; Google APIs did not answer.');
    case 'Conflict':
      return l10n.t('Another operation holds the deployment (or the preview went stale). Deploy again to start from its current state.');
    case 'NotFound':
      return context.project
        ? l10n.t('Check {0} and {1} (project "{2}").', GCP_SETTING_KEYS.project, GCP_SETTING_KEYS.location, context.project)
        : l10n.t('Check {0} and {1}.', GCP_SETTING_KEYS.project, GCP_SETTING_KEYS.location);
    default:
      return undefined;
  }
}

export function toProviderError(error: unknown, context: ErrorContext): ProviderError {
  if (error instanceof ProviderError) return error;
  const shape = shapeOf(error);
  const name = text(shape.name) ?? 'Error';
  const rawMessage = text(shape.message) ?? String(error);
  const rpc = rpcError(shape);
  const code = classify(name, rawMessage, rpc, shape, context);
  const net = networkCode(shape) ?? (code === 'Transient' && isOwnTimeout(name, shape, context) ? 'TimeoutError' : undefined);
  let message = rpc.message ?? rawMessage;
  if (code === 'Credentials' && NO_CREDENTIALS.some((pattern) => pattern.test(rawMessage))) {
    message = l10n.t('No usable Google Application Default Credentials ({0}).', rawMessage.split('\n')[0] ?? '');
  } else if (code === 'Transient' && net && TIMEOUT_CODES.has(net)) {
    message = context.endpoint
      ? l10n.t('Google Cloud at {0} did not answer in time ({1}).', context.endpoint, net)
      : l10n.t('Google Cloud did not answer in time ({0}).', net);
  } else if (code === 'Transient' && net) {
    message = context.endpoint
      ? l10n.t('Could not reach Google Cloud at {0} ({1}).', context.endpoint, net)
      : l10n.t('Could not reach Google Cloud ({0}).', net);
  } else if (code === 'Throttling') {
    message = l10n.t('Google Cloud is limiting the request rate ({0}).', message);
  } else if (isBare404(rpc, code)) {
    message = context.endpoint
      ? l10n.t(
          "Google Cloud at {0} answered 404 without Google's error body (a proxy's or load balancer's page, not Infrastructure Manager saying the resource is missing); asking again.",
          context.endpoint,
        )
      : l10n.t(
          "Google Cloud answered 404 without Google's error body (a proxy's or load balancer's page, not Infrastructure Manager saying the resource is missing); asking again.",
        );
  }
  return callError(code, context.operation, message, {
    cause: error,
    hint: hintFor(code, rpc, context),
    providerCode: isBare404(rpc, code) ? 'UNREADABLE_RESPONSE' : (rpc.rpcStatus ?? (rpc.httpStatus !== undefined ? String(rpc.httpStatus) : name)),
  });
}
