/** Real deployment snapshots in any state, for the UI's pure mappings (no live actor, no I/O). */
import { createActor } from 'xstate';
import { createDeploymentMachine, type DeploymentContext, type DeploymentSnapshot } from '../../src/deployment/machine';
import type { DeploymentEvent } from '../../src/providers/provider';
import { complete } from '../../src/deployment/status';
import type { FinalState } from '../../src/deployment/machine';
import { applyEvents } from '../../src/deployment/resources';
import { CHANGES, deploymentInput } from './deploymentFixtures';

const machine = createDeploymentMachine();

export function initialContext(): DeploymentContext {
  return createActor(machine, { input: deploymentInput() }).getSnapshot().context;
}

export function snapshotIn(value: string, overrides: Partial<DeploymentContext> = {}): DeploymentSnapshot {
  const context = { ...initialContext(), changes: CHANGES, ...overrides };
  return machine.resolveState({ value, context });
}

/** A final snapshot, with the status model completed the way the machine's `finish` does. */
export function finishedIn(final: FinalState, failed: boolean, overrides: Partial<DeploymentContext> = {}): DeploymentSnapshot {
  const base = { ...initialContext(), changes: CHANGES, ...overrides };
  return machine.resolveState({ value: final, context: { ...base, status: complete(base.status, final, failed) } });
}

let n = 0;
export function event(logicalId: string, providerStatus: string, status: DeploymentEvent['status'], reason?: string): DeploymentEvent {
  n++;
  return {
    id: `ev-${n}`,
    timestamp: new Date(Date.UTC(2026, 10, 22, 10, 0, n)).toISOString(),
    logicalId,
    resourceType: logicalId === 'demo-stack' ? 'AWS::CloudFormation::Stack' : 'AWS::SQS::Queue',
    providerStatus,
    status,
    reason,
    isCancellation: /cancelled$/.test(reason ?? ''),
  };
}

/** Events come from executed changes: progress counts only then. */
export function withEvents(events: DeploymentEvent[]): Pick<DeploymentContext, 'events' | 'resources' | 'executed'> {
  return { events, resources: applyEvents({}, events, 'demo-stack'), executed: true };
}
