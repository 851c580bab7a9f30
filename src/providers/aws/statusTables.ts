/**
 * CloudFormation's statuses in the port's neutral words. Tables, not `if` chains: each is
 * declared `satisfies Record<SdkEnum, …>`, so a status the SDK adds fails to compile until
 * someone decides what it means.
 */
import type { ChangeSetStatus, ExecutionStatus, ResourceStatus as CfnResourceStatus, StackStatus } from '@aws-sdk/client-cloudformation';
import type { OperationState, OperationRef, RecoveryActionId, ResourceStatus, StagedState, TargetCondition } from '../provider';

export interface StackStatusMeaning {
  /** What describeTarget tells the machine. */
  condition: TargetCondition;
  /** Where an operation stands when the stack shows this status. */
  phase: OperationState;
  /** Legal ways out when the stack can't be updated, best first. */
  recovery: readonly RecoveryActionId[];
  /** The kind of operation a stack in this (in-progress) status is running. */
  operation: OperationRef['kind'];
}

const NONE: readonly RecoveryActionId[] = [];

export const STACK_STATUS = {
  // In progress: a new session reattaches and monitors.
  CREATE_IN_PROGRESS: { condition: 'inProgress', phase: 'inProgress', recovery: NONE, operation: 'create' },
  UPDATE_IN_PROGRESS: { condition: 'inProgress', phase: 'inProgress', recovery: NONE, operation: 'update' },
  UPDATE_COMPLETE_CLEANUP_IN_PROGRESS: { condition: 'inProgress', phase: 'inProgress', recovery: NONE, operation: 'update' },
  IMPORT_IN_PROGRESS: { condition: 'inProgress', phase: 'inProgress', recovery: NONE, operation: 'update' },
  DELETE_IN_PROGRESS: { condition: 'inProgress', phase: 'inProgress', recovery: NONE, operation: 'delete' },
  ROLLBACK_IN_PROGRESS: { condition: 'inProgress', phase: 'rollingBack', recovery: NONE, operation: 'rollback' },
  UPDATE_ROLLBACK_IN_PROGRESS: { condition: 'inProgress', phase: 'rollingBack', recovery: NONE, operation: 'rollback' },
  UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS: { condition: 'inProgress', phase: 'rollingBack', recovery: NONE, operation: 'rollback' },
  IMPORT_ROLLBACK_IN_PROGRESS: { condition: 'inProgress', phase: 'rollingBack', recovery: NONE, operation: 'rollback' },

  // Stable and updatable.
  CREATE_COMPLETE: { condition: 'ready', phase: 'succeeded', recovery: NONE, operation: 'unknown' },
  UPDATE_COMPLETE: { condition: 'ready', phase: 'succeeded', recovery: NONE, operation: 'unknown' },
  IMPORT_COMPLETE: { condition: 'ready', phase: 'succeeded', recovery: NONE, operation: 'unknown' },
  UPDATE_ROLLBACK_COMPLETE: { condition: 'ready', phase: 'rolledBack', recovery: NONE, operation: 'unknown' },
  IMPORT_ROLLBACK_COMPLETE: { condition: 'ready', phase: 'rolledBack', recovery: NONE, operation: 'unknown' },

  // Only a deleted stack can be described (by ID); for a new deployment it is as good as missing.
  DELETE_COMPLETE: { condition: 'missing', phase: 'succeeded', recovery: NONE, operation: 'unknown' },

  // Rollback was disabled and the operation failed: roll back, or (for a create) delete.
  CREATE_FAILED: { condition: 'unrecoverable', phase: 'failed', recovery: ['rollback', 'delete'], operation: 'unknown' },
  UPDATE_FAILED: { condition: 'unrecoverable', phase: 'failed', recovery: ['rollback'], operation: 'unknown' },
  // Only ContinueUpdateRollback gets an update rollback unstuck.
  UPDATE_ROLLBACK_FAILED: { condition: 'unrecoverable', phase: 'failed', recovery: ['continueRollback'], operation: 'unknown' },
  // Delete-only.
  ROLLBACK_COMPLETE: { condition: 'unrecoverable', phase: 'rolledBack', recovery: ['delete'], operation: 'unknown' },
  ROLLBACK_FAILED: { condition: 'unrecoverable', phase: 'failed', recovery: ['delete'], operation: 'unknown' },
  // FORCE_DELETE_STACK is accepted only here.
  DELETE_FAILED: { condition: 'unrecoverable', phase: 'failed', recovery: ['delete', 'forceDelete'], operation: 'unknown' },
  IMPORT_ROLLBACK_FAILED: { condition: 'unrecoverable', phase: 'failed', recovery: ['delete'], operation: 'unknown' },
  // Made by a CREATE change set and never executed; it holds no resources. describeTarget decides it by
  // its change sets (awsProvider.describeReviewShell): none → missing (a new CREATE change set goes into
  // it); someone's → inProgress (theirs, left alone). Never offered for deletion.
  REVIEW_IN_PROGRESS: { condition: 'missing', phase: 'inProgress', recovery: NONE, operation: 'create' },
} as const satisfies Record<StackStatus, StackStatusMeaning>;

