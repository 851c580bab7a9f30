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
 */
import type { config_v1 } from 'googleapis/build/src/apis/config';
import type { GcpCaller } from './calls';
import { namesObject } from './ownApply';
import type { StagingObjects } from './stagingObject';

/** How much older than the latest revision an object must be before it is removed. */
export const SWEEP_GRACE_MS = 60 * 60 * 1000;
const MAX_REVISION_PAGES = 5;

export interface SweepRequest {
  caller: GcpCaller;
  im: config_v1.Config;
  objects: StagingObjects;
  deployment: config_v1.Schema$Deployment;
  bucket: string;
  /** stagingPrefix(target): only our own folder is ever touched. */
  prefix: string;
  signal: AbortSignal;
}

/** Removes unused staged zips; returns the ones removed. A read that fails removes nothing. */
export async function sweepStagedObjects(req: SweepRequest): Promise<string[]> {
  const { deployment, bucket, signal } = req;
  const revisions = await listRevisions(req);
  // Not every revision read: the last applied one may be among those not seen.
  if (!revisions) return [];
  const latest = revisions.find((r) => r.name === deployment.latestRevision);
  const started = Date.parse(latest?.createTime ?? '');
  // Without the latest revision's start there is no telling which objects another run may still need.
  if (!latest || !Number.isFinite(started)) return [];
  const lastApplied = revisions.filter((r) => r.state === 'APPLIED').sort((a, b) => revisionNumber(b.name) - revisionNumber(a.name))[0];
  const inUse = [deployment.terraformBlueprint?.gcsSource, latest.terraformBlueprint?.gcsSource, lastApplied?.terraformBlueprint?.gcsSource];

  const removed: string[] = [];
  for (const listed of await req.objects.list(bucket, req.prefix, signal)) {
    if (!listed.object.startsWith(req.prefix)) continue;
    if (inUse.some((source) => namesObject(source, bucket, listed.object))) continue;
    const created = Date.parse(listed.timeCreated);
    if (!Number.isFinite(created) || created > started - SWEEP_GRACE_MS) continue;
    // That generation only: a newer upload under the same name is not this one.
    await req.objects.remove(listed, signal);
    removed.push(`gs://${bucket}/${listed.object}#${listed.generation}`);
  }
  return removed;
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
