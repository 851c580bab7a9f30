/**
 * What the Infrastructure Manager adapter's modules share: one caller and client, the settings,
 * and what this window remembers of its own runs, which the service does not record.
 */
import type { OAuth2Client } from 'google-auth-library';
import { PreviewedPlans } from './applyPlan';
import type { DeploymentLocks } from './locks';
import { parentName, type Location } from './names';
import type { OwnApplyLookup } from './ownApply';
import type { ImApi } from './reads';
import { ReviewedPlans } from './reviewedPlans';
import type { GcpProviderSettings } from './settings';
import type { StagingObjects } from './stagingObject';

export interface GcpProviderDeps {
  /** Credentials to use instead of Application Default Credentials (tests). */
  authClient?: OAuth2Client;
  /** rootUrl for both APIs; wins over settings.endpoint. */
  rootUrl?: string;
  /** Deadline of one request, in ms (default 20 s); a request that outlives it is a Transient error. */
  callTimeoutMs?: number;
  /** Deadline of the blueprint upload, in ms (default 40 s). */
  uploadTimeoutMs?: number;
  /** Pause between looks at a preview still being created, before it can be deleted (default 2 s). */
  previewWaitMs?: number;
  /** Budget for reading the exported plan during the review (default 8 s); past it the review goes on without it. */
  reviewExportMs?: number;
  /** How long execute waits for a first deploy's preview delete before answering (default 3 s); past it the delete goes on beside the run. */
  createPreviewWaitMs?: number;
}

/** Per-operation memory of this window; released on dispose. */
export class WindowMemory {
  /** The revision that was current when each of our applies started; see poll. */
  readonly baseRevisions = new Map<string, string | undefined>();
  /** Operations this window asked to cancel (Stop); every other cancel was someone else's. */
  readonly ownCancels = new Set<string>();
  /** Operations whose cancel the service answered without refusing: "requested", not "done". */
  readonly acceptedCancels = new Set<string>();
  /** What the previews this window read planned, to compare with the apply's own plan. */
  readonly previewedPlans = new PreviewedPlans();
  /** Delete recoveries (by request ID) that released the deployment's lock themselves. */
  readonly releasedLocks = new Set<string>();
  /** The plans read when their previews were ready: Save Plan serves them after the apply deleted the preview. */
  readonly reviewedPlans = new ReviewedPlans();

  clear(): void {
    this.baseRevisions.clear();
    this.releasedLocks.clear();
    this.ownCancels.clear();
    this.acceptedCancels.clear();
    this.previewedPlans.clear();
    this.reviewedPlans.clear();
  }
}

export interface GcpContext extends ImApi {
  readonly settings: GcpProviderSettings;
  readonly deps: GcpProviderDeps;
  readonly objects: StagingObjects;
  /** Reads, releases and follows deployment locks. */
  readonly locks: DeploymentLocks;
  readonly memory: WindowMemory;
}

/** The project from the settings; the location is the target's region, else the settings'. */
export function where(ctx: GcpContext, target: { region?: string }): Location {
  return { project: ctx.settings.project, location: target.region || ctx.settings.location };
}

export function ownApplyLookup(ctx: GcpContext, target: { region?: string }): OwnApplyLookup {
  return { caller: ctx.caller, im: ctx.im, parent: parentName(where(ctx, target)) };
}
