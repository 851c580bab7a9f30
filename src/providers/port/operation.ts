/** The port's running operation: its state and events (poll), Stop, recovery, outputs and the staged artefact. */
import type { OperationRef } from './staging';
import type { RecoveryActionId, TargetRef } from './target';

// ---------- poll ----------

/** Where the whole operation stands, in neutral words. */
export type OperationState =
  | 'inProgress'
  /**
   * A status this version does not know (and not an *_IN_PROGRESS one): shown raw, re-read, and
   * never taken for success or failure.
   */
  | 'unknown'
  | 'rollingBack'
  | 'succeeded'
  /** Finished in a failed state with no rollback (or rollback failed). */
  | 'failed'
  /** Rolled back to the previous state after a failure or a stop. */
  | 'rolledBack'
  /**
   * Cancelled where it stood, with no rollback: what was applied before the cancel stays. A
   * person's choice, not a failure, unless something failed on the way.
   */
  | 'cancelled';

export type ResourceStatus =
  | 'pending'
  | 'inProgress'
  | 'succeeded'
  | 'failed'
  /** Cancelled because something else failed ("Resource creation cancelled"). */
  | 'cancelled'
  | 'rollingBack'
  | 'rolledBack';

export interface DeploymentEvent {
  id: string;
  timestamp: string;
  logicalId: string;
  resourceType: string;
  physicalId?: string;
  /** Provider status, e.g. CREATE_FAILED. */
  providerStatus: string;
  status: ResourceStatus;
  reason?: string;
  /** True for cancellations caused by another resource's failure. */
  isCancellation: boolean;
  /**
   * True while the operation has succeeded and the provider removes what it left behind, e.g. the
   * old copy of a replaced resource. Such an event names the old copy (its physical ID); a resource
   * that already settled keeps its outcome and its new ID.
   */
  isCleanup?: boolean;
}

export interface PollRequest {
  target: TargetRef;
  operation: OperationRef;
  /** Opaque, from the previous poll result; absent on the first poll. */
  cursor?: string;
  signal: AbortSignal;
}

export interface PollResult {
  phase: OperationState;
  providerStatus: string;
  statusReason?: string;
  /** New events since the cursor, oldest first. */
  events: DeploymentEvent[];
  cursor?: string;
  /** API pages read for this poll, for budgets and benches. */
  pagesRead: number;
  /**
   * News about the operation the person must hear once, e.g. "The update was cancelled by the AWS
   * console (token Console-…)." Repeating it in later polls is harmless: it is shown once.
   */
  notice?: string;
}

// ---------- stop / recover / outputs / template ----------

export interface StopRequest {
  target: TargetRef;
  operation: OperationRef;
  deploymentId: string;
  signal: AbortSignal;
}

export interface StopResult {
  /** Whether the provider rolls back what it did, or just stops where it is. */
  rollsBack: boolean;
}

export interface RecoverRequest {
  target: TargetRef;
  action: RecoveryActionId;
  deploymentId: string;
  /**
   * The target as it was when the person consented (describeTarget's targetId). A consent is about
   * that one: a different target under the same name, or one no longer in a state the action is
   * for, is never touched.
   */
  targetId?: string;
  signal: AbortSignal;
}

export interface RecoverResult {
  operation: OperationRef;
}

export interface OutputsRequest {
  target: TargetRef;
  signal: AbortSignal;
}

export interface StackOutput {
  key: string;
  value: string;
  description?: string;
  exportName?: string;
  sensitive?: boolean;
}

export interface TemplateRequest {
  target: TargetRef;
  stagedId: string;
  signal: AbortSignal;
}
