/**
 * Turns whatever the AWS SDK throws into a ProviderError with a code the machine can act on
 * and a message a person can act on.
 *
 * Three rules hold here:
 * - every exception CloudFormation models has a deliberate code (the table in errorTables.ts fails to compile
 *   when the SDK adds one);
 * - an answer that never came (a timeout) or could not be read (cut off, empty, HTML from a
 *   proxy, not XML) is Transient: a failed read must never decide an outcome;
 * - "No updates are to be performed." is recognisable (isNoUpdatesError), because it means
 *   "no changes", not failure.
 */
import * as l10n from '@vscode/l10n';
import { callError, ProviderError, type ProviderErrorCode } from '../provider';
import {
  CREDENTIALS,
  MODELED_EXCEPTIONS,
  NETWORK,
  NO_UPDATES,
  NO_UPDATES_PROVIDER_CODE,
  NOT_FOUND,
  THROTTLING,
  TRANSIENT,
  VALIDATION,
  VALIDATION_MEANINGS,
  hintText,
  type Mapping,
  type ModeledExceptionName,
} from './errorTables';

export { MODELED_EXCEPTIONS, NO_UPDATES_PROVIDER_CODE } from './errorTables';

export type AwsService = 'CloudFormation' | 'S3';

/** Names the settings a message should point at; filled by the adapter from its config. */
export interface ErrorContext {
  operation: string;
  endpoint?: string;
  profile?: string;
  region?: string;
  /** Which service the call went to, for messages. CloudFormation unless said otherwise. */
  service?: AwsService;
}

// ---------- errors our clients raise (see clients.ts) ----------

/**
 * A call that got no answer in time: no connection within the connection timeout, or no
 * complete answer within the request timeout.
 *
 * The SDK's own error is kept as `original`, deliberately not as `cause`: the SDK's retry
 * strategy follows `cause` and would retry the timeout itself, hiding the stall for several
 * timeouts in a row. Surfacing it after one lets the deployment show "retrying" at once.
 */
export class NoAnswerError extends Error {
  override readonly name = 'NoAnswerError';
  constructor(
    readonly service: AwsService,
    readonly stage: 'connect' | 'answer',
    readonly waitedMs: number,
    readonly original?: unknown,
  ) {
    super(l10n.t('{0} did not answer within {1} ms ({2}).', service, waitedMs, stage));
  }
}

/** Why an answer could not be read. */
export type UnreadableKind =
  /** A 2xx with no body, where the service always sends one. */
  | 'empty'
  /** An HTML page: a proxy, gateway, firewall or captive portal answered instead of AWS. */
  | 'html'
  /** The connection closed before the whole body arrived (e.g. a lying Content-Length). */
  | 'cut'
  /** The body does not parse as XML. */
  | 'notXml'
  /** Well-formed, but not the answer this operation gets (a different root element). */
  | 'unexpected'
  /** Not a success, and no error code to tell what went wrong. */
  | 'noErrorCode'
  /** A success status without what every real answer carries (S3 PutObject: an ETag). */
  | 'incomplete';

export class UnreadableResponseError extends Error {
  override readonly name = 'UnreadableResponseError';
  constructor(
    readonly service: AwsService,
    readonly kind: UnreadableKind,
    readonly httpStatus: number | undefined,
    readonly detail?: string,
    /** Not `cause`, for the same reason as NoAnswerError. */
    readonly original?: unknown,
  ) {
    super(
      httpStatus !== undefined
        ? l10n.t('The answer from {0} could not be read ({1}, HTTP {2}).', service, kind, httpStatus)
        : l10n.t('The answer from {0} could not be read ({1}).', service, kind),
    );
  }
}

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $fault?: unknown;
  $response?: unknown;
  $responseBodyText?: unknown;
  cause?: unknown;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Node wraps socket errors a level or two down (`cause`, AggregateError). */
