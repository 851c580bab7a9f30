/**
 * The machine's complete setup: types, actors, guards, actions and the delays its timers wait.
 * Each top-level state is built against it (`createStateConfig`), so every guard, action and
 * delay a state names is checked against what exists.
 */
import type { DeploymentOptionSpec } from '../../providers/descriptor';
import { resolveDeadlines, type Deadlines } from '../deadlines';
import { acceptsOption, stagingKindOf } from '../deploymentOptions';
import { RECOVERY_POLL_MS, nextPollDelay, nextStagePollDelay } from '../pollCadence';
import { withActions } from './actions';

export interface MachineOptions {
  /** Source of jitter; tests pass a seeded one. */
  random?: () => number;
  /** Per-call deadlines; tests pass short ones. */
  deadlines?: Partial<Deadlines>;
  /** The options the review offers (the provider's descriptor's deploymentOptions); none when absent. */
  deploymentOptions?: readonly DeploymentOptionSpec[];
}

export function createDeploymentSetup(options: MachineOptions = {}) {
  const deadlines = resolveDeadlines(options.deadlines);
  const specs = options.deploymentOptions ?? [];
  return withActions(options.random ?? Math.random, deadlines).extend({
    guards: {
      /** A SET_OPTION the review takes: a known option, a valid value that applies and differs. */
      optionAccepted: ({ context, event }) =>
        event.type === 'SET_OPTION' && acceptsOption(specs, context.options, stagingKindOf(context.described?.condition), event),
    },
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