/**
 * A status newer than this build. Whatever it is, it must decide nothing:
 * - condition 'inProgress' is the one condition that commits to nothing. 'ready' would update
 *   the stack, 'missing' would try to create it, and 'unrecoverable' would offer to delete it,
 *   all on a guess. 'inProgress' makes preparing follow the stack and read it again, which is
 *   all we can honestly do until the status changes to one we know.
 * - phase: an unknown *_IN_PROGRESS is still running, so monitoring goes on. Anything else is
 *   'unknown': shown raw and re-read, never taken for success or failure.
 */
const UNKNOWN_IN_PROGRESS: StackStatusMeaning = { condition: 'inProgress', phase: 'inProgress', recovery: NONE, operation: 'unknown' };
const UNKNOWN_SETTLED: StackStatusMeaning = { condition: 'inProgress', phase: 'unknown', recovery: NONE, operation: 'unknown' };

function isInProgressStatus(status: string): boolean {
  return status.endsWith('_IN_PROGRESS');
}

export function stackStatusMeaning(status: string): StackStatusMeaning {
  const meaning: StackStatusMeaning | undefined = (STACK_STATUS as Record<string, StackStatusMeaning | undefined>)[status];
  if (meaning) return meaning;
  return isInProgressStatus(status) ? UNKNOWN_IN_PROGRESS : UNKNOWN_SETTLED;
}

/**
 * Where our operation stands when its own events show this stack status. A failed create whose
 * change set said OnStackFailure DELETE is rolled back and then deleted under our own token, so
 * those DELETE_* statuses are ours; they undo the failure (still undoing while the delete runs),
 * and the stack being gone is the failure's end, never the create's success. Only a delete of our
 * own (a consented recovery) succeeds by deleting: an execute whose kind was not known (staged in
 * a window since reloaded) is a create or an update, and an update never deletes the stack.
 */
export function operationPhaseOf(status: string, kind: OperationRef['kind']): OperationState {
  const phase = stackStatusMeaning(status).phase;
  if (kind === 'delete' || !status.startsWith('DELETE_')) return phase;
  return status === 'DELETE_IN_PROGRESS' ? 'rollingBack' : 'failed';
}

/**
 * A resource event's status, given whether the stack was rolling back when it happened: a
 * DELETE_COMPLETE is progress in an update's cleanup, but undoing work during a rollback.
 */
export const RESOURCE_STATUS = {
  CREATE_IN_PROGRESS: { forward: 'inProgress', rollback: 'rollingBack' },
  UPDATE_IN_PROGRESS: { forward: 'inProgress', rollback: 'rollingBack' },
  DELETE_IN_PROGRESS: { forward: 'inProgress', rollback: 'rollingBack' },
  IMPORT_IN_PROGRESS: { forward: 'inProgress', rollback: 'rollingBack' },
  EXPORT_IN_PROGRESS: { forward: 'inProgress', rollback: 'rollingBack' },
  ROLLBACK_IN_PROGRESS: { forward: 'rollingBack', rollback: 'rollingBack' },
  UPDATE_ROLLBACK_IN_PROGRESS: { forward: 'rollingBack', rollback: 'rollingBack' },
  IMPORT_ROLLBACK_IN_PROGRESS: { forward: 'rollingBack', rollback: 'rollingBack' },
  EXPORT_ROLLBACK_IN_PROGRESS: { forward: 'rollingBack', rollback: 'rollingBack' },

  CREATE_COMPLETE: { forward: 'succeeded', rollback: 'rolledBack' },
  UPDATE_COMPLETE: { forward: 'succeeded', rollback: 'rolledBack' },
  DELETE_COMPLETE: { forward: 'succeeded', rollback: 'rolledBack' },
  DELETE_SKIPPED: { forward: 'succeeded', rollback: 'rolledBack' },
  IMPORT_COMPLETE: { forward: 'succeeded', rollback: 'rolledBack' },
  EXPORT_COMPLETE: { forward: 'succeeded', rollback: 'rolledBack' },
  ROLLBACK_COMPLETE: { forward: 'rolledBack', rollback: 'rolledBack' },
  UPDATE_ROLLBACK_COMPLETE: { forward: 'rolledBack', rollback: 'rolledBack' },
  IMPORT_ROLLBACK_COMPLETE: { forward: 'rolledBack', rollback: 'rolledBack' },
  EXPORT_ROLLBACK_COMPLETE: { forward: 'rolledBack', rollback: 'rolledBack' },

  CREATE_FAILED: { forward: 'failed', rollback: 'failed' },
  UPDATE_FAILED: { forward: 'failed', rollback: 'failed' },
  DELETE_FAILED: { forward: 'failed', rollback: 'failed' },
  IMPORT_FAILED: { forward: 'failed', rollback: 'failed' },
  EXPORT_FAILED: { forward: 'failed', rollback: 'failed' },
  ROLLBACK_FAILED: { forward: 'failed', rollback: 'failed' },
  UPDATE_ROLLBACK_FAILED: { forward: 'failed', rollback: 'failed' },
  IMPORT_ROLLBACK_FAILED: { forward: 'failed', rollback: 'failed' },
  EXPORT_ROLLBACK_FAILED: { forward: 'failed', rollback: 'failed' },
} as const satisfies Record<CfnResourceStatus, { forward: ResourceStatus; rollback: ResourceStatus }>;