function networkCode(error: SdkErrorShape, depth = 0): string | undefined {
  const code = text(error.code);
  if (code && NETWORK.has(code)) return code;
  if (depth < 3 && typeof error.cause === 'object' && error.cause !== null) return networkCode(error.cause, depth + 1);
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

function isModeled(name: string): name is ModeledExceptionName {
  return Object.hasOwn(MODELED_EXCEPTIONS, name);
}

/**
 * The SDK's own timeouts (@smithy/node-http-handler names them TimeoutError). A connection reset
 * is named TimeoutError too, but it is not a wait: it keeps its network code path.
 */
export function isSdkTimeout(shape: Pick<SdkErrorShape, 'code'>, name: string): boolean {
  const code = text(shape.code);
  return name === 'TimeoutError' && code !== 'ECONNRESET' && code !== 'EPIPE';
}

/** Which wait a timeout's message names: the SDK says "establish a connection" when it never connected. */
export function timeoutStage(message: string): 'connect' | 'answer' {
  return /establish a connection/i.test(message) ? 'connect' : 'answer';
}

/** The SDK could not parse what came back: it says so in the message and keeps the raw answer. */
function isDeserializationError(shape: SdkErrorShape, message: string): boolean {
  if (shape.$fault !== undefined) return false;
  return /Deserialization error|XML parse error/i.test(message) || (text(shape.name) === 'SyntaxError' && shape.$response !== undefined);
}

export function looksLikeHtml(body: string): boolean {
  return /^\s*(<!doctype\s+html|<html[\s>])/i.test(body);
}

/** Describes what a raw SDK deserialization error got, without echoing the body itself. */
function unreadableFromSdk(shape: SdkErrorShape, message: string, status: number | undefined, service: AwsService): UnreadableResponseError {
  const body = typeof shape.$responseBodyText === 'string' ? shape.$responseBodyText : undefined;
  if (networkCode(shape) || /^aborted\b/i.test(message)) return new UnreadableResponseError(service, 'cut', status);
  if (body !== undefined && body.trim() === '') return new UnreadableResponseError(service, 'empty', status);
  if (body !== undefined && looksLikeHtml(body)) return new UnreadableResponseError(service, 'html', status);
  const parser = message
    .split('\n')[0]
    ?.replace(/^@aws-sdk\s+/, '')
    .replace(/\.+$/, '')
    .slice(0, 120);
  return new UnreadableResponseError(service, 'notXml', status, parser);
}

function seconds(ms: number): string {
  return l10n.t('{0} s', Math.round(ms) / 1000);
}

function noAnswerMessage(error: NoAnswerError | { service: AwsService; stage: 'connect' | 'answer'; waitedMs?: number }, context: ErrorContext): string {
  const waited = error.waitedMs !== undefined ? seconds(error.waitedMs) : undefined;
  if (error.stage === 'connect') {
    if (context.endpoint) {
      return waited !== undefined
        ? l10n.t('could not connect to {0} at {1} within {2}.', error.service, context.endpoint, waited)
        : l10n.t('could not connect to {0} at {1} in time.', error.service, context.endpoint);
    }
    return waited !== undefined
      ? l10n.t('could not connect to {0} within {1}.', error.service, waited)
      : l10n.t('could not connect to {0} in time.', error.service);
  }
  return waited !== undefined ? l10n.t('{0} did not answer within {1}.', error.service, waited) : l10n.t('{0} did not answer in time.', error.service);
}

/** What was wrong with the answer, as a clause after "could not be read:". */
function unreadableWhat(error: UnreadableResponseError, operation: string): string {
  const status = error.httpStatus;
  const detail = error.detail;
  switch (error.kind) {
    case 'empty':
      return status !== undefined ? l10n.t('it was empty (HTTP {0})', status) : l10n.t('it was empty');
    case 'html':
      return status !== undefined
        ? l10n.t('it was an HTML page (HTTP {0}), which usually comes from a proxy, gateway or firewall in between', status)
        : l10n.t('it was an HTML page, which usually comes from a proxy, gateway or firewall in between');
    case 'cut':
      return status !== undefined ? l10n.t('it was cut off before the end (HTTP {0})', status) : l10n.t('it was cut off before the end');
    case 'notXml':
      if (status !== undefined)
        return detail ? l10n.t('it is not valid XML (HTTP {0}): {1}', status, detail) : l10n.t('it is not valid XML (HTTP {0})', status);
      return detail ? l10n.t('it is not valid XML: {0}', detail) : l10n.t('it is not valid XML');
    case 'unexpected':
      if (status !== undefined) {
        return detail
          ? l10n.t('it is not an answer to {0} (HTTP {1}) (it starts with {2})', operation, status, detail)
          : l10n.t('it is not an answer to {0} (HTTP {1})', operation, status);
      }
      return detail ? l10n.t('it is not an answer to {0} (it starts with {1})', operation, detail) : l10n.t('it is not an answer to {0}', operation);
    case 'noErrorCode':
      return status !== undefined
        ? l10n.t('it reports a failure (HTTP {0}) but carries no error code', status)
        : l10n.t('it reports a failure but carries no error code');
    case 'incomplete': {
      const lacking = detail ?? l10n.t('what a real answer carries');
      return status !== undefined ? l10n.t('it says success (HTTP {0}) but lacks {1}', status, lacking) : l10n.t('it says success but lacks {0}', lacking);
    }
  }
}

function unreadableMessage(error: UnreadableResponseError, operation: string): string {
  return l10n.t('the answer from {0} could not be read: {1}.', error.service, unreadableWhat(error, operation));
}

/** The operation's SDK name (DescribeStacks) from our context label, for messages. */
function operationName(context: ErrorContext): string {
  return context.operation.split(/[\s:]/)[0] ?? context.operation;
}

function endpointHint(context: ErrorContext): string {
  if (context.endpoint) return l10n.t('Check that the endpoint in stackwatch.aws.endpoint ({0}) is running and reachable.', context.endpoint);
  return context.region
    ? l10n.t('Check your network connection and the region in stackwatch.aws.region ("{0}").', context.region)
    : l10n.t('Check your network connection and the region in stackwatch.aws.region.');
}

function unreadableHint(context: ErrorContext): string {
  return context.endpoint
    ? l10n.t('Check that stackwatch.aws.endpoint ({0}) points at a CloudFormation-compatible service and nothing answers in its place.', context.endpoint)
    : l10n.t('A proxy, firewall or captive portal between you and AWS may be answering in its place: check your network and any HTTPS_PROXY setting.');
}

function credentialsHint(name: string, context: ErrorContext): string {
  if (/AccessDenied|AuthFailure/.test(name))
    return l10n.t('Your credentials work but lack a permission this call needs: check the IAM policy of the profile or role in use.');
  return context.profile
    ? l10n.t(
        'Check your AWS credentials: the stackwatch.aws.profile setting ("{0}"), AWS_PROFILE / AWS_ACCESS_KEY_ID, or run "aws sso login".',
        context.profile,
      )
    : l10n.t('Check your AWS credentials: the stackwatch.aws.profile setting, AWS_PROFILE / AWS_ACCESS_KEY_ID, or run "aws sso login".');
}

interface Decision {
  code: ProviderErrorCode;
  message: string;
  hint?: string;
  providerCode: string;
}

function decide(error: unknown, shape: SdkErrorShape, context: ErrorContext): Decision {
  const service = context.service ?? 'CloudFormation';
  const name = text(shape.name) ?? text(shape.Code) ?? 'Error';
  const rawMessage = text(shape.message) ?? String(error);
  const status = typeof shape.$metadata?.httpStatusCode === 'number' ? shape.$metadata.httpStatusCode : undefined;

  if (error instanceof NoAnswerError) return { code: 'Transient', message: noAnswerMessage(error, context), hint: endpointHint(context), providerCode: name };
  if (error instanceof UnreadableResponseError) {
    return { code: 'Transient', message: unreadableMessage(error, operationName(context)), hint: unreadableHint(context), providerCode: name };
  }
  if (name === 'AbortError' || name === 'AbortedError') return { code: 'Aborted', message: rawMessage, providerCode: name };
  if (isSdkTimeout(shape, name)) {
    // A client built without clients.ts: the SDK's message says which timeout and how long.
    const waited = /(\d+) ?ms/.exec(rawMessage)?.[1];
    const stage = timeoutStage(rawMessage);
    return {
      code: 'Transient',
      message: noAnswerMessage({ service, stage, waitedMs: waited ? Number(waited) : undefined }, context),
      hint: endpointHint(context),
      providerCode: name,
    };
  }
  if (isDeserializationError(shape, rawMessage)) {
    const unreadable = unreadableFromSdk(shape, rawMessage, status, service);
    return {
      code: 'Transient',
      message: unreadableMessage(unreadable, operationName(context)),
      hint: unreadableHint(context),
      providerCode: 'UnreadableResponse',
    };
  }
  if (isModeled(name)) {
    const mapping: Mapping = MODELED_EXCEPTIONS[name];
    return { code: mapping.code, message: rawMessage, hint: mapping.hint && hintText(mapping.hint), providerCode: name };
  }
  if (name === 'Unknown' && shape.$fault !== undefined) {
    // The SDK's name for an error answer with no code in it (an empty 500, a proxy's 403 page):
    // AWS always sends a code, so something else answered; what happened is not known.
    const unreadable = new UnreadableResponseError(service, 'noErrorCode', status);
    return { code: 'Transient', message: unreadableMessage(unreadable, operationName(context)), hint: unreadableHint(context), providerCode: name };
  }
  if (THROTTLING.has(name) || status === 429)
    return { code: 'Throttling', message: l10n.t('{0} is throttling requests ({1}).', service, rawMessage), providerCode: name };
  if (CREDENTIALS.has(name)) {
    const message = name === 'CredentialsProviderError' ? l10n.t('No AWS credentials were found ({0}).', rawMessage) : rawMessage;
    return { code: 'Credentials', message, hint: credentialsHint(name, context), providerCode: name };
  }
  const net = networkCode(shape);
  if (net)
    return {
      code: 'Transient',
      message: context.endpoint
        ? l10n.t('Could not reach {0} at {1} ({2}).', service, context.endpoint, net)
        : l10n.t('Could not reach {0} ({1}).', service, net),
      hint: endpointHint(context),
      providerCode: name,
    };
  if (TRANSIENT.has(name) || /socket hang up|network error/i.test(rawMessage) || (status !== undefined && status >= 500)) {
    return { code: 'Transient', message: rawMessage, hint: endpointHint(context), providerCode: name };
  }
  if (name === 'ValidationError') {
    const meaning = VALIDATION_MEANINGS.find((m) => m.pattern.test(rawMessage));
    if (meaning) return { code: meaning.code, message: rawMessage, hint: meaning.hint && hintText(meaning.hint), providerCode: meaning.providerCode ?? name };
  }
  if (VALIDATION.has(name)) return { code: 'Validation', message: rawMessage, providerCode: name };
  if (NOT_FOUND.has(name)) return { code: 'NotFound', message: rawMessage, providerCode: name };
  if (status === 403) return { code: 'Credentials', message: rawMessage, hint: credentialsHint(name, context), providerCode: name };
  return { code: 'Unknown', message: rawMessage, providerCode: name };
}

export function toProviderError(error: unknown, context: ErrorContext): ProviderError {
  if (error instanceof ProviderError) return error;
  const shape: SdkErrorShape = typeof error === 'object' && error !== null ? error : {};
  const decision = decide(error, shape, context);
  return callError(decision.code, context.operation, decision.message, {
    cause: error,
    hint: decision.hint,
    providerCode: decision.providerCode,
  });
}

/**
 * CloudFormation's "No updates are to be performed." (a ValidationError from CreateChangeSet or
 * UpdateStack): the stack already matches, which is "no changes", not a failure.
 */
export function isNoUpdatesError(error: unknown): boolean {
  if (error instanceof ProviderError) return error.details.providerCode === NO_UPDATES_PROVIDER_CODE;
  const shape: SdkErrorShape = typeof error === 'object' && error !== null ? error : {};
  return text(shape.name) === 'ValidationError' && NO_UPDATES.test(text(shape.message) ?? '');
}
