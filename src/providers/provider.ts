/**
 * The provider port: the only way the deployment machine talks to a cloud.
 *
 * One request object and one result object per method, an AbortSignal on every call, and
 * errors that carry a code. Provider-specific ideas (change sets, previews, tokens) stay
 * behind this interface; the machine only sees the neutral shapes below.
 */

export type ProviderKind = 'aws' | 'gcp';

export type ProviderErrorCode =
  /** Rate limited by the provider. Retryable. */
  | 'Throttling'
  /** 5xx, dropped connection, timeout. Retryable. */
  | 'Transient'
  | 'NotFound'
  /** The provider rejected the input (template, parameters, names). Not retryable. */
  | 'Validation'
  /** No credentials, expired credentials, access denied. Not retryable. */
  | 'Credentials'
  /** Another operation is in the way (stack busy, change set obsolete, stale preview). */
  | 'Conflict'
  /** The provider cannot do this at all in the current state (e.g. cancel a CloudFormation create). */
  | 'Unsupported'
  /** The caller aborted through its AbortSignal. */
  | 'Aborted'
  | 'Unknown';

const RETRYABLE: ReadonlySet<ProviderErrorCode> = new Set(['Throttling', 'Transient']);

/**
 * Marks a ProviderError from any copy of this module. Each provider is its own bundle with its
 * own copy of this class, so `instanceof` against the core bundle's class would be false for an
 * error a provider threw; the brand, a registry-wide symbol, is the same in every bundle.
 */
const PROVIDER_ERROR_BRAND = Symbol.for('stackwatch.providerError');

export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly [PROVIDER_ERROR_BRAND] = true;

  /** `instanceof ProviderError` checks the brand, so it holds across bundles too. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [PROVIDER_ERROR_BRAND]?: unknown })[PROVIDER_ERROR_BRAND] === true;
  }

  constructor(
    readonly code: ProviderErrorCode,
    message: string,
    readonly details: { cause?: unknown; hint?: string; providerCode?: string } = {},
  ) {
    super(message, { cause: details.cause });
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}

export function isProviderError(value: unknown): value is ProviderError {
  return ProviderError[Symbol.hasInstance](value);
}

/** Where a deployment goes. Settings beyond these live in the provider's own config. */
export interface TargetRef {
  provider: ProviderKind;
  /** CloudFormation stack name, or Infrastructure Manager deployment ID. */
  name: string;
  region?: string;
}

/** A template as loaded from the workspace: the exact text that will be submitted. */
export interface TemplateSource {
  /** Workspace path, for messages. */
  path: string;
  body: string;
  format: 'yaml' | 'json' | 'folder';
  /** Bytes of `body` in UTF-8. */
  sizeBytes: number;
}

export interface ParameterValue {
  key: string;
  value: string;
  /** Keep the value the stack already has (UsePreviousValue). */
  usePrevious?: boolean;
  /**
   * A NoEcho parameter or a sensitive Terraform input: the value is sent to the provider and
   * never shown, logged, recorded in history or persisted.
   */
  secret?: boolean;
}

// ---------- describeTarget ----------

/**
 * What the machine needs to know about the stack before staging:
 * - missing: no stack; staging creates it.
 * - ready: stable and updatable.
 * - inProgress: an operation is running; a new session reattaches and monitors it.
 * - unrecoverable: it cannot be updated; the user must pick a recovery action (all need consent).
 */
export type TargetCondition = 'missing' | 'ready' | 'inProgress' | 'unrecoverable';

export type RecoveryActionId =
  | 'delete'
  | 'forceDelete'
  | 'continueRollback'
  | 'rollback'
  /** Release a lock a crashed Terraform run left on an Infrastructure Manager deployment. */
  | 'unlock';

export interface RecoveryAction {
  id: RecoveryActionId;
  /** Button label, e.g. "Delete and recreate". */
  label: string;
  /** One sentence saying what happens, shown in the consent prompt. */
  description: string;
  /** Deletes resources or the stack. Always needs explicit consent. */
  destructive: boolean;
  /** After this action settles, restart from initializing (delete) or go on deploying (continue rollback). */
  restartsDeployment: boolean;
}

export interface DescribeTargetRequest {
  target: TargetRef;
  signal: AbortSignal;
}

