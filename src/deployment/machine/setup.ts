/**
 * The machine's complete setup: types, actors, guards, actions and the delays its timers wait.
 * Each top-level state is built against it (`createStateConfig`), so every guard, action and
 * delay a state names is checked against what exists.
 */
import type { DeploymentOptionSpec } from '../../providers/descriptor';
import { resolveDeadlines, type Deadlines } from '../deadlines';
import { assign } from 'xstate';
import { acceptsOption, givenUp, givenUpNotice, stagingKindOf } from '../deploymentOptions';
import { RECOVERY_POLL_MS, nextPollDelay, nextStagePollDelay } from '../pollCadence';
import { withActions } from './actions';
import type { DeploymentContext } from './context';

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
  const givenUpIn = (context: DeploymentContext) => givenUp(specs, context.options, stagingKindOf(context.described?.condition));
  return withActions(options.random ?? Math.random, deadlines).extend({
    guards: {
      /** A SET_OPTION the review takes: a known option, a valid value that applies and differs. */
      optionAccepted: ({ context, event }) =>
        event.type === 'SET_OPTION' && acceptsOption(specs, context.options, stagingKindOf(context.described?.condition), event),
      /** No option in force gives something up (no rollback, a failed stack deleted…): auto-execute may run. */
      noOptionGivesUp: ({ context }) => givenUpIn(context).length === 0,
    },
    actions: {
      /**
       * Options remembered from an earlier review that give something up are never applied unseen:
       * auto-execute waits, and says why (a person who just changed one is reviewing anyway).
       */
      holdForOptions: assign(({ context }) => {
        const given = givenUpIn(context);
        if (!context.autoExecute || context.optionChangedInReview === true || given.length === 0) return {};
        const held = givenUpNotice(given);
        return { heldForReview: context.heldForReview ? `${context.heldForReview} ${held}` : held, notices: [...context.notices, held] };
      }),
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
