/**
 * Staging one attempt: the checked zip uploaded under a name of this attempt alone and planned by
 * a preview named the same way, so a retry after a lost answer adopts what the first call made.
 */
import * as l10n from '@vscode/l10n';
import type { config_v1 } from 'googleapis/build/src/apis/config';
import { ProviderError, type StageRequest, type StageResult } from '../provider';
import { DIGEST_ANNOTATION, labelValue } from './applyMarks';
import { checkApplySettings, previewSettingFields, refuseArtifactsBucketChange } from './applySettings';
import type { CheckedBlueprint } from './checkedBlueprints';
import { ownApplyLookup, where, type GcpContext } from './context';
import { toInputValues } from './inputs';
import { deploymentResourceName, encodeStagedId, parentName, previewId, requestId, stagingObjectName, type StagedRef } from './names';
import { BASE_REVISION_ANNOTATION, CREATE_ANNOTATION, plannedBase, type PlannedBase } from './plannedAgainst';
import { readDeployment, readPreview } from './reads';
import { serviceAccountName } from './settings';
import { adoptedZip, blueprintDigest, checkedBlueprint } from './stagedBlueprint';
import { checkTerraformVersion } from './terraformVersions';

/** The preview and zip of one staging attempt. */
export interface AttemptNames {
  preview: string;
  bucket: string;
  object: string;
}

/** The preview and zip of one staging attempt, named from (deploymentId, attempt) alone. */
export function attemptNames(ctx: GcpContext, target: { name: string; region?: string }, deploymentId: string, attempt: number): AttemptNames {
  return {
    preview: `${parentName(where(ctx, target))}/previews/${previewId(deploymentId, attempt)}`,
    bucket: ctx.settings.stagingBucket,
    object: stagingObjectName(where(ctx, target), target.name, deploymentId, attempt),
  };
}

export async function stagePreview(ctx: GcpContext, req: StageRequest): Promise<StageResult> {
  const { target, signal } = req;
  const name = deploymentResourceName(where(ctx, target), target.name);
  const names = attemptNames(ctx, target, req.deploymentId, req.attempt);
  // Read before the preview is made: if the deployment moves after this, execute refuses
  // (a false alarm at worst), never applies a plan made against another revision.
  const deployment = await readDeployment(ctx, name, signal);
  refuseArtifactsBucketChange(ctx.settings, deployment, target.name);
  const exists = deployment !== undefined && deployment.state !== 'DELETED';
  const rev = exists ? (deployment?.latestRevision ?? undefined) : undefined;

  // A retry of this attempt (the create's answer was lost, or the window restarted) adopts
  // the preview the first call made, and does not upload again: the bucket keeps one
  // generation of the object, so a new upload would remove the one that preview planned.
  const earlier = await readPreview(ctx, names.preview, signal);
  const base: PlannedBase = { create: !exists, rev };
  let checked: CheckedBlueprint | undefined;
  let preview: config_v1.Schema$Preview | string;
  if (earlier) {
    preview = earlier;
    checked = adoptedZip(earlier, req);
  } else {
    checked = await checkedBlueprint(ctx.settings, req.template, signal);
    preview = await createPreview(ctx, req, checked, names, name, base, signal);
  }
  const gcs = typeof preview === 'string' ? preview : plannedSource(preview, names);
  // An adopted preview was planned against the deployment as it was then, which is what the
  // person reviews: it is applied as that (a create, or a patch of that revision), or not at all.
  const planned = typeof preview === 'string' ? base : plannedBase(preview, base, target.name);
  // The checked zip's digest, when this call uploaded it: which inputs are sensitive comes from it later.
  const ref: StagedRef = {
    preview: names.preview,
    gcs,
    rev: planned.rev,
    create: planned.create,
    ...(checked ? { zip: checked.sha256 } : {}),
    run: req.deploymentId,
  };
  return { stagedId: encodeStagedId(ref), createdTarget: false, targetId: name };
}

/** The exact source a preview planned; that, and nothing else, is what execute applies. */
function plannedSource(preview: config_v1.Schema$Preview, names: { bucket: string; object: string }): string {
  const gcs = preview.terraformBlueprint?.gcsSource;
  if (gcs) return gcs;
  throw new ProviderError(
    'Transient',
    preview.name
      ? l10n.t('previews.get: the answer for {0} names no blueprint source (expected {1}); asking again.', preview.name, `gs://${names.bucket}/${names.object}`)
      : l10n.t('previews.get: the answer for the preview names no blueprint source (expected {0}); asking again.', `gs://${names.bucket}/${names.object}`),
    {
      providerCode: 'UNREADABLE_RESPONSE',
    },
  );
}

/** Uploads the checked zip and plans it; returns the preview (or, unreadable, the gs:// source with generation it plans). */
async function createPreview(
  ctx: GcpContext,
  req: StageRequest,
  checked: CheckedBlueprint,
  names: AttemptNames,
  name: string,
  base: PlannedBase,
  signal: AbortSignal,
): Promise<config_v1.Schema$Preview | string> {
  const { settings } = ctx;
  // Settings the service would refuse only after the upload (or Cloud Build, minutes later) are refused first.
  checkApplySettings(settings);
  if (settings.terraformVersion) await checkTerraformVersion(ownApplyLookup(ctx, req.target), settings.terraformVersion, signal);
  // The bytes initialize checked, not the folder as it is now.
  const { zip, variables } = checked;
  const inputValues = toInputValues(variables, req.parameters);
  const generation = await ctx.objects.upload(names.bucket, names.object, zip, signal);
  const gcs = `gs://${names.bucket}/${names.object}#${generation}`;
  const digest = blueprintDigest(zip, inputValues, variables);
  try {
    await ctx.caller.call('previews.create', signal, (o) =>
      ctx.im.projects.locations.previews.create(
        {
          parent: parentName(where(ctx, req.target)),
          previewId: names.preview.split('/').pop(),
          // The same for every call of this attempt: the service runs it once.
          requestId: requestId(req.deploymentId, 'preview', String(req.attempt)),
          requestBody: {
            // A first deploy's preview names no deployment: there is none yet (the docs' example for a new deployment omits it).
            deployment: base.create ? undefined : name,
            serviceAccount: serviceAccountName(settings.serviceAccount, settings.project),
            ...previewSettingFields(settings),
            terraformBlueprint: { gcsSource: gcs, inputValues },
            labels: { 'stackwatch-deployment': labelValue(req.deploymentId), 'stackwatch-attempt': String(req.attempt) },
            // What this plan was made against, for a retry that adopts it after a lost answer.
            annotations: {
              [CREATE_ANNOTATION]: String(base.create),
              [BASE_REVISION_ANNOTATION]: base.rev ?? '',
              ...(digest ? { [DIGEST_ANNOTATION]: digest } : {}),
            },
          },
        },
        o,
      ),
    );
  } catch (error) {
    // A call of this attempt whose answer was lost got there first: adopt its preview.
    if (!(error instanceof ProviderError && error.code === 'Conflict' && error.details.providerCode === 'ALREADY_EXISTS')) throw error;
  }
  // The preview names the source it planned. With a lost first answer (the service answered
  // this request ID with the first call's operation) that is an earlier upload, not ours.
  return (await readPreview(ctx, names.preview, signal)) ?? gcs;
}
