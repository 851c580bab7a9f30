/**
 * What DescribeStacks says about our operation when its events do not: whether the stack's
 * status is our operation's result, someone else's, or not yet known.
 */
import * as l10n from '@vscode/l10n';
import type { Stack } from '@aws-sdk/client-cloudformation';
import type { OperationRef, OperationState } from '../provider';
import type { AttributionState } from './stackEvents';
import { STACK_STATUS, stackStatusMeaning } from './statusTables';

/** Polls that may find the stack settled before our own start event shows, before we believe it. */
const MAX_UNSEEN_POLLS = 5;

function deletedBySomeone(): string {
  return l10n.t('The stack no longer exists: someone deleted it. How this deployment ended is not known.');
}

/** How far CloudFormation's clock may be behind ours before a stack change looks older than our start. */
const CLOCK_SKEW_MS = 5_000;

/** A status this build has a meaning for; anything else decides nothing (see statusTables). */
export function isKnownStackStatus(status: string): boolean {
  return Object.prototype.hasOwnProperty.call(STACK_STATUS, status);
}

/** A status in which no operation runs on the stack. */
export function isSettled(status: string): boolean {
  if (status === '' || status === 'REVIEW_IN_PROGRESS') return false;
  const phase = stackStatusMeaning(status).phase;
  return phase !== 'inProgress' && phase !== 'rollingBack' && phase !== 'unknown';
}

/** What the stack itself says about our operation, when the events do not. */
export interface StackVerdict {
  status: string;
  phase: OperationState;
  reason?: string;
  /** Whether the status is our operation's (or, unknowable, taken as such after a grace). */
  believed: boolean;
  unseen: number;
  /** Our OperationIds, with any the stack's LastOperations revealed. */
  operationIds: string[];
  /** Settled, but unchanged since before our start by the stack's own times: the change set may tell. */
  unchangedSinceStart?: boolean;
}

/**
 * Judges DescribeStacks for our operation:
 * - a running operation, with none of ours known yet, is ours (our execute was accepted, and
 *   CloudFormation runs one operation at a time), so its OperationId is learned;
 * - the ROLLBACK operations right after ours are ours too (the automatic rollback, someone's cancel);
 * - a settled status is ours when the stack's newest operation is ours, or when our start was seen
 *   and nothing newer is known; someone else's operation after ours leaves our outcome unknown;
 * - with nothing to go by, a settled status is taken only after a few polls, so the previous
 *   operation's result, still showing right after ExecuteChangeSet, never ends ours.
 */
export function judgeStack(stack: Stack | undefined, operation: OperationRef, state: AttributionState, unseenBefore: number): StackVerdict {
  const ids = new Set(state.operationIds ?? []);
  if (operation.operationId) ids.add(operation.operationId);
  const status = stack?.StackStatus;
  if (!status) {
    const deleting = operation.kind === 'delete';
    return {
      status: 'DELETE_COMPLETE',
      phase: deleting ? 'succeeded' : 'unknown',
      reason: deleting ? undefined : deletedBySomeone(),
      believed: deleting,
      unseen: unseenBefore,
      operationIds: [...ids],
    };
  }
  if (status === 'DELETE_COMPLETE' && operation.kind !== 'delete') {
    // Read by its ARN, a deleted stack still answers, as DELETE_COMPLETE: someone deleted it.
    // That is nobody's success: how our operation ended before it is not known from here.
    return { status, phase: 'unknown', reason: deletedBySomeone(), believed: false, unseen: unseenBefore, operationIds: [...ids] };
  }
  const meaning = stackStatusMeaning(status);
  const running = !isSettled(status) && status !== 'REVIEW_IN_PROGRESS';
  const operations = stack?.LastOperations ?? [];
  const knewOurs = ids.size > 0;
  if (running && ids.size === 0 && operations[0]?.OperationId) ids.add(operations[0].OperationId);
  const newestOurs = operations.findIndex((o) => o.OperationId !== undefined && ids.has(o.OperationId));
  for (let i = newestOurs - 1; i >= 0; i--) {
    const entry = operations[i];
    if (entry?.OperationType !== 'ROLLBACK' || !entry.OperationId) break;
    ids.add(entry.OperationId);
  }
  const operationIds = [...ids];
  const newest = operations[0];
  const newestIsOurs = newest?.OperationId !== undefined && ids.has(newest.OperationId);
  const reason = stack?.StackStatusReason;
  // Ours were known, and the stack's record has moved past them (it keeps only the last few):
  // the newest operation is someone else's, started after ours, as surely as when ours is listed below it.
  const pushedOut = knewOurs && newestOurs === -1 && newest?.OperationId !== undefined;
  if ((newestOurs > 0 || pushedOut) && !newestIsOurs) {
    return {
      status,
      phase: 'unknown',
      reason: l10n.t(
        "Another operation ({0}) has started on the stack since ours; how ours ended is not known from the stack's status.",
        newest?.OperationType ?? 'unknown',
      ),
      believed: false,
      unseen: unseenBefore,
      operationIds,
    };
  }
  if (running) return { status, phase: meaning.phase, reason, believed: true, unseen: unseenBefore, operationIds };
  if (status === 'REVIEW_IN_PROGRESS') {
    // Our CREATE change set's shell: the execution has not shown yet. It never ends the deployment.
    const unseen = unseenBefore + 1;
    const late = unseen > MAX_UNSEEN_POLLS;
    return {
      status,
      phase: late ? 'unknown' : 'inProgress',
      reason: late ? l10n.t('The stack still shows REVIEW_IN_PROGRESS: the execution has not started.') : undefined,
      believed: false,
      unseen,
      operationIds,
    };
  }
  if (newestIsOurs || state.stackStatus !== undefined) return { status, phase: meaning.phase, reason, believed: true, unseen: unseenBefore, operationIds };
  const unseen = unseenBefore + 1;
  if (operation.token && unseen <= MAX_UNSEEN_POLLS) return { status, phase: 'inProgress', believed: false, unseen, operationIds };
  // Believed without any sign of ours only if the stack changed since our operation started:
  // otherwise this is the result of whatever ran before (our execute may not have taken at all).
  if (!changedSince(stack, operation)) {
    return {
      status,
      phase: 'unknown',
      reason: l10n.t('The stack shows {0}, but it has not changed since before this operation started; whether the operation ran is not known.', status),
      believed: false,
      unseen,
      operationIds,
      unchangedSinceStart: true,
    };
  }
  return { status, phase: meaning.phase, reason, believed: true, unseen, operationIds };
}

/**
 * Whether the stack shows a change made after our operation started. A create is the exception
 * for CreationTime: its stack is the REVIEW_IN_PROGRESS shell staging made, before the review, and
 * a shell has no earlier result to mistake for ours; only a LastUpdatedTime older than our start
 * speaks against it.
 */
function changedSince(stack: Stack, operation: OperationRef): boolean {
  const startedAt = Date.parse(operation.startedAt);
  if (Number.isNaN(startedAt)) return false;
  const notBefore = startedAt - CLOCK_SKEW_MS;
  const times = [stack.LastUpdatedTime, stack.DeletionTime].filter((t): t is Date => t !== undefined).map((t) => t.getTime());
  if (operation.kind === 'create') return times.length === 0 || Math.max(...times) >= notBefore;
  if (stack.CreationTime) times.push(stack.CreationTime.getTime());
  return times.length > 0 && Math.max(...times) >= notBefore;
}
