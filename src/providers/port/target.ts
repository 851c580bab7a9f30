/** The port's targets: where a deployment goes, what it submits, and what the target is now (describeTarget). */
import type { DeploymentEvent } from './operation';
import type { OperationRef } from './staging';

export type ProviderKind = 'aws' | 'gcp';

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
  /**
   * Unrecoverable only: what made it so, the root cause of the operation that left it there (a
   * failed resource, not its cancellations), when the provider can tell.
   */
  lastFailure?: DeploymentEvent;
  /** For inProgress: the operation to reattach to. */
  operation?: OperationRef;
  lastUpdatedAt?: string;
}
