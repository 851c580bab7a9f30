/**
 * The ways out of a stuck deployment the person agreed to: release its lock, or delete it (force,
 * releasing the lock first). The deployment is read again first: a consent is for the
 * incarnation, lock and state it was given about, never for what someone made of it since.
 */
import * as l10n from '@vscode/l10n';
import type { config_v1 } from 'googleapis/build/src/apis/config';
import { ProviderError, type RecoverRequest, type RecoverResult } from '../provider';
import { where, type GcpContext } from './context';
import { isFailedDelete } from './failedDelete';
import { lockChangeOutcome, lockIsHeld, unlockFailedReason } from './locks';
import { deploymentResourceName, parentName, parseIncarnation, requestId } from './names';
import { readDeployment } from './reads';
import { deploymentMeaning } from './statusTables';

/** States in which a run is live: its lock is held on purpose, not left by a crash. */
const LIVE_STATES = new Set(['CREATING', 'UPDATING', 'DELETING']);
const LIVE_LOCK_STATES = new Set(['LOCKING', 'UNLOCKING']);

export async function recoverTarget(ctx: GcpContext, { target, action, deploymentId, targetId, signal }: RecoverRequest): Promise<RecoverResult> {
  if (action === 'continueRollback' || action === 'rollback') {
    throw new ProviderError('Unsupported', l10n.t('Infrastructure Manager has no rollback: apply a previous blueprint instead.'));
  }
  const name = deploymentResourceName(where(ctx, target), target.name);
  const startedAt = new Date().toISOString();
  // Consent was given for what describeTarget showed, maybe minutes ago: look again first.
  const deployment = await readDeployment(ctx, name, signal);
  const exists = deployment !== undefined && deployment.state !== 'DELETED';
  if (exists) refuseAnotherIncarnation(deployment, targetId, action, target.name);
  // Only the lock the consent named may be released (locks.ts consentedLockId).
  const agreedLock = { parent: parentName(where(ctx, target)), lockId: parseIncarnation(targetId)?.lockId };
  if (action === 'unlock') {
    if (!exists) throw new ProviderError('Conflict', l10n.t('{0} no longer exists, so there is no lock to release; deploy again.', target.name));
    const unlocking = (operationName?: string): RecoverResult => ({ operation: { operationName, targetId: name, startedAt, kind: 'unknown' } });
    // Already being released (this consent's first try, whose answer was lost, or anyone's):
    // follow that unlock to its end instead of refusing or sending another.
    if (deployment.lockState === 'UNLOCKING' && !LIVE_STATES.has(deployment.state ?? '')) return unlocking(ctx.locks.join(name));
    refuseIfLive(deployment, target.name);
    if (ctx.locks.sentBy(deploymentId, name)) {
      // This recovery's unlock already ended (its answer was lost): its outcome, not a change under it.
      if (deployment.lockState === 'UNLOCK_FAILED')
        throw new ProviderError('Conflict', unlockFailedReason(target.name, deployment.stateDetail), { providerCode: 'UNLOCK_FAILED' });
      if (!lockIsHeld(deployment.lockState)) return unlocking();
    }
    refuseIfNoLongerNeeded(deployment, action, target.name);
    const op = await ctx.locks.unlock(name, target.name, { ...agreedLock, action: 'unlock', recovery: deploymentId }, signal);
    if (!op.done) return unlocking(op.name ?? undefined);
    // Ended at once: its answer says how. A failed unlock is a done operation saying UNLOCK_FAILED.
    const outcome = lockChangeOutcome(op, target.name);
    if (outcome?.status === 'failed')
      throw new ProviderError('Conflict', outcome.reason ?? unlockFailedReason(target.name), { providerCode: outcome.providerStatus });
    if (outcome?.status === 'unknown') ctx.locks.join(name);
    return unlocking();
  }

  // The same recovery of the same deployment is the same request, so a retry after a lost
  // response gets the first attempt's operation instead of a "being deleted" refusal. The
  // createTime tells a deployment recreated later in this run from the one deleted before. The
  // build of a delete that failed makes deleting it again a new request: under the old ID the
  // service would answer the failed operation and do nothing.
  const failedDeleteBuild = deployment && isFailedDelete(deployment) && deployment.deleteBuild ? [deployment.deleteBuild] : [];
  const token = requestId(deploymentId, 'delete', name, deployment?.createTime ?? '', ...failedDeleteBuild);
  // Without an operation name poll follows the deployment itself until it is gone.
  const deletion = (operationName?: string): RecoverResult => ({ operation: { token, operationName, targetId: name, startedAt, kind: 'delete' } });
  if (!exists) return deletion();
  if (deployment.state !== 'DELETING') {
    // An unlock under way (this consent's own, or anyone's) is waited for: the delete follows it.
    if (deployment.lockState === 'UNLOCKING' && !LIVE_STATES.has(deployment.state ?? '')) throw stillReleasing(target.name);
    refuseIfLive(deployment, target.name);
    const released = ctx.memory.releasedLocks.has(token);
    if (released && deployment.lockState === 'UNLOCK_FAILED') {
      throw new ProviderError('Conflict', `${unlockFailedReason(target.name, deployment.stateDetail)} ${notDeleted(target.name)}`, {
        providerCode: 'UNLOCK_FAILED',
      });
    }
    // A retry after this recovery released the lock itself finds the deployment no longer
    // stuck: that is this consent's own doing, not a change under it.
    if (!released) refuseIfNoLongerNeeded(deployment, action, target.name);
    // IM refuses to delete a locked deployment: the lock is released first, as the consent said,
    // and only when the consent named this very lock (a lock taken since is someone's, not ours to release).
    if (lockIsHeld(deployment.lockState)) {
      const unlocking = await ctx.locks.unlock(name, target.name, { ...agreedLock, action: 'delete' }, signal);
      ctx.memory.releasedLocks.add(token);
      const outcome = lockChangeOutcome(unlocking, target.name);
      if (outcome?.status === 'failed')
        throw new ProviderError('Conflict', `${outcome.reason ?? unlockFailedReason(target.name)} ${notDeleted(target.name)}`, {
          providerCode: outcome.providerStatus,
        });
      // Still releasing (an unlock validates the state first, which can take minutes): the
      // machine asks again, and each try waits for the unlock before deleting.
      if (outcome?.status !== 'succeeded') throw stillReleasing(target.name);
    }
  }
  try {
    const op = await ctx.caller.call('deployments.delete', signal, (o) =>
      ctx.im.projects.locations.deployments.delete({ name, force: true, requestId: token }, o),
    );
    return deletion(op.name ?? undefined);
  } catch (error) {
    // Refused because it is already being deleted (someone else's delete, or ours under an
    // earlier request): what was asked for is under way, so follow it rather than fail.
    if (!(error instanceof ProviderError && error.code === 'Conflict' && error.details.providerCode !== 'ALREADY_EXISTS')) throw error;
    const now = await readDeployment(ctx, name, signal);
    if (!now?.state || now.state === 'DELETING' || now.state === 'DELETED') return deletion();
    throw error;
  }
}

