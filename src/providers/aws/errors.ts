/**
 * Turns whatever the AWS SDK throws into a ProviderError with a code the machine can act on
 * and a message a person can act on.
 */
import { ProviderError, type ProviderErrorCode } from '../provider';

/** Names the settings a message should point at; filled by the adapter from its config. */
export interface ErrorContext {
  operation: string;
  endpoint?: string;
  profile?: string;
  region?: string;
}

const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException', 'RequestThrottled', 'SlowDown']);
const TRANSIENT = new Set(['InternalFailure', 'InternalError', 'ServiceUnavailable', 'ServiceUnavailableException', 'RequestTimeout', 'RequestTimeoutException', 'TimeoutError']);
const CREDENTIALS = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'AccessDenied',
  'AccessDeniedException',
  'AuthFailure',
  'TokenProviderError',
]);
const CONFLICT = new Set(['AlreadyExistsException', 'InvalidChangeSetStatus', 'TokenAlreadyExistsException', 'OperationInProgressException', 'ConcurrentResourcesLimitExceeded']);
const NOT_FOUND = new Set(['ChangeSetNotFound', 'ChangeSetNotFoundException', 'StackNotFoundException', 'NoSuchBucket']);
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENOTFOUND', 'UND_ERR_SOCKET']);

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $fault?: unknown;
  cause?: unknown;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Node wraps socket errors a level or two down (`cause`, AggregateError). */
function networkCode(error: SdkErrorShape, depth = 0): string | undefined {
  const code = text(error.code);
  if (code && NETWORK.has(code)) return code;
  if (depth < 3 && typeof error.cause === 'object' && error.cause !== null) return networkCode(error.cause as SdkErrorShape, depth + 1);
  const errors = (error as { errors?: unknown }).errors;
  if (depth < 3 && Array.isArray(errors)) {
    for (const inner of errors) {
      if (typeof inner === 'object' && inner !== null) {
        const found = networkCode(inner as SdkErrorShape, depth + 1);
        if (found) return found;
      }
    }
  }
  return undefined;
}

function classify(name: string, message: string, status: number | undefined, shape: SdkErrorShape): ProviderErrorCode {
  if (name === 'AbortError' || name === 'AbortedError') return 'Aborted';
  if (THROTTLING.has(name) || status === 429) return 'Throttling';
  if (CREDENTIALS.has(name)) return 'Credentials';
  if (networkCode(shape) || TRANSIENT.has(name) || /socket hang up|ECONNRESET|network error/i.test(message)) return 'Transient';
  if (status !== undefined && status >= 500) return 'Transient';
  if (NOT_FOUND.has(name) || (name === 'ValidationError' && /does not exist/i.test(message))) return 'NotFound';
  if (CONFLICT.has(name) || (name === 'ValidationError' && /_IN_PROGRESS state and can ?not be updated/i.test(message))) return 'Conflict';
  if (name === 'ValidationError' || name === 'InsufficientCapabilitiesException' || name === 'LimitExceededException') return 'Validation';
  if (status === 403) return 'Credentials';
  return 'Unknown';
}

function hintFor(code: ProviderErrorCode, name: string, context: ErrorContext): string | undefined {
  switch (code) {
    case 'Credentials':
      if (/AccessDenied|AuthFailure/.test(name)) return 'Your credentials work but lack a permission this call needs: check the IAM policy of the profile or role in use.';
      return `Check your AWS credentials: the stackwatch.aws.profile setting${context.profile ? ` ("${context.profile}")` : ''}, AWS_PROFILE / AWS_ACCESS_KEY_ID, or run "aws sso login".`;
    case 'Transient':
      return context.endpoint
        ? `Check that the endpoint in stackwatch.aws.endpoint (${context.endpoint}) is running and reachable.`
        : `Check your network connection and the region in stackwatch.aws.region${context.region ? ` ("${context.region}")` : ''}.`;
    case 'Conflict':
      return 'Another operation is running on the stack. Deploy again to watch it, or wait for it to finish.';
    case 'Validation':
      if (name === 'InsufficientCapabilitiesException') return 'Add the capability to the stackwatch.capabilities setting.';
      return undefined;
    default:
      return undefined;
  }
}

export function toProviderError(error: unknown, context: ErrorContext): ProviderError {
  if (error instanceof ProviderError) return error;
  const shape: SdkErrorShape = typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};
  const name = text(shape.name) ?? text(shape.Code) ?? 'Error';
  const rawMessage = text(shape.message) ?? String(error);
  const status = typeof shape.$metadata?.httpStatusCode === 'number' ? shape.$metadata.httpStatusCode : undefined;
  const code = classify(name, rawMessage, status, shape);
  const net = networkCode(shape);
  let message = rawMessage;
  if (code === 'Credentials' && name === 'CredentialsProviderError') message = `No AWS credentials were found (${rawMessage}).`;
  if (code === 'Transient' && net) message = `Could not reach CloudFormation${context.endpoint ? ` at ${context.endpoint}` : ''} (${net}).`;
  if (code === 'Throttling') message = `Throttled by CloudFormation (${rawMessage}).`;
  return new ProviderError(code, `${context.operation}: ${message}`, { cause: error, hint: hintFor(code, name, context), providerCode: name });
}
