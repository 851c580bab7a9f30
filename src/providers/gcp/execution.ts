/**
 * Applying a staged preview, at most once, and finding out (after a restart or a lost answer)
 * whether it was applied.
 */
import * as l10n from '@vscode/l10n';
import type { config_v1 } from 'googleapis/build/src/apis/config';
import { ProviderError, type ExecuteRequest, type ExecuteResult, type FindExecutionRequest, type FindExecutionResult, type OperationRef } from '../provider';
import { applyMark, applyMarkFields, DIGEST_ANNOTATION } from './applyMarks';
import { deploymentSettingFields } from './applySettings';
import { ownApplyLookup, where, type GcpContext } from './context';
import { failureReason } from './failures';
import { decodeStagedId, deploymentResourceName, parentName, type StagedRef } from './names';
import { applyToken, findOwnApply } from './ownApply';
import { goneReason, movedReason } from './plannedAgainst';
import { readDeployment, readPreview } from './reads';
import { serviceAccountName } from './settings';

/**
 * The fields every patch sets; a patch without a mask would reset all the others. The apply settings
 * and our annotations add their paths only when sent (applySettings.ts, applyMarks.ts): a path
 * named with no value clears what someone set on the deployment.
 */
const PATCH_MASK = ['terraformBlueprint', 'serviceAccount'] as const;
/** Bounds the early delete of a first deploy's preview, which may go on beside the run. */
const CREATE_PREVIEW_DROP_MS = 30_000;
/** How long execute waits for that delete before it answers with the create anyway. */
const CREATE_PREVIEW_WAIT_MS = 3_000;

/**
 * IM cannot apply a preview; it applies a blueprint. We apply exactly the previewed one (same
 * object generation, same inputs) and only while the preview still describes what will happen.
 * Our own apply is looked for first: a retry after a lost create/patch answer finds it (the
 * service has deleted the preview by then) instead of applying again or calling it stale.
 */
export async function executeStaged(ctx: GcpContext, { target, stagedId, deploymentId, signal }: ExecuteRequest): Promise<ExecuteResult> {
  const ref = decodeStagedId(stagedId);
  const name = deploymentResourceName(where(ctx, target), target.name);
  const startedAt = new Date().toISOString();
  const token = applyToken(deploymentId, ref);

  const deployment = await readDeployment(ctx, name, signal);
  const own = await findOwnApply(ownApplyLookup(ctx, target), ref, deployment, deploymentId, signal);
  if (own) {
    if (own.operationName) rememberApply(ctx, own.operationName, ref);
    return { operation: own };
  }
  const preview = await readPreview(ctx, ref.preview, signal);
  if (!preview)
    throw new ProviderError('Conflict', goneReason(ref, deployment, target.name), {
      hint: l10n.t('Deploy again: Stackwatch will preview the deployment as it is now.'),
      providerCode: 'PREVIEW_GONE',
    });
  const exists = deployment !== undefined && deployment.state !== 'DELETED';
  refuseIfMoved(ref, preview, deployment, exists, target.name);

  // Apply settings go only when set; our marks are merged into the annotations just read.
  const { settings } = ctx;
  const settingFields = deploymentSettingFields(settings, ref.create, preview.tfVersionConstraint);
  const marks = applyMarkFields(exists ? deployment : undefined, applyMark(deploymentId, ref), preview.annotations?.[DIGEST_ANNOTATION]);
  const body: config_v1.Schema$Deployment = {
    serviceAccount: preview.serviceAccount ?? serviceAccountName(settings.serviceAccount, settings.project),
    terraformBlueprint: { gcsSource: ref.gcs, inputValues: preview.terraformBlueprint?.inputValues ?? {} },
    ...settingFields.fields,
    ...marks.fields,
  };
  const updateMask = [...PATCH_MASK, ...settingFields.mask, ...marks.mask].join(',');
  const kind: OperationRef['kind'] = ref.create ? 'create' : 'update';
  const operation = ref.create
    ? await ctx.caller.call('deployments.create', signal, (o) =>
        ctx.im.projects.locations.deployments.create(
          { parent: parentName(where(ctx, target)), deploymentId: target.name, requestId: token, requestBody: body },
          o,
        ),
      )
    : await ctx.caller.call('deployments.patch', signal, (o) =>
        // Without updateMask a patch replaces every field, dropping a worker pool, annotations,
        // an artifacts bucket or quota settings someone configured outside Stackwatch.
        ctx.im.projects.locations.deployments.patch({ name, requestId: token, updateMask, requestBody: body }, o),
      );
  if (!operation.name)
    throw new ProviderError(
      'Transient',
      l10n.t(
        '{0} answered without an operation name; asking again (the same request ID makes it one apply).',
        ref.create ? 'deployments.create' : 'deployments.patch',
      ),
      { providerCode: 'UNREADABLE_RESPONSE' },
    );
  rememberApply(ctx, operation.name, ref);
  if (ref.create) await dropCreatePreview(ctx, ref.preview, signal);
  return { operation: { token, operationName: operation.name, targetId: name, startedAt, kind } };
}

