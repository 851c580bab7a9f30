/**
 * The deployment machine, as a state chart: which states there are and what leads where. Pure:
 * every side effect is an actor provided from outside (`machine.provide({ actors })`), so the
 * same machine drives any provider, or a scripted fake in tests.
 *
 * Where the rest lives (all under ./machine/):
 * - context.ts: the context, input, events, and what each provider call is given;
 * - tags.ts: what a state means to the people watching (its phase, whether it needs a person),
 *   and the final states;
 * - guards.ts, actions.ts: the questions and the context changes, by name;
 * - steps.ts: `callStates`, the one way the machine calls a provider (deadline, backoff, giving up);
 * - states/*.ts: each top-level state, built with `createStateConfig`.
 */
import { assign, type ActorRefFrom, type SnapshotFrom } from 'xstate';
import { INITIAL_STATUS } from './status';
import type { DeploymentContext, DeploymentInput } from './machine/context';
import { createDeploymentSetup, type MachineOptions } from './machine/setup';
import { finalState, finishingState, cleaningUpState } from './machine/states/ending';
import { executingState, stoppingState } from './machine/states/execution';
import { lostContactState, monitoringState, rollingBackState } from './machine/states/monitoring';
import { awaitingConsentState, recreatingState } from './machine/states/recovery';
import { restagingState, reviewingState, stagingState } from './machine/states/staging';
import { initializingState, otherOperationState, preflightState, preparingState } from './machine/states/starting';

export * from './machine/context';
export { FINAL_STATES, PHASE_TAGS, isFinalState, phaseOf, type DeploymentTag, type FinalState, type PhaseTag, type Tagged } from './machine/tags';
export type { MachineOptions } from './machine/setup';
export type { CallName } from './machine/calls';

/** A deployment's context before its first step: what it was started with, nothing done yet. */
export function initialContext(input: DeploymentInput): DeploymentContext {
  return {
    deploymentId: input.deploymentId,
    target: input.target,
    autoExecute: input.autoExecute,
    autoExecuteDestructive: input.autoExecuteDestructive ?? false,
    watched: input.watched ?? true,
    ...(input.where !== undefined ? { where: input.where } : {}),
    options: input.options ?? {},
    status: INITIAL_STATUS,
    contacted: false,
    retry: { attempt: 0, waitedMs: 0, delayMs: 0 },
    stageSent: false,
    stageChecks: 0,
    changes: [],
    abortRequested: false,
    executed: false,
    resources: {},
    events: [],
    idleStreak: 0,
    pagesRead: 0,
    polls: 0,
    outputs: [],
    stopRequested: false,
    recoveries: 0,
    notices: [],
  };
}

export function createDeploymentMachine(options: MachineOptions = {}) {
  const s = createDeploymentSetup(options);
  return s.createMachine({
    id: 'deployment',
    context: ({ input }) => initialContext(input),
    initial: 'preflight',
    on: {
      SET_AUTO_EXECUTE: {
        actions: assign(({ context, event }) =>
          // Turned off while auto-execute's own request waits for the check: the changes wait for the person.
          event.value === false && context.executeRequested === true && context.executeRequestedBy === 'auto'
            ? { autoExecute: false, executeRequested: false, executeRequestedBy: undefined }
            : { autoExecute: event.value },
        ),
      },
      SET_WATCHED: { actions: assign({ watched: ({ event }) => event.watched }) },
      // The background check settles here, whatever the state; states react through its guards (machine/check.ts).
      'xstate.done.actor.check': { actions: 'storeCheckReport' },
      'xstate.error.actor.check': { actions: 'storeCheckError' },
      RESUME_CHECK: { guard: 'checkRunning', actions: ['stopCheck', 'restartCheck', 'spawnCheck'] },
    },
    states: {
      // Getting ready: the workspace step, the template, the target as it is now.
      preflight: preflightState(s), // → initializing
      initializing: initializingState(s), // → preparing (or back to staging, when restored mid-stage)
      preparing: preparingState(s), // → staging | otherOperation | awaitingConsent | recreating.waiting
      otherOperation: otherOperationState(s), // someone else's operation: wait it out, then as preparing
      // A target that cannot be updated: ask, then recover and start again.
      awaitingConsent: awaitingConsentState(s), // → recreating on consent
      recreating: recreatingState(s), // → initializing, a new round
      // The changes: staged, read back, reviewed (or executed at once when auto-execute may).
      staging: stagingState(s), // → reviewing | executing | cleaningUp (no changes, failed)
      reviewing: reviewingState(s), // → executing on Execute, restaging on a changed option
      restaging: restagingState(s), // removes what was staged → initializing, a new round that stages again
      // Running: the execute, the operation it started, Stop, a rollback.
      executing: executingState(s), // → monitoring (or stopping, when Stop came during the execute)
      monitoring: monitoringState(s), // → finishing | rollingBack | stopping | lostContact
      stopping: stoppingState(s), // → monitoring
      rollingBack: rollingBackState(s), // → finishing | lostContact
      lostContact: lostContactState(s), // Check again → back where it was; Dismiss → unknown
      // The end: outputs, removing what was staged and not executed, one final state per outcome.
      finishing: finishingState(s), // → cleaningUp
      cleaningUp: cleaningUpState(s), // → one of the final states below
      succeeded: finalState(s, 'succeeded'),
      failed: finalState(s, 'failed'),
      rolledBack: finalState(s, 'rolledBack'),
      aborted: finalState(s, 'aborted'),
      noChanges: finalState(s, 'noChanges'),
      /** Contact was lost after the execute and the person stopped asking: the outcome is not known. */
      unknown: finalState(s, 'unknown'),
    },
  });
}

export type DeploymentMachine = ReturnType<typeof createDeploymentMachine>;
export type DeploymentSnapshot = SnapshotFrom<DeploymentMachine>;
export type DeploymentActor = ActorRefFrom<DeploymentMachine>;
