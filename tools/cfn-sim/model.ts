/**
 * The simulator's state: stacks, their resources, events and change sets.
 * Times are simulated milliseconds since the epoch.
 */
import type { ChangeSetOptions } from './deploymentConfig';
import type { ResourceChange } from './diff';
import type { ValidationEvent, ValidationFinding } from './earlyValidation';
import type { HookInvocation } from './hooks';
import type { Resolved } from './intrinsics';
import type { PhaseRun } from './phase';
import type { ParameterInput } from './parameters';
import type { Template } from './template';

export interface Tag {
  key: string;
  value: string;
}

/** What a stack is (or is about to be) deployed from. */
export interface Deployment {
  template: Template;
  params: Map<string, string>;
  capabilities: string[];
  tags: Tag[];
}

export interface SimResource {
  logicalId: string;
  type: string;
  physicalId?: string;
  status: string;
  reason?: string;
  timestamp: number;
  /** Properties as resolved when the resource was last created or updated. */
  properties: Record<string, Resolved>;
  metadata?: Record<string, unknown>;
  /** Out-of-band state set through the drift control route (drift.ts); absent when in sync. */
  drift?: { properties: Record<string, Resolved>; deleted: boolean };
}

export interface StackEvent {
  eventId: string;
  logicalId: string;
  physicalId?: string;
  resourceType: string;
  timestamp: number;
  status: string;
  reason?: string;
  token?: string;
  operationId?: string;
  properties?: string;
  /** CONFIGURATION_COMPLETE on the event that says a resource is configured and stabilizing. */
  detailedStatus?: string;
  /** Set on the events a hook invocation writes (see hooks.ts). */
  hook?: HookInvocation;
}

export interface Output {
  key: string;
  value: string;
  description?: string;
  exportName?: string;
}

export type OperationType = 'CREATE_STACK' | 'UPDATE_STACK' | 'DELETE_STACK' | 'ROLLBACK' | 'CONTINUE_ROLLBACK';

export type ChangeSetStatus = 'CREATE_PENDING' | 'CREATE_IN_PROGRESS' | 'CREATE_COMPLETE' | 'FAILED';
export type ExecutionStatus = 'UNAVAILABLE' | 'AVAILABLE' | 'EXECUTE_IN_PROGRESS' | 'EXECUTE_COMPLETE' | 'EXECUTE_FAILED' | 'OBSOLETE';

export interface ChangeSet {
  id: string;
  name: string;
  stackId: string;
  stackName: string;
  type: 'CREATE' | 'UPDATE';
  status: ChangeSetStatus;
  statusReason?: string;
  executionStatus: ExecutionStatus;
  creationTime: number;
  description?: string;
  deployment: Deployment;
  parameterInputs: ParameterInput[];
  /** Computed when the change set is created, shown once it is CREATE_COMPLETE. */
  changes: ResourceChange[];
  /** Set when computing the changes failed; the change set ends FAILED with it. */
  failure?: string;
  clientToken?: string;
  /** IncludeNestedStacks (nested.ts): the nested change sets by the logical ID of their stack resource. */
  includeNestedStacks?: boolean;
  nested?: Map<string, ChangeSet>;
  parentChangeSetId?: string;
  rootChangeSetId?: string;
  /** REVERT_DRIFT: a drift-aware change set (drift.ts). */
  deploymentMode?: 'REVERT_DRIFT';
  /** DeploymentConfig, OnStackFailure, ImportExistingResources, DisableValidation as given to CreateChangeSet. */
  options?: ChangeSetOptions;
  /** Early-validation findings (FAIL ones make the change set FAILED), written as events when it finishes. */
  validation?: ValidationFinding[];
  /** The CREATE_CHANGESET operation's ID, on its validation events. */
  operationId?: string;
}

export interface Stack {
  id: string;
  name: string;
  status: string;
  reason?: string;
  creationTime: number;
  lastUpdatedTime?: number;
  deletionTime?: number;
  deleted: boolean;
  /** Absent while REVIEW_IN_PROGRESS: nothing has been deployed yet. */
  deployment?: Deployment;
  resources: Map<string, SimResource>;
  outputs: Output[];
  /** Oldest first; DescribeStackEvents serves them newest first. */
  events: StackEvent[];
  changeSets: ChangeSet[];
  /** The running operation, or the last one when it can still be rolled back or continued. */
  operation?: Operation;
  lastChangeSetId?: string;
  /** Newest first, as Stack.LastOperations. */
  lastOperations: { type: OperationType; id: string }[];
  /** ClientRequestToken → the action it was used for, for idempotent retries. */
  tokens: Map<string, string>;
  /** Nested stacks (nested.ts): the stack that owns this one, and the top of the tree. */
  parentId?: string;
  rootId?: string;
  /** Told of every stack status change (events.ts), so a parent's step can wait for its nested stack. */
  statusListener?: (status: string, reason: string | undefined, at: number) => void;
  /** Every operation ever started, oldest first (LastOperations keeps only the newest few). */
  operationLog?: { type: OperationType; id: string }[];
  /** Early-validation events of the stack's change sets: only DescribeEvents shows them. */
  validationEvents?: ValidationEvent[];
}

export type PlanAction = 'create' | 'update' | 'remove';

export type OperationStage = 'forward' | 'cleanup' | 'rollback' | 'rollbackCleanup' | 'delete' | 'failed' | 'done';

export interface Operation {
  kind: 'create' | 'update' | 'delete';
  token?: string;
  /** Changes when a rollback or a continued rollback takes over, as in CloudFormation. */
  operationId: string;
  changeSet?: ChangeSet;
  disableRollback: boolean;
  target: Deployment;
  /** The stack as it was before an update, for rolling back to it. */
  before?: { deployment?: Deployment; resources: Map<string, SimResource>; outputs: Output[] };
  plan: Map<string, PlanAction>;
  started: Set<string>;
  replaced: Map<string, { oldPhysicalId?: string; newPhysicalId?: string }>;
  failedCreate: string[];
  failedUpdate: string[];
  /** FailRollback fails a resource's rollback once per operation; a retry then succeeds. */
  rollbackFailedOnce: Set<string>;
  /** Resources an update rollback still has to revert (kept for ContinueUpdateRollback). */
  toRevert: Set<string>;
  stage: OperationStage;
  phase?: PhaseRun;
}
