/**
 * Deployment locks read for what they are. A lock is usually taken on purpose, to edit the
 * Terraform state (lock → export → import → unlock: https://cloud.google.com/infrastructure-manager/docs/state-file),
 * and an imported state "does not take effect until the Deployment has been unlocked"
 * (importState). A preview locks the deployment while it plans (PreviewStep LOCKING_DEPLOYMENT …
 * UNLOCKING_DEPLOYMENT). Lock and unlock are operations, and their failure is not an operation
 * error: the operation ends done and its Deployment says lockState LOCK_FAILED / UNLOCK_FAILED,
 * which is what gcloud checks (googlecloudsdk/command_lib/infra_manager/deploy_util.py
 * LockDeployment, UnlockDeployment).
 */
import * as l10n from '@vscode/l10n';
import type { config_v1 } from 'googleapis/build/src/apis/config';
import { ProviderError, type PollResult } from '../provider';
import type { GcpCaller } from './calls';
import { describeHolder, lockFailedReason, unlockFailedReason } from './lockReasons';

// The sentences about locks live in lockReasons.ts; these are the ones other modules ask for here.
export { describeHolder, heldLockReason, previewPlanningReason, unlockFailedReason, unlockRisk, unlockRunningReason } from './lockReasons';

/** Who holds a lock, since when and for what: exportLock's LockInfo. */
export interface LockFacts {
  lockId?: string;
  who?: string;
  since?: string;
  operation?: string;
  info?: string;
}

/** A held lock as describeTarget saw it: its state, and its LockInfo when it could be read. */
export interface HeldLock {
  state: string;
  facts?: LockFacts;
}

export function lockFacts(info: config_v1.Schema$LockInfo): LockFacts {
  const text = (value: string | null | undefined): string | undefined => value?.trim() || undefined;
  return { lockId: text(info.lockId), who: text(info.who), since: text(info.createTime), operation: text(info.operation), info: text(info.info) };
}

/** Lock states in which the lock is held and nobody is changing it. */
const HELD = new Set(['LOCKED', 'UNLOCK_FAILED']);

export function lockIsHeld(lockState: string | null | undefined): boolean {
  return HELD.has(lockState ?? '');
}

/**
 * The preview of this deployment that is planning now, and so holds (or is about to take) its
 * lock. When several are, the one the lock names.
 */
export function planningPreview(
  previews: readonly config_v1.Schema$Preview[],
  deploymentResourceName: string,
  facts: LockFacts | undefined,
): config_v1.Schema$Preview | undefined {
  const planning = previews.filter((p) => p.deployment === deploymentResourceName && p.state === 'CREATING');
  const named = (p: config_v1.Schema$Preview): boolean => {
    const id = p.name?.split('/').pop();
    return id !== undefined && [facts?.operation, facts?.info].some((text) => text?.includes(id));
  };
  return planning.find(named) ?? planning[0];
}

type LockVerb = 'lock' | 'unlock';

function verbOf(op: config_v1.Schema$Operation): LockVerb | undefined {
  const verb = (op.metadata as config_v1.Schema$OperationMetadata | undefined)?.verb;
  return verb === 'lock' || verb === 'unlock' ? verb : undefined;
}

/** An operation that locks or unlocks a deployment (its metadata's verb). */
export function isLockChange(op: config_v1.Schema$Operation): boolean {
  return verbOf(op) !== undefined;
}

export interface LockChangeOutcome {
  /** 'unknown': the answer does not say the lock state; it decides nothing. */
  status: 'succeeded' | 'failed' | 'unknown';
  providerStatus: string;
  reason?: string;
}

/**
 * How a lock or unlock operation ended; undefined while it runs. Its Deployment response decides:
 * the operation itself ends without an error when the lock change fails.
 */
