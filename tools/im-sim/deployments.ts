/**
 * Deployment calls: create, patch, delete, lock, unlock, exportLock, and the direct controls
 * tests use to set up situations (a crashed lock, an out-of-band apply, a state).
 */
import { randomUUID } from 'node:crypto';
import { loadBlueprint } from './blueprint';
import { startApply, startDestroy } from './apply';
import { startFailingApplyBuild, takeApplyBuildFailure } from './buildFailures';
import { refuseArtifactsBucketChange } from './applySettings';
import type { SimContext } from './context';
import { alreadyExists, failedPrecondition, invalid, notFound } from './errors';
import type { DeploymentRecord, RevisionRecord } from './model';
import { checkId, LOCATION, locationOf } from './names';
import { holdLock, lockBusy, startLock, startUnlock, type LockOwner } from './locks';
import type { OperationRecord } from './operations';
import { deletePreviewsOf } from './previews';
import { checkSpec, mergeSpec, specFrom, type Body } from './spec';
import { logsFor } from './views';

const STATES = ['CREATING', 'ACTIVE', 'UPDATING', 'DELETING', 'FAILED', 'SUSPENDED', 'DELETED'] as const;

export function getDeployment(ctx: SimContext, name: string): DeploymentRecord {
  const deployment = ctx.deployments.get(name);
  if (!deployment) throw notFound(`Resource '${name}' was not found`);
  return deployment;
}

export function createDeployment(
  ctx: SimContext,
  parent: string,
  deploymentId: string | undefined,
  body: Body,
  requestId: string | undefined,
): OperationRecord {
  if (!LOCATION.test(parent)) throw invalid(`Invalid parent "${parent}".`);
  const id = checkId('deployment', deploymentId);
  const name = `${parent}/deployments/${id}`;
  const key = requestId ? `create:${name}:${requestId}` : undefined;
  const earlier = ctx.operations.forRequest(key);
  if (earlier) return earlier;

  const existing = ctx.deployments.get(name);
  if (existing) {
    if (busy(existing)) throw failedPrecondition(`Deployment ${name} is ${existing.lock ? 'locked' : existing.state}; it cannot be changed now.`);
    throw alreadyExists(`Resource '${name}' already exists`);
  }
  const spec = specFrom(body);
  checkSpec(spec, 'deployment');
  const now = ctx.now();
  const deployment: DeploymentRecord = { name, state: 'CREATING', createTime: now, updateTime: now, spec, revisions: [], applied: [] };
  ctx.deployments.set(name, deployment);
  const operation = startRevision(ctx, deployment, 'CREATE', 'create', now);
  ctx.operations.remember(key, operation);
  return operation;
}

export function updateDeployment(ctx: SimContext, name: string, body: Body, updateMask: string | undefined, requestId: string | undefined): OperationRecord {
  const key = requestId ? `update:${name}:${requestId}` : undefined;
  const earlier = ctx.operations.forRequest(key);
  if (earlier) return earlier;
  const deployment = getDeployment(ctx, name);
  if (busy(deployment)) throw failedPrecondition(`Deployment ${name} is ${deployment.lock ? 'locked' : deployment.state}; it cannot be updated now.`);
  const spec = mergeSpec(deployment.spec, body, updateMask);
  checkSpec(spec, 'deployment');
  refuseArtifactsBucketChange(deployment.spec, spec);
  const now = ctx.now();
  deployment.spec = spec;
  deployment.state = 'UPDATING';
  deployment.updateTime = now;
  const operation = startRevision(ctx, deployment, 'UPDATE', 'update', now);
  ctx.operations.remember(key, operation);
  return operation;
}

export function deleteDeployment(ctx: SimContext, name: string, deletePolicy: string | undefined, requestId: string | undefined): OperationRecord {
  const key = requestId ? `delete:${name}:${requestId}` : undefined;
  const earlier = ctx.operations.forRequest(key);
  if (earlier) return earlier;
  const deployment = getDeployment(ctx, name);
  if (busy(deployment)) throw failedPrecondition(`Deployment ${name} is ${deployment.lock ? 'locked' : deployment.state}; it cannot be deleted now.`);
  if (deletePolicy !== undefined && !['DELETE', 'ABANDON', 'DELETE_POLICY_UNSPECIFIED'].includes(deletePolicy))
    throw invalid(`Invalid delete_policy "${deletePolicy}".`);
  const now = ctx.now();
  deployment.state = 'DELETING';
  deployment.updateTime = now;
  deployment.deleteBuild = randomUUID();
  deletePreviewsOf(ctx, name);
  const operation = ctx.operations.start(locationOf(name), now, {
    target: name,
    verb: 'delete',
    kind: 'deployment',
    build: deployment.deleteBuild,
    logs: logsFor(name, deployment.spec, 'delete'),
  });
  startDestroy(ctx, deployment, operation, deletePolicy === 'ABANDON', now);
  ctx.operations.remember(key, operation);
  return operation;
}

