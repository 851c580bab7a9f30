/**
 * What Stackwatch says about Terraform locks on Infrastructure Manager deployments: who holds
 * one, why releasing it is a decision, and how a lock or unlock went (locks.ts reads them).
 */
import * as l10n from '@vscode/l10n';
import type { config_v1 } from 'googleapis/build/src/apis/config';
import type { HeldLock, LockFacts } from './locks';

/** "held by alice@laptop since 2026-…, for OperationTypeApply ("moving a bucket"), lock ID 17…": what is known, nothing invented. */
export function describeHolder(facts: LockFacts | undefined): string {
  if (!facts)
    return l10n.t({ message: 'held by someone Stackwatch could not read', comment: ['Who holds a Terraform lock, completing "the lock is …" or "It is …".'] });
  const who = facts.who ?? l10n.t({ message: 'someone who left no name', comment: ['Who holds a Terraform lock, when its holder gave no name.'] });
  const purpose = [facts.operation, facts.info ? `"${facts.info}"` : undefined].filter((p): p is string => p !== undefined).join(' ');
  const text = facts.since
    ? purpose
      ? l10n.t({
          message: 'held by {0} since {1} for {2}',
          args: [who, facts.since, purpose],
          comment: ['Who holds a Terraform lock, completing "the lock is …" or "It is …".'],
        })
      : l10n.t({
          message: 'held by {0} since {1} for no stated purpose',
          args: [who, facts.since],
          comment: ['Who holds a Terraform lock, completing "the lock is …" or "It is …".'],
        })
    : purpose
      ? l10n.t({ message: 'held by {0} for {1}', args: [who, purpose], comment: ['Who holds a Terraform lock, completing "the lock is …" or "It is …".'] })
      : l10n.t({
          message: 'held by {0} for no stated purpose',
          args: [who],
          comment: ['Who holds a Terraform lock, completing "the lock is …" or "It is …".'],
        });
  return facts.lockId ? l10n.t('{0} (lock ID {1})', text, facts.lockId) : text;
}

/** Why releasing a lock is a decision: it may be someone's state edit in progress. One sentence. */
export function unlockRisk(): string {
  return l10n.t(
    "A lock is usually taken on purpose, to edit the deployment's Terraform state; releasing it makes whatever state was uploaded under it take effect, even half-edited, and lets applies run again, so only do this if whoever holds it is done or their run has crashed.",
  );
}

export function previewPlanningReason(deploymentName: string, preview: config_v1.Schema$Preview, facts: LockFacts | undefined): string {
  const id = preview.name?.split('/').pop() ?? l10n.t('a preview');
  return preview.createTime
    ? l10n.t(
        'A preview is planning against {0} ({1}, started {2}) and holds its Terraform lock until its plan is done; the lock is {3}.',
        deploymentName,
        id,
        preview.createTime,
        describeHolder(facts),
      )
    : l10n.t(
        'A preview is planning against {0} ({1}) and holds its Terraform lock until its plan is done; the lock is {2}.',
        deploymentName,
        id,
        describeHolder(facts),
      );
}

/** Why the deployment waits: whose lock it is, and an earlier failed unlock. */
export function heldLockReason(deploymentName: string, held: HeldLock): string {
  return held.state === 'UNLOCK_FAILED'
    ? l10n.t(
        '{0} is locked: {1}. An earlier unlock of it failed (UNLOCK_FAILED). Nothing is changed without your consent.',
        deploymentName,
        describeHolder(held.facts),
      )
    : l10n.t('{0} is locked: {1}. Nothing is changed without your consent.', deploymentName, describeHolder(held.facts));
}

export function unlockFailedReason(deploymentName: string, detail?: string | null): string {
  return detail
    ? l10n.t(
        'Infrastructure Manager could not release the Terraform lock on {0} (lock state UNLOCK_FAILED): {1}. The lock is still held and nothing was deployed. An unlock first validates any state uploaded under the lock (step RUNNING_TF_VALIDATE); check that state, or ask whoever holds the lock.',
        deploymentName,
        detail,
      )
    : l10n.t(
        'Infrastructure Manager could not release the Terraform lock on {0} (lock state UNLOCK_FAILED). The lock is still held and nothing was deployed. An unlock first validates any state uploaded under the lock (step RUNNING_TF_VALIDATE); check that state, or ask whoever holds the lock.',
        deploymentName,
      );
}

export function lockFailedReason(deploymentName: string, detail?: string | null): string {
  return detail
    ? l10n.t('Infrastructure Manager could not lock {0} (lock state LOCK_FAILED): {1}.', deploymentName, detail)
    : l10n.t('Infrastructure Manager could not lock {0} (lock state LOCK_FAILED).', deploymentName);
}

export function unlockRunningReason(deploymentName: string, step: string | undefined): string {
  return step
    ? l10n.t(
        'Releasing the Terraform lock on {0} (step {1}): Infrastructure Manager validates any state uploaded under the lock first, which can take minutes.',
        deploymentName,
        step,
      )
    : l10n.t(
        'Releasing the Terraform lock on {0}: Infrastructure Manager validates any state uploaded under the lock first, which can take minutes.',
        deploymentName,
      );
}
