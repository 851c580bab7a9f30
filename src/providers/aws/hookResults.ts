/**
 * Hooks on stack events, and their results' annotations (GetHookResult).
 *
 * A stack event a hook wrote carries HookType, HookStatus, HookStatusReason, HookInvocationPoint
 * and HookFailureMode, and its HookInvocationId is the HookResultId GetHookResult takes (the CDK
 * CLI reads them the same way). DescribeEvents' HOOK_INVOCATION_ERROR events carry the same hook
 * fields but no invocation ID: their annotations come from the stack event of the same resource
 * and hook, read in the same poll or remembered from an earlier one in this window.
 *
 * GetHookResult is best effort: a hook that encrypts its results needs kms:Decrypt, an endpoint
 * may not know the call. A failed read leaves the annotations out and changes nothing else.
 */
import { GetHookResultCommand, type OperationEvent, type StackEvent } from '@aws-sdk/client-cloudformation';
import type { HookAnnotation, HookFailure } from '../provider';
import type { AwsContext } from './context';
import { isUnsupportedCall, rememberUnsupported, knownUnsupported } from './unsupportedCalls';

type HookFields = Pick<StackEvent | OperationEvent, 'HookType' | 'HookStatus' | 'HookStatusReason' | 'HookInvocationPoint' | 'HookFailureMode'>;

/** The hook an event tells of, when a hook wrote it. */
export function hookOf(event: HookFields): HookFailure | undefined {
  if (!event.HookType || !event.HookStatus) return undefined;
  return {
    type: event.HookType,
    status: event.HookStatus,
    ...(event.HookStatusReason ? { reason: event.HookStatusReason } : {}),
    ...(event.HookInvocationPoint ? { invocationPoint: event.HookInvocationPoint } : {}),
    ...(event.HookFailureMode ? { failureMode: event.HookFailureMode } : {}),
  };
}

/** A hook that failed (or warned of) the operation: the ones whose results are worth reading. */
export function isFailedHook(status: string | undefined): boolean {
  return status === 'HOOK_COMPLETE_FAILED' || status === 'HOOK_FAILED';
}

/** What GetHookResult adds to a stack event's hook: the annotations, and its own (often fuller) reason. */
export type HookResultDetails = Pick<HookFailure, 'annotations' | 'reason'>;

/** Results read in this window, by stack, resource and hook: DescribeEvents' copies take them from here. */
const resultsByContext = new WeakMap<AwsContext, Map<string, HookResultDetails>>();

function hookKey(stackId: string | undefined, logicalId: string | undefined, hookType: string): string {
  return `${stackId ?? ''}|${logicalId ?? ''}|${hookType}`;
}

export function rememberedHookResult(
  ctx: AwsContext,
  event: Pick<OperationEvent, 'StackId' | 'LogicalResourceId' | 'HookType'>,
): HookResultDetails | undefined {
  if (!event.HookType) return undefined;
  return resultsByContext.get(ctx)?.get(hookKey(event.StackId, event.LogicalResourceId, event.HookType));
}

/**
 * GetHookResult's annotations (and reason) for a failed hook's stack event, or undefined when the
 * event names no invocation, the hook did not fail, or the read failed. Lambda hooks write no
 * annotations; their result's HookStatusReason says more than the event's.
 */
export async function readHookResult(ctx: AwsContext, event: StackEvent, signal: AbortSignal): Promise<HookResultDetails | undefined> {
  if (!event.HookType || !event.HookInvocationId || !isFailedHook(event.HookStatus)) return undefined;
  const key = hookKey(event.StackId, event.LogicalResourceId, event.HookType);
  const known = resultsByContext.get(ctx)?.get(key);
  if (known) return known;
  if (knownUnsupported(ctx, 'GetHookResult')) return undefined;
  let result;
  try {
    const hookResultId = event.HookInvocationId;
    result = await ctx.call('GetHookResult', signal, (c, o) => c.send(new GetHookResultCommand({ HookResultId: hookResultId }), o));
  } catch (error) {
    if (isUnsupportedCall(error, ctx.config.endpoint !== undefined)) rememberUnsupported(ctx, 'GetHookResult');
    return undefined;
  }
  const annotations = (result.Annotations ?? []).map((a): HookAnnotation => ({
    name: a.AnnotationName ?? 'annotation',
    ...(a.Status ? { status: a.Status } : {}),
    ...(a.StatusMessage ? { message: oneLine(a.StatusMessage) } : {}),
    ...(a.RemediationMessage ? { remediation: oneLine(a.RemediationMessage) } : {}),
    ...(a.RemediationLink ? { remediationLink: a.RemediationLink } : {}),
    ...(a.SeverityLevel ? { severity: a.SeverityLevel } : {}),
  }));
  const details: HookResultDetails = { annotations, ...(result.HookStatusReason ? { reason: oneLine(result.HookStatusReason) } : {}) };
  let remembered = resultsByContext.get(ctx);
  if (!remembered) resultsByContext.set(ctx, (remembered = new Map<string, HookResultDetails>()));
  remembered.set(key, details);
  return details;
}

/** Guard hooks indent their remediation over several lines; one line reads better in a card. */
function oneLine(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}
