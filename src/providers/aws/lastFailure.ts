/**
 * Why a stack is unrecoverable: the root cause of the operation that left it so, for the consent
 * to delete it. First DescribeEvents (FailedEvents) by the OperationIds in Stack.LastOperations;
 * without it (or without LastOperations), the stack's own events, newest first, back to the start
 * of the last forward operation, bounded to a few pages.
 *
 * The root cause is the earliest failure that is not a cancellation and not the stack itself
 * (the stack's failure only says that something failed). A failed read leaves it absent: it
 * never changes what the stack's condition is.
 */
import type { Stack, StackEvent } from '@aws-sdk/client-cloudformation';
import type { DeploymentEvent } from '../provider';
import { begin, within } from './boundedReads';
import type { AwsContext } from './context';
import { operationFailures, readFailedEvents } from './operationEvents';
import { isStackEvent, toDeploymentEvents } from './stackEvents';

/** Root causes found in this window, by stack and status: describeTarget is asked again and again (preparing, consent, recovery). */
const remembered = new WeakMap<AwsContext, Map<string, DeploymentEvent>>();

/** How many pages of DescribeStackEvents the fallback reads at most. */
export const LAST_FAILURE_PAGES = 3;

/** Stack statuses that open a forward operation: the scan stops there. */
const FORWARD_STARTS = new Set(['CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'DELETE_IN_PROGRESS', 'IMPORT_IN_PROGRESS']);

export async function lastFailureOf(ctx: AwsContext, stack: Stack, signal: AbortSignal): Promise<DeploymentEvent | undefined> {
  const key = `last-failure:${stack.StackId ?? ''}:${stack.StackStatus ?? ''}:${(stack.LastUpdatedTime ?? stack.CreationTime)?.toISOString() ?? ''}`;
  if (!begin(ctx, key)) return remembered.get(ctx)?.get(key);
  try {
    const found = await within(signal, async (bounded) => {
      // A role without DescribeEvents (policies written before it existed), or a throttled read,
      // still has the stack's own events to tell the root cause.
      const fromOperationsRead = await fromOperations(ctx, stack, bounded).catch((error: unknown) => {
        if (bounded.aborted) throw error;
        return undefined;
      });
      const shallow = fromOperationsRead ?? (await fromStackEvents(ctx, stack, bounded));
      return shallow && (await throughNestedStacks(ctx, shallow, bounded));
    });
    if (found) {
      let byKey = remembered.get(ctx);
      if (!byKey) remembered.set(ctx, (byKey = new Map<string, DeploymentEvent>()));
      byKey.set(key, found);
    }
    return found;
  } catch {
    return undefined;
  }
}

/** The last operation, and when that is a rollback, the operation it rolled back. */
function lastOperationIds(stack: Stack): string[] {
  const ids: string[] = [];
  for (const entry of stack.LastOperations ?? []) {
    if (entry.OperationId) ids.push(entry.OperationId);
    if (ids.length >= 2 || (entry.OperationType !== 'ROLLBACK' && entry.OperationType !== 'CONTINUE_ROLLBACK')) break;
  }
  return ids;
}

async function fromOperations(ctx: AwsContext, stack: Stack, signal: AbortSignal): Promise<DeploymentEvent | undefined> {
  const failures: DeploymentEvent[] = [];
  for (const operationId of lastOperationIds(stack)) {
    const events = await readFailedEvents(ctx, { operationId }, signal);
    if (events === undefined) return undefined;
    failures.push(...operationFailures(ctx, events));
  }
  return earliestRootCause(failures);
}

async function fromStackEvents(ctx: AwsContext, stack: Stack, signal: AbortSignal): Promise<DeploymentEvent | undefined> {
  const fetchPage = ctx.eventPages(stack.StackId ?? stack.StackName ?? '', signal);
  const newestFirst: StackEvent[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < LAST_FAILURE_PAGES; page++) {
    const read = await fetchPage(nextToken);
    const start = read.events.findIndex((e) => isStackEvent(e) && FORWARD_STARTS.has(e.ResourceStatus ?? ''));
    newestFirst.push(...(start >= 0 ? read.events.slice(0, start + 1) : read.events));
    nextToken = read.nextToken;
    if (start >= 0 || !nextToken) break;
  }
  // Converted oldest first, so a DELETE_FAILED during the rollback reads as the rollback's.
  const converted = toDeploymentEvents([...newestFirst].reverse(), undefined).events;
  return earliestRootCause(
    converted.filter((e) => e.status === 'failed' && !(e.resourceType === 'AWS::CloudFormation::Stack' && e.physicalId === stack.StackId)),
  );
}

/** Nested stacks followed down at most this deep (a root cause deeper stays at the nested stack's row). */
export const MAX_NESTED_DEPTH = 5;
const NESTED_STACK_TYPE = 'AWS::CloudFormation::Stack';

/**
 * A nested stack's row ("Embedded stack … was not successfully created") only says that something
 * inside failed: its own events (the child is a real stack, its ARN the row's physical ID) name
 * what, keyed "Parent/Child" like every nested row. A read that fails keeps the shallower answer.
 */
async function throughNestedStacks(ctx: AwsContext, found: DeploymentEvent, signal: AbortSignal): Promise<DeploymentEvent> {
  let cause = found;
  for (let depth = 0; depth < MAX_NESTED_DEPTH && cause.resourceType === NESTED_STACK_TYPE; depth++) {
    const childId = stackArnIn(cause);
    if (!childId) break;
    let inner: DeploymentEvent | undefined;
    try {
      inner = await childRootCause(ctx, childId, Date.parse(cause.timestamp), signal);
    } catch {
      break;
    }
    if (!inner) break;
    cause = { ...inner, logicalId: `${cause.logicalId}/${inner.logicalId}` };
  }
  return cause;
}

/** The child stack's ARN: the row's physical ID, else the one its reason names. */
function stackArnIn(row: DeploymentEvent): string | undefined {
  if (row.physicalId?.startsWith('arn:') && row.physicalId.includes(':stack/')) return row.physicalId;
  return /\b(arn:[^\s:]+:cloudformation:[^\s]*:stack\/[^\s]+)/.exec(row.reason ?? '')?.[1];
}

/**
 * The earliest failure of the child's operation that failed its row at `failedAt`: its events,
 * newest first, from that time (later ones are the parent's rollback deleting it) back to the
 * operation's start, bounded to LAST_FAILURE_PAGES pages.
 */
async function childRootCause(ctx: AwsContext, childId: string, failedAt: number, signal: AbortSignal): Promise<DeploymentEvent | undefined> {
  const fetchPage = ctx.eventPages(childId, signal);
  const newestFirst: StackEvent[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < LAST_FAILURE_PAGES; page++) {
    const read = await fetchPage(nextToken);
    const ours = Number.isNaN(failedAt) ? read.events : read.events.filter((e) => (e.Timestamp?.getTime() ?? 0) <= failedAt);
    const start = ours.findIndex((e) => isStackEvent(e) && CHILD_OPERATION_STARTS.has(e.ResourceStatus ?? ''));
    newestFirst.push(...(start >= 0 ? ours.slice(0, start + 1) : ours));
    nextToken = read.nextToken;
    if (start >= 0 || !nextToken) break;
  }
  const converted = toDeploymentEvents([...newestFirst].reverse(), undefined).events;
  return earliestRootCause(converted.filter((e) => e.status === 'failed' && !(e.resourceType === NESTED_STACK_TYPE && e.physicalId === childId)));
}

/** A parent creates or updates its nested stack; a delete is the parent's cleanup, never the failure. */
const CHILD_OPERATION_STARTS = new Set(['CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'IMPORT_IN_PROGRESS']);

function earliestRootCause(failures: readonly DeploymentEvent[]): DeploymentEvent | undefined {
  const causes = failures.filter((e) => !e.isCancellation && e.status !== 'cancelled');
  return [...causes].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp))[0];
}
