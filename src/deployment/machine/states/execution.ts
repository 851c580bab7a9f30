/**
 * Executing the staged changes, with Abort and Stop that first ask whether the execute landed,
 * and Stop once the deployment runs.
 */
import { and, assign } from 'xstate';
import type { OperationRef } from '../../../providers/provider';
import type { NoticeId } from '../notices';
import type { DeploymentSetup, Transition } from '../setup';
import { callStates, end, stagedInput } from '../steps';

export function executingState(s: DeploymentSetup) {
  return s.createStateConfig({
    tags: ['monitoring'],
    // What the provider said before (the target's old status) is not news about this execute.
    entry: [{ type: 'enter', params: 'executing' }, assign({ providerStatus: undefined, statusReason: undefined })],
    initial: 'run',
    // The execute may have reached the provider: ask before doing anything else.
    on: { ABORT: { target: '.confirming', actions: 'requestExit' }, STOP: { target: '.confirming', actions: 'requestExit' } },
    states: {
      ...callStates('run', {
        call: 'execute',
        deadline: 'write',
        input: stagedInput,
        onDone: { target: '#deployment.monitoring', actions: ['noteSuccess', 'storeOperation'] },
        // Refused: the refusal is kept, and the provider asked whether anything ran anyway.
        giveUp: { target: 'confirming', actions: ['refuseExecute'] },
        errorAs: 'quiet',
        // No answer: whether it ran is unknown until the provider is asked; if nothing ran, it failed.
        exhausted: { target: 'confirming', actions: ['refuseExecute'] },
      }),
      ...callStates('confirming', {
        call: 'findExecution',
        deadline: 'read',
        input: stagedInput,
        onDone: [
          {
            guard: and(['foundExecuted', 'exitRequested']),
            target: '#deployment.stopping',
            actions: ['noteSuccess', 'forgetExecuteErrors', 'storeFoundOperation', { type: 'addNotice', params: 'executedBeforeStop' satisfies NoticeId }],
          },
          { guard: 'foundExecuted', target: '#deployment.monitoring', actions: ['noteSuccess', 'forgetExecuteErrors', 'storeFoundOperation'] },
          {
            guard: and(['foundNotExecuted', 'exitRequested']),
            target: '#deployment.cleaningUp',
            actions: ['noteSuccess', 'forgetExecuteErrors', { type: 'addNotice', params: 'nothingExecutedRemoving' satisfies NoticeId }, end('aborted')],
          },
          // A refusal that really refused: nothing ran, and the refusal is the outcome.
          { guard: and(['foundNotExecuted', 'executeRefused']), target: '#deployment.cleaningUp', actions: ['noteSuccess', 'standByRefusal', end('failed')] },
          { guard: 'foundNotExecuted', target: 'run', actions: ['noteSuccess', 'forgetExecuteErrors'] },
          { guard: 'exitRequested', target: '#deployment.cleaningUp', actions: ['noteSuccess', 'forgetExecuteErrors', end('aborted')] },
          { target: '#deployment.cleaningUp', actions: ['noteSuccess', 'forgetExecuteErrors', 'noteExecutionGone', end('failed')] },
        ] as Transition,
        giveUp: { target: '#deployment.lostContact' },
        errorAs: 'lostContact',
        lostFrom: 'executing',
        on: { ABORT: { actions: 'requestExit' }, STOP: { actions: 'requestExit' } },
      }),
      /** Where a restored execute waits for RESUME: it asks before it acts. */
      resumed: { on: { RESUME: 'confirming' } },
    },
  });
}

export function stoppingState(s: DeploymentSetup) {
  return s.createStateConfig({
    tags: ['monitoring'],
    initial: 'run',
    states: callStates('run', {
      call: 'stop',
      deadline: 'write',
      // A refused or unanswered stop leaves the deployment running; it is news, not a failure.
      errorAs: 'notice',
      noticePrefix: 'stopNotPossible',
      giveUp: { target: '#deployment.monitoring' },
      input: ({ context }) => ({ target: context.target, operation: context.operation as OperationRef, deploymentId: context.deploymentId }),
      onDone: { target: '#deployment.monitoring', actions: ['noteSuccess', 'markStopRequested'] },
    }),
  });
}
