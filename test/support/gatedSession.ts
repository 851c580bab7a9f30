/**
 * A DeploymentSession (the real machine with persistence) whose provider and workspace are gated
 * (test/support/gatedProvider.ts), its store in memory and its clock simulated: what the session
 * tests start from, and restore into, after a simulated window reload.
 */
import { SimulatedClock } from 'xstate';
import type { DeploymentInput } from '../../src/deployment/machine';
import { DeploymentSession, type SessionOptions } from '../../src/deployment/session';
import { MemorySnapshotStore } from './deploymentFixtures';
import { CallGate, gatedProvider, gatedWorkspace } from './gatedProvider';

export function gatedSessionOptions(gate: CallGate, store: MemorySnapshotStore, clock = new SimulatedClock()): SessionOptions {
  return { provider: gatedProvider(gate), workspace: gatedWorkspace(gate), store, clock, random: () => 0.5 };
}

export interface GatedSession {
  session: DeploymentSession;
  store: MemorySnapshotStore;
  gate: CallGate;
  clock: SimulatedClock;
}

/** A new session on a fresh gate, store and clock. */
export function startGatedSession(input: DeploymentInput): GatedSession {
  const store = new MemorySnapshotStore();
  const gate = new CallGate();
  const clock = new SimulatedClock();
  const session = DeploymentSession.start(input, gatedSessionOptions(gate, store, clock));
  return { session, store, gate, clock };
}