export function lockChangeOutcome(op: config_v1.Schema$Operation, deploymentName: string): LockChangeOutcome | undefined {
  if (!op.done) return undefined;
  const verb = verbOf(op) ?? 'unlock';
  if (op.error) {
    const message = op.error.message ?? (typeof op.error.code === 'number' ? l10n.t('code {0}', op.error.code) : l10n.t('code unknown'));
    return {
      status: 'failed',
      providerStatus: 'FAILED',
      reason:
        verb === 'unlock'
          ? l10n.t('Releasing the Terraform lock on {0} failed: {1}.', deploymentName, message)
          : l10n.t('Locking {0} failed: {1}.', deploymentName, message),
    };
  }
  const response = (op.response ?? {}) as config_v1.Schema$Deployment;
  const lockState = response.lockState ?? undefined;
  if (lockState === 'UNLOCK_FAILED') return { status: 'failed', providerStatus: lockState, reason: unlockFailedReason(deploymentName, response.stateDetail) };
  if (lockState === 'LOCK_FAILED') return { status: 'failed', providerStatus: lockState, reason: lockFailedReason(deploymentName, response.stateDetail) };
  // A response without a lock state says nothing about the lock: neither success nor failure.
  if (!lockState)
    return {
      status: 'unknown',
      providerStatus: 'LOCK_STATE_UNSPECIFIED',
      reason:
        verb === 'unlock'
          ? l10n.t('The unlock of {0} ended, but its answer does not say the lock state.', deploymentName)
          : l10n.t('The lock of {0} ended, but its answer does not say the lock state.', deploymentName),
    };
  return { status: 'succeeded', providerStatus: lockState };
}

/** A poll of a lock or unlock operation: its step while it runs, then the lock state its answer gives. */
export function lockChangePoll(op: config_v1.Schema$Operation, deploymentName: string, cursor: string | undefined, pagesRead: number): PollResult {
  const outcome = lockChangeOutcome(op, deploymentName);
  const step = (op.metadata as config_v1.Schema$OperationMetadata | undefined)?.deploymentMetadata?.step ?? undefined;
  if (!outcome) return { phase: 'inProgress', providerStatus: step ?? 'RUNNING', events: [], cursor, pagesRead };
  return {
    phase: outcome.status,
    providerStatus: outcome.providerStatus,
    ...(outcome.reason ? { statusReason: outcome.reason } : {}),
    events: [],
    cursor,
    pagesRead,
    ...(outcome.status === 'unknown' && outcome.reason ? { notice: outcome.reason } : {}),
  };
}

/** Where an unlock this window started (or joined) stands, read from its operation or, without one, the deployment. */
export type UnlockProgress = { status: 'running'; step?: string } | { status: 'failed'; reason: string } | { status: 'ended' };

export function unlockProgress(
  lockState: string | null | undefined,
  op: config_v1.Schema$Operation | undefined,
  deploymentName: string,
  stateDetail?: string | null,
): UnlockProgress {
  if (op) {
    if (!op.done) return { status: 'running', step: (op.metadata as config_v1.Schema$OperationMetadata | undefined)?.deploymentMetadata?.step ?? undefined };
    const outcome = lockChangeOutcome(op, deploymentName);
    if (outcome?.status === 'failed') return { status: 'failed', reason: outcome.reason ?? unlockFailedReason(deploymentName) };
    // The answer did not say: the deployment's own lock state does.
    if (outcome?.status === 'succeeded') return { status: 'ended' };
  }
  if (lockState === 'UNLOCKING') return { status: 'running' };
  if (lockState === 'UNLOCK_FAILED') return { status: 'failed', reason: unlockFailedReason(deploymentName, stateDetail) };
  return { status: 'ended' };
}

/** Pages of previews.list read to find a planning preview; beyond this, it is not looked for further. */
const MAX_PREVIEW_PAGES = 10;

/** What describeTarget learns about a held lock: its LockInfo, and the preview planning under it if one is. */
export interface LockReading {
  facts?: LockFacts;
  /** exportLock answered NotFound: no lock is held now. */
  noLock?: true;
  preview?: config_v1.Schema$Preview;
}