export interface DescribeTargetResult {
  condition: TargetCondition;
  /** The provider's own status string, e.g. ROLLBACK_COMPLETE. Absent when missing. */
  providerStatus?: string;
  statusReason?: string;
  /** Stack ID / deployment resource name. */
  targetId?: string;
  /** Legal ways out of an unrecoverable state, best first. Empty otherwise. */
  recoveryActions: RecoveryAction[];
  /** For inProgress: the operation to reattach to. */
  operation?: OperationRef;
  lastUpdatedAt?: string;
}

// ---------- stage ----------

export interface StageRequest {
  target: TargetRef;
  template: TemplateSource;
  parameters: ParameterValue[];
  capabilities: string[];
  /** From describeTarget: tells the provider to create or update. */
  condition: TargetCondition;
  /** Unique per deployment; providers derive names and idempotency tokens from it. */
  deploymentId: string;
  /**
   * Which staging attempt of this deployment (0, 1, … one per round). The staged name and its
   * idempotency token derive from (deploymentId, attempt) alone, so a retry or a resumed attempt
   * finds and adopts what an earlier call of the same attempt made (AlreadyExists is adopted).
   */
  attempt: number;
  /**
   * The target as describeTarget found it before staging (absent when there was none). A target
   * that existed before, such as an empty REVIEW_IN_PROGRESS stack someone left, is not ours to
   * remove on cleanup, even when staging creates into it.
   */
  targetId?: string;
  signal: AbortSignal;
}

export interface StageResult {
  /** Change set ARN / preview name. */
  stagedId: string;
  /** True when staging created the target (e.g. a REVIEW_IN_PROGRESS stack) that abort must remove. */
  createdTarget: boolean;
  targetId?: string;
}

/** 'None': listed for what it shows (drift found outside the tool), not for anything the change does. */
export type ChangeAction = 'Add' | 'Modify' | 'Remove' | 'Import' | 'Dynamic' | 'None';
export type Replacement = 'True' | 'False' | 'Conditional';

export interface Change {
  /** Stable key within a deployment (logical ID / resource address). */
  logicalId: string;
  action: ChangeAction;
  resourceType: string;
  physicalId?: string;
  replacement?: Replacement;
  /** Delete / Retain / Snapshot / ReplaceAndDelete / … */
  policyAction?: string;
  /** Attribute groups that change: Properties, Metadata, Tags, … */
  scope?: string[];
  /** Human-readable detail lines, e.g. "Properties.BucketName (requires replacement)". */
  details?: string[];
}

export interface DescribeStagedRequest {
  target: TargetRef;
  stagedId: string;
  signal: AbortSignal;
}

export type StagedState = 'pending' | 'ready' | 'empty' | 'failed';

export interface DescribeStagedResult {
  state: StagedState;
  /** Provider status text, e.g. CREATE_COMPLETE / AVAILABLE. */
  providerStatus?: string;
  reason?: string;
  /** All pages, in provider order. Only meaningful when ready. */
  changes: Change[];
}

// ---------- execute ----------

/** Identifies a running operation, so monitoring can tell our events from anyone else's. */
export interface OperationRef {
  /** Idempotency token (ClientRequestToken / requestId). */
  token?: string;
  /** Provider operation name (GCP LRO), if any. */
  operationName?: string;
  /** The provider's own ID for the target (a stack ARN): a deleted stack is found only by it. */
  targetId?: string;
  /** ISO time the operation started; events before it are not ours. */
  startedAt: string;
  kind: 'create' | 'update' | 'delete' | 'rollback' | 'unknown';
  /** The provider's operation ID (CloudFormation OperationId), when it names one. */
  operationId?: string;
  /**
   * The staged change set this operation executes: when the stack alone cannot tell whether the
   * operation ran (an endpoint that records no update time), the change set's execution status can.
   */
  stagedId?: string;
  /**
   * Who started it, in words, when the provider tells (someone else's operation): "the AWS console
   * (token Console-…)", "another Stackwatch deployment", "a client with token X".
   */
  startedBy?: string;
}

export interface ExecuteRequest {
  target: TargetRef;
  stagedId: string;
  deploymentId: string;
  signal: AbortSignal;
}

export interface ExecuteResult {
  operation: OperationRef;
}

