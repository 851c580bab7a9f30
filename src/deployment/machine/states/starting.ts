/**
 * Getting ready: the workspace step, loading the template, reading the target, and waiting out
 * someone else's operation on it.
 */
import * as l10n from '@vscode/l10n';
import { assign } from 'xstate';
import { toErrorInfo } from '../../errorInfo';
import type { InitializedDeployment } from '../context';
import { outputOf } from '../guards';
import type { DeploymentSetup, Transition } from '../setup';
import { failOnCheck } from '../check';
import { abortTo, afterDescribe, callStates, end, failWithCleanup, readTarget } from '../steps';

export function preflightState(s: DeploymentSetup) {
  return s.createStateConfig({
    tags: ['starting'],
    // No deadline: it may be waiting for the person (save unsaved files) or a build.
    invoke: {
      id: 'preflight',
      src: 'preflight',
      input: ({ context }) => ({ deploymentId: context.deploymentId }),
      onDone: { target: 'initializing' },
      onError: [
        {
          guard: 'cancelledByUser',
          target: 'cleaningUp',
          actions: [
            assign({
              notices: ({ context, event }) => [
                ...context.notices,
                l10n.t({
                  message: '{0} Nothing was deployed.',
                  args: [toErrorInfo(event.error).message],
                  comment: ['{0} is why the step before deploying was cancelled, as a sentence.'],
                }),
              ],
            }),
            end('aborted'),
          ],
        },
        { target: 'cleaningUp', actions: ['noteFatalError', end('failed')] },
      ],
    },
    on: { ABORT: abortTo() },
  });
}

/** This round's check replaces any earlier round's. */
const startingCheck = ['stopCheck', 'recordCheckStart', 'spawnCheck'] as const;

export function initializingState(s: DeploymentSetup) {
  return s.createStateConfig({
    tags: ['starting'],
    entry: ['enterInitializing', { type: 'startSpan', params: 'template' }],
    exit: { type: 'endSpan', params: 'template' },
    initial: 'run',
    on: { ABORT: abortTo() },
    states: callStates('run', {
      call: 'initialize',
      deadline: 'initialize',
      input: ({ context }) => ({ target: context.target, deploymentId: context.deploymentId, round: context.status.round }),
      // The background check starts now and runs beside preparing and staging (check.ts).
      onDone: [
        {
          guard: 'resumeStaging',
          target: '#deployment.staging',
          actions: ['noteSuccess', assign({ initialized: ({ event }) => outputOf<InitializedDeployment>(event), resumeStaging: false }), ...startingCheck],
        },
        {
          target: '#deployment.preparing',
          actions: ['noteSuccess', assign({ initialized: ({ event }) => outputOf<InitializedDeployment>(event) }), ...startingCheck],
        },
      ] as Transition,
      giveUp: failWithCleanup,
    }),
  });
}

export function preparingState(s: DeploymentSetup) {
  return s.createStateConfig({
    tags: ['starting'],
    entry: [
      { type: 'enter', params: 'preparing' },
      { type: 'startSpan', params: 'target' },
    ],
    exit: { type: 'endSpan', params: 'target' },
    initial: 'run',
    on: { ABORT: abortTo() },
    // Nothing is in flight that the end must wait for: a failed check ends the deployment now.
    always: failOnCheck,
    states: callStates('run', readTarget(afterDescribe('#deployment.otherOperation'))),
  });
}

export function otherOperationState(s: DeploymentSetup) {
  return s.createStateConfig({
    tags: ['otherOperation'],
    // Someone else's operation (the console, another tool, another window) runs on the
    // target. Its outcome is theirs: we only wait for it to end, then deploy ours.
    entry: { type: 'enter', params: 'otherOperation' },
    always: failOnCheck,
    initial: 'asking',
    on: { ABORT: abortTo('otherOperationGoesOn') },
    states: {
      // Only the question waits for the person; once they chose to wait, Stackwatch watches alone.
      asking: { tags: ['needsPerson'], on: { WATCH_OTHER: 'waiting' } },
      waiting: { after: { recoveryPollDelay: 'checking' }, on: { RESUME: 'checking' } },
      ...callStates('checking', readTarget(afterDescribe('#deployment.otherOperation.waiting'))),
    },
  });
}
