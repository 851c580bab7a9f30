/**
 * The one statement of when CloudFormation can stop a deployment, used both by the adapter's
 * stop (from the stack it reads) and by the monitor's Stop button (from what the deployment knows):
 * only an update in progress can be cancelled, and that rolls it back; a create cannot be
 * cancelled, and a rollback cannot be stopped.
 */
import * as l10n from '@vscode/l10n';
import type { StopFacts, StopVerdict } from '../descriptor';

export function createCannotStop(): string {
  return l10n.t('CloudFormation cannot cancel a stack creation. Let it finish (or fail and roll back), then delete the stack if you do not want it.');
}

/** What the stack is doing, as far as stopping goes. */
export interface StackForStop {
  creating: boolean;
  rollingBack: boolean;
  /** The stack status, when it was read. */
  status?: string;
}

/** Why a stop cannot act on the stack now; undefined when it can. */
export function stopRefusal(stack: StackForStop): string | undefined {
  if (stack.rollingBack) {
    return stack.status
      ? l10n.t('The stack is already rolling back ({0}); a rollback cannot be stopped.', stack.status)
      : l10n.t('The stack is rolling back; a rollback cannot be stopped.');
  }
  if (stack.creating) return createCannotStop();
  return undefined;
}

/** A stack that is neither updating nor refused above: nothing runs that could be cancelled. */
export function nothingToStop(status: string): string {
  return l10n.t('There is nothing to stop: the stack is {0}. CloudFormation can only cancel an update in UPDATE_IN_PROGRESS.', status);
}

/** The monitor's Stop button while an operation runs. */
export function awsStopControl(facts: StopFacts): StopVerdict {
  const creating = facts.operationKind === 'create' || facts.providerStatus === 'CREATE_IN_PROGRESS';
  // A rollback under way says so even after a stop was asked for: that is what happens now.
  if (facts.stopRequested && !facts.rollingBack) return { enabled: false, reason: l10n.t('Stop requested: CloudFormation is cancelling the update.') };
  const refusal = stopRefusal({ creating, rollingBack: facts.rollingBack });
  if (refusal) return { enabled: false, reason: refusal };
  if (!facts.operationKind) return { enabled: false, reason: l10n.t('The deployment has not started yet.') };
  return { enabled: true, reason: l10n.t('Cancel the update; CloudFormation rolls the stack back to where it was.') };
}