export interface AbortStagedRequest {
  target: TargetRef;
  /**
   * The staged change set / preview. Absent when the stage call never answered (Abort while it
   * was in flight, a deadline): the provider then derives it from (deploymentId, attempt).
   * A staged item still being created is waited for, then removed.
   */
  stagedId?: string;
  deploymentId: string;
  attempt: number;
  /**
   * The staged item was executed: only leftovers are removed, never anything the execution now
   * owns. On Google Cloud that is the preview and this attempt's zip unless the deployment runs it;
   * on AWS nothing (template uploads are content-addressed and never removed).
   */
  executed?: boolean;
  /** Remove the target too when staging created it and it holds nothing. */
  removeCreatedTarget: boolean;
  /** The target staging created (StageResult.targetId): only that one may be removed. */
  targetId?: string;
  signal: AbortSignal;
}

export interface AbortStagedResult {
  /**
   * The staged item turned out to be executed (an execute that landed after Abort cancelled its
   * request): nothing was removed, and the deployment must follow that execution.
   */
  executedMeanwhile?: boolean;
}

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

// ---------- describeRecovery (optional) ----------

/**
 * What a list of resources a recovery would destroy rests on:
 * - plannedDelete: the provider planned the delete (a delete preview) and this is its plan;
 * - lastRecordedState: the resources the target last recorded (its state), which a delete destroys
 *   as far as that record is right.
 */
export type RecoveryPlanBasis = 'plannedDelete' | 'lastRecordedState';

export interface DescribeRecoveryRequest {
  target: TargetRef;
  /** The destructive action offered (delete / forceDelete). */
  action: RecoveryActionId;
  deploymentId: string;
  /** The target the consent is about (describeTarget's targetId). */
  targetId?: string;
  signal: AbortSignal;
}

export interface DescribeRecoveryResult {
  /** What the action destroys, as far as `basis` tells; each a 'Remove' change. */
  destroys: Change[];
  basis: RecoveryPlanBasis;
  /** A planned delete is still being made: asking again later may answer with basis 'plannedDelete'. */
  planning: boolean;
  /** Why the list is not a planned delete (the target is locked, the plan failed), in words. */
  note?: string;
  /**
   * Set when nothing could be listed (no recorded state, an empty record, the target not found):
   * why, in words. `destroys` is then empty and says nothing, never "nothing is destroyed".
   */
  unavailable?: string;
}

export interface DiscardRecoveryPlanRequest {
  target: TargetRef;
  deploymentId: string;
  signal: AbortSignal;
}

// ---------- findExecution ----------

export interface FindExecutionRequest {
  target: TargetRef;
  stagedId: string;
  deploymentId: string;
  signal: AbortSignal;
}

/**
 * What happened to an execute whose answer was lost (a restart, a deadline, Abort or Stop while
 * it was in flight), asked of the provider instead of guessed:
 * - notExecuted: the staged item is still waiting; executing it now runs it once.
 * - executed: it ran (or runs); follow `operation`.
 * - gone: the staged item no longer exists and nothing shows it ran (someone deleted it, or it
 *   went stale); `reason` says which.
 */
export type FindExecutionResult =
  | { state: 'notExecuted' }
  | { state: 'executed'; operation: OperationRef }
  | { state: 'gone'; reason: string };

export interface Provider {
  readonly kind: ProviderKind;
  describeTarget(req: DescribeTargetRequest): Promise<DescribeTargetResult>;
  stage(req: StageRequest): Promise<StageResult>;
  describeStaged(req: DescribeStagedRequest): Promise<DescribeStagedResult>;
  execute(req: ExecuteRequest): Promise<ExecuteResult>;
  findExecution(req: FindExecutionRequest): Promise<FindExecutionResult>;
  abortStaged(req: AbortStagedRequest): Promise<AbortStagedResult>;
  poll(req: PollRequest): Promise<PollResult>;
  /** Throws ProviderError('Unsupported') with a plain explanation when it cannot stop. */
  stop(req: StopRequest): Promise<StopResult>;
  recover(req: RecoverRequest): Promise<RecoverResult>;
  outputs(req: OutputsRequest): Promise<StackOutput[]>;
  template(req: TemplateRequest): Promise<string>;
  /**
   * Optional: what a destructive recovery would destroy, shown in the consent before the person
   * answers. It may start something (a delete preview) that discardRecoveryPlan removes.
   */
  describeRecovery?(req: DescribeRecoveryRequest): Promise<DescribeRecoveryResult>;
  /** Removes whatever describeRecovery started for this deployment; nothing there is not an error. */
  discardRecoveryPlan?(req: DiscardRecoveryPlanRequest): Promise<void>;
}
