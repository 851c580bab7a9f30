/**
 * One phase of a stack operation (create everything, clean up, roll back, …): steps that run in
 * parallel as soon as the steps they wait for have finished, each taking simulated time.
 *
 * On a failure, a `cancel` phase cancels its running steps at once (what CloudFormation does for
 * creates and updates); a `drain` phase lets them finish (deletes and rollbacks). Either way no
 * new step starts.
 */
import type { Scheduler } from './scheduler';

export interface StepHooks {
  /** Returns a failure reason that overrides the planned outcome, e.g. a template error found late. */
  start(at: number): string | undefined;
  /** Fires part-way through, where CloudFormation says "Resource creation Initiated". */
  initiated?: (at: number) => void;
  complete(at: number): void;
  fail(at: number, reason: string): void;
  cancel(at: number): void;
}

export interface StepSpec {
  id: string;
  /** Step IDs of this phase to wait for; IDs outside the phase are ignored. */
  after: readonly string[];
  seconds: number;
  /** Planned failure at the end of the step. */
  fail?: string;
  hooks: StepHooks;
  /** A step that ends when something else says so (a nested stack's operation), not after `seconds`. */
  awaits?: (at: number, settle: (failure: string | undefined, at: number) => void) => void;
}

export interface PhaseOutcome {
  completed: string[];
  failed: string[];
  cancelled: string[];
  notStarted: string[];
}

type StepState = 'waiting' | 'running' | 'completed' | 'failed' | 'cancelled';

const INITIATED_AFTER_SECONDS = 1;

export class PhaseRun {
  private readonly state = new Map<string, StepState>();
  private readonly specs: Map<string, StepSpec>;
  private failing = false;
  private finished = false;

  constructor(
    private readonly scheduler: Scheduler,
    steps: readonly StepSpec[],
    private readonly mode: 'cancel' | 'drain',
    private readonly onDone: (outcome: PhaseOutcome, at: number) => void,
  ) {
    this.specs = new Map(steps.map((s) => [s.id, s]));
    for (const step of steps) this.state.set(step.id, 'waiting');
  }

  start(at: number): void {
    this.startReady(at);
    this.finishIfIdle(at);
  }

  /** Cancels running steps and ends the phase without calling onDone (the caller takes over). */
  interrupt(at: number): PhaseOutcome {
    for (const [id, state] of this.state) {
      if (state !== 'running') continue;
      this.state.set(id, 'cancelled');
      this.specs.get(id)!.hooks.cancel(at);
    }
    this.finished = true;
    return this.outcome();
  }

  private startReady(at: number): void {
    if (this.failing || this.finished) return;
    for (const [id, state] of this.state) {
      if (state !== 'waiting') continue;
      const spec = this.specs.get(id)!;
      const blocked = spec.after.some((dep) => this.state.has(dep) && dep !== id && this.state.get(dep) !== 'completed');
      if (!blocked) this.run(spec, at);
    }
  }

  private run(spec: StepSpec, at: number): void {
    this.state.set(spec.id, 'running');
    const lateFailure = spec.hooks.start(at);
    const seconds = Math.max(0, spec.seconds);
    const failure = lateFailure ?? spec.fail;
    if (spec.awaits && lateFailure === undefined) {
      spec.awaits(at, (failure, t) => this.settle(spec, failure, t));
      return;
    }
    const initiated = spec.hooks.initiated;
    if (initiated && lateFailure === undefined) {
      this.scheduler.at(at + Math.min(INITIATED_AFTER_SECONDS, seconds / 2) * 1000, (t) => {
        if (this.state.get(spec.id) === 'running' && !this.finished) initiated(t);
      });
    }
    this.scheduler.at(at + (lateFailure === undefined ? seconds : 0) * 1000, (t) => this.settle(spec, failure, t));
  }

  private settle(spec: StepSpec, failure: string | undefined, at: number): void {
    if (this.state.get(spec.id) !== 'running' || this.finished) return;
    if (failure === undefined) {
      this.state.set(spec.id, 'completed');
      spec.hooks.complete(at);
    } else {
      this.state.set(spec.id, 'failed');
      spec.hooks.fail(at, failure);
      if (!this.failing && this.mode === 'cancel') {
        for (const [id, state] of this.state) {
          if (state !== 'running') continue;
          this.state.set(id, 'cancelled');
          this.specs.get(id)!.hooks.cancel(at);
        }
      }
      this.failing = true;
    }
    this.startReady(at);
    this.finishIfIdle(at);
  }

  private finishIfIdle(at: number): void {
    if (this.finished) return;
    const states = [...this.state.values()];
    if (states.includes('running')) return;
    if (!this.failing && states.includes('waiting')) return;
    this.finished = true;
    this.onDone(this.outcome(), at);
  }

  private outcome(): PhaseOutcome {
    const outcome: PhaseOutcome = { completed: [], failed: [], cancelled: [], notStarted: [] };
    for (const [id, state] of this.state) {
      if (state === 'completed') outcome.completed.push(id);
      else if (state === 'failed') outcome.failed.push(id);
      else if (state === 'cancelled') outcome.cancelled.push(id);
      else outcome.notStarted.push(id);
    }
    return outcome;
  }
}
