/**
 * What the engine modules share: the clock, the scheduler, the stores and the settings.
 */
import type { DeploymentRecord, PreviewRecord } from './model';
import type { OperationBook } from './operations';
import type { Scheduler } from './scheduler';
import type { ObjectStore } from './storage';

export interface SimSettings {
  previewSeconds: number;
  resourceSeconds: number;
  setupSeconds: number;
}

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
}

export const TF_VERSION = '1.5.7';
