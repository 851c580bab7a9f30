/**
 * Small readers over a deployment snapshot that every UI surface needs. Pure; the snapshot is
 * taken structurally so tests can build one with `machine.resolveState` instead of a live actor.
 */
import type { StateValue } from 'xstate';
import type { DeploymentContext } from '../deployment/machine';
import { TERMINAL_ACTIVITIES, type TerminalActivity } from '../deployment/status';

export interface SnapshotLike {
  status: 'active' | 'done' | 'error' | 'stopped';
  value: StateValue;
  context: DeploymentContext;
}

/** The machine's top-level state, e.g. 'monitoring' for { monitoring: 'polling' }. */
export function topState(snapshot: Pick<SnapshotLike, 'value'>): string {
  const value = snapshot.value;
  return typeof value === 'string' ? value : (Object.keys(value)[0] ?? '');
}

/** `unknown`: contact was lost after the execute and the person stopped asking; the outcome is not known. */
export type FinalState = TerminalActivity;

export const FINAL_STATES: ReadonlySet<string> = TERMINAL_ACTIVITIES;

export function finalState(snapshot: SnapshotLike): FinalState | undefined {
  const state = topState(snapshot);
  return snapshot.status === 'done' && FINAL_STATES.has(state) ? (state as FinalState) : undefined;
}

/** True while cloud work can still happen: the deployment has not reached a final state. */
export function isRunning(snapshot: SnapshotLike | undefined): boolean {
  return snapshot !== undefined && snapshot.status === 'active';
}

/** A failed or rolled-back-after-failure deployment, as the status model decided. */
export function endedInFailure(snapshot: SnapshotLike): boolean {
  return snapshot.status === 'done' && snapshot.context.status.error === 'failed';
}
