/**
 * A Provider (and workspace steps) whose every call waits until the test answers it.
 * Tests drive a real deployment actor in lockstep: "the next describeTarget returns X".
 */
import type {
  AbortStagedRequest,
  AbortStagedResult,
  DescribeRecoveryRequest,
  DescribeRecoveryResult,
  DescribeStagedRequest,
  DescribeStagedResult,
  DescribeTargetRequest,
  DescribeTargetResult,
  DiscardRecoveryPlanRequest,
  ExecuteRequest,
  ExecuteResult,
  FindExecutionRequest,
  FindExecutionResult,
  OutputsRequest,
  PollRequest,
  PollResult,
  Provider,
  RecoverRequest,
  RecoverResult,
  StackOutput,
  StageRequest,
  StageResult,
  StopRequest,
  StopResult,
} from '../../src/providers/provider';
import { ProviderError } from '../../src/providers/provider';
import { SimulatedClock, createActor } from 'xstate';
import type { Deadlines } from '../../src/deployment/deadlines';
import type { DeploymentOptionSpec } from '../../src/providers/descriptor';
import {
  createDeploymentMachine,
  type CheckReport,
  type DeploymentActor,
  type DeploymentInput,
  type InitializedDeployment,
} from '../../src/deployment/machine';
import { providerActors, type WorkspaceSteps } from '../../src/deployment/providerActors';

export interface PendingCall {
  name: string;
  request: unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  signal: AbortSignal;
}

export class CallGate {
  readonly pending: PendingCall[] = [];
  readonly log: string[] = [];
  private waiters: Array<() => void> = [];

  call<T>(name: string, request: unknown, signal: AbortSignal): Promise<T> {
    this.log.push(name);
    return new Promise<T>((resolve, reject) => {
      const entry: PendingCall = { name, request, resolve: (v) => resolve(v as T), reject, signal };
      this.pending.push(entry);
      signal.addEventListener('abort', () => {
        this.remove(entry);
        reject(new ProviderError('Aborted', `${name} aborted`));
      });
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Waits (through microtasks and macrotasks) until a call of that name is pending. */
  async next(name: string, timeoutMs = 2_000): Promise<PendingCall> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.pending.find((p) => p.name === name);
      if (found) {
        this.remove(found);
        return found;
      }
      if (Date.now() > deadline)
        throw new Error(`Expected a ${name} call; pending: [${this.pending.map((p) => p.name).join(', ')}]; log: ${this.log.join(' → ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 5);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private remove(entry: PendingCall): void {
    const i = this.pending.indexOf(entry);
    if (i >= 0) this.pending.splice(i, 1);
  }
}

/**
 * `recoveryPlans`: the provider also lists what a recovery would destroy (the optional port calls),
 * each call gated like the others. Without it the provider omits them, as AWS does.
 */
export function gatedProvider(gate: CallGate, options: { recoveryPlans?: boolean } = {}): Provider {
  const recoveryPlans: Pick<Provider, 'describeRecovery' | 'discardRecoveryPlan'> = options.recoveryPlans
    ? {
        describeRecovery: (r: DescribeRecoveryRequest) => gate.call<DescribeRecoveryResult>('describeRecovery', r, r.signal),
        discardRecoveryPlan: (r: DiscardRecoveryPlanRequest) => gate.call<void>('discardRecoveryPlan', r, r.signal),
      }
    : {};
  return {
    ...recoveryPlans,
    kind: 'aws',
    describeTarget: (r: DescribeTargetRequest) => gate.call<DescribeTargetResult>('describeTarget', r, r.signal),
    stage: (r: StageRequest) => gate.call<StageResult>('stage', r, r.signal),
    describeStaged: (r: DescribeStagedRequest) => gate.call<DescribeStagedResult>('describeStaged', r, r.signal),
    execute: (r: ExecuteRequest) => gate.call<ExecuteResult>('execute', r, r.signal),
    findExecution: (r: FindExecutionRequest) => gate.call<FindExecutionResult>('findExecution', r, r.signal),
    abortStaged: (r: AbortStagedRequest) => gate.call<AbortStagedResult>('abortStaged', r, r.signal).then((result) => result ?? {}),
    poll: (r: PollRequest) => gate.call<PollResult>('poll', r, r.signal),
    stop: (r: StopRequest) => gate.call<StopResult>('stop', r, r.signal),
    recover: (r: RecoverRequest) => gate.call<RecoverResult>('recover', r, r.signal),
    outputs: (r: OutputsRequest) => gate.call<StackOutput[]>('outputs', r, r.signal),
    template: () => Promise.reject(new Error('not used by the machine')),
  };
}

export function gatedWorkspace(gate: CallGate): WorkspaceSteps {
  return {
    preflight: (signal) => gate.call<void>('preflight', {}, signal),
    initialize: (input, signal) => gate.call<InitializedDeployment>('initialize', input, signal),
    // Spawned only when initialize announces a check (InitializedDeployment.check).
    check: (input, signal) => gate.call<CheckReport>('check', input, signal),
  };
}

/** Lets pending promise callbacks and immediates run, so the actor settles after an answer. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Answers the next call of that name and lets the actor move on; returns the call (request, signal). */
export async function answerCall(gate: CallGate, name: string, value?: unknown): Promise<PendingCall> {
  const call = await gate.next(name);
  call.resolve(value);
  await settle();
  return call;
}

/** Rejects the next call of that name and lets the actor move on. */
export async function failCall(gate: CallGate, name: string, error: unknown): Promise<PendingCall> {
  const call = await gate.next(name);
  call.reject(error);
  await settle();
  return call;
}

/** Takes the next call of that name and leaves it unanswered, as a stalled endpoint would. */
export function stallCall(gate: CallGate, name: string): Promise<PendingCall> {
  return gate.next(name);
}

export interface GatedDeployment {
  gate: CallGate;
  clock: SimulatedClock;
  actor: DeploymentActor;
}

/** A real deployment actor on a simulated clock whose every call waits for the test's answer. */
export function startGatedDeployment(
  input: DeploymentInput,
  options: { random?: () => number; deadlines?: Partial<Deadlines>; recoveryPlans?: boolean; deploymentOptions?: readonly DeploymentOptionSpec[] } = {},
): GatedDeployment {
  const gate = new CallGate();
  const clock = new SimulatedClock();
  const machine = createDeploymentMachine({
    random: options.random ?? (() => 0.999),
    deadlines: options.deadlines,
    deploymentOptions: options.deploymentOptions,
  }).provide({
    actors: providerActors(gatedProvider(gate, { recoveryPlans: options.recoveryPlans }), gatedWorkspace(gate)),
  });
  const actor: DeploymentActor = createActor(machine, { input, clock });
  actor.start();
  return { gate, clock, actor };
}
