/**
 * The public face of im-sim, the local Infrastructure Manager (config.googleapis.com v1) and
 * Cloud Storage upload endpoint. Tests, `npm start` and the workbench scenario use only this.
 */

import type { ApplyBuildFailure, DeleteFailure } from './buildFailures';
import type { CancelBehaviour, ResourceReporting } from './context';

export type { CancelBehaviour, ResourceReporting } from './context';

export interface ImSimOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Simulated seconds per real second. 0 stands still: only advance() moves time. Default 1. */
  speed?: number;
  /** Bearer token every request must carry. Default 'sim-token'. */
  token?: string;
  /** Simulated seconds a preview takes to plan. Default 3. */
  previewSeconds?: number;
  /** Default simulated seconds per resource when the blueprint does not say. Default 2. */
  resourceSeconds?: number;
  /** Simulated seconds an apply or delete spends on its setup steps (bucket, download, init, plan) before the first resource. Default 1. */
  setupSeconds?: number;
  /** Simulated seconds a lock operation takes (lockState LOCKING meanwhile). Default 0: done before the call returns. */
  lockSeconds?: number;
  /**
   * Simulated seconds an unlock operation takes: lockState UNLOCKING, step RUNNING_TF_VALIDATE (the
   * service validates uploaded state when unlocking), then UNLOCKING_DEPLOYMENT. Default 0.
   */
  unlockSeconds?: number;
  /**
   * previews.create naming a `deployment` that does not exist: 'plan' (default) plans from
   * nothing; 'reject' answers 404 NOT_FOUND. Which one the service does is unconfirmed: the docs'
   * example for a new deployment's preview simply omits `deployment`.
   */
  previewOfMissingDeployment?: 'plan' | 'reject';
  /**
   * How operations.cancel answers: 'boundary' (default, simulator-only) stops the job after the
   * resource in progress; 'ignored' accepts the cancel and runs on; 'unimplemented' answers 501
   * UNIMPLEMENTED. google.longrunning promises only a best effort, and allows UNIMPLEMENTED.
   */
  cancelBehaviour?: CancelBehaviour;
  /**
   * When revisions.resources.list shows an apply's resources: 'live' (default, simulator-only)
   * from the end of the plan step on; 'afterApply' once the revision is APPLIED or FAILED (the
   * service keeps resource metadata from each revision's Terraform state); 'never' not at all.
   */
  resourceReporting?: ResourceReporting;
  /**
   * Projects the listing calls know (locations, service accounts, buckets), by project ID; a
   * project not here answers those calls 403. Default: the sample's `stackwatch-demo`.
   */
  projects?: Record<string, ImSimProject>;
}

/** What one project holds for the listing calls (projects.ts). Deployments do not consult it. */
export interface ImSimProject {
  /** Infrastructure Manager location IDs; default: the regions of the Infrastructure Manager locations page. */
  locations?: string[];
  serviceAccounts?: { email: string; displayName?: string; disabled?: boolean }[];
  buckets?: { name: string; location?: string }[];
  /** APIs that answer 403 SERVICE_DISABLED for this project, as when they were never enabled. */
  disabledApis?: ('config' | 'iam' | 'storage')[];
}

/** A fault for the next matching requests: 429 RESOURCE_EXHAUSTED, 503 UNAVAILABLE or 403 PERMISSION_DENIED (`denied`). */
export interface GcpFaultRule {
  kind: 'throttle' | 'unavailable' | 'denied';
  /** HTTP method to match; any when absent. */
  method?: string;
  /** Substring of the request path to match, e.g. ':cancel' or '/previews'. Any when absent. */
  pathIncludes?: string;
  /** How many matching requests fail. Default 1. */
  times?: number;
}

export interface ImSimRequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Simulated time the request arrived. */
  at: string;
  /** HTTP status answered (set once answered). */
  status?: number;
  /** Whether the request carried an Authorization header (a signed-URL download must not). */
  authorization?: boolean;
}

export interface ImSim {
  /** Pass as `rootUrl` to the config v1 and storage v1 clients, e.g. http://127.0.0.1:PORT/. */
  rootUrl: string;
  token: string;
  close(): Promise<void>;
  /** Moves simulated time forward. */
  advance(seconds: number): void;
  setSpeed(speed: number): void;
  inject(rule: GcpFaultRule): void;
  /** Every API request so far, oldest first. */
  requests(): ImSimRequestRecord[];
  /** The stored Deployment resources, as the API would return them. */
  deployments(): Record<string, unknown>[];
  /** Uploaded objects: bucket, name, generation, size. */
  objects(): { bucket: string; name: string; generation: string; size: number }[];
  /** Puts a deployment in a state directly (FAILED, SUSPENDED, …) to set up recovery tests. */
  setDeploymentState(deploymentName: string, state: string): void;
  /**
   * Locks a deployment at once (lockState LOCKED). Without `owner` the lock looks left by a
   * crashed Terraform run; `owner` models a deliberate lock (who, info, operation in exportLock).
   */
  lock(deploymentName: string, owner?: { who?: string; info?: string; operation?: string }): void;
  /** The next lock (`which` 'lock') or unlock of this deployment ends done with lockState LOCK_FAILED / UNLOCK_FAILED. */
  failNextLockChange(deploymentName: string, which: 'lock' | 'unlock'): void;
  /** Changes how long lock (`which` 'lock') or unlock operations take from now on (see lockSeconds / unlockSeconds). */
  setLockSeconds(which: 'lock' | 'unlock', seconds: number): void;
  /** Someone else applied a new revision: latestRevision moves and the deployment's previews are deleted. */
  applyOutOfBand(deploymentName: string): void;
  /**
   * The next apply (create or patch) of this deployment (full name; it need not exist yet) fails
   * before Terraform runs: its operation succeeds, the Deployment is FAILED with `errorCode`, and
   * no revision fails (none is recorded, or one stays APPLYING). See buildFailures.ts.
   */
  failNextApplyBuild(deploymentName: string, failure: ApplyBuildFailure): void;
  /** The next delete of this deployment fails: it stays, FAILED with DELETE_BUILD_RUN_FAILED (tfErrors) or DELETE_BUILD_API_FAILED. */
  failNextDelete(deploymentName: string, failure?: DeleteFailure): void;
  /**
   * The resource at `address` changed outside Terraform. The deployment is not updated (its
   * previews stay). With `attr`: the cloud has `attr = value`, the state does not; the next
   * preview's refresh reports it (previews.resourceDrifts) and the next plan (an apply's own
   * included) reverts it when the blueprint sets that attribute. Without `attr` (simulator-only):
   * the next plan updates the resource, and no drift is listed.
   */
  drift(deploymentName: string, address: string, attr?: string, value?: unknown, options?: { sensitive?: boolean }): void;
  /** Changes how operations.cancel answers from now on (see ImSimOptions.cancelBehaviour). */
  setCancelBehaviour(behaviour: CancelBehaviour): void;
  /** Changes when an apply's resources are listed from now on (see ImSimOptions.resourceReporting). */
  setResourceReporting(mode: ResourceReporting): void;
  /** Adds or replaces a project of the listing calls (see ImSimOptions.projects); reset() keeps them. */
  setProject(id: string, project: ImSimProject): void;
  /** Forget everything. */
  reset(): void;
}
