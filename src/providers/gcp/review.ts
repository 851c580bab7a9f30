/**
 * What the person reviews before consenting: a ready preview's resource changes, with the drift
 * its refresh found, or why there is nothing to apply (pending, failed, gone, applied, empty).
 */
import * as l10n from '@vscode/l10n';
import type { config_v1 } from 'googleapis/build/src/apis/config';
import { ProviderError, type Change, type DescribeStagedRequest, type DescribeStagedResult } from '../provider';
import { appliedDigestMatches, DIGEST_ANNOTATION } from './applyMarks';
import { previewedIntents } from './applyPlan';
import { toChange } from './changes';
import { where, type GcpContext } from './context';
import { withDrift } from './drifts';
import { DEPLOYMENT_TYPE } from './events';
import { failureReason } from './failures';
import { decodeStagedId, deploymentResourceName } from './names';
import { showsOwnApply } from './ownApply';
import { appliedReason, goneReason } from './plannedAgainst';
import { readDeployment, readPreview } from './reads';
import { keepReviewedPlan } from './savedPlan';
import { previewStagedState } from './statusTables';

/** Bounds the drift list like the poll's resource paging. */
const MAX_DRIFT_PAGES = 20;

export async function reviewStaged(ctx: GcpContext, { target, stagedId, signal }: DescribeStagedRequest): Promise<DescribeStagedResult> {
  const ref = decodeStagedId(stagedId);
  const preview = await readPreview(ctx, ref.preview, signal);
  if (!preview) {
    const deployment = await readDeployment(ctx, deploymentResourceName(where(ctx, target), target.name), signal);
    // Our own apply makes the service delete an update's preview (and the clean-up a create's): it was applied, not superseded.
    if (showsOwnApply(deployment, ref, ref.run)) return { state: 'failed', providerStatus: 'APPLIED', reason: appliedReason(ref, target.name), changes: [] };
    return { state: 'failed', providerStatus: 'DELETED', reason: goneReason(ref, deployment, target.name), changes: [] };
  }
  const state = previewStagedState(preview.state ?? undefined);
  const providerStatus = preview.state ?? undefined;
  if (state === 'pending') return { state, providerStatus, changes: [] };
  if (state === 'failed') {
    const reason =
      preview.state === 'STALE'
        ? l10n.t('The preview is stale: the deployment changed after it was planned. Deploy again to preview the current state.')
        : (failureReason(preview) ?? (preview.state ? l10n.t('The preview ended in {0}.', preview.state) : l10n.t('The preview ended in an unknown state.')));
    return { state, providerStatus, reason, changes: [] };
  }
  const resourceChanges = await listResourceChanges(ctx, ref.preview, signal);
  // What the person reviews now is what Save Plan must give them later, when the apply has
  // made the service delete the preview.
  await keepReviewedPlan(ctx, ref, preview, signal);
  ctx.memory.previewedPlans.rememberPreview(ref.preview, previewedIntents(resourceChanges));
  const changes = withDrift(
    resourceChanges.map(toChange).filter((c): c is Change => c !== undefined),
    await readDrifts(ctx, ref.preview, signal),
  );
  // Drift alone changes nothing: its rows are shown, but they do not make the preview worth applying.
  if (changes.some((c) => c.action !== 'None')) return { state: 'ready', providerStatus, changes };
  // No resource changes is not "nothing to do": a create still makes the deployment, and a new
  // blueprint or new inputs can change outputs, which the resource list does not show.
  if (ref.create)
    return {
      state: 'ready',
      providerStatus,
      changes: [deploymentRow(target.name, 'Add', l10n.t('Creates the deployment {0}; its blueprint manages no resources yet.', target.name))],
    };
  if (await runsSameBlueprint(ctx, target, preview, signal)) return { state: 'empty', providerStatus, changes };
  return {
    state: 'ready',
    providerStatus,
    changes: [
      deploymentRow(
        target.name,
        'Modify',
        l10n.t(
          'No resource changes, but the blueprint or its inputs differ from what the deployment runs: applying records a new revision, and its outputs may change.',
        ),
      ),
      ...changes,
    ],
  };
}

async function listResourceChanges(ctx: GcpContext, preview: string, signal: AbortSignal): Promise<config_v1.Schema$ResourceChange[]> {
  const all: config_v1.Schema$ResourceChange[] = [];
  let pageToken: string | undefined;
  do {
    const page = await ctx.caller.call('previews.resourceChanges.list', signal, (o) =>
      ctx.im.projects.locations.previews.resourceChanges.list({ parent: preview, pageToken }, o),
    );
    all.push(...(page.resourceChanges ?? []));
    pageToken = page.nextPageToken || undefined;
  } while (pageToken);
  return all;
}

/**
 * What the preview's refresh found changed outside Terraform. The list is extra: when it is
 * missing (NotFound, UNIMPLEMENTED) there is no drift to show, and when it fails the review
 * goes on without it, since it decides nothing about the apply.
 */
async function readDrifts(ctx: GcpContext, preview: string, signal: AbortSignal): Promise<config_v1.Schema$ResourceDrift[]> {
  const all: config_v1.Schema$ResourceDrift[] = [];
  let pageToken: string | undefined;
  try {
    for (let page = 0; page < MAX_DRIFT_PAGES; page++) {
      const answer = await ctx.caller.call('previews.resourceDrifts.list', signal, (o) =>
        ctx.im.projects.locations.previews.resourceDrifts.list({ parent: preview, pageToken }, o),
      );
      all.push(...(answer.resourceDrifts ?? []));
      pageToken = answer.nextPageToken || undefined;
      if (!pageToken) break;
    }
  } catch (error) {
    if (error instanceof ProviderError && error.code === 'Aborted') throw error;
    return [];
  }
  return all;
}

/** Whether the deployment runs exactly the blueprint and inputs this preview planned (our digest label). */
async function runsSameBlueprint(
  ctx: GcpContext,
  target: { name: string; region?: string },
  preview: config_v1.Schema$Preview,
  signal: AbortSignal,
): Promise<boolean> {
  const planned = preview.annotations?.[DIGEST_ANNOTATION];
  if (!planned) return false;
  const deployment = await readDeployment(ctx, deploymentResourceName(where(ctx, target), target.name), signal);
  const source = deployment?.terraformBlueprint?.gcsSource ?? '';
  // Another client's apply keeps our annotations: the digest speaks only while the deployment runs one of our zips.
  return deployment?.state !== 'DELETED' && source.startsWith(`gs://${ctx.settings.stagingBucket}/stackwatch/`) && appliedDigestMatches(deployment, planned);
}

/** A row for the deployment itself, when the resource list alone would read as "no changes". */
function deploymentRow(deploymentName: string, action: Change['action'], detail: string): Change {
  return { logicalId: deploymentName, action, resourceType: DEPLOYMENT_TYPE, details: [detail] };
}
