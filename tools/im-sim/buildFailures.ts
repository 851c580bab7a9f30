/**
 * Failures of the build around Terraform, set up by two controls:
 *
 * - failNextApplyBuild: the next apply of a deployment fails before Terraform runs (the artifacts
 *   bucket cannot be made, Cloud Build is refused). Its operation SUCCEEDS with the Deployment
 *   FAILED and a build-level errorCode, and no revision fails: none is recorded (latestRevision
 *   does not move), or one is left APPLYING. gcloud reads such an apply as failed only from the
 *   deployment's state (googlecloudsdk/command_lib/infra_manager/deploy_util.py, Apply).
 * - failNextDelete: the next delete of a deployment fails. The Deployment stays, FAILED, with
 *   errorCode DELETE_BUILD_RUN_FAILED (the destroy ran: resources before the failing one are gone,
 *   the rest stay, and tfErrors name it) or DELETE_BUILD_API_FAILED (the build never started:
 *   nothing destroyed, no tfErrors); the operation ends with an error, or succeeds with the FAILED
 *   Deployment as its response.
 */
import { randomUUID } from 'node:crypto';
import type { SimContext } from './context';
import { RPC_CODE } from './errors';
import type { DeploymentRecord, RevisionRecord, TfError } from './model';
import { locationOf } from './names';
import { fail, succeed, type OperationRecord } from './operations';
import { deletePreviewsOf } from './previews';
import { deploymentJson, logsFor, typed } from './views';

/** Deployment.ErrorCode values of a build that failed around Terraform (config.proto). */
export const APPLY_BUILD_ERROR_CODES = ['CLOUD_BUILD_PERMISSION_DENIED', 'BUCKET_CREATION_PERMISSION_DENIED', 'BUCKET_CREATION_FAILED'] as const;
export const DELETE_ERROR_CODES = ['DELETE_BUILD_RUN_FAILED', 'DELETE_BUILD_API_FAILED'] as const;

export interface ApplyBuildFailure {
  errorCode: (typeof APPLY_BUILD_ERROR_CODES)[number];
  /** The deployment's stateDetail; a sentence for the code when absent. */
  message?: string;
  /** 'none' (default): no revision is recorded. 'unfinished': one is recorded and stays APPLYING. */
  revision?: 'none' | 'unfinished';
}

export interface DeleteFailure {
  /** Default DELETE_BUILD_RUN_FAILED. */
  errorCode?: (typeof DELETE_ERROR_CODES)[number];
  /** Terraform's error (RUN_FAILED) or the build's (API_FAILED). */
  message?: string;
  /** 'fails' (default): the operation ends with an error. 'succeeds': done, its response the FAILED Deployment. */
  operation?: 'fails' | 'succeeds';
}

const DEFAULT_DETAIL: Record<ApplyBuildFailure['errorCode'], string> = {
  CLOUD_BUILD_PERMISSION_DENIED: 'Cloud Build permission denied: the service account cannot run builds in this project.',
  BUCKET_CREATION_PERMISSION_DENIED: 'Permission denied creating the Cloud Storage bucket for the deployment artifacts (storage.buckets.create).',
  BUCKET_CREATION_FAILED: 'Creating the Cloud Storage bucket for the deployment artifacts failed.',
};

interface Pending {
  apply: Map<string, ApplyBuildFailure>;
  delete: Map<string, DeleteFailure>;
}

const pendingBySim = new WeakMap<SimContext, Pending>();

function pendingOf(ctx: SimContext): Pending {
  let pending = pendingBySim.get(ctx);
  if (!pending) {
    pending = { apply: new Map(), delete: new Map() };
    pendingBySim.set(ctx, pending);
  }
  return pending;
}

/** Control: the next apply (create or patch) of `name` fails in its build. The deployment need not exist yet. */
export function failNextApplyBuild(ctx: SimContext, name: string, failure: ApplyBuildFailure): void {
  if (!(APPLY_BUILD_ERROR_CODES as readonly string[]).includes(failure.errorCode))
    throw new TypeError(`errorCode must be one of ${APPLY_BUILD_ERROR_CODES.join(', ')}`);
  if (failure.revision !== undefined && failure.revision !== 'none' && failure.revision !== 'unfinished')
    throw new TypeError("revision must be 'none' or 'unfinished'");
  pendingOf(ctx).apply.set(name, { ...failure });
}

