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
  /** The provider's operation this event belongs to (the automatic rollback is one of its own). */
  operationId?: string;
  /** That operation's kind in the provider's words (CREATE_STACK, ROLLBACK, …), for grouping the log. */
  operationType?: string;
  /**
   * The resource is configured and the provider waits for it to stabilize (CloudFormation's
   * CONFIGURATION_COMPLETE): shown as such, not as plain "in progress".
   */
  stabilizing?: boolean;
  /** The failure came from a hook, not the resource itself. */
  hook?: HookFailure;
  /** The request ID the provider's failure names (e.g. "Request ID: …" in a handler message). */
  requestId?: string;
  /** The property the failure names, as a path in the resource ("Properties.BucketName"). */
  propertyPath?: string;
}

/** A hook that failed (or warned) an operation on a resource. */
export interface HookFailure {
  /** The hook's type name, e.g. "Private::Guard::S3Encryption". */
  type: string;
  /** HOOK_COMPLETE_FAILED, HOOK_FAILED, … as the provider says. */
  status: string;
  reason?: string;
  /** PRE_PROVISION, … */
  invocationPoint?: string;
  /** FAIL or WARN */
  failureMode?: string;
  /** What the hook's result says, check by check (GetHookResult annotations). */
  annotations?: HookAnnotation[];
}

export interface HookAnnotation {
  name: string;
  status?: string;
  message?: string;
  remediation?: string;
  remediationLink?: string;
  severity?: string;
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
  /**
   * The operation's failures as the provider's failure read tells them (e.g. DescribeEvents with
   * FailedEvents), richer than the event stream: hook results, request IDs, property paths. Each
   * enriches the failure of the same logicalId and status; they are never new progress.
   */
  failureDetails?: DeploymentEvent[];
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

/** The template the target runs now, as it was submitted (for Compare with Deployed). */
export interface DeployedTemplateRequest {
  target: TargetRef;
  signal: AbortSignal;
}

export interface TemplateRequest {
  target: TargetRef;
  stagedId: string;
  signal: AbortSignal;
}
