/**
 * What the engine modules share: the clock, the scheduler, the stores and the settings.
 */
import type { DeploymentRecord, PreviewRecord } from './model';
import type { OperationBook } from './operations';
import type { ProjectDirectory } from './projects';
import type { Scheduler } from './scheduler';
import type { ObjectStore } from './storage';

export interface SimSettings {
  previewSeconds: number;
  resourceSeconds: number;
  setupSeconds: number;
  /** Lock and unlock operations' simulated seconds (locks.ts). */
  lockSeconds: number;
  unlockSeconds: number;
  /** What previews.create does when `deployment` names a deployment that does not exist (see ImSimOptions). */
  previewOfMissingDeployment: 'plan' | 'reject';
  /** How operations.cancel answers (cancel.ts); changeable while running. */
  cancelBehaviour: CancelBehaviour;
  /** When revisions.resources.list shows an apply's resources (reporting.ts); changeable while running. */
  resourceReporting: ResourceReporting;
}

/**
 * 'boundary' (simulator-only): the job stops after the resource in progress. 'ignored': the cancel
 * is accepted and the job runs on. 'unimplemented': 501 UNIMPLEMENTED, as google.longrunning allows.
 */
export type CancelBehaviour = 'boundary' | 'ignored' | 'unimplemented';

/** 'live': while the apply runs (simulator-only); 'afterApply': once the revision ended; 'never'. */
export type ResourceReporting = 'live' | 'afterApply' | 'never';

export interface SimContext {
  now(): number;
  scheduler: Scheduler;
  objects: ObjectStore;
  operations: OperationBook;
  settings: SimSettings;
  deployments: Map<string, DeploymentRecord>;
  previews: Map<string, PreviewRecord>;
  /** Counter for fake cloud IDs and build IDs. */
  nextId(): number;
  /** Projects for the listing calls (projects.ts). */
  projects: ProjectDirectory;
}

export const TF_VERSION = '1.5.7';
