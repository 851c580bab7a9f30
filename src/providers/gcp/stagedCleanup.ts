/**
 * The end of a staging attempt: its preview and zip removed, unless the deployment now runs that
 * zip, and an apply that landed after all (its request cancelled in flight) reported.
 */
import * as l10n from '@vscode/l10n';
import { abortableDelay } from '../abortableDelay';
import { ProviderError, type AbortStagedRequest, type AbortStagedResult } from '../provider';
import { carriesApplyMark } from './applyMarks';
import { where, type GcpContext } from './context';
import { decodeStagedId, deploymentResourceName } from './names';
import { namesObject } from './ownApply';
import { readDeployment, readPreview } from './reads';
import { attemptNames } from './staging';
import { sweepStagedObjects } from './stagingSweep';

/** Looks at a preview still being created before abortStaged gives the machine a retryable error. */
const PREVIEW_WAIT_LOOKS = 15;
const PREVIEW_WAIT_MS = 2_000;

/**
 * Removes what one staging attempt made: its preview (waiting for one still being created)
 * and its zip, but never a zip the deployment's blueprint names: Infrastructure Manager reads
 * the configuration it applied when the deployment is deleted later
 * (https://cloud.google.com/infrastructure-manager/docs/delete-deployments), so after an apply
 * that object belongs to the deployment. Without a stagedId (the stage call never answered)
 * the names come from (deploymentId, attempt).
 */
export async function abortStaged(
  ctx: GcpContext,
  { target, stagedId, deploymentId, attempt, executed, signal }: AbortStagedRequest,
): Promise<AbortStagedResult> {
  const names = attemptNames(ctx, target, deploymentId, attempt);
  const preview = stagedId ? decodeStagedId(stagedId).preview : names.preview;
  // After our apply the service has deleted an update's preview already; a first deploy's
  // preview names no deployment, so the service keeps it, and it is removed here.
  await removePreview(ctx, preview, target.name, signal);
  // The object name belongs to this attempt alone, so every generation of it is ours.
  const deployment = await readDeployment(ctx, deploymentResourceName(where(ctx, target), target.name), signal);
  const runsOurZip = namesObject(deployment?.terraformBlueprint?.gcsSource, names.bucket, names.object);
  const labelled = carriesApplyMark(deployment, deploymentId, { preview });
  if (!runsOurZip) await ctx.objects.remove({ bucket: names.bucket, object: names.object }, signal);
  // Our apply succeeded and is the latest: older zips no revision needs go, as gcloud does.
  // Best effort (stagingSweep.ts): its failure is not this run's, and only a cancel comes out of it.
  if (executed && runsOurZip && deployment?.state === 'ACTIVE') {
    await sweepStagedObjects({
      caller: ctx.caller,
      im: ctx.im,
      objects: ctx.objects,
      deployment,
      bucket: names.bucket,
      where: where(ctx, target),
      target: target.name,
      signal,
    });
  }
  // An execute whose request was cancelled (Abort while it was in flight) can still have landed:
  // the deployment carrying this attempt's zip or apply annotation says it did, and it must be followed.
  return !executed && (runsOurZip || labelled) ? { executedMeanwhile: true } : {};
}

async function removePreview(ctx: GcpContext, name: string, deploymentName: string, signal: AbortSignal): Promise<void> {
  for (let look = 1; ; look++) {
    const preview = await readPreview(ctx, name, signal);
    if (!preview) return;
    if (preview.state !== 'CREATING') break;
    if (look >= PREVIEW_WAIT_LOOKS)
      throw new ProviderError('Transient', l10n.t('The preview of {0} is still being created; it is removed once it is done.', deploymentName), {
        providerCode: 'CREATING',
      });
    await abortableDelay(
      ctx.deps.previewWaitMs ?? PREVIEW_WAIT_MS,
      signal,
      l10n.t('Waiting for the preview of {0} to be created before removing it: cancelled.', deploymentName),
    );
  }
  try {
    await ctx.caller.call('previews.delete', signal, (o) => ctx.im.projects.locations.previews.delete({ name }, o));
  } catch (error) {
    if (!(error instanceof ProviderError && error.code === 'NotFound')) throw error;
  }
}
