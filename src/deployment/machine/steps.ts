/**
 * The one way the machine calls a provider (`callStates`): a deadline, backoff on transient
 * failures, and one place that decides what giving up means in that state. Before anything
 * reached the cloud, giving up fails the deployment; after an execute, a failed read never
 * decides the outcome: the deployment loses contact and says what it last knew.
 *
 * Also the steps several states share: reading the target, removing a delete preview, a poll.
 */
import * as l10n from '@vscode/l10n';
import { and, assign } from 'xstate';
import type { DescribeTargetResult, OperationRef } from '../../providers/provider';
import type { DeadlineKind } from '../deadlines';
import type { CallName, TimeoutParams } from './calls';
import type { AbortStagedInput, CallInputs, DeploymentContext, Ending, LostFrom } from './context';
import { outputOf } from './guards';
import type { FailedStep, FailedStepId, NoticeId } from './notices';
import type { StateConfig, Transition } from './setup';

/** One provider call in one state: what it is sent, where its answer leads, what giving up means. */
export interface CallStep<K extends CallName = CallName> {
  call: K;
  deadline: DeadlineKind;
  input: (args: { context: DeploymentContext }) => CallInputs[K];
  onDone: Transition;
  /** A non-retryable error: the actions run after the error is recorded (see errorAs). */
  giveUp: { target: string; actions?: readonly unknown[] };
  /**
   * The retry budget is spent (transient errors or deadlines): whether the call had an effect
   * is unknown. Defaults to giveUp.
   */
  exhausted?: { target: string; actions?: readonly unknown[] };
  /**
   * Record the error as context.error (fatal), only as a notice (the deployment goes on), as a
   * lost contact, or quietly (the next step asks the provider and decides).
   */
  errorAs?: 'error' | 'notice' | 'lostContact' | 'quiet';
  /** With errorAs 'notice': what the call failed to do, said before the error (else the call's name). */
  noticePrefix?: FailedStepId;
  lostFrom?: LostFrom;
  /** Extra transitions on the running call's state (e.g. ABORT that waits for it). */
  on?: StateConfig['on'];
  /**
   * Checked before any retry, after an error or a deadline: the person no longer wants the call
   * (Abort while it was in flight), so it is not sent again and the deployment goes here instead.
   */
  unlessWanted?: { guard: string; target: string; actions?: readonly unknown[] };
}

const deadlineDelay: Record<DeadlineKind, 'readDeadline' | 'writeDeadline' | 'initializeDeadline' | 'cleanupDeadline'> = {
  read: 'readDeadline',
  write: 'writeDeadline',
  initialize: 'initializeDeadline',
  cleanup: 'cleanupDeadline',
};

/** How a call that gave up is recorded (see CallStep.errorAs), after an error and after a deadline. */
function recording(step: CallStep, params: TimeoutParams): { error: unknown[]; timeout: unknown[] } {
  switch (step.errorAs ?? 'error') {
    case 'quiet':
      return { error: [], timeout: [] };
    case 'notice':
      return {
        error: [{ type: 'noteErrorAsNotice', params: { call: step.call, failed: step.noticePrefix } satisfies FailedStep }],
        timeout: [{ type: 'noteTimeoutAsNotice', params }],
      };
    case 'lostContact': {
      const from = step.lostFrom ?? 'monitoring';
      return { error: [{ type: 'loseContact', params: from }], timeout: [{ type: 'loseContactByTimeout', params: { ...params, from } }] };
    }
    case 'error':
      return { error: ['noteFatalError'], timeout: [{ type: 'noteFatalTimeout', params }] };
  }
}

/**
 * The one way the machine calls a provider: `name` runs the call under its deadline,
 * `${name}Backoff` waits before the next attempt. Leaving `name` (a deadline, Abort, Stop)
 * aborts the call through its AbortSignal.
 */
export function callStates<K extends CallName>(name: string, step: CallStep<K>): Record<string, StateConfig> {
  const backoff = `${name}Backoff`;
  const params: TimeoutParams = { call: step.call, kind: step.deadline };
  const recorded = recording(step, params);
  const exhausted = step.exhausted ?? step.giveUp;
  const unlessWanted = step.unlessWanted ? [step.unlessWanted] : [];
  const run = {
    invoke: {
      id: step.call,
      src: step.call,
      input: step.input,
      onDone: step.onDone,
      onError: [
        ...unlessWanted,
        { guard: 'canRetry', target: backoff, actions: 'noteRetry' },
        { guard: 'errorIsRetryable', target: exhausted.target, actions: [...recorded.error, ...(exhausted.actions ?? [])] },
        { target: step.giveUp.target, actions: [...recorded.error, ...(step.giveUp.actions ?? [])] },
      ],
    },
    after: {
      [deadlineDelay[step.deadline]]: [
        ...unlessWanted,
        { guard: 'canRetryTimeout', target: backoff, actions: { type: 'noteTimeout', params } },
        { target: exhausted.target, actions: [...recorded.timeout, ...(exhausted.actions ?? [])] },
      ],
    },
    ...(step.on ? { on: step.on } : {}),
  };
  return {
    [name]: run as StateConfig,
    [backoff]: { after: { retryDelay: name }, on: { RESUME: name } },
  };
}

/** Where the deployment goes once cleaned up: the action that records it. */
export const end = (ending: Ending) => ({ type: 'endWith' as const, params: ending });

