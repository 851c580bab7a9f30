/**
 * A target that cannot be updated: the consent to its recovery (with what that would destroy),
 * then the recovery itself, after which the deployment starts again.
 */
import { failOnCheck } from '../check';
import { destructiveRecovery } from '../guards';
import type { NoticeId } from '../notices';
import type { DeploymentSetup, Transition } from '../setup';
import { abortTo, callStates, discardStep, end, failWithCleanup, readTarget } from '../steps';

export function awaitingConsentState(s: DeploymentSetup) {
  return s.createStateConfig({
    tags: ['consent', 'needsPerson'],
    entry: [{ type: 'enter', params: 'awaitingConsent' }, 'startRecoveryPlan'],
    // A template the check refused is never deployed: nothing is recovered for it.
    always: failOnCheck,
    // The answers work at once: the list shows what is known now (the target's last recorded
    // state, quickly) and is replaced by the planned delete when it is ready. A delete preview
    // takes minutes; nobody should wait minutes to say No.
    initial: 'listing',
    on: {
      CONSENT: { guard: 'isConsentable', target: 'recreating', actions: ['chooseRecovery', 'forgetRetrying'] },
      DECLINE: {
        target: 'cleaningUp',
        actions: ['forgetRetrying', { type: 'addNotice', params: 'recoveryDeclined' satisfies NoticeId }, end('aborted')],
      },
      ABORT: { target: 'cleaningUp', actions: ['forgetRetrying', { type: 'addNotice', params: 'nothingDeletedOrChanged' satisfies NoticeId }, end('aborted')] },
    },
    states: {
      ...callStates('listing', {
        call: 'describeRecovery',
        deadline: 'write',
        input: ({ context }) => ({
          target: context.target,
          // Only entered when a destructive action is offered.
          action: (context.described && destructiveRecovery(context.described)) ?? 'delete',
          deploymentId: context.deploymentId,
          targetId: context.described?.targetId,
        }),
        onDone: [
          { guard: 'recoveryStillPlanning', target: 'waiting', actions: ['noteSuccess', 'storeRecoveryPlan'] },
          { target: 'asking', actions: ['noteSuccess', 'storeRecoveryPlan'] },
        ] as Transition,
        // A list that cannot be read never holds the consent up; the consent says it is unavailable.
        giveUp: { target: 'asking', actions: ['markRecoveryPlanUnavailable', 'forgetRetrying'] },
        errorAs: 'quiet',
      }),
      waiting: { after: { recoveryPollDelay: 'listing' }, on: { RESUME: 'listing' } },
      asking: {},
    },
  });
}

export function recreatingState(s: DeploymentSetup) {
  return s.createStateConfig({
    tags: ['starting'],
    entry: [
      { type: 'enter', params: 'recreating' },
      { type: 'startSpan', params: 'recover' },
    ],
    exit: { type: 'endSpan', params: 'recover' },
    // As Abort here: a recovery already accepted goes on; the deployment ends with the check's error.
    always: failOnCheck,
    initial: 'start',
    on: {
      ABORT: abortTo('recoveryGoesOn'),
    },
    states: {
      start: { always: [{ guard: 'recoveryPlanSent', target: 'discarding' }, { target: 'run' }] },
      // A delete preview still planning holds the target's lock, which the delete needs.
      ...callStates('discarding', discardStep('run')),
      ...callStates('run', {
        call: 'recover',
        deadline: 'write',
        input: ({ context }) => ({
          target: context.target,
          // Only reachable through an accepted CONSENT, which sets the action.
          action: context.chosenRecovery ?? 'delete',
          deploymentId: context.deploymentId,
          // The consent was given about this target, in the state it was described in.
          targetId: context.described?.targetId,
        }),
        onDone: { target: 'waiting', actions: 'noteSuccess' },
        giveUp: failWithCleanup,
      }),
      waiting: { after: { recoveryPollDelay: 'checking' }, on: { RESUME: 'checking' } },
      ...callStates(
        'checking',
        readTarget([
          { guard: 'targetInProgress', target: 'waiting', actions: ['noteSuccess', 'storeDescribed'] },
          { target: '#deployment.initializing', actions: ['noteSuccess', 'storeDescribed'] },
        ] as Transition),
      ),
    },
  });
}
