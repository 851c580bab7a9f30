/**
 * Where a deployment stands before a run: missing, ready, in progress, or stuck with the ways
 * out offered for consent. The consent is tied to this incarnation and the lock it names.
 */
import * as l10n from '@vscode/l10n';
import type { config_v1 } from 'googleapis/build/src/apis/config';
import { ProviderError, type DescribeTargetRequest, type DescribeTargetResult } from '../provider';
import { where, type GcpContext } from './context';
import { failedDeleteReason } from './failedDelete';
import { failureReason } from './failures';
import { heldLockReason, previewPlanningReason, unlockRunningReason, type HeldLock } from './locks';
import { deploymentResourceName, incarnationId, parentName } from './names';
import { readDeployment } from './reads';
import { recoveryAction } from './recovery';
import { deploymentMeaning, type DeploymentMeaning } from './statusTables';

export async function describeTargetState(ctx: GcpContext, { target, signal }: DescribeTargetRequest): Promise<DescribeTargetResult> {
  const name = deploymentResourceName(where(ctx, target), target.name);
  const deployment = await readDeployment(ctx, name, signal);
  if (!deployment || deployment.state === 'DELETED') {
    ctx.locks.forget(name);
    return { condition: 'missing', recoveryActions: [] };
  }
  // Only a 404 says "missing": an answer without a state says nothing, and must not decide.
  if (!deployment.state)
    throw new ProviderError('Transient', l10n.t('deployments.get: the answer for {0} has no state; asking again.', target.name), {
      providerCode: 'UNREADABLE_RESPONSE',
    });
  const { meaning, lockReason, held } = await readLockMeaning(ctx, name, deployment, target, signal);
  const status =
    deployment.lockState === 'LOCKED' || meaning.condition === 'unrecoverable'
      ? l10n.t({
          message: '{0} (lock {1})',
          args: [deployment.state, deployment.lockState ?? l10n.t('unknown')],
          comment: ["A deployment's state and its lock state, as Infrastructure Manager names them."],
        })
      : deployment.state;
  const lastUpdatedAt = deployment.updateTime ?? deployment.createTime ?? undefined;
  const result: DescribeTargetResult = {
    condition: meaning.condition,
    providerStatus: status,
    statusReason: meaning.unknownState
      ? unknownStateReason(deployment.state, deployment.stateDetail ?? undefined)
      : (lockReason ?? failedDeleteReason(deployment, target.name) ?? failureReason(deployment) ?? (deployment.stateDetail || undefined)),
    // This incarnation, and the lock the consent names: a consent given about them is not about
    // one created later under the same name, nor about a lock taken since.
    targetId: incarnationId(deployment.name ?? name, deployment.createTime, held?.facts?.lockId),
    recoveryActions: meaning.recovery.map((id) => recoveryAction(id, target.name, status, held ?? deployment.lockState === 'LOCKED')),
    lastUpdatedAt,
  };
  if (meaning.condition === 'inProgress') {
    // Someone else's (or an earlier window's) apply: the deployment does not name its operation.
    result.operation = { startedAt: lastUpdatedAt ?? new Date().toISOString(), kind: meaning.operation ?? 'unknown', targetId: deployment.name ?? name };
  }
  return result;
}

function unknownStateReason(state: string, detail: string | undefined): string {
  return detail
    ? l10n.t('Infrastructure Manager reports {0}, a state this version of Stackwatch does not know; it is read again and decides nothing. {1}', state, detail)
    : l10n.t('Infrastructure Manager reports {0}, a state this version of Stackwatch does not know; it is read again and decides nothing.', state);
}

/**
 * What the deployment's lock means now. An unlock this window started (or joined) is followed
 * until the service says how it ended, and its failure is this run's failure. A held lock is
 * read (LockInfo, previews): a preview planning under it is in progress, anyone else's lock
 * waits for consent, and the consent says whose it is.
 */
async function readLockMeaning(
  ctx: GcpContext,
  name: string,
  deployment: config_v1.Schema$Deployment,
  target: { name: string; region?: string },
  signal: AbortSignal,
): Promise<{ meaning: DeploymentMeaning; lockReason?: string; held?: HeldLock }> {
  const meaning = deploymentMeaning(deployment.state ?? undefined, deployment.lockState ?? undefined, deployment.errorCode ?? undefined);
  const unlocking = await ctx.locks.progress(name, deployment, target.name, signal);
  if (unlocking?.status === 'failed') {
    throw new ProviderError('Conflict', unlocking.reason, {
      hint: l10n.t('Deploy again to see the lock as it is now; Stackwatch asks before releasing it again.'),
      providerCode: 'UNLOCK_FAILED',
    });
  }
  const following: DeploymentMeaning = { condition: 'inProgress', recovery: [], operation: 'unknown' };
  if (unlocking?.status === 'running') return { meaning: following, lockReason: unlockRunningReason(target.name, unlocking.step) };
  if (!meaning.lockHeld) return { meaning };
  const lock = await ctx.locks.read(name, parentName(where(ctx, target)), signal);
  if (lock.noLock) {
    // A failed lock holds nothing; a lock that vanished between two reads is read again.
    if (deployment.lockState === 'LOCK_FAILED')
      return { meaning: deploymentMeaning(deployment.state ?? undefined, undefined, deployment.errorCode ?? undefined) };
    throw new ProviderError('Transient', l10n.t('The lock on {0} changed while Stackwatch read it; asking again.', target.name), {
      providerCode: 'LOCK_CHANGED',
    });
  }
  if (lock.preview) return { meaning: following, lockReason: previewPlanningReason(target.name, lock.preview, lock.facts) };
  const held: HeldLock = { state: deployment.lockState ?? 'LOCKED', facts: lock.facts };
  return { meaning, lockReason: heldLockReason(target.name, held), held };
}
