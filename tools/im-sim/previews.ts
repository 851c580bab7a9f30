/**
 * Previews: a plan without an apply. CREATING for `previewSeconds`, then SUCCEEDED with resource
 * changes or FAILED with tfErrors. A preview made against a deployment is deleted as soon as that
 * deployment is updated (a new revision, by anyone) or deleted, as the service does:
 * "Previews are automatically deleted if they target a deployment and that deployment is updated
 * or deleted." (https://cloud.google.com/infrastructure-manager/docs/delete-preview)
 */
import { randomUUID } from 'node:crypto';
import { loadBlueprint } from './blueprint';
import type { SimContext } from './context';
import { alreadyExists, invalid, notFound, RPC_CODE } from './errors';
import type { PreviewRecord } from './model';
import { checkId, LOCATION, locationOf } from './names';
import { fail, succeed, type OperationRecord } from './operations';
import { releasePreviewLock, takePreviewLock } from './locks';
import { driftsOf } from './refreshDrift';
import { destroyPlan, plan } from './plan';
import { checkServiceAccount, checkSpec, specFrom, type Body } from './spec';
import { refuseDeploymentOnlyFields } from './applySettings';
import { previewJson, previewLogs, typed } from './views';

export function getPreview(ctx: SimContext, name: string): PreviewRecord {
  const preview = ctx.previews.get(name);
  if (!preview) throw notFound(`Resource '${name}' was not found`);
  return preview;
}

export function createPreview(ctx: SimContext, parent: string, previewId: string | undefined, body: Body, requestId: string | undefined): OperationRecord {
  if (!LOCATION.test(parent)) throw invalid(`Invalid parent "${parent}".`);
  const now = ctx.now();
  const id = previewId === undefined || previewId === '' ? `preview-${Math.floor(now)}-${ctx.nextId()}` : checkId('preview', previewId);
  const name = `${parent}/previews/${id}`;
  const key = requestId ? `preview:${name}:${requestId}` : undefined;
  const earlier = ctx.operations.forRequest(key);
  if (earlier) return earlier;
  if (ctx.previews.has(name)) throw alreadyExists(`Resource '${name}' already exists`);

  refuseDeploymentOnlyFields(body);
  const mode = (body['previewMode'] as string | undefined) ?? 'DEFAULT';
  if (!['DEFAULT', 'DELETE', 'PREVIEW_MODE_UNSPECIFIED'].includes(mode)) throw invalid(`Invalid preview_mode "${mode}".`);
  const deploymentName = typeof body['deployment'] === 'string' && body['deployment'] !== '' ? body['deployment'] : undefined;
  if (deploymentName !== undefined && !deploymentName.startsWith(`${parent}/deployments/`)) {
    throw invalid(`preview.deployment "${deploymentName}" must be a deployment in ${parent}.`);
  }
  if (deploymentName !== undefined && !ctx.deployments.has(deploymentName) && ctx.settings.previewOfMissingDeployment === 'reject') {
    // Unconfirmed: one of the two answers the service might give (ImSimOptions.previewOfMissingDeployment).
    throw notFound(`Resource '${deploymentName}' was not found`);
  }
  // Fields left out of the request come from the referenced deployment, as the API documents.
  const base = deploymentName ? ctx.deployments.get(deploymentName)?.spec : undefined;
  const spec = { ...(base ?? {}), ...specFrom(body) };
  if (mode === 'DELETE') {
    if (!deploymentName) throw invalid('A DELETE preview needs preview.deployment.');
    checkServiceAccount(spec.serviceAccount, 'preview');
  } else {
    checkSpec(spec, 'preview');
  }

  const preview: PreviewRecord = {
    name,
    state: 'CREATING',
    previewMode: mode === 'DELETE' ? 'DELETE' : 'DEFAULT',
    spec,
    createTime: now,
    build: randomUUID(),
    changes: [],
    ...(deploymentName ? { deployment: deploymentName } : {}),
  };
  ctx.previews.set(name, preview);
  const operation = ctx.operations.start(locationOf(name), now, {
    target: name,
    verb: 'create',
    kind: 'preview',
    build: preview.build,
    logs: previewLogs(preview),
  });
  ctx.operations.remember(key, operation);
  schedulePreview(ctx, preview, operation, now);
  return operation;
}

export function deletePreview(ctx: SimContext, name: string, requestId: string | undefined): OperationRecord {
  const key = requestId ? `delete:${name}:${requestId}` : undefined;
  const earlier = ctx.operations.forRequest(key);
  if (earlier) return earlier;
  const preview = getPreview(ctx, name);
  const now = ctx.now();
  ctx.previews.delete(name);
  releasePreviewLock(ctx, preview.deployment, preview.name);
  preview.state = 'DELETED';
  const operation = ctx.operations.start(locationOf(name), now, { target: name, verb: 'delete', kind: 'preview' });
  succeed(operation, now, typed('Preview', previewJson(preview)));
  ctx.operations.remember(key, operation);
  return operation;
}

/**
 * The deployment was updated or deleted: every preview that targets it is deleted, whatever its
 * state. One still planning stops there; its operation ends with an error saying why.
 */
