/**
 * Following the running operation until it ends, and the lost contact a person must resolve.
 */
import type { DeploymentSetup } from '../setup';
import { end, pollingStates } from '../steps';

export function monitoringState(s: DeploymentSetup) {
  return s.createStateConfig({
    tags: ['monitoring'],
    entry: { type: 'enter', params: 'deploying' },
    initial: 'polling',
    on: { STOP: { guard: 'canStop', target: 'stopping' } },
    states: pollingStates('monitoring', [
      { guard: 'operationRollingBack', target: '#deployment.rollingBack' },
      { guard: 'operationEnded', target: '#deployment.finishing' },
    ]),
  });
}

export function rollingBackState(s: DeploymentSetup) {
  return s.createStateConfig({
    tags: ['monitoring'],
    entry: { type: 'enter', params: 'rollingBack' },
    initial: 'polling',
    // A rollback cannot be stopped: there is no STOP here.
    states: pollingStates('rollingBack', [{ guard: 'operationEnded', target: '#deployment.finishing' }]),
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
