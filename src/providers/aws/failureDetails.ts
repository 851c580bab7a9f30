/**
 * The root cause from operations: once our operation fails, DescribeEvents by OperationId with
 * FailedEvents tells each failure in full (hook, request ID, property), including failures whose
 * stack events were never read (a monitor reattached late, a nested stack's). They are returned as
 * PollResult.failureDetails: richer copies of failure events, never progress.
 *
 * When: the first poll that sees the operation rolling back (the forward operation's failures are
 * all in), and the poll that sees it end failed or rolled back (the rollback's own failures, and
 * any operation learned meanwhile). An operation whose failures were found is never read again,
 * so an operation is read once, twice at most when its first read found nothing.
 *
 * The truth rule: this read never changes the outcome. A failed read leaves the details out, and
 * it never holds up the poll (boundedReads.ts).
 */
import type { StackEvent } from '@aws-sdk/client-cloudformation';
import type { DeploymentEvent, HookFailure, OperationState } from '../provider';
import type { AwsContext } from './context';
import { isFailedHook, readHookResult } from './hookResults';
import { HOOK_FAILED_REASON, operationFailures, readFailedEvents } from './operationEvents';
import { begin, within } from './boundedReads';
import { knownUnsupported } from './unsupportedCalls';

/** What the cursor keeps of the failure reads. */
export interface FailureReadState {
  /** OperationIds whose failures were read and found. */
  failuresFound?: string[];
  /** The last stage a read was made at: 'rollingBack' or 'ended'. */
  failuresReadAt?: string;
}

type Stage = 'rollingBack' | 'ended';

function stageOf(phase: OperationState): Stage | undefined {
  if (phase === 'rollingBack') return 'rollingBack';
  if (phase === 'failed' || phase === 'rolledBack') return 'ended';
  return undefined;
}

export interface FailureRead {
  details?: DeploymentEvent[];
  state: FailureReadState;
}

export async function pollFailureDetails(
  ctx: AwsContext,
  phase: OperationState,
  operationIds: readonly string[],
  state: FailureReadState,
  signal: AbortSignal,
): Promise<FailureRead> {
  const stage = stageOf(phase);
  const kept: FailureReadState = { failuresFound: state.failuresFound, failuresReadAt: state.failuresReadAt };
  if (!stage || state.failuresReadAt === 'ended' || state.failuresReadAt === stage) return { state: kept };
  const found = new Set(state.failuresFound ?? []);
  const toRead = operationIds.filter((id) => !found.has(id));
  const after: FailureReadState = { ...kept, failuresReadAt: stage };
  if (toRead.length === 0 || knownUnsupported(ctx, 'DescribeEvents') || !begin(ctx, `${toRead.join(',')}@${stage}`)) return { state: after };
  const details: DeploymentEvent[] = [];
  try {
    await within(signal, async (bounded) => {
      for (const operationId of toRead) {
        const events = await readFailedEvents(ctx, { operationId }, bounded);
        if (events === undefined) return;
        const failures = operationFailures(ctx, events);
        if (failures.length > 0) found.add(operationId);
        details.push(...failures);
      }
    });
  } catch {
    // The truth rule: whatever was read stands, the rest is left out.
  }
  return { details: details.length > 0 ? details : undefined, state: { ...after, failuresFound: found.size > 0 ? [...found] : undefined } };
}

/**
 * Hook failures in this poll's stack events get their GetHookResult annotations (and the result's
 * fuller reason). Each invocation is read once: events are read once, and results are remembered.
 * CloudFormation tells the hook on its own events (HOOK_COMPLETE_FAILED) and then fails the
 * resource with "The following hook(s) failed: [Type]"; that failure gets the hook too, as it is
 * the one the failure card shows.
 */
export async function addHookResults(ctx: AwsContext, stackEvents: readonly StackEvent[], converted: DeploymentEvent[], signal: AbortSignal): Promise<void> {
  const byId = new Map(converted.map((c) => [c.id, c]));
  const failedHooks = stackEvents.filter((e) => e.HookInvocationId && isFailedHook(e.HookStatus));
  if (failedHooks.length > 0 && !knownUnsupported(ctx, 'GetHookResult')) {
    try {
      await within(signal, async (bounded) => {
        for (const event of failedHooks) {
          if (!begin(ctx, `hook:${event.HookInvocationId ?? ''}`)) continue;
          const result = await readHookResult(ctx, event, bounded);
          const target = byId.get(event.EventId ?? '');
          if (result && target?.hook) target.hook = { ...target.hook, ...result, reason: result.reason ?? target.hook.reason };
        }
      });
    } catch {
      // Left without annotations: the hook's type, status and reason from the event stand.
    }
  }
  for (const event of stackEvents) {
    const target = byId.get(event.EventId ?? '');
    if (!target) continue;
    const key = `${event.StackId ?? ''}|${event.LogicalResourceId ?? ''}`;
    if (target.hook && isFailedHook(target.hook.status)) rememberHook(ctx, key, target.hook);
    else if (!target.hook && target.status === 'failed' && HOOK_FAILED_REASON.test(target.reason ?? '')) {
      const hook = failedHookByContext.get(ctx)?.get(key);
      if (hook) target.hook = hook;
    }
  }
}

/** The last failed hook of each resource in this window, by stack and logical ID. */
const failedHookByContext = new WeakMap<AwsContext, Map<string, HookFailure>>();

function rememberHook(ctx: AwsContext, key: string, hook: HookFailure): void {
  let byKey = failedHookByContext.get(ctx);
  if (!byKey) failedHookByContext.set(ctx, (byKey = new Map<string, HookFailure>()));
  byKey.set(key, hook);
}
