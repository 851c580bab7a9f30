/**
 * The sim's stored state. Records keep times as epoch milliseconds and turn into API JSON in
 * views.ts, so what is stored and what is shown can differ (hidden fields, computed states).
 */
import type { Blueprint, LoadResult, TerraformBlueprintInput } from './blueprint';

export interface TfError {
  resourceAddress?: string;
  httpResponseCode?: number;
  errorDescription: string;
  error?: { code: number; message: string };
}

/** What the caller controls on a deployment (and copies onto each revision). */
export interface DeploymentSpec {
  terraformBlueprint?: TerraformBlueprintInput;
  serviceAccount?: string;
  tfVersionConstraint?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  artifactsGcsBucket?: string;
  workerPool?: string;
  importExistingResources?: boolean;
  quotaValidation?: string;
}

/** A resource in the Terraform state of a deployment. */
export interface AppliedResource {
  address: string;
  type: string;
  name: string;
  provider: string;
  id: string;
  fingerprint: string;
  attrs: Record<string, unknown>;
  seconds: number;
  /** Attributes changed outside Terraform (sim.drift): the cloud has these, the state still has `attrs`. */
  actual?: Record<string, unknown>;
  /** Which of `actual` hold sensitive values. */
  actualSensitive?: string[];
}

/** One drifted resource as a preview's refresh found it (previews.resourceDrifts). */
export interface DriftRecord {
  address: string;
  type: string;
  name: string;
  provider: string;
  properties: { path: string; before: unknown; after: unknown; sensitive: boolean }[];
}

export type Intent = 'CREATE' | 'UPDATE' | 'DELETE' | 'RECREATE' | 'UNCHANGED';

/** One line of a plan: what happens to one address. */
export interface PlannedChange {
  address: string;
  type: string;
  name: string;
  provider: string;
  intent: Intent;
  seconds: number;
  fail?: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  fingerprint?: string;
}

export interface RevisionResource {
  change: PlannedChange;
  state: 'PLANNED' | 'IN_PROGRESS' | 'RECONCILED' | 'FAILED';
  id: string;
}

export interface RevisionRecord {
  name: string;
  action: 'CREATE' | 'UPDATE';
  state: 'APPLYING' | 'APPLIED' | 'FAILED';
  stateDetail?: string;
  errorCode?: string;
  tfErrors?: TfError[];
  /** Where quota validation wrote its results (set when spec.quotaValidation is ENABLED or ENFORCED). */
  quotaValidationResults?: string;
  createTime: number;
  updateTime: number;
  spec: DeploymentSpec;
  build: string;
  /** Visible once the plan step is over. */
  resources: RevisionResource[];
  outputs?: Blueprint['outputs'];
}

export interface LockRecord {
  lockId: string;
  operation: string;
  info: string;
  who: string;
  createTime: number;
  /** The preview whose plan holds this lock (between its LOCKING_DEPLOYMENT and UNLOCKING_DEPLOYMENT steps). */
  preview?: string;
}

/** A lock or unlock operation in flight, or how the last one failed; LOCKED/UNLOCKED follow from `lock`. */
export type LockTransition = 'LOCKING' | 'UNLOCKING' | 'LOCK_FAILED' | 'UNLOCK_FAILED';

export interface DeploymentRecord {
  name: string;
  state: 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING' | 'FAILED' | 'SUSPENDED' | 'DELETED';
  stateDetail?: string;
  errorCode?: string;
  tfErrors?: TfError[];
  createTime: number;
  updateTime: number;
  spec: DeploymentSpec;
  lock?: LockRecord;
  lockState?: LockTransition;
  /** Control: the next lock or unlock of this deployment ends LOCK_FAILED / UNLOCK_FAILED. */
  lockFaults?: { lock?: true; unlock?: true };
  revisions: RevisionRecord[];
  /** The Terraform state: what exists now, whatever the revisions say. */
  applied: AppliedResource[];
  deleteBuild?: string;
}

export interface PreviewRecord {
  name: string;
  /** No STALE: the service deletes a preview when its deployment changes (previews.ts). */
  state: 'CREATING' | 'SUCCEEDED' | 'APPLYING' | 'DELETING' | 'FAILED' | 'DELETED';
  deployment?: string;
  previewMode: 'DEFAULT' | 'DELETE';
  spec: DeploymentSpec;
  createTime: number;
  build: string;
  errorCode?: string;
  errorMessage?: string;
  tfErrors?: TfError[];
  changes: PlannedChange[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  loaded?: LoadResult;
  /** What the plan's refresh found changed outside Terraform; set when the preview succeeds. */
  drifts?: DriftRecord[];
}
