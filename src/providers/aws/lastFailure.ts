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
    const found = await within(signal, async (bounded) => (await fromOperations(ctx, stack, bounded)) ?? (await fromStackEvents(ctx, stack, bounded)));
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

function earliestRootCause(failures: readonly DeploymentEvent[]): DeploymentEvent | undefined {
  const causes = failures.filter((e) => !e.isCancellation && e.status !== 'cancelled');
  return [...causes].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp))[0];
}
