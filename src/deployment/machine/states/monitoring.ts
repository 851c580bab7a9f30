/**
 * Following the running operation until it ends, and the lost contact a person must resolve.
 */
import type { DeploymentSetup } from '../setup';
import { callStates, end, pollStep } from '../steps';

export function monitoringState(s: DeploymentSetup) {
  return s.createStateConfig({
    tags: ['monitoring'],
    entry: { type: 'enter', params: 'deploying' },
    initial: 'polling',
    on: { STOP: { guard: 'canStop', target: 'stopping' } },
    states: {
      ...callStates('polling', pollStep('monitoring')),
      routing: {
        always: [
          { guard: 'phaseIsRollingBack', target: '#deployment.rollingBack' },
          { guard: 'phaseIsTerminal', target: '#deployment.finishing' },
          // A status we don't know, again and again: never judged; the person is asked.
          { guard: 'unknownTooLong', target: '#deployment.lostContact', actions: 'loseContactToUnknownStatus' },
          // In progress, or a status we don't know yet: read again, never judge.
          { target: 'waiting' },
        ],
      },
      waiting: { after: { pollDelay: 'polling' }, on: { RESUME: 'polling' } },
    },
  });
}

export function rollingBackState(s: DeploymentSetup) {
  return s.createStateConfig({
    tags: ['monitoring'],
    entry: { type: 'enter', params: 'rollingBack' },
    initial: 'polling',
    states: {
      ...callStates('polling', pollStep('rollingBack')),
      routing: {
        always: [
          { guard: 'phaseIsTerminal', target: '#deployment.finishing' },
          { guard: 'unknownTooLong', target: '#deployment.lostContact', actions: 'loseContactToUnknownStatus' },
          { target: 'waiting' },
        ],
      },
      waiting: { after: { pollDelay: 'polling' }, on: { RESUME: 'polling' } },
    },
  });
}

export function lostContactState(s: DeploymentSetup) {
  return s.createStateConfig({
    tags: ['lostContact', 'needsPerson'],
    // The cloud's answer is unknown: say what was last known, and let the person ask again.
    on: {
      CHECK_AGAIN: [
        { guard: 'lostFromExecuting', target: 'executing.confirming', actions: 'checkAgain' },
        { guard: 'lostFromRollingBack', target: 'rollingBack.polling', actions: 'checkAgain' },
        { target: 'monitoring.polling', actions: 'checkAgain' },
      ],
      DISMISS: { target: 'cleaningUp', actions: end('unknown') },
    },
  });
}
