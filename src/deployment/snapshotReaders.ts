/**
 * Small readers over a deployment snapshot that the application layer (history, the deployment
 * manager) and every UI surface need. Pure; the snapshot is
 * taken structurally so tests can build one with `machine.resolveState` instead of a live actor.
 * What a state means (its phase, whether it waits for a person, whether it is final) is read from
 * the machine's tags, never from a list of state names.
 */
import type { StateValue } from 'xstate';
import { isFinalState, type DeploymentContext, type FinalState, type Tagged } from './machine';

export type { FinalState };

/** A live snapshot, or one resolved from a persisted one (`machine.resolveState`): both answer hasTag. */
export interface SnapshotLike extends Tagged {
  status: 'active' | 'done' | 'error' | 'stopped';
  value: StateValue;
  context: DeploymentContext;
}

/** The machine's top-level state, e.g. 'monitoring' for { monitoring: 'polling' }. */
export function topState(snapshot: Pick<SnapshotLike, 'value'>): string {
  const value = snapshot.value;
  return typeof value === 'string' ? value : (Object.keys(value)[0] ?? '');
}

/** How the deployment ended, once it has; the final state's name is the outcome. */
export function finalState(snapshot: SnapshotLike): FinalState | undefined {
  const state = topState(snapshot);
  return snapshot.status === 'done' && snapshot.hasTag('final') && isFinalState(state) ? state : undefined;
}

/** True while cloud work can still happen: the deployment has not reached a final state. */
export function isRunning(snapshot: SnapshotLike | undefined): boolean {
  return snapshot !== undefined && snapshot.status === 'active';
}

/** A failed or rolled-back-after-failure deployment, as the status model decided. */
export function endedInFailure(snapshot: SnapshotLike): boolean {
  return snapshot.status === 'done' && snapshot.context.status.error === 'failed';
}

/**
 * Failed before anything of ours ran: something was sent to be staged and this deployment executed
 * nothing (the provider's validation refused it, the stage call failed, or the staged changes were
 * gone before our execute). The person may change the deployment options and deploy again: that is
 * a new deployment, which reads the target afresh, whatever someone else did to it meanwhile.
 */
export function endedInStaging(snapshot: SnapshotLike): boolean {
  const { context } = snapshot;
  return finalState(snapshot) === 'failed' && context.stageSent && !context.executed;
}
