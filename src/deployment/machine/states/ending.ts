/**
 * How it ends: the outputs of a success, then removing what was staged and not executed, then
 * one final state per outcome.
 */
import type { FinalState } from '../tags';
import type { DeploymentSetup, Transition } from '../setup';
import { abortStagedInput, callStates, discardStep, end } from '../steps';

export function finishingState(s: DeploymentSetup) {
  return s.createStateConfig({
    tags: ['monitoring'],
    initial: 'route',
    states: {
      route: {
        always: [
          { guard: 'operationSucceeded', target: 'fetchingOutputs' },
          { guard: 'operationRolledBack', target: '#deployment.cleaningUp', actions: end('rolledBack') },
          { target: '#deployment.cleaningUp', actions: end('failed') },
        ],
      },
      ...callStates('fetchingOutputs', {
        call: 'outputs',
        deadline: 'read',
        input: ({ context }) => ({ target: context.target }),
        onDone: { target: '#deployment.cleaningUp', actions: ['noteSuccess', 'storeOutputs', end('succeeded')] },
        // The target is deployed; unreadable outputs don't undo that.
        giveUp: { target: '#deployment.cleaningUp', actions: [end('succeeded')] },
        errorAs: 'notice',
        noticePrefix: 'outputsUnread',
      }),
    },
  });
}

export function cleaningUpState(s: DeploymentSetup) {
  return s.createStateConfig({
    tags: ['staging', 'cleaningUp'],
    // Whatever this deployment staged and did not execute is removed before it ends; a background
    // check still running is no longer waited for (its process is stopped).
    entry: ['stopCheck', 'abandonCheck'],
    initial: 'check',
    states: {
      check: { always: [{ guard: 'recoveryPlanSent', target: 'discarding' }, { target: 'checkStaged' }] },
      ...callStates('discarding', discardStep('checkStaged')),
      checkStaged: { always: [{ guard: 'needsCleanup', target: 'run' }, { target: 'route' }] },
      ...callStates('run', {
        call: 'abortStaged',
        deadline: 'cleanup',
        input: ({ context }) => abortStagedInput(context, { keepCreatedTarget: false }),
        onDone: [
          // An execute cancelled by Abort that landed anyway: it is followed, not reported aborted.
          { guard: 'executedMeanwhile', target: '#deployment.executing.confirming', actions: ['noteSuccess', 'followLateExecution'] },
          { target: 'route', actions: 'noteSuccess' },
        ] as Transition,
        giveUp: { target: 'route' },
        errorAs: 'notice',
        noticePrefix: 'stagedNotRemoved',
      }),
      route: {
        always: [
          { guard: { type: 'endsWith', params: 'succeeded' }, target: '#deployment.succeeded' },
          { guard: { type: 'endsWith', params: 'rolledBack' }, target: '#deployment.rolledBack' },
          { guard: { type: 'endsWith', params: 'aborted' }, target: '#deployment.aborted' },
          { guard: { type: 'endsWith', params: 'noChanges' }, target: '#deployment.noChanges' },
          { guard: { type: 'endsWith', params: 'unknown' }, target: '#deployment.unknown' },
          { target: '#deployment.failed' },
        ],
      },
    },
  });
}

/** One final state per outcome; entering it completes the status model and the error. */
export function finalState(s: DeploymentSetup, outcome: FinalState) {
  return s.createStateConfig({ type: 'final', tags: ['final'], entry: { type: 'finish', params: outcome } });
}
