/**
 * The machine's complete setup: types, actors, guards, actions and the delays its timers wait.
 * Each top-level state is built against it (`createStateConfig`), so every guard, action and
 * delay a state names is checked against what exists.
 */
import { resolveDeadlines, type Deadlines } from '../deadlines';
import { RECOVERY_POLL_MS, nextPollDelay, nextStagePollDelay } from '../pollCadence';
import { withActions } from './actions';

export interface MachineOptions {
  /** Source of jitter; tests pass a seeded one. */
  random?: () => number;
  /** Per-call deadlines; tests pass short ones. */
  deadlines?: Partial<Deadlines>;
}

export function createDeploymentSetup(options: MachineOptions = {}) {
  const deadlines = resolveDeadlines(options.deadlines);
  return withActions(options.random ?? Math.random, deadlines).extend({
    delays: {
      retryDelay: ({ context }) => context.retry.delayMs,
      pollDelay: ({ context }) => nextPollDelay(context.idleStreak, context.watched),
      stagePollDelay: ({ context }) => nextStagePollDelay(context.stageChecks),
      recoveryPollDelay: RECOVERY_POLL_MS,
      readDeadline: deadlines.read,
      writeDeadline: deadlines.write,
      initializeDeadline: deadlines.initialize,
      cleanupDeadline: deadlines.cleanup,
    },
  });
}

export type DeploymentSetup = ReturnType<typeof createDeploymentSetup>;
/** A state as `createStateConfig` takes it. */
export type StateConfig = Parameters<DeploymentSetup['createStateConfig']>[0];
type Transitions = NonNullable<StateConfig['invoke']>;
/** A transition list as the invoke's onDone / the deadline's give-up take it. */
export type Transition = Exclude<Transitions, readonly unknown[]> extends { onDone?: infer T } ? T : never;
