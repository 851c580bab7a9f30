/**
 * The machine's complete setup: types, actors, guards, actions and the delays its timers wait.
 * Each top-level state is built against it (`createStateConfig`), so every guard, action and
 * delay a state names is checked against what exists.
 */
import type { DeploymentOptionSpec } from '../../providers/descriptor';
import { resolveDeadlines, type Deadlines } from '../deadlines';
import { assign } from 'xstate';
import { acceptsOption, givenUp, givenUpNotice, stagingKindOf } from '../deploymentOptions';
import { emptyLearnedDurations, type LearnedDurations } from '../durations/learnedDurations';
import { RECOVERY_POLL_MS, nextStagePollDelay } from '../pollCadence';
import { nextPollDelay } from '../pollSchedule';
import { withActions } from './actions';
import { withCheck } from './check';
import type { DeploymentContext } from './context';
import { outputOf } from './guards';
import { pollTimingAfter, scheduleStateOf } from './pollTiming';
import type { PollResult } from '../../providers/provider';

export interface MachineOptions {
  /** Source of jitter; tests pass a seeded one. */
  random?: () => number;
  /** Per-call deadlines; tests pass short ones. */
  deadlines?: Partial<Deadlines>;
  /** The options the review offers (the provider's descriptor's deploymentOptions); none when absent. */
  deploymentOptions?: readonly DeploymentOptionSpec[];
  /**
   * How long changes took in this workspace before (learnedDurations.ts): the poll schedule
   * expects events then. Not persisted in the snapshot: the session passes them at each start.
   */
  durations?: LearnedDurations;
  /** The local clock the poll schedule reads (epoch ms); tests pass a simulated one. */
  now?: () => number;
}

export function createDeploymentSetup(options: MachineOptions = {}) {
  const deadlines = resolveDeadlines(options.deadlines);
  const specs = options.deploymentOptions ?? [];
  const durations = options.durations ?? emptyLearnedDurations();
  const now = options.now ?? Date.now;
  const givenUpIn = (context: DeploymentContext) => givenUp(specs, context.options, stagingKindOf(context.described?.condition));
  return withCheck(withActions(options.random ?? Math.random, deadlines)).extend({
    guards: {
      /** A SET_OPTION the review takes: a known option, a valid value that applies and differs. */
      optionAccepted: ({ context, event }) =>
        event.type === 'SET_OPTION' && acceptsOption(specs, context.options, stagingKindOf(context.described?.condition), event),
      /** No option in force gives something up (no rollback, a failed stack deleted…): auto-execute may run. */
      noOptionGivesUp: ({ context }) => givenUpIn(context).length === 0,
    },
    actions: {
      /** What the poll's answer teaches the poll schedule: when it came, the provider's clock, the budget. */
      notePollTiming: assign({ pollTiming: ({ context, event }) => pollTimingAfter(context, outputOf<PollResult>(event), now()) }),
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
      pollDelay: ({ context }) => {
        const at = now();
        return nextPollDelay(at, scheduleStateOf(context, durations, at));
      },
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