/** What a description of the target leads to, wherever it was read. */
export function afterDescribe(inProgressTarget: string): Transition {
  return [
    {
      // Nothing to watch or deploy over: wait for the delete to finish, then create the stack anew.
      guard: 'targetBeingDeleted',
      target: '#deployment.recreating.waiting',
      actions: ['noteSuccess', 'storeDescribed', { type: 'addNotice', params: 'targetBeingDeleted' satisfies NoticeId }],
    },
    { guard: 'targetInProgress', target: inProgressTarget, actions: ['noteSuccess', 'storeDescribed'] },
    {
      guard: and(['targetUnrecoverable', 'tooManyRecoveries']),
      target: '#deployment.cleaningUp',
      actions: [
        'noteSuccess',
        'storeDescribed',
        assign({
          error: ({ context, event }) => {
            const status = outputOf<DescribeTargetResult>(event).providerStatus;
            return {
              code: 'Conflict' as const,
              message:
                status === undefined
                  ? l10n.t(
                      "The stack is still unrecoverable after {0} recovery attempts. Fix it in the provider's console, then deploy again.",
                      context.recoveries,
                    )
                  : l10n.t(
                      "The stack is still {0} after {1} recovery attempts. Fix it in the provider's console, then deploy again.",
                      status,
                      context.recoveries,
                    ),
              retryable: false,
            };
          },
        }),
        end('failed'),
      ],
    },
    // Only a destructive way out has something to list; the list is read while the person reads.
    { guard: and(['targetUnrecoverable', 'offersDestructiveRecovery']), target: '#deployment.awaitingConsent', actions: ['noteSuccess', 'storeDescribed'] },
    { guard: 'targetUnrecoverable', target: '#deployment.awaitingConsent.asking', actions: ['noteSuccess', 'storeDescribed'] },
    { target: '#deployment.staging', actions: ['noteSuccess', 'storeDescribed'] },
  ] as Transition;
}

/** A call that gave up before anything ran: remove what was staged, and the deployment fails. */
export const failWithCleanup = { target: '#deployment.cleaningUp', actions: [end('failed')] };

/** Reads the target as it is now; what its description leads to is `onDone`. */
export const readTarget = (onDone: Transition): CallStep<'describeTarget'> => ({
  call: 'describeTarget',
  deadline: 'read',
  input: ({ context }) => ({ target: context.target }),
  onDone,
  giveUp: failWithCleanup,
});

/** What the execute and the question whether it ran are both about: the staged changes. */
export const stagedInput = ({ context }: { context: DeploymentContext }) => ({
  target: context.target,
  stagedId: context.staged?.stagedId ?? '',
  deploymentId: context.deploymentId,
});

/**
 * What abortStaged is given, at the end and when a re-stage removes the round before: this round's
 * staged item, and the target this deployment's staging created, which may go too unless
 * `keepCreatedTarget` (a re-stage stages into it again) or something was executed.
 */
export function abortStagedInput(context: DeploymentContext, { keepCreatedTarget }: { keepCreatedTarget: boolean }): AbortStagedInput {
  // Only a target this deployment's staging created: one found before (an empty shell someone left) is not ours.
  const createdByUs =
    context.createdTargetId !== undefined ||
    (context.staged?.createdTarget ?? (context.described?.condition === 'missing' && context.described.targetId === undefined));
  const targetId = context.staged?.targetId ?? context.createdTargetId;
  return {
    target: context.target,
    stagedId: context.staged?.stagedId,
    deploymentId: context.deploymentId,
    attempt: context.status.round,
    executed: context.executed,
    removeCreatedTarget: !keepCreatedTarget && createdByUs && !context.executed,
    targetId,
    ...(context.restageUnsent === true ? { nothingStaged: true } : {}),
  };
}

/** Removes what describeRecovery started; a failure is a notice and never stops what comes next. */
export const discardStep = (next: string): CallStep<'discardRecoveryPlan'> => ({
  call: 'discardRecoveryPlan',
  deadline: 'cleanup',
  input: ({ context }) => ({ target: context.target, deploymentId: context.deploymentId }),
  onDone: { target: next, actions: ['noteSuccess', 'forgetRecoveryPlan'] },
  giveUp: { target: next, actions: ['forgetRetrying'] },
  errorAs: 'notice',
  noticePrefix: 'previewNotRemoved',
});

/** Abort before anything ran: say `notice` (if any), remove what was staged, end aborted. */
export function abortTo(notice?: NoticeId) {
  const told = notice === undefined ? [] : [{ type: 'addNotice' as const, params: notice }];
  return { target: '#deployment.cleaningUp', actions: [...told, end('aborted')] };
}

/**
 * Following the operation: poll, route on what the provider answered (`routes` first), and wait
 * before the next poll. After the execute, a read that fails never decides the outcome.
 */
export function pollingStates(from: LostFrom, routes: readonly { guard: string; target: string }[]): Record<string, StateConfig> {
  const poll: CallStep<'poll'> = {
    call: 'poll',
    deadline: 'read',
    input: ({ context }) => ({ target: context.target, operation: context.operation as OperationRef, cursor: context.cursor }),
    onDone: { target: 'routing', actions: ['noteSuccess', 'applyPoll', 'notePollTiming'] },
    giveUp: { target: '#deployment.lostContact' },
    errorAs: 'lostContact',
    lostFrom: from,
  };
  const always = [
    ...routes,
    // A status we don't know, again and again: never judged; the person is asked.
    { guard: 'unknownTooLong', target: '#deployment.lostContact', actions: 'loseContactToUnknownStatus' },
    // In progress, or a status we don't know yet: read again, never judge.
    { target: 'waiting' },
  ];
  return {
    ...callStates('polling', poll),
    routing: { always } as StateConfig,
    waiting: { after: { pollDelay: 'polling' }, on: { RESUME: 'polling' } },
  };
}
