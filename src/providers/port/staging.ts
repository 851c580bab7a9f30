/**
 * The port's staging calls: stage what will be applied, describe it for the review, execute it
 * (or find out whether a lost execute ran), and abort it.
 */
import type { ParameterValue, TargetCondition, TargetRef, TemplateSource } from './target';

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
  /**
   * The deployment options the person chose for this target (the descriptor's `deploymentOptions`,
   * by id). Absent or missing ids mean each option's default.
   */
  options?: DeploymentOptionValues;
  signal: AbortSignal;
}

/** Deployment options by id, as the descriptor declares them (flags and choices). */
export type DeploymentOptionValues = Readonly<Record<string, boolean | string>>;

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
  /**
   * Inside a nested target: the logicalId (row key) of the row this one belongs to. A nested row's
   * own logicalId is its parent's key, a slash and its logical ID ("Network/Subnet"), so keys stay
   * unique across the whole tree.
   */
  parent?: string;
  /** Property-level changes with their values, when the provider can tell them. */
  properties?: PropertyChange[];
  /**
   * The whole resource before and after, as JSON text (masked like `properties`), when the provider
   * tells it; the review shows it as a diff when no property list says more.
   */
  beforeContext?: string;
  afterContext?: string;
  /**
   * Drift-aware staging: how the live resource differs from what was last deployed, in the
   * provider's words (MODIFIED, DELETED, IN_SYNC, NOT_CHECKED).
   */
  drift?: string;
}

/** One changed property of a resource, as the review shows it. */
export interface PropertyChange {
  /** Where in the resource, e.g. "Properties.KeySchema" or "Properties.Tags[0].Value". */
  path: string;
  changeType?: 'Add' | 'Remove' | 'Modify';
  /** Whether changing it replaces the resource. */
  requiresRecreation?: 'Never' | 'Conditionally' | 'Always';
  /** Why it changes, in the provider's words (DirectModification, ParameterReference, …). */
  changeSource?: string;
  /** The parameter or resource that causes it, e.g. "BucketNameParam" or "Queue.Arn". */
  causingEntity?: string;
  /** Values as text (JSON for objects), at most MAX_PROPERTY_VALUE_CHARS each; masked when secret. */
  before?: string;
  after?: string;
  /** Drift-aware staging: the value last deployed, and the one the live resource has now. */
  drift?: { previous?: string; actual?: string };
  /** A secret value was replaced by SECRET_MASK in before, after or drift. */
  masked?: boolean;
}

/** What a secret value reads as wherever it would have been shown. */
export const SECRET_MASK = '****';
/** Longer values are cut (with "…") so a persisted change list stays bounded. */
export const MAX_PROPERTY_VALUE_CHARS = 8_000;

/**
 * What the provider found wrong (or worth a warning) in what was staged, before anything was
 * deployed: e.g. a property that fails its schema, a name that already exists.
 */
export interface TemplateFinding {
  /** error: staging failed because of it; warning: shown, never blocks. */
  severity: 'error' | 'warning';
  message: string;
  /** The resource it is about (a row key: "Parent/Child" inside nested targets). */
  logicalId?: string;
  /** Where in the template, as the provider reports it, e.g. "/Resources/Bucket/Properties/BucketName". */
  path?: string;
  /** The provider's name for the check, e.g. "PROPERTY_VALIDATION". */
  check?: string;
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
  /**
   * What the provider's own validation of the staged item found: the errors that failed it (state
   * 'failed'), and warnings that do not block (any state).
   */
  findings?: TemplateFinding[];
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
  /**
   * No stage was sent in this attempt (a re-stage ended after removing the round before's staged
   * item, before staging again): there is nothing staged to look or wait for, only the target to remove.
   */
  nothingStaged?: boolean;
  signal: AbortSignal;
}

export interface AbortStagedResult {
  /**
   * The staged item turned out to be executed (an execute that landed after Abort cancelled its
   * request): nothing was removed, and the deployment must follow that execution.
   */
  executedMeanwhile?: boolean;
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
export type FindExecutionResult = { state: 'notExecuted' } | { state: 'executed'; operation: OperationRef } | { state: 'gone'; reason: string };