export function lockDeployment(ctx: SimContext, name: string, owner: LockOwner = {}): OperationRecord {
  const deployment = getDeployment(ctx, name);
  if (inProgress(deployment)) throw failedPrecondition(`Deployment ${name} is ${deployment.state}; it cannot be locked now.`);
  return startLock(ctx, deployment, owner);
}

/** Control: a lock as already taken (no LOCKING), checked like a lock request. */
export function lockNow(ctx: SimContext, name: string, owner: LockOwner): void {
  const deployment = getDeployment(ctx, name);
  if (inProgress(deployment)) throw failedPrecondition(`Deployment ${name} is ${deployment.state}; it cannot be locked now.`);
  holdLock(ctx, deployment, owner, ctx.now());
}

export function unlockDeployment(ctx: SimContext, name: string, lockId: string | undefined): OperationRecord {
  return startUnlock(ctx, getDeployment(ctx, name), lockId);
}

export function exportLock(ctx: SimContext, name: string): Record<string, unknown> {
  const deployment = getDeployment(ctx, name);
  if (!deployment.lock) throw notFound(`Deployment ${name} is not locked.`);
  const lock = deployment.lock;
  return {
    lockId: lock.lockId,
    operation: lock.operation,
    info: lock.info,
    who: lock.who,
    version: '1.5.7',
    createTime: new Date(lock.createTime).toISOString(),
  };
}

/** Control: put a deployment into a state directly, for recovery tests. */
export function setState(ctx: SimContext, name: string, state: string): void {
  const deployment = getDeployment(ctx, name);
  if (!(STATES as readonly string[]).includes(state)) throw new TypeError(`state must be one of ${STATES.join(', ')}`);
  deployment.state = state as DeploymentRecord['state'];
  deployment.updateTime = ctx.now();
}

/** Control: someone else applied the same blueprint again; latestRevision moves. */
export function applyOutOfBand(ctx: SimContext, name: string): void {
  const deployment = getDeployment(ctx, name);
  const now = ctx.now();
  const previous = deployment.revisions.at(-1);
  const revision: RevisionRecord = {
    name: `${name}/revisions/r-${deployment.revisions.length + 1}`,
    action: 'UPDATE',
    state: 'APPLIED',
    stateDetail: 'Applied outside this client (im-sim applyOutOfBand).',
    createTime: now,
    updateTime: now,
    spec: { ...deployment.spec },
    build: randomUUID(),
    resources: deployment.applied.map((a) => ({
      change: {
        address: a.address,
        type: a.type,
        name: a.name,
        provider: a.provider,
        intent: 'UNCHANGED',
        seconds: a.seconds,
        before: a.attrs,
        after: a.attrs,
        fingerprint: a.fingerprint,
      },
      state: 'RECONCILED',
      id: a.id,
    })),
    ...(previous?.outputs ? { outputs: previous.outputs } : {}),
  };
  deployment.revisions.push(revision);
  deployment.updateTime = now;
  deletePreviewsOf(ctx, name);
}

function startRevision(ctx: SimContext, deployment: DeploymentRecord, action: RevisionRecord['action'], verb: string, now: number): OperationRecord {
  // A build failure set up by failNextApplyBuild: the apply never reaches Terraform.
  const buildFailure = takeApplyBuildFailure(ctx, deployment.name);
  if (buildFailure) return startFailingApplyBuild(ctx, deployment, buildFailure, action, verb, now);
  const revision: RevisionRecord = {
    name: `${deployment.name}/revisions/r-${deployment.revisions.length + 1}`,
    action,
    state: 'APPLYING',
    createTime: now,
    updateTime: now,
    spec: { ...deployment.spec },
    build: randomUUID(),
    resources: [],
  };
  deployment.revisions.push(revision);
  delete deployment.errorCode;
  delete deployment.tfErrors;
  delete deployment.stateDetail;
  const operation = ctx.operations.start(locationOf(deployment.name), now, {
    target: deployment.name,
    verb,
    kind: 'deployment',
    build: revision.build,
    logs: logsFor(deployment.name, deployment.spec, revision.name.split('/').pop() ?? ''),
  });
  // The blueprint is read now: a generation-pinned source cannot change under the job anyway.
  startApply(ctx, deployment, revision, operation, loadBlueprint(ctx.objects, deployment.spec.terraformBlueprint), now);
  deletePreviewsOf(ctx, deployment.name);
  return operation;
}

function inProgress(d: DeploymentRecord): boolean {
  return d.state === 'CREATING' || d.state === 'UPDATING' || d.state === 'DELETING';
}

function busy(d: DeploymentRecord): boolean {
  return inProgress(d) || lockBusy(d);
}
