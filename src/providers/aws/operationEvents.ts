/**
 * DescribeEvents reads: an operation's failed events (by OperationId), or a change set's
 * validation events (by StackName and ChangeSetName), all pages.
 *
 * DescribeEvents is newer than DescribeStackEvents: it tells each event's operation and type, the
 * failures of CloudFormation's early validation (VALIDATION_ERROR, with the template path), and
 * resource and hook failures (PROVISIONING_ERROR, HOOK_INVOCATION_ERROR) with FailedEvents. An
 * endpoint without it is remembered (unsupportedCalls.ts) and never asked again: the reads answer
 * undefined, and every caller goes on with what the stack events tell.
 */
import * as l10n from '@vscode/l10n';
import { DescribeEventsCommand, type DescribeEventsInput, type OperationEvent } from '@aws-sdk/client-cloudformation';
import { ProviderError, type DeploymentEvent } from '../provider';
import type { AwsContext } from './context';
import { eventExtras } from './eventFields';
import { rememberedHookResult } from './hookResults';
import { resourceStatusOf } from './statusTables';
import { isUnsupportedCall, knownUnsupported, rememberUnsupported } from './unsupportedCalls';

/** Failed events are few; a longer chain of pages is an endpoint going round, not news. */
const MAX_PAGES = 50;

export type FailedEventsQuery = { operationId: string } | { stackName: string; changeSetName: string };

/**
 * Every failed event the query names, oldest first; undefined when the endpoint has no
 * DescribeEvents. Any other error is thrown (the caller leaves the details out).
 */
export async function readFailedEvents(ctx: AwsContext, query: FailedEventsQuery, signal: AbortSignal): Promise<OperationEvent[] | undefined> {
  if (knownUnsupported(ctx, 'DescribeEvents')) return undefined;
  const input: DescribeEventsInput =
    'operationId' in query
      ? { OperationId: query.operationId, Filters: { FailedEvents: true } }
      : { StackName: query.stackName, ChangeSetName: query.changeSetName, Filters: { FailedEvents: true } };
  const events: OperationEvent[] = [];
  const tokensSeen = new Set<string>();
  let nextToken: string | undefined;
  let pages = 0;
  try {
    do {
      const token = nextToken;
      const page = await ctx.call('DescribeEvents', signal, (c, o) => c.send(new DescribeEventsCommand({ ...input, NextToken: token }), o));
      events.push(...(page.OperationEvents ?? []));
      nextToken = page.NextToken;
      pages++;
      if (nextToken !== undefined) {
        if (tokensSeen.has(nextToken) || pages >= MAX_PAGES)
          throw new ProviderError('Transient', l10n.t('DescribeEvents kept handing back more pages; the failure details are left out.'));
        tokensSeen.add(nextToken);
      }
    } while (nextToken);
  } catch (error) {
    if (!isUnsupportedCall(error, ctx.config.endpoint !== undefined)) throw error;
    rememberUnsupported(ctx, 'DescribeEvents');
    return undefined;
  }
  return events.sort((a, b) => (a.Timestamp?.getTime() ?? 0) - (b.Timestamp?.getTime() ?? 0));
}

/** DescribeEvents' failure types that explain an operation's end (validation errors are the change set's). */
const OPERATION_FAILURES = new Set(['PROVISIONING_ERROR', 'HOOK_INVOCATION_ERROR']);

export function isOperationFailure(event: OperationEvent): boolean {
  return OPERATION_FAILURES.has(event.EventType ?? '') && !isStackItself(event);
}

/** The stack's own event says how the operation ended, never why. */
function isStackItself(event: OperationEvent): boolean {
  return event.ResourceType === 'AWS::CloudFormation::Stack' && event.PhysicalResourceId !== undefined && event.PhysicalResourceId === event.StackId;
}

/** An operation's failed event in the port's shape, with the hook result read for its stack event when there is one. */
export function toFailureDetail(ctx: AwsContext, event: OperationEvent): DeploymentEvent {
  const providerStatus = event.ResourceStatus ?? event.HookStatus ?? 'UNKNOWN';
  const rollingBack = event.OperationType === 'ROLLBACK' || event.OperationType === 'CONTINUE_ROLLBACK';
  const reason = event.ResourceStatusReason ?? event.HookStatusReason;
  const resolved = resourceStatusOf(providerStatus, rollingBack, reason);
  // A hook's failure is the resource's failure, whatever step its event was written at.
  const status = event.EventType === 'HOOK_INVOCATION_ERROR' ? 'failed' : resolved.status;
  const isCancellation = resolved.isCancellation;
  const extras = eventExtras(event, event.OperationType);
  const hookResult = extras.hook ? rememberedHookResult(ctx, event) : undefined;
  const hook = extras.hook && hookResult ? { ...extras.hook, ...hookResult, reason: hookResult.reason ?? extras.hook.reason } : extras.hook;
  return {
    id: event.EventId ?? `${event.LogicalResourceId}-${event.Timestamp?.toISOString()}-${providerStatus}`,
    timestamp: (event.Timestamp ?? new Date()).toISOString(),
    logicalId: event.LogicalResourceId ?? '',
    resourceType: event.ResourceType ?? '',
    physicalId: event.PhysicalResourceId || undefined,
    providerStatus,
    status,
    reason,
    isCancellation,
    ...extras,
    ...(hook ? { hook } : {}),
  };
}

/**
 * An operation's failures, oldest first, in the port's shape. CloudFormation writes a hook's
 * failure twice: the hook's own event (HOOK_INVOCATION_ERROR) and the resource's failure "The
 * following hook(s) failed: [Type]" (PROVISIONING_ERROR). They become one: the resource's failure
 * with the hook on it.
 */
export function operationFailures(ctx: AwsContext, events: readonly OperationEvent[]): DeploymentEvent[] {
  const failures = events.filter(isOperationFailure).map((event) => toFailureDetail(ctx, event));
  const merged = new Set<DeploymentEvent>();
  for (const failure of failures) {
    if (failure.hook || !HOOK_FAILED_REASON.test(failure.reason ?? '')) continue;
    const hookEvent = failures.find((f) => f.hook && !merged.has(f) && f.logicalId === failure.logicalId);
    if (!hookEvent?.hook) continue;
    failure.hook = hookEvent.hook;
    merged.add(hookEvent);
  }
  return failures.filter((f) => !merged.has(f));
}

/** The resource failure CloudFormation writes after a hook failed it. */
export const HOOK_FAILED_REASON = /hook\(s\)[^:]*failed/i;