export function deletePreviewsOf(ctx: SimContext, deploymentName: string): void {
  const now = ctx.now();
  for (const preview of [...ctx.previews.values()]) {
    if (preview.deployment !== deploymentName) continue;
    ctx.previews.delete(preview.name);
    releasePreviewLock(ctx, deploymentName, preview.name);
    const planning = preview.state === 'CREATING';
    preview.state = 'DELETED';
    if (planning) {
      for (const operation of ctx.operations.list(locationOf(preview.name))) {
        if (operation.target === preview.name && operation.verb === 'create')
          fail(operation, now, { code: RPC_CODE.ABORTED, message: `Preview ${preview.name} was deleted: its deployment was updated or deleted.` });
      }
    }
  }
}

function schedulePreview(ctx: SimContext, preview: PreviewRecord, operation: OperationRecord, at: number): void {
  const steps = preview.deployment
    ? [
        'PREPARING_STORAGE_BUCKET',
        'DOWNLOADING_BLUEPRINT',
        'FETCHING_DEPLOYMENT',
        'LOCKING_DEPLOYMENT',
        'RUNNING_TF_INIT',
        'RUNNING_TF_PLAN',
        'UNLOCKING_DEPLOYMENT',
      ]
    : ['PREPARING_STORAGE_BUCKET', 'DOWNLOADING_BLUEPRINT', 'RUNNING_TF_INIT', 'RUNNING_TF_PLAN'];
  const total = ctx.settings.previewSeconds * 1000;
  const cancelled = (when: number): boolean => {
    if (!operation.requestedCancellation) return false;
    releasePreviewLock(ctx, preview.deployment, preview.name);
    finishFailed(preview, operation, when, undefined, 'Preview was cancelled.', [], RPC_CODE.CANCELLED);
    return true;
  };
  operation.step = steps[0] ?? 'PREPARING_STORAGE_BUCKET';
  steps.forEach((step, i) => {
    if (i === 0) return;
    ctx.scheduler.schedule(at + (i * total) / steps.length, (when) => {
      if (operation.done || cancelled(when)) return;
      operation.step = step;
      if (step === 'LOCKING_DEPLOYMENT') lockForPlan(ctx, preview, operation, when);
    });
  });
  ctx.scheduler.schedule(at + total, (when) => {
    if (operation.done || cancelled(when)) return;
    finishPreview(ctx, preview, operation, when);
  });
}

/**
 * LOCKING_DEPLOYMENT: the preview holds the deployment's lock while it plans, so a preview running
 * against a deployment shows lockState LOCKED with a LockInfo naming the preview's operation
 * (unconfirmed: the service's lockState during a preview is not documented). A lock someone else
 * holds, or a run going on, fails the preview now with DEPLOYMENT_LOCK_ACQUIRE_FAILED.
 */
function lockForPlan(ctx: SimContext, preview: PreviewRecord, operation: OperationRecord, at: number): void {
  const deployment = preview.deployment ? ctx.deployments.get(preview.deployment) : undefined;
  if (!deployment || takePreviewLock(ctx, deployment, preview.name, operation.name, at)) return;
  const why = deployment.lock
    ? `it is locked (lock ${deployment.lock.lockId})`
    : deployment.lockState === 'LOCKING'
      ? 'it is being locked'
      : `it is ${deployment.state}`;
  finishFailed(preview, operation, at, 'DEPLOYMENT_LOCK_ACQUIRE_FAILED', `Could not acquire the lock on ${deployment.name}: ${why}.`, []);
}

function finishPreview(ctx: SimContext, preview: PreviewRecord, operation: OperationRecord, at: number): void {
  // UNLOCKING_DEPLOYMENT is over: the plan's own lock goes, so only someone else's counts below.
  releasePreviewLock(ctx, preview.deployment, preview.name);
  const deployment = preview.deployment ? ctx.deployments.get(preview.deployment) : undefined;
  if (deployment && (deployment.lock || deployment.state === 'CREATING' || deployment.state === 'UPDATING' || deployment.state === 'DELETING')) {
    const why = deployment.lock ? `it is locked (lock ${deployment.lock.lockId})` : `it is ${deployment.state}`;
    return finishFailed(preview, operation, at, 'DEPLOYMENT_LOCK_ACQUIRE_FAILED', `Could not acquire the lock on ${deployment.name}: ${why}.`, []);
  }
  const applied = deployment?.applied ?? [];
  if (preview.previewMode === 'DELETE') {
    preview.changes = destroyPlan(applied);
  } else {
    const loaded = loadBlueprint(ctx.objects, preview.spec.terraformBlueprint);
    if (!loaded.ok) return finishFailed(preview, operation, at, 'PREVIEW_BUILD_RUN_FAILED', loaded.message, loaded.tfErrors);
    preview.changes = plan(loaded.blueprint, applied, ctx.settings.resourceSeconds);
  }
  preview.drifts = driftsOf(applied);
  preview.state = 'SUCCEEDED';
  succeed(operation, at, typed('Preview', previewJson(preview)));
}

function finishFailed(
  preview: PreviewRecord,
  operation: OperationRecord,
  at: number,
  errorCode: string | undefined,
  message: string,
  tfErrors: PreviewRecord['tfErrors'],
  code: number = RPC_CODE.UNKNOWN,
): void {
  preview.state = 'FAILED';
  if (errorCode) preview.errorCode = errorCode;
  preview.errorMessage = message;
  if (tfErrors?.length) preview.tfErrors = tfErrors;
  fail(operation, at, { code, message: errorCode ? `${errorCode}: ${message}` : message });
}