/** The consent was about the deployment created at `agreedTo`'s createTime; another one is not touched on it. */
function refuseAnotherIncarnation(
  deployment: config_v1.Schema$Deployment,
  agreedTo: string | undefined,
  action: RecoverRequest['action'],
  deploymentName: string,
): void {
  const agreed = parseIncarnation(agreedTo);
  if (!agreed?.createTime || deployment.createTime === agreed.createTime) return;
  const created = deployment.createTime ?? l10n.t({ message: 'at an unknown time', comment: ['When a deployment was created, completing "created …".'] });
  throw new ProviderError(
    'Conflict',
    action === 'unlock'
      ? l10n.t(
          'The deployment you agreed to unlock ({0}, created {1}) is gone; another one named {0} exists now (created {2}). Nothing was changed; deploy again to see where it stands.',
          deploymentName,
          agreed.createTime,
          created,
        )
      : l10n.t(
          'The deployment you agreed to delete ({0}, created {1}) is gone; another one named {0} exists now (created {2}). Nothing was changed; deploy again to see where it stands.',
          deploymentName,
          agreed.createTime,
          created,
        ),
    { hint: l10n.t('Deploy again: Stackwatch reads the deployment as it is now and asks again if it needs your consent.'), providerCode: 'TARGET_REPLACED' },
  );
}

/**
 * The way out the person agreed to must still be one for the deployment as it is now: a
 * colleague may have unlocked and applied it since, and a force delete would then destroy a
 * healthy deployment.
 */
function refuseIfNoLongerNeeded(deployment: config_v1.Schema$Deployment, action: RecoverRequest['action'], deploymentName: string): void {
  const recovery = deploymentMeaning(deployment.state ?? undefined, deployment.lockState ?? undefined, deployment.errorCode ?? undefined).recovery;
  if (recovery.includes(action) || (action === 'delete' && recovery.includes('forceDelete'))) return;
  const state =
    deployment.state ?? l10n.t({ message: 'in an unknown state', comment: ['A deployment whose state is not known, completing "orders-prod is …".'] });
  const lockState = deployment.lockState ?? l10n.t({ message: 'unknown', comment: ['A lock state that is not known, as in "(lock unknown)".'] });
  throw new ProviderError(
    'Conflict',
    action === 'unlock'
      ? l10n.t(
          'Releasing the lock no longer applies: {0} is {1} (lock {2}) now, no longer in the state you agreed to it in. Nothing was changed; deploy again to see where it stands.',
          deploymentName,
          state,
          lockState,
        )
      : l10n.t(
          'Deleting it no longer applies: {0} is {1} (lock {2}) now, no longer in the state you agreed to it in. Nothing was changed; deploy again to see where it stands.',
          deploymentName,
          state,
          lockState,
        ),
    { hint: l10n.t('Deploy again: Stackwatch reads the deployment as it is now.'), providerCode: 'RECOVERY_NOT_APPLICABLE' },
  );
}

/** A run in progress holds its lock on purpose; releasing it or deleting under it corrupts state. */
function refuseIfLive(deployment: config_v1.Schema$Deployment, deploymentName: string): void {
  const state = deployment.state ?? 'STATE_UNSPECIFIED';
  const lockState = deployment.lockState ?? 'LOCK_STATE_UNSPECIFIED';
  if (LIVE_STATES.has(state) || LIVE_LOCK_STATES.has(lockState)) {
    throw new ProviderError(
      'Conflict',
      l10n.t('{0} is {1} (lock {2}): a run is in progress and holds it, so Stackwatch changed nothing.', deploymentName, state, lockState),
      {
        hint: l10n.t('Wait for that run to finish, then deploy again.'),
        providerCode: LIVE_STATES.has(state) ? state : lockState,
      },
    );
  }
}

/** A force delete waits for the lock's release: retryable, so the machine backs off and asks again. */
function stillReleasing(deploymentName: string): ProviderError {
  return new ProviderError(
    'Transient',
    l10n.t(
      'The Terraform lock on {0} is still being released (Infrastructure Manager validates the state first); it is deleted once the lock is released.',
      deploymentName,
    ),
    {
      providerCode: 'UNLOCKING',
    },
  );
}

/** Said after why a force delete did not happen. */
function notDeleted(deploymentName: string): string {
  return l10n.t('{0} was not deleted.', deploymentName);
}
