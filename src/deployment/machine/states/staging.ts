/**
 * Staging the changes and reading them back, then the review that waits for Execute or Abort,
 * and staging again when the person changes a deployment option in the review.
 */
import { and, not } from 'xstate';
import { failOnCheck } from '../check';
import type { InitializedDeployment } from '../context';
import type { DeploymentSetup, Transition } from '../setup';
import { abortStagedInput, abortTo, callStates, end, failWithCleanup } from '../steps';

export function stagingState(s: DeploymentSetup) {
  return s.createStateConfig({
    tags: ['staging'],
    entry: [{ type: 'enter', params: 'staging' }, 'markStageSent', { type: 'startSpan', params: 'stage' }],
    exit: { type: 'endSpan', params: 'stage' },
    initial: 'creating',
    on: { ABORT: abortTo() },
    // A failed check: once the stage call has answered, what it staged is removed and the deployment fails.
    always: { ...failOnCheck, guard: and(['checkFailed', 'stageAnswered']) },
    states: {
      ...callStates('creating', {
        call: 'stage',
        deadline: 'write',
        input: ({ context }) => {
          // initializing always sets it before staging can be entered.
          const { template, parameters, capabilities } = context.initialized as InitializedDeployment;
          return {
            target: context.target,
            template,
            parameters,
            capabilities,
            condition: context.described?.condition ?? 'missing',
            deploymentId: context.deploymentId,
            // One attempt per round; retries and a resume of the same round reuse its name.
            attempt: context.status.round,
            targetId: context.described?.targetId,
            options: context.options ?? {},
          };
        },
        onDone: [
          { guard: 'abortRequested', target: '#deployment.cleaningUp', actions: ['noteSuccess', 'storeStaged', end('aborted')] },
          // The check failed while the stage call was in flight: what it staged is removed.
          { guard: 'checkFailed', target: '#deployment.cleaningUp', actions: ['noteSuccess', 'storeStaged', 'failByCheck', end('failed')] },
          { target: 'waiting', actions: ['noteSuccess', 'storeStaged'] },
        ] as Transition,
        giveUp: failWithCleanup,
        // Whether anything was staged is unknown until the call answers: wait for it.
        on: { ABORT: { actions: 'requestAbort' } },
        // Aborted while in flight and it failed or stalled: never send it again; clean up by the attempt's name.
        unlessWanted: { guard: 'abortRequested', target: '#deployment.cleaningUp', actions: [end('aborted')] },
      }),
      waiting: { after: { stagePollDelay: 'checking' }, on: { RESUME: 'checking' } },
      ...callStates('checking', {
        call: 'describeStaged',
        deadline: 'read',
        input: ({ context }) => ({ target: context.target, stagedId: context.staged?.stagedId ?? '' }),
        onDone: [
          { guard: 'stagedPending', target: 'waiting', actions: ['noteSuccess', 'storeStagedState'] },
          {
            guard: and(['stagedReady', 'mayAutoExecute', 'noOptionGivesUp', not('checkRunning')]),
            target: '#deployment.executing',
            actions: ['noteSuccess', 'storeStagedState'],
          },
          // Auto-execute waits in the review for the check, then runs if it passed (reviewing's `always`).
          {
            guard: and(['stagedReady', 'mayAutoExecute', 'noOptionGivesUp']),
            target: '#deployment.reviewing',
            actions: ['noteSuccess', 'storeStagedState', { type: 'requestExecute', params: 'auto' }],
          },
          { guard: 'stagedReady', target: '#deployment.reviewing', actions: ['noteSuccess', 'storeStagedState', 'holdForReview', 'holdForOptions'] },
          { guard: 'stagedEmpty', target: '#deployment.cleaningUp', actions: ['noteSuccess', 'storeStagedState', end('noChanges')] },
          { target: '#deployment.cleaningUp', actions: ['noteSuccess', 'storeStagedState', 'failStaging', end('failed')] },
        ] as Transition,
        giveUp: failWithCleanup,
      }),
    },
  });
}

export function reviewingState(s: DeploymentSetup) {
  return s.createStateConfig({
    tags: ['review', 'needsPerson'],
    entry: { type: 'enter', params: 'reviewing' },
    // The check settled: a failure removes what was staged; a pass runs an Execute that waited for it.
    always: [failOnCheck, { guard: 'requestedExecuteReady', target: 'executing', actions: 'forgetExecuteRequest' }],
    on: {
      // While the check runs, Execute waits for it (once: a second click changes nothing).
      EXECUTE: [
        { guard: 'checkRunning', actions: { type: 'requestExecute', params: 'person' } },
        { target: 'executing', actions: 'forgetExecuteRequest' },
      ],
      ABORT: abortTo(),
      // A changed option stages anew; one that is unknown, invalid, not applicable or unchanged is ignored.
      SET_OPTION: { guard: 'optionAccepted', target: 'restaging', actions: 'recordOption' },
    },
  });
}

/**
 * A deployment option changed in the review: what was staged is removed (never executed), then
 * the next round loads the template again (secret inputs live only in memory, and a restored
 * deployment has lost them) and stages with the new options against the target as read before.
 * The new changes always wait for the person's Execute (optionChangedInReview). Until the new
 * stage is sent, the end removes only the target an earlier round created (restageUnsent).
 */
export function restagingState(s: DeploymentSetup) {
  return s.createStateConfig({
    tags: ['staging'],
    initial: 'removing',
    on: { ABORT: abortTo() },
    states: callStates('removing', {
      call: 'abortStaged',
      deadline: 'cleanup',
      // The target staging created is staged into again; the end removes it if nothing runs.
      input: ({ context }) => abortStagedInput(context, { keepCreatedTarget: true }),
      onDone: [
        // Only someone else can have executed them (our Execute never leads here): their operation
        // is theirs, never followed as ours. The target is read again, as before any staging.
        { guard: 'executedMeanwhile', target: '#deployment.preparing', actions: ['noteSuccess', 'yieldToOtherExecution'] },
        { target: '#deployment.initializing', actions: ['noteSuccess', 'startRestage'] },
      ] as Transition,
      // Not removed: it still stands, and may still be executed. Nothing is staged over it; the
      // review goes back to it, with the options it was staged with.
      giveUp: { target: '#deployment.reviewing', actions: ['keepStaged'] },
      errorAs: 'notice',
      noticePrefix: 'optionNotChanged',
    }),
  });
}
