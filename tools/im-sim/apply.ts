/**
 * Apply and destroy jobs. A job walks the setup steps (bucket, download, init, plan), then the
 * resources one after another, each taking its simulated seconds. Terraform has no rollback: a
 * failure stops the walk and leaves what was already applied in the state. A cancel request is
 * honoured at the next boundary, so the resource in progress still finishes.
 */
import { validateQuota } from './applySettings';
import type { LoadResult } from './blueprint';
import { failDelete, takeDeleteFailure } from './buildFailures';
import { cancelHonoured } from './cancel';
import type { SimContext } from './context';
import { RPC_CODE } from './errors';
import type { AppliedResource, DeploymentRecord, PlannedChange, RevisionRecord, TfError } from './model';
import { fail, succeed, type OperationRecord } from './operations';
import { destroyPlan, plan } from './plan';
import { defaultArtifactsBucket } from './names';
import { deploymentJson, typed } from './views';

interface Walk<T> {
  items: T[];
  seconds(item: T): number;
  start(item: T, at: number): void;
  /** False stops the walk (the item failed). */
  finish(item: T, at: number): boolean;
  done(at: number): void;
}

export function startApply(
  ctx: SimContext,
  deployment: DeploymentRecord,
  revision: RevisionRecord,
  operation: OperationRecord,
  loaded: LoadResult,
  at: number,
): void {
  let finished = false;
  const end = (): boolean => (finished ? false : (finished = true));

  const failRevision = (when: number, message: string, tfErrors: TfError[], errorCode = 'APPLY_BUILD_RUN_FAILED'): void => {
    if (!end()) return;
    revision.state = 'FAILED';
    revision.errorCode = errorCode;
    revision.stateDetail = message;
    revision.tfErrors = tfErrors;
    revision.updateTime = when;
    deployment.state = 'FAILED';
    deployment.errorCode = 'REVISION_FAILED';
    deployment.stateDetail = `${revision.name.split('/').pop() ?? ''} failed: ${message}`;
    deployment.updateTime = when;
    fail(operation, when, { code: RPC_CODE.UNKNOWN, message: `${revision.name.split('/').pop() ?? ''} apply failed: ${message}` });
  };

  const cancel = (when: number): void => {
    if (!end()) return;
    revision.state = 'FAILED';
    revision.stateDetail = 'Apply was cancelled by a cancel request; resources applied before it stay applied.';
    revision.updateTime = when;
    deployment.state = 'FAILED';
    deployment.stateDetail = `Deployment operation was cancelled during ${revision.name.split('/').pop() ?? ''}.`;
    deployment.updateTime = when;
    fail(operation, when, { code: RPC_CODE.CANCELLED, message: 'Operation was cancelled.' });
  };

  const afterSetup = (when: number): void => {
    if (!loaded.ok) return failRevision(when, loaded.message, loaded.tfErrors);
    const quotaShort = validateQuota(revision.spec, loaded.blueprint, revision, revisionArtifacts(deployment, revision));
    if (quotaShort) return failRevision(when, quotaShort, [], 'QUOTA_VALIDATION_FAILED');
    const changes = plan(loaded.blueprint, deployment.applied, ctx.settings.resourceSeconds);
    revision.resources = changes.map((change) => ({
      change,
      state: change.intent === 'UNCHANGED' ? 'RECONCILED' : 'PLANNED',
      id: deployment.applied.find((a) => a.address === change.address)?.id ?? '',
    }));
    operation.step = 'RUNNING_TF_APPLY';
    walk(ctx, when, operation, cancel, {
      items: revision.resources.filter((r) => r.state === 'PLANNED'),
      seconds: (r) => r.change.seconds,
      start: (r, t) => {
        r.state = 'IN_PROGRESS';
        revision.updateTime = t;
      },
      finish: (r, t) => {
        revision.updateTime = t;
        if (r.change.fail !== undefined && r.change.intent !== 'DELETE') {
          r.state = 'FAILED';
          if (r.change.intent === 'RECREATE') removeApplied(deployment, r.change.address);
          failRevision(t, `Error applying ${r.change.address}: ${r.change.fail}`, [
            {
              resourceAddress: r.change.address,
              httpResponseCode: 400,
              errorDescription: `Error: ${r.change.fail}`,
              error: { code: RPC_CODE.INVALID_ARGUMENT, message: r.change.fail },
            },
          ]);
          return false;
        }
        r.state = 'RECONCILED';
        r.id = applyChange(ctx, deployment, r.change);
        return true;
      },
      done: (t) => {
        if (!end()) return;
        revision.state = 'APPLIED';
        revision.updateTime = t;
        revision.outputs = loaded.blueprint.outputs;
        deployment.state = 'ACTIVE';
        delete deployment.stateDetail;
        delete deployment.errorCode;
        delete deployment.tfErrors;
        deployment.updateTime = t;
        succeed(operation, t, typed('Deployment', deploymentJson(deployment)));
      },
    });
  };

  setup(
    ctx,
    at,
    operation,
    ['PREPARING_STORAGE_BUCKET', 'DOWNLOADING_BLUEPRINT', 'RUNNING_TF_INIT', 'RUNNING_TF_PLAN'],
    cancel,
    (step, when) => {
      // The download is over once init starts: a missing object fails there, not at plan.
      if (step === 'RUNNING_TF_INIT' && !loaded.ok && loaded.stage === 'download') {
        failRevision(when, loaded.message, loaded.tfErrors);
        return false;
      }
      return !finished;
    },
    afterSetup,
  );
}

