/**
 * Infrastructure Manager's state enums in the port's neutral words. One table per enum, so a
 * new state shows up here and nowhere else.
 */
import type { OperationRef, RecoveryActionId, ResourceStatus, StagedState, TargetCondition } from '../provider';

export interface DeploymentMeaning {
  condition: TargetCondition;
  recovery: readonly RecoveryActionId[];
  operation?: OperationRef['kind'];
  /** A state this version does not know: it decides nothing, and is read again. */
  unknownState?: true;
  /** The lock is what stops a deploy: whose it is (locks.ts) says whether it is in use. */
  lockHeld?: true;
}

const DEPLOYMENT_STATES: Record<string, DeploymentMeaning> = {
  ACTIVE: { condition: 'ready', recovery: [] },
  // A failed apply leaves the deployment updatable: applying again is the way forward.
  FAILED: { condition: 'ready', recovery: [] },
  CREATING: { condition: 'inProgress', recovery: [], operation: 'create' },
  UPDATING: { condition: 'inProgress', recovery: [], operation: 'update' },
  // The machine waits for it to go, then starts over as a create.
  DELETING: { condition: 'inProgress', recovery: [], operation: 'delete' },
  DELETED: { condition: 'missing', recovery: [] },
  SUSPENDED: { condition: 'unrecoverable', recovery: ['forceDelete'] },
};

/**
 * FAILED says why in its errorCode. A failed apply (REVISION_FAILED, or a build that never ran)
 * leaves the deployment updatable: applying again is the way forward. A failed delete
 * (DELETE_BUILD_API_FAILED, DELETE_BUILD_RUN_FAILED in config.proto's Deployment.ErrorCode) leaves
 * a deployment someone decided to remove, part of it maybe destroyed: applying over it would undo
 * that decision unasked, so deleting it again waits for consent.
 */
const FAILED_BY_ERROR_CODE: Record<string, DeploymentMeaning> = {
  DELETE_BUILD_API_FAILED: { condition: 'unrecoverable', recovery: ['delete'] },
  DELETE_BUILD_RUN_FAILED: { condition: 'unrecoverable', recovery: ['delete'] },
};

function stateMeaning(state: string | undefined, errorCode: string | undefined): DeploymentMeaning {
  const failed = state === 'FAILED' && errorCode ? FAILED_BY_ERROR_CODE[errorCode] : undefined;
  return failed ?? DEPLOYMENT_STATES[state ?? ''] ?? UNKNOWN_STATE;
}

/** Lock states that mean a Terraform run is holding (or releasing) the state right now. */
const LOCK_MOVING = new Set(['LOCKING', 'UNLOCKING']);
/**
 * A lock with no run of the deployment behind it: taken on purpose (to edit the Terraform state,
 * or by a preview planning), left by a crashed run, or a failed lock or unlock. Which one is read
 * from its LockInfo and the previews before anything is offered (describeTarget, locks.ts).
 */
const LOCK_STUCK = new Set(['LOCKED', 'LOCK_FAILED', 'UNLOCK_FAILED']);

/**
 * A state we do not know is neither healthy nor broken: it is followed like a running operation
 * (read again, shown raw, phase 'unknown' in poll), and no recovery is offered, least of all a
 * force delete on the strength of a word we cannot read. Its lock decides nothing either.
 */
const UNKNOWN_STATE: DeploymentMeaning = { condition: 'inProgress', recovery: [], operation: 'unknown', unknownState: true };

export function deploymentMeaning(state: string | undefined, lockState: string | undefined, errorCode?: string): DeploymentMeaning {
  const meaning = stateMeaning(state, errorCode);
  // While an operation runs, its own Terraform holds the lock; that lock is not stuck.
  if (meaning.condition === 'inProgress' || meaning.condition === 'missing') return meaning;
  if (lockState && LOCK_MOVING.has(lockState)) return { condition: 'inProgress', recovery: [], operation: 'unknown' };
  if (lockState && LOCK_STUCK.has(lockState)) return { condition: 'unrecoverable', recovery: ['unlock', 'forceDelete'], lockHeld: true };
  return meaning;
}

const PREVIEW_STATES: Record<string, StagedState> = {
  CREATING: 'pending',
  // SUCCEEDED becomes 'ready' or 'empty' once its changes are read.
  SUCCEEDED: 'ready',
  FAILED: 'failed',
  STALE: 'failed',
  DELETING: 'failed',
  DELETED: 'failed',
  APPLYING: 'pending',
};

export function previewStagedState(state: string | undefined): StagedState {
  return PREVIEW_STATES[state ?? ''] ?? 'pending';
}

const RESOURCE_STATES: Record<string, ResourceStatus> = {
  PLANNED: 'pending',
  IN_PROGRESS: 'inProgress',
  RECONCILED: 'succeeded',
  FAILED: 'failed',
  // Deleted on purpose (a removal in the change list) is that resource's success.
  DELETED: 'succeeded',
};

export function resourceStatusOf(state: string | undefined): ResourceStatus {
  return RESOURCE_STATES[state ?? ''] ?? 'inProgress';
}

/** google.rpc.Code 1: the operation was cancelled. */
export const RPC_CANCELLED = 1;
