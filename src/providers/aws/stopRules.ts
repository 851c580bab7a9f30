/**
 * The one statement of when CloudFormation can stop a deployment, used both by the adapter's
 * stop (from the stack it reads) and by the monitor's Stop button (from what the deployment knows):
 * only an update in progress can be cancelled, and that rolls it back; a create cannot be
 * cancelled, and a rollback cannot be stopped.
 */
import type { StopFacts, StopVerdict } from '../descriptor';

export const CREATE_CANNOT_STOP =
  'CloudFormation cannot cancel a stack creation. Let it finish (or fail and roll back), then delete the stack if you do not want it.';

/** What the stack is doing, as far as stopping goes. */
export interface StackForStop {
  creating: boolean;
  rollingBack: boolean;
  /** The stack status, when it was read. */
  status?: string;
}

/** Why a stop cannot act on the stack now; undefined when it can. */
export function stopRefusal(stack: StackForStop): string | undefined {
  if (stack.rollingBack) return `The stack is ${stack.status ? `already rolling back (${stack.status})` : 'rolling back'}; a rollback cannot be stopped.`;
  if (stack.creating) return CREATE_CANNOT_STOP;
  return undefined;
}

/** A stack that is neither updating nor refused above: nothing runs that could be cancelled. */
export function nothingToStop(status: string): string {
  return `There is nothing to stop: the stack is ${status}. CloudFormation can only cancel an update in UPDATE_IN_PROGRESS.`;
}

/** The monitor's Stop button while an operation runs. */
export function awsStopControl(facts: StopFacts): StopVerdict {
  const creating = facts.operationKind === 'create' || facts.providerStatus === 'CREATE_IN_PROGRESS';
  // A rollback under way says so even after a stop was asked for: that is what happens now.
  if (facts.stopRequested && !facts.rollingBack) return { enabled: false, reason: 'Stop requested: CloudFormation is cancelling the update.' };
  const refusal = stopRefusal({ creating, rollingBack: facts.rollingBack });
  if (refusal) return { enabled: false, reason: refusal };
  if (!facts.operationKind) return { enabled: false, reason: 'The deployment has not started yet.' };
  return { enabled: true, reason: 'Cancel the update; CloudFormation rolls the stack back to where it was.' };
}