/** What a release of a lock was agreed to: the lock the consent named, and the way out it is part of. */
export interface AgreedUnlock {
  /** projects/…/locations/…: where the previews that may hold the lock are listed. */
  parent: string;
  /** The lock ID the consent showed (parseIncarnation); undefined when the consent named no lock. */
  lockId?: string;
  /** Unlock and deploy, or Delete and recreate (whose force delete releases the lock first). */
  action: 'unlock' | 'delete';
  /** The recovery's deploymentId, remembered as having sent an unlock (sentBy). */
  recovery?: string;
}

/**
 * The ID of the lock held now, when it is the one the person agreed to release; otherwise why not,
 * thrown. A preview planning under the lock releases it itself when its plan is done (PreviewStep
 * UNLOCKING_DEPLOYMENT): releasing it under the plan is never right, so it is waited for, retryable.
 * Any other lock (taken since the consent, or one the consent never mentioned) may be someone's
 * state edit in progress: nothing is changed, and a new look asks again.
 */
export function consentedLockId(deploymentName: string, now: LockReading, agreed: Pick<AgreedUnlock, 'lockId' | 'action'>): string {
  if (now.noLock) {
    throw new ProviderError('Transient', l10n.t('The lock on {0} was released while Stackwatch read it; asking again.', deploymentName), {
      providerCode: 'LOCK_CHANGED',
    });
  }
  if (now.preview) {
    const id = now.preview.name?.split('/').pop();
    const deleting = now.preview.previewMode === 'DELETE';
    const which = id
      ? deleting
        ? l10n.t('the delete preview {0}', id)
        : l10n.t('the preview {0}', id)
      : deleting
        ? l10n.t('the delete preview that is planning')
        : l10n.t('the preview that is planning');
    throw new ProviderError(
      'Transient',
      agreed.action === 'delete'
        ? l10n.t(
            "Waiting for {0} to release the lock on {1}: a preview holds the deployment's Terraform lock while it plans and releases it when its plan is done. Nothing was unlocked or deleted; Stackwatch asks again.",
            which,
            deploymentName,
          )
        : l10n.t(
            "Waiting for {0} to release the lock on {1}: a preview holds the deployment's Terraform lock while it plans and releases it when its plan is done. Nothing was unlocked; Stackwatch asks again.",
            which,
            deploymentName,
          ),
      { providerCode: 'PREVIEW_HOLDS_LOCK' },
    );
  }
  const lockId = now.facts?.lockId;
  if (lockId !== undefined && lockId === agreed.lockId) return lockId;
  const holder = describeHolder(now.facts);
  const agreedTo = agreed.lockId
    ? lockId
      ? l10n.t('you agreed to release lock ID {0}, and the lock on {1} now is another one, {2}', agreed.lockId, deploymentName, holder)
      : l10n.t('you agreed to release lock ID {0}, and the lock on {1} now is one whose ID could not be read, {2}', agreed.lockId, deploymentName, holder)
    : agreed.action === 'delete'
      ? l10n.t('{0} was not locked when you agreed to delete it, and it is locked now, {1}', deploymentName, holder)
      : l10n.t('what you agreed to named no lock ID, so it cannot be told from a lock taken since; the lock on {0} is {1}', deploymentName, holder);
  const message =
    agreed.action === 'unlock'
      ? l10n.t('Releasing the lock no longer applies: {0}. Nothing was changed; deploy again to see where it stands.', agreedTo)
      : l10n.t('Deleting it no longer applies: {0}. Nothing was changed; deploy again to see where it stands.', agreedTo);
  throw new ProviderError('Conflict', message, {
    hint: l10n.t('Deploy again: Stackwatch reads the lock as it is now, says whose it is, and asks again before releasing it.'),
    providerCode: 'RECOVERY_NOT_APPLICABLE',
  });
}

