/**
 * Deployment locks as the service has them: lock and unlock are long-running operations
 * (config.proto LockDeployment / UnlockDeployment return google.longrunning.Operation with a
 * Deployment response), an unlock validates the uploaded state first (DeploymentStep
 * RUNNING_TF_VALIDATE: "Validating the uploaded TF state file when unlocking a deployment"), and
 * a failed lock or unlock is not an operation error: the operation ends done and its Deployment
 * says lockState LOCK_FAILED / UNLOCK_FAILED, which is what gcloud checks
 * (googlecloudsdk/command_lib/infra_manager/deploy_util.py LockDeployment / UnlockDeployment).
 * A preview of a deployment holds its lock while it plans (PreviewStep LOCKING_DEPLOYMENT …
 * UNLOCKING_DEPLOYMENT).
 */
import type { SimContext } from './context';
import { failedPrecondition, GcpError, invalid, RPC_CODE } from './errors';
import type { DeploymentRecord } from './model';
import { locationOf } from './names';
import { fail, succeed, type OperationRecord } from './operations';
import { deploymentJson, typed } from './views';

/** What the caller says about a lock it takes (Terraform's LockInfo fields). */
export interface LockOwner {
  who?: string;
  info?: string;
  /** The Terraform operation; the lock operation's own name when absent. */
  operation?: string;
}

/** A lock is held, or being taken: changes, previews and other locks must wait. */
export function lockBusy(d: DeploymentRecord): boolean {
  return d.lock !== undefined || d.lockState === 'LOCKING';
}

export function startLock(ctx: SimContext, d: DeploymentRecord, owner: LockOwner): OperationRecord {
  if (lockBusy(d)) throw failedPrecondition(`Deployment ${d.name} is already locked${d.lock ? ` (lock ${d.lock.lockId})` : ''}.`);
  const now = ctx.now();
  const operation = ctx.operations.start(locationOf(d.name), now, { target: d.name, verb: 'lock', kind: 'deployment' });
  const settle = (at: number): void => {
    if (operation.done) return;
    if (!stillThere(ctx, d, operation, at)) return;
    delete d.lockState;
    if (d.lockFaults?.lock) {
      delete d.lockFaults.lock;
      d.lockState = 'LOCK_FAILED';
    } else {
      holdLock(ctx, d, { ...owner, operation: owner.operation ?? operation.name }, at);
    }
    d.updateTime = at;
    succeed(operation, at, typed('Deployment', deploymentJson(d)));
  };
  after(ctx, ctx.settings.lockSeconds, now, settle, () => {
    d.lockState = 'LOCKING';
  });
  return operation;
}

export function startUnlock(ctx: SimContext, d: DeploymentRecord, lockId: string | undefined): OperationRecord {
  const lock = d.lock;
  if (!lock) throw failedPrecondition(`Deployment ${d.name} is not locked.`);
  if (!lockId) throw invalid('lock_id is required.');
  if (lockId !== lock.lockId) throw new GcpError(409, 'ABORTED', `Lock ID ${lockId} does not match the current lock on ${d.name}.`);
  if (d.lockState === 'UNLOCKING') throw failedPrecondition(`Deployment ${d.name} is already being unlocked.`);
  const now = ctx.now();
  const operation = ctx.operations.start(locationOf(d.name), now, { target: d.name, verb: 'unlock', kind: 'deployment' });
  const settle = (at: number): void => {
    if (operation.done) return;
    if (!stillThere(ctx, d, operation, at)) return;
    if (d.lockFaults?.unlock) {
      // The lock stays (same lockId), so the unlock can be tried again.
      delete d.lockFaults.unlock;
      d.lockState = 'UNLOCK_FAILED';
    } else {
      if (d.lock === lock) delete d.lock;
      delete d.lockState;
    }
    d.updateTime = at;
    succeed(operation, at, typed('Deployment', deploymentJson(d)));
  };
  const seconds = ctx.settings.unlockSeconds;
  after(ctx, seconds, now, settle, () => {
    d.lockState = 'UNLOCKING';
    operation.step = 'RUNNING_TF_VALIDATE';
    ctx.scheduler.schedule(now + (seconds * 1000) / 2, () => {
      if (!operation.done) operation.step = 'UNLOCKING_DEPLOYMENT';
    });
  });
  return operation;
}

/** The lock as taken: LOCKED, with the caller's LockInfo (the control `lock()` takes it at once). */
export function holdLock(ctx: SimContext, d: DeploymentRecord, owner: LockOwner, at: number): void {
  if (lockBusy(d)) throw failedPrecondition(`Deployment ${d.name} is already locked${d.lock ? ` (lock ${d.lock.lockId})` : ''}.`);
  d.lock = {
    lockId: String(1_700_000_000_000_000 + ctx.nextId()),
    operation: owner.operation ?? '',
    info: owner.info ?? '',
    who: owner.who ?? 'im-sim',
    createTime: at,
  };
  delete d.lockState;
  d.updateTime = at;
}

/** A preview takes the deployment's lock for its plan; false when someone else holds it or a run is going. */
export function takePreviewLock(ctx: SimContext, d: DeploymentRecord, preview: string, operation: string, at: number): boolean {
  if (lockBusy(d) || d.state === 'CREATING' || d.state === 'UPDATING' || d.state === 'DELETING') return false;
  const id = preview.split('/').pop() ?? preview;
  d.lock = {
    lockId: String(1_700_000_000_000_000 + ctx.nextId()),
    operation,
    info: `Infrastructure Manager preview ${id}`,
    who: 'infra-manager-preview',
    createTime: at,
    preview,
  };
  d.updateTime = at;
  return true;
}

/** The preview ended (or was deleted): the lock it took is released; anyone else's stays. */
export function releasePreviewLock(ctx: SimContext, deploymentName: string | undefined, preview: string): void {
  const d = deploymentName ? ctx.deployments.get(deploymentName) : undefined;
  if (d?.lock?.preview !== preview) return;
  delete d.lock;
  if (d.lockState === 'UNLOCKING' || d.lockState === 'UNLOCK_FAILED') delete d.lockState;
}

/** Control: the next lock or unlock of this deployment fails (lockState LOCK_FAILED / UNLOCK_FAILED). */
export function failNextLockChange(d: DeploymentRecord, which: 'lock' | 'unlock'): void {
  d.lockFaults = { ...d.lockFaults, [which]: true };
}

/** Runs `settle` now when `seconds` is 0 (done before the call returns), else marks the transition and schedules it. */
function after(ctx: SimContext, seconds: number, now: number, settle: (at: number) => void, start: () => void): void {
  if (seconds === 0) return settle(now);
  start();
  ctx.scheduler.schedule(now + seconds * 1000, settle);
}

/** A deployment deleted while its lock changed: the operation fails rather than touch a new one of the same name. */
function stillThere(ctx: SimContext, d: DeploymentRecord, operation: OperationRecord, at: number): boolean {
  if (ctx.deployments.get(d.name) === d) return true;
  fail(operation, at, { code: RPC_CODE.NOT_FOUND, message: `Deployment ${d.name} was deleted.` });
  return false;
}