/** Control: the next delete of `name` fails. */
export function failNextDelete(ctx: SimContext, name: string, failure: DeleteFailure = {}): void {
  if (failure.errorCode !== undefined && !(DELETE_ERROR_CODES as readonly string[]).includes(failure.errorCode))
    throw new TypeError(`errorCode must be one of ${DELETE_ERROR_CODES.join(', ')}`);
  if (failure.operation !== undefined && failure.operation !== 'fails' && failure.operation !== 'succeeds')
    throw new TypeError("operation must be 'fails' or 'succeeds'");
  pendingOf(ctx).delete.set(name, { ...failure });
}

export function clearBuildFailures(ctx: SimContext): void {
  pendingBySim.delete(ctx);
}

/** Used up by the apply it fails; undefined when none is set for this deployment. */
export function takeApplyBuildFailure(ctx: SimContext, name: string): ApplyBuildFailure | undefined {
  const pending = pendingOf(ctx).apply;
  const failure = pending.get(name);
  pending.delete(name);
  return failure;
}

export function takeDeleteFailure(ctx: SimContext, name: string): DeleteFailure | undefined {
  const pending = pendingOf(ctx).delete;
  const failure = pending.get(name);
  pending.delete(name);
  return failure;
}

/**
 * Starts an apply that fails in PREPARING_STORAGE_BUCKET, before any Terraform step: after a
 * quarter of `setupSeconds` the deployment is FAILED and the operation done without an error.
 */
export function startFailingApplyBuild(
  ctx: SimContext,
  deployment: DeploymentRecord,
  failure: ApplyBuildFailure,
  action: RevisionRecord['action'],
  verb: string,
  now: number,
): OperationRecord {
  const build = randomUUID();
  let revision: RevisionRecord | undefined;
  if (failure.revision === 'unfinished') {
    revision = {
      name: `${deployment.name}/revisions/r-${deployment.revisions.length + 1}`,
      action,
      state: 'APPLYING',
      createTime: now,
      updateTime: now,
      spec: { ...deployment.spec },
      build,
      resources: [],
    };
    deployment.revisions.push(revision);
  }
  delete deployment.errorCode;
  delete deployment.tfErrors;
  delete deployment.stateDetail;
  const operation = ctx.operations.start(locationOf(deployment.name), now, {
    target: deployment.name,
    verb,
    kind: 'deployment',
    build,
    logs: logsFor(deployment.name, deployment.spec, revision?.name.split('/').pop() ?? 'build'),
  });
  operation.step = 'PREPARING_STORAGE_BUCKET';
  deletePreviewsOf(ctx, deployment.name);
  ctx.scheduler.schedule(now + (ctx.settings.setupSeconds / 4) * 1000, (when) => {
    if (operation.done) return;
    deployment.state = 'FAILED';
    deployment.errorCode = failure.errorCode;
    deployment.stateDetail = failure.message ?? DEFAULT_DETAIL[failure.errorCode];
    deployment.updateTime = when;
    // The operation succeeded: only the deployment says the apply did not.
    succeed(operation, when, typed('Deployment', deploymentJson(deployment)));
  });
  return operation;
}

/** Makes a delete fail: the deployment stays, FAILED with the delete's errorCode. */
export function failDelete(deployment: DeploymentRecord, operation: OperationRecord, failure: DeleteFailure, when: number, address?: string): void {
  const errorCode = failure.errorCode ?? 'DELETE_BUILD_RUN_FAILED';
  const running = errorCode === 'DELETE_BUILD_RUN_FAILED';
  const message =
    failure.message ?? (running ? 'Error deleting resource: the resource is in use and cannot be deleted' : 'Cloud Build could not start the delete build');
  const tfErrors: TfError[] = running
    ? [
        {
          ...(address ? { resourceAddress: address } : {}),
          httpResponseCode: 400,
          errorDescription: `Error: ${message}`,
          error: { code: RPC_CODE.INVALID_ARGUMENT, message },
        },
      ]
    : [];
  deployment.state = 'FAILED';
  deployment.errorCode = errorCode;
  deployment.stateDetail = running
    ? `Delete failed: terraform destroy ${address ? `could not destroy ${address}` : 'failed'}: ${message}`
    : `Delete failed: ${message}`;
  if (tfErrors.length > 0) deployment.tfErrors = tfErrors;
  else delete deployment.tfErrors;
  deployment.updateTime = when;
  if (failure.operation === 'succeeds') succeed(operation, when, typed('Deployment', deploymentJson(deployment)));
  else fail(operation, when, { code: RPC_CODE.UNKNOWN, message: `Delete of ${deployment.name.split('/').pop() ?? ''} failed: ${message}` });
}