/**
 * Whether the apply of a staged preview happened, from the deployment (its blueprint source,
 * our annotation, our operation), then the preview: what a restart or a lost answer left unknown.
 */
export async function findExecution(ctx: GcpContext, { target, stagedId, deploymentId, signal }: FindExecutionRequest): Promise<FindExecutionResult> {
  const ref = decodeStagedId(stagedId);
  const deployment = await readDeployment(ctx, deploymentResourceName(where(ctx, target), target.name), signal);
  const own = await findOwnApply(ownApplyLookup(ctx, target), ref, deployment, deploymentId, signal);
  if (own) {
    if (own.operationName) rememberApply(ctx, own.operationName, ref);
    return { state: 'executed', operation: own };
  }
  const preview = await readPreview(ctx, ref.preview, signal);
  if (!preview) return { state: 'gone', reason: goneReason(ref, deployment, target.name) };
  const moved = movedReason(ref, deployment, target.name);
  if (moved) return { state: 'gone', reason: l10n.t('superseded: {0}', moved) };
  switch (preview.state) {
    case 'SUCCEEDED':
    case 'CREATING':
      return { state: 'notExecuted' };
    case 'STALE':
      return { state: 'gone', reason: l10n.t('superseded: the preview of {0} went stale; the deployment changed after it was planned.', target.name) };
    default:
      return { state: 'gone', reason: neverApplied(target.name, preview) };
  }
}

/** What poll needs to tell this apply's revision and plan: the revision it started from, and the preview it applies. */
function rememberApply(ctx: GcpContext, operationName: string, ref: StagedRef): void {
  ctx.memory.baseRevisions.set(operationName, ref.rev);
  ctx.memory.previewedPlans.linkOperation(operationName, ref.preview);
}

/** A preview that ended without being applied, in its state and with its failure when it has one. */
function neverApplied(deploymentName: string, preview: config_v1.Schema$Preview): string {
  const reason = failureReason(preview);
  const state = preview.state;
  if (state && reason) return l10n.t('The preview of {0} is {1}: {2}; it was never applied.', deploymentName, state, reason);
  if (state) return l10n.t('The preview of {0} is {1}; it was never applied.', deploymentName, state);
  if (reason) return l10n.t('The preview of {0} is in no known state: {1}; it was never applied.', deploymentName, reason);
  return l10n.t('The preview of {0} is in no known state; it was never applied.', deploymentName);
}

function refuseIfMoved(
  ref: StagedRef,
  preview: config_v1.Schema$Preview,
  deployment: config_v1.Schema$Deployment | undefined,
  exists: boolean,
  deploymentName: string,
): void {
  const hint = l10n.t('Deploy again: Stackwatch will preview the deployment as it is now.');
  if (preview.state === 'STALE') {
    throw new ProviderError(
      'Conflict',
      l10n.t(
        'The preview of {0} is stale: the deployment changed after it was planned, so applying it now could do something other than what you reviewed.',
        deploymentName,
      ),
      { hint, providerCode: 'STALE' },
    );
  }
  if (preview.state !== 'SUCCEEDED') {
    const message = preview.state
      ? l10n.t('The preview of {0} is {1}, not SUCCEEDED; it cannot be applied.', deploymentName, preview.state)
      : l10n.t('The preview of {0} is in an unknown state, not SUCCEEDED; it cannot be applied.', deploymentName);
    throw new ProviderError('Conflict', message, {
      hint,
      providerCode: preview.state ?? undefined,
    });
  }
  const moved = movedReason(ref, exists ? deployment : undefined, deploymentName);
  if (moved)
    throw new ProviderError('Conflict', l10n.t('{0} Applying now could do something other than what you reviewed.', moved), { hint, providerCode: 'STALE' });
}

/**
 * A first deploy's preview names no deployment, so the service does not delete it on the apply
 * as it does an update's. Its delete is sent as soon as the create is accepted, while the
 * credentials that applied still work. Execute waits for it a moment only: a slow delete goes on
 * beside the run and must not hold up the create's answer (execute's deadline, after which the
 * apply would be followed blind). Failing that, the end of the run (abortStaged) removes it.
 */
async function dropCreatePreview(ctx: GcpContext, preview: string, signal: AbortSignal): Promise<void> {
  const dropped = ctx.caller
    .call('previews.delete', AbortSignal.timeout(CREATE_PREVIEW_DROP_MS), (o) => ctx.im.projects.locations.previews.delete({ name: preview }, o))
    .then(
      () => undefined,
      () => undefined, // Best effort: abortStaged removes what is left.
    );
  let stopWaiting = (): void => undefined;
  const waited = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ctx.deps.createPreviewWaitMs ?? CREATE_PREVIEW_WAIT_MS);
    stopWaiting = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', stopWaiting);
      resolve();
    };
    signal.addEventListener('abort', stopWaiting, { once: true });
  });
  await Promise.race([dropped, waited]);
  stopWaiting();
}
