/**
 * Calls an endpoint does not know. The failure reads (DescribeEvents, GetHookResult) are newer
 * than some CloudFormation-compatible endpoints (moto, LocalStack, older simulators): such an
 * endpoint answers InvalidAction, UnknownOperation, a 404 or "not implemented". That is remembered
 * for the window's context, so the call is never asked again and each read degrades to what the
 * stack events alone tell.
 */
import { ProviderError } from '../provider';
import type { AwsContext } from './context';

export type OptionalCall = 'DescribeEvents' | 'GetHookResult';

const UNKNOWN_CALL_CODES = new Set([
  'InvalidAction',
  'UnknownOperation',
  'UnknownOperationException',
  'NotImplemented',
  'NotImplementedException',
  'UnsupportedOperation',
]);
const UNKNOWN_CALL_WORDS = /not (?:yet )?(?:been )?implemented|unknown (?:operation|action)|could not find operation|is not (?:a )?valid action/i;

/**
 * `customEndpoint`: the window talks to an endpoint of its own (stackwatch.aws.endpoint). moto
 * answers a call it lacks with its web server's HTML error page (HTTP 500), which from AWS would
 * be a proxy in between; from a custom endpoint it is taken as "no such call", which costs at most
 * the failure details of this window.
 */
export function isUnsupportedCall(error: unknown, customEndpoint = false): boolean {
  if (!(error instanceof ProviderError)) return false;
  if (UNKNOWN_CALL_CODES.has(error.details.providerCode ?? '')) return true;
  const status = httpStatusOf(error.details.cause);
  if (customEndpoint && status === 500 && error.details.providerCode === 'UnreadableResponse' && /HTML page/.test(error.message)) return true;
  // A 404 that is not CloudFormation's own "not found" (a missing change set or stack) is a route the endpoint lacks.
  if ((status === 404 && error.code !== 'NotFound') || status === 501) return true;
  return UNKNOWN_CALL_WORDS.test(error.message);
}

function httpStatusOf(cause: unknown): number | undefined {
  if (typeof cause !== 'object' || cause === null || !('$metadata' in cause)) return undefined;
  const metadata = (cause as { $metadata?: { httpStatusCode?: unknown } }).$metadata;
  return typeof metadata?.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
}

const unsupportedByContext = new WeakMap<AwsContext, Set<OptionalCall>>();

export function rememberUnsupported(ctx: AwsContext, call: OptionalCall): void {
  let calls = unsupportedByContext.get(ctx);
  if (!calls) unsupportedByContext.set(ctx, (calls = new Set()));
  calls.add(call);
}

export function knownUnsupported(ctx: AwsContext, call: OptionalCall): boolean {
  return unsupportedByContext.get(ctx)?.has(call) ?? false;
}