/** Deletes a deployment: destroys its resources newest first, then forgets it (GET turns 404). */
export function startDestroy(ctx: SimContext, deployment: DeploymentRecord, operation: OperationRecord, abandon: boolean, at: number): void {
  let finished = false;
  const cancel = (when: number): void => {
    if (finished) return;
    finished = true;
    deployment.state = 'FAILED';
    deployment.stateDetail = 'Delete was cancelled by a cancel request; some resources may remain.';
    deployment.updateTime = when;
    fail(operation, when, { code: RPC_CODE.CANCELLED, message: 'Operation was cancelled.' });
  };
  const changes: PlannedChange[] = abandon ? [] : destroyPlan(deployment.applied);
  // A failure set up by failNextDelete: before the destroy (the build never started), or at its first resource.
  const failure = takeDeleteFailure(ctx, deployment.name);
  const failNow = (when: number, address?: string): void => {
    if (finished || !failure) return;
    finished = true;
    failDelete(deployment, operation, failure, when, address);
  };
  setup(
    ctx,
    at,
    operation,
    ['PREPARING_STORAGE_BUCKET', 'RUNNING_TF_INIT'],
    cancel,
    () => !finished,
    (when) => {
      if (failure && (failure.errorCode === 'DELETE_BUILD_API_FAILED' || changes.length === 0)) return failNow(when);
      operation.step = 'RUNNING_TF_DESTROY';
      walk(ctx, when, operation, cancel, {
        items: changes,
        seconds: (c) => c.seconds,
        start: (_c, t) => {
          deployment.updateTime = t;
        },
        finish: (c, t) => {
          if (failure) {
            failNow(t, c.address);
            return false;
          }
          removeApplied(deployment, c.address);
          deployment.updateTime = t;
          return true;
        },
        done: (t) => {
          if (finished) return;
          finished = true;
          deployment.state = 'DELETED';
          deployment.updateTime = t;
          ctx.deployments.delete(deployment.name);
          succeed(operation, t, typed('Deployment', deploymentJson(deployment)));
        },
      });
    },
  );
}

/** Setup steps share `setupSeconds` evenly; `check` may stop the job at a step boundary. */
function setup(
  ctx: SimContext,
  at: number,
  operation: OperationRecord,
  steps: string[],
  cancel: (at: number) => void,
  check: (step: string, at: number) => boolean,
  then: (at: number) => void,
): void {
  const slice = ctx.settings.setupSeconds / steps.length;
  operation.step = steps[0] ?? 'PREPARING_STORAGE_BUCKET';
  steps.forEach((step, i) => {
    if (i === 0) return;
    ctx.scheduler.schedule(at + i * slice * 1000, (when) => {
      if (operation.done) return;
      if (cancelHonoured(operation)) return cancel(when);
      if (!check(step, when)) return;
      operation.step = step;
    });
  });
  ctx.scheduler.schedule(at + ctx.settings.setupSeconds * 1000, (when) => {
    if (operation.done) return;
    if (cancelHonoured(operation)) return cancel(when);
    if (!check('', when)) return;
    then(when);
  });
}

function walk<T>(ctx: SimContext, at: number, operation: OperationRecord, cancel: (at: number) => void, w: Walk<T>): void {
  const next = (index: number, when: number): void => {
    if (operation.done) return;
    if (cancelHonoured(operation)) return cancel(when);
    const item = w.items[index];
    if (item === undefined) return w.done(when);
    w.start(item, when);
    ctx.scheduler.schedule(when + w.seconds(item) * 1000, (t) => {
      if (operation.done) return;
      if (w.finish(item, t)) next(index + 1, t);
    });
  };
  next(0, at);
}

/** Writes one finished change into the Terraform state; returns the resource's cloud ID. */
function applyChange(ctx: SimContext, deployment: DeploymentRecord, change: PlannedChange): string {
  if (change.intent === 'DELETE') {
    removeApplied(deployment, change.address);
    return '';
  }
  const index = deployment.applied.findIndex((a) => a.address === change.address);
  const previous = deployment.applied[index];
  const id = change.intent === 'UPDATE' && previous ? previous.id : `${change.name}-${ctx.nextId().toString(36).padStart(6, '0')}`;
  const resource: AppliedResource = {
    address: change.address,
    type: change.type,
    name: change.name,
    provider: change.provider,
    id,
    fingerprint: change.fingerprint ?? '',
    attrs: change.after ?? {},
    seconds: change.seconds,
  };
  if (index >= 0) deployment.applied[index] = resource;
  else deployment.applied.push(resource);
  return id;
}

function removeApplied(deployment: DeploymentRecord, address: string): void {
  deployment.applied = deployment.applied.filter((a) => a.address !== address);
}

/** Where a revision's artifacts go: the deployment's artifacts bucket, or the one the service bootstraps. */
function revisionArtifacts(deployment: DeploymentRecord, revision: RevisionRecord): string {
  const id = (name: string): string => name.split('/').pop() ?? name;
  return `${revision.spec.artifactsGcsBucket ?? defaultArtifactsBucket(deployment.name)}/${id(deployment.name)}/${id(revision.name)}`;
}