/**
 * The lock calls: reading who holds a lock, releasing it, and following an unlock this window
 * started (or joined) until the service says how it ended.
 */
export class DeploymentLocks {
  /** Deployment name → the unlock operation this window follows (undefined: one under way whose name is unknown). */
  private readonly followed = new Map<string, string | undefined>();
  /** Recoveries (deployment ID and deployment) that sent an unlock, answered or not. */
  private readonly sent = new Set<string>();

  constructor(
    private readonly caller: GcpCaller,
    private readonly im: config_v1.Config,
  ) {}

  clear(): void {
    this.followed.clear();
    this.sent.clear();
  }

  /** Whether this recovery sent an unlock already: a retry after a lost answer must not read its effect as "changed under it". */
  sentBy(deploymentId: string, name: string): boolean {
    return this.sent.has(`${deploymentId}\0${name}`);
  }

  /** LockInfo and any preview planning against the deployment. A failed read throws: it decides nothing. */
  async read(name: string, parent: string, signal: AbortSignal): Promise<LockReading> {
    let facts: LockFacts | undefined;
    try {
      facts = lockFacts(await this.caller.call('deployments.exportLock', signal, (o) => this.im.projects.locations.deployments.exportLock({ name }, o)));
    } catch (error) {
      if (!(error instanceof ProviderError && error.code === 'NotFound')) throw error;
      return { noLock: true };
    }
    const previews: config_v1.Schema$Preview[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_PREVIEW_PAGES; page++) {
      const answer = await this.caller.call('previews.list', signal, (o) => this.im.projects.locations.previews.list({ parent, pageToken }, o));
      previews.push(...(answer.previews ?? []));
      pageToken = answer.nextPageToken || undefined;
      if (!pageToken) break;
    }
    return { facts, preview: planningPreview(previews, name, facts) };
  }

  /**
   * Sends the unlock for the lock the person agreed to release, and follows it from here on. The
   * lock held now is read first: a preview planning under it is waited for, and any other lock
   * than the agreed one is refused with nothing changed (consentedLockId).
   */
  async unlock(name: string, deploymentName: string, agreed: AgreedUnlock, signal: AbortSignal): Promise<config_v1.Schema$Operation> {
    const lockId = consentedLockId(deploymentName, await this.read(name, agreed.parent, signal), agreed);
    if (agreed.recovery) this.sent.add(`${agreed.recovery}\0${name}`);
    // By its ID: should the lock change after this read, the service refuses instead of releasing another.
    const op = await this.caller.call('deployments.unlock', signal, (o) => this.im.projects.locations.deployments.unlock({ name, requestBody: { lockId } }, o));
    // One that ended at once is told by the caller, from its answer; only a running one is followed.
    if (op.done) this.followed.delete(name);
    else this.followed.set(name, op.name ?? undefined);
    return op;
  }

  /** An unlock is under way (a retry of ours after a lost answer, or someone's): follow it instead of sending another. */
  join(name: string): string | undefined {
    if (!this.followed.has(name)) this.followed.set(name, undefined);
    return this.followed.get(name);
  }

  forget(name: string): void {
    this.followed.delete(name);
  }

  /**
   * Where the followed unlock of `name` stands; undefined when none is followed. Once it ended
   * (well or not) it is no longer followed: its failure is told once.
   */
  async progress(name: string, deployment: config_v1.Schema$Deployment, deploymentName: string, signal: AbortSignal): Promise<UnlockProgress | undefined> {
    if (!this.followed.has(name)) return undefined;
    const operationName = this.followed.get(name);
    const op = operationName
      ? await this.caller.call('operations.get', signal, (o) => this.im.projects.locations.operations.get({ name: operationName }, o))
      : undefined;
    const progress = unlockProgress(deployment.lockState, op, deploymentName, deployment.stateDetail);
    if (progress.status !== 'running') this.followed.delete(name);
    return progress;
  }
}
