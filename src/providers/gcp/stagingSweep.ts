/**
 * After a successful apply, removes the deployment's older staged zips, as gcloud does before it
 * stages a new one: every object in the staging folder except the ones the latest revision and
 * the last APPLIED revision use (google-cloud-sdk,
 * lib/googlecloudsdk/command_lib/infra_manager/deploy_util.py, `_CleanupGCSStagingObjectsNotInUse`).
 *
 * Stricter than gcloud in one way: another run (another window, a colleague) may be staging this
 * deployment right now, between its upload and its previews.create. Only objects created well
 * before the latest revision started are removed: a run that uploaded before that apply began
 * planned against a revision that is no longer current (the service deleted its preview, or its
 * execute refuses as moved), and the grace keeps a slow stage (retries back off for up to 10
 * minutes) from losing its zip between upload and preview.
 *
 * Only this deployment's own folder is read, `stackwatch/<project>/<location>/<id>/` (names.ts):
 * a bucket is global, and a deployment of the same ID in another project or location keeps its
 * live zip in its own folder, named by revisions this one cannot see.
 *
 * It is best effort: it runs after the run's own staging is cleaned up, removes nothing that run
 * needs, and its failure (a 403 on the object list, a slow bucket) is its own, not a clean-up
 * failure. It stops after a few deletes and a short time; what is left goes after a later deploy.
 */
import * as l10n from '@vscode/l10n';
import type { config_v1 } from 'googleapis/build/src/apis/config';
import { ProviderError } from '../provider';
import type { GcpCaller } from './calls';
import { stagingPrefix, type Location } from './names';
import { namesObject } from './ownApply';
import type { StagingObjects } from './stagingObject';

/** How much older than the latest revision an object must be before it is removed. */
export const SWEEP_GRACE_MS = 60 * 60 * 1000;
/** Deletes in one sweep: a folder grown large is emptied over several deploys, never in one clean-up. */
export const MAX_SWEEP_DELETES = 20;
/** The sweep's share of the clean-up deadline (90 s), after the preview and zip of the run. */
const SWEEP_BUDGET_MS = 15_000;
const MAX_REVISION_PAGES = 5;

export interface SweepRequest {
  caller: GcpCaller;
  im: config_v1.Config;
  objects: StagingObjects;
  deployment: config_v1.Schema$Deployment;
  bucket: string;
  /** The deployment's project and location, and its ID: only stagingPrefix(where, target) is ever touched. */
  where: Location;
  target: string;
  signal: AbortSignal;
  /** Overrides SWEEP_BUDGET_MS. */
  budgetMs?: number;
}

export interface SweepOutcome {
  /** `gs://bucket/object#generation` of each zip removed. */
  removed: string[];
  /** Why the sweep stopped before it was done, in words; absent when it finished. */
  incomplete?: string;
}

/**
 * Removes unused staged zips of this deployment. A read that fails removes nothing; a failure or
 * the budget running out ends the sweep quietly. Only the caller's own cancel propagates (Aborted).
 */
export async function sweepStagedObjects(req: SweepRequest): Promise<SweepOutcome> {
  const budget = new AbortController();
  const stop = (): void => budget.abort();
  const timer = setTimeout(stop, req.budgetMs ?? SWEEP_BUDGET_MS);
  req.signal.addEventListener('abort', stop, { once: true });
  const removed: string[] = [];
  try {
    const finished = await sweep({ ...req, signal: budget.signal }, removed);
    return finished
      ? { removed }
      : { removed, incomplete: l10n.t('Stopped after {0} older staged blueprints; the rest are removed after a later deploy.', MAX_SWEEP_DELETES) };
  } catch (error) {
    if (req.signal.aborted) throw new ProviderError('Aborted', l10n.t('Removing older staged blueprints: cancelled.'), { cause: error });
    const why = budget.signal.aborted ? l10n.t('it ran out of time') : error instanceof Error ? error.message : String(error);
    return {
      removed,
      incomplete: l10n.t(
        'Older staged blueprints were not all removed ({0}); nothing this deployment staged is left, and they are removed after a later deploy.',
        why,
      ),
    };
  } finally {
    clearTimeout(timer);
    req.signal.removeEventListener('abort', stop);
  }
}

/** One pass; false when it stopped at MAX_SWEEP_DELETES. */
async function sweep(req: SweepRequest, removed: string[]): Promise<boolean> {
  const { deployment, bucket, signal } = req;
  const prefix = stagingPrefix(req.where, req.target);
  const revisions = await listRevisions(req);
  // Not every revision read: the last applied one may be among those not seen.
  if (!revisions) return true;
  const latest = revisions.find((r) => r.name === deployment.latestRevision);
  const started = Date.parse(latest?.createTime ?? '');
  // Without the latest revision's start there is no telling which objects another run may still need.
  if (!latest || !Number.isFinite(started)) return true;
  const lastApplied = revisions.filter((r) => r.state === 'APPLIED').sort((a, b) => revisionNumber(b.name) - revisionNumber(a.name))[0];
  const inUse = [deployment.terraformBlueprint?.gcsSource, latest.terraformBlueprint?.gcsSource, lastApplied?.terraformBlueprint?.gcsSource];

  for (const listed of await req.objects.list(bucket, prefix, signal)) {
    if (!listed.object.startsWith(prefix)) continue;
    if (inUse.some((source) => namesObject(source, bucket, listed.object))) continue;
    const created = Date.parse(listed.timeCreated);
    if (!Number.isFinite(created) || created > started - SWEEP_GRACE_MS) continue;
    if (removed.length >= MAX_SWEEP_DELETES) return false;
    // That generation only: a newer upload under the same name is not this one.
    await req.objects.remove(listed, signal);
    removed.push(`gs://${bucket}/${listed.object}#${listed.generation}`);
  }
  return true;
}

/** Every revision, or undefined when there are more than a few pages of them. */
async function listRevisions({ caller, im, deployment, signal }: SweepRequest): Promise<config_v1.Schema$Revision[] | undefined> {
  const parent = deployment.name ?? '';
  const all: config_v1.Schema$Revision[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_REVISION_PAGES; page++) {
    const listed = await caller.call('revisions.list', signal, (o) => im.projects.locations.deployments.revisions.list({ parent, pageToken }, o));
    all.push(...(listed.revisions ?? []));
    pageToken = listed.nextPageToken || undefined;
    if (!pageToken) return all;
  }
  return undefined;
}

/** `…/revisions/r-12` → 12. */
function revisionNumber(name: string | null | undefined): number {
  const match = /r-(\d+)$/.exec(name ?? '');
  return match ? Number(match[1]) : -1;
}