/** CloudFormation's words for a resource stopped because another one failed. */
const CANCELLATION = /^Resource (creation|update|deletion|import) cancelled/i;

export function isCancellationReason(reason: string | undefined): boolean {
  return reason !== undefined && CANCELLATION.test(reason.trim());
}

/**
 * A resource status newer than this build is never a failure nor a success: it counts as still
 * moving (not settled in the progress count), and its raw text stays on the event for display.
 */
const UNKNOWN_RESOURCE_STATUS = { forward: 'inProgress', rollback: 'rollingBack' } as const satisfies { forward: ResourceStatus; rollback: ResourceStatus };

export function resourceStatusOf(providerStatus: string, stackRollingBack: boolean, reason?: string): { status: ResourceStatus; isCancellation: boolean } {
  const row = (RESOURCE_STATUS as Record<string, { forward: ResourceStatus; rollback: ResourceStatus } | undefined>)[providerStatus] ?? UNKNOWN_RESOURCE_STATUS;
  const status = stackRollingBack ? row.rollback : row.forward;
  if (status === 'failed' && isCancellationReason(reason)) return { status: 'cancelled', isCancellation: true };
  return { status, isCancellation: false };
}

/** The exact texts CloudFormation uses for an empty change set; they mean "no changes", not failure. */
const NO_CHANGES = [/didn't contain changes/i, /No updates are to be performed/i];

export function isNoChangesReason(reason: string | undefined): boolean {
  return reason !== undefined && NO_CHANGES.some((pattern) => pattern.test(reason));
}

export const CHANGE_SET_STATUS = {
  CREATE_PENDING: 'pending',
  CREATE_IN_PROGRESS: 'pending',
  // Ready only when it can also be executed; see stagedStateOf.
  CREATE_COMPLETE: 'ready',
  FAILED: 'failed',
  DELETE_PENDING: 'failed',
  DELETE_IN_PROGRESS: 'failed',
  DELETE_COMPLETE: 'failed',
  DELETE_FAILED: 'failed',
} as const satisfies Record<ChangeSetStatus, StagedState>;

export const EXECUTION_STATUS = {
  AVAILABLE: 'ready',
  // CREATE_COMPLETE can briefly show UNAVAILABLE while CloudFormation finishes; check again.
  UNAVAILABLE: 'pending',
  // Anything else means the change set was used up or replaced under us.
  EXECUTE_IN_PROGRESS: 'failed',
  EXECUTE_COMPLETE: 'failed',
  EXECUTE_FAILED: 'failed',
  OBSOLETE: 'failed',
} as const satisfies Record<ExecutionStatus, StagedState>;

/**
 * A change-set or execution status newer than this build (or one the answer left out) is
 * 'pending': the change set is read again rather than given up on as failed or executed as ready.
 */
const UNKNOWN_STAGED_STATE: StagedState = 'pending';

export function stagedStateOf(status: string | undefined, executionStatus: string | undefined, reason: string | undefined): StagedState {
  const byStatus: StagedState = (CHANGE_SET_STATUS as Record<string, StagedState | undefined>)[status ?? ''] ?? UNKNOWN_STAGED_STATE;
  if (byStatus === 'failed' && status === 'FAILED' && isNoChangesReason(reason)) return 'empty';
  if (byStatus !== 'ready') return byStatus;
  return (EXECUTION_STATUS as Record<string, StagedState | undefined>)[executionStatus ?? 'UNAVAILABLE'] ?? UNKNOWN_STAGED_STATE;
}
