/**
 * The deployment machine: pure states, guards and context. Every side effect is an actor
 * provided from outside (`machine.provide({ actors })`), so the same machine drives AWS,
 * Google Cloud, or a scripted fake in tests.
 */
import { and, assign, fromPromise, setup, type ActorRefFrom, type SnapshotFrom } from 'xstate';
import type {
  Change,
  DeploymentEvent,
  DescribeStagedResult,
  DescribeTargetResult,
  ExecuteResult,
  OperationPhase,
  OperationRef,
  ParameterValue,
  PollResult,
  RecoverResult,
  RecoveryActionId,
  StackOutput,
  StageResult,
  StopResult,
  TargetCondition,
  TargetRef,
  TemplateSource,
} from '../providers/provider';
import { FIRST_CONTACT_ATTEMPTS, RETRY_BUDGET_MS, fullJitterDelay } from './backoff';
import { toErrorInfo, type ErrorInfo } from './errorInfo';
import { RECOVERY_POLL_MS, nextPollDelay, nextStagePollDelay } from './pollCadence';
import { applyEvents, summarizeFailures, type ResourceMap } from './resources';
import {
  INITIAL_STATUS,
  advanceActivity,
  advanceTarget,
  complete,
  setErrorStatus,
  startNewRound,
  type ActivityStatus,
  type DeploymentStatus,
} from './status';

/** What initializing produces: the exact template and inputs that staging will submit. */
export interface InitializedDeployment {
  template: TemplateSource;
  parameters: ParameterValue[];
  capabilities: string[];
  /** Non-blocking findings (lint warnings, unused parameters), shown but never fatal. */
  warnings: string[];
  /** Where and as whom it deploys, when the provider can tell (e.g. "project p · as deployer@p.iam…"). */
  identity?: string;
  /**
   * Outputs whose value derives from a secret (an output that is `!Ref`/`!Sub`/`!Join` of a NoEcho
   * parameter): masked everywhere, like Google Cloud's sensitive outputs; copy still works from the host.
   */
  sensitiveOutputs?: string[];
}

export interface DeploymentInput {
  deploymentId: string;
  target: TargetRef;
  autoExecute: boolean;
  watched?: boolean;
}

/** Keeps a persisted snapshot bounded; older events stay in the log channel. */
export const MAX_KEPT_EVENTS = 2_000;
/** Recreating more often than this means something outside Stackwatch keeps breaking the stack. */
export const MAX_RECOVERIES = 3;

export interface RetryState {
  /** Failed attempts since the last successful call. */
  attempt: number;
  /** Backoff already spent since the last successful call, against RETRY_BUDGET_MS. */
  waitedMs: number;
  delayMs: number;
  lastError?: ErrorInfo;
}

export interface DeploymentContext {
  deploymentId: string;
  target: TargetRef;
  autoExecute: boolean;
  watched: boolean;
  status: DeploymentStatus;
  /** At least one provider call has succeeded in this deployment. */
  contacted: boolean;
  retry: RetryState;
  initialized?: InitializedDeployment;
  described?: DescribeTargetResult;
  staged?: StageResult;
  stageChecks: number;
  stagedStatus?: string;
  changes: Change[];
  operation?: OperationRef;
  /** Monitoring an operation someone else (or an earlier window) started. */
  reattached: boolean;
  cursor?: string;
  phase?: OperationPhase;
  providerStatus?: string;
  statusReason?: string;
  resources: ResourceMap;
  events: DeploymentEvent[];
  idleStreak: number;
  pagesRead: number;
  polls: number;
  outputs: StackOutput[];
  stopRequested: boolean;
  /** The provider stops where it is on Stop (Infrastructure Manager) instead of rolling back. */
  stoppedWithoutRollback?: boolean;
  recoveries: number;
  chosenRecovery?: RecoveryActionId;
  /** Something the user should know that did not stop the deployment. */
  notices: string[];
  /** The error that ended the deployment. */
  error?: ErrorInfo;
}

export type DeploymentEventType =
  | { type: 'EXECUTE' }
  | { type: 'ABORT' }
  | { type: 'STOP' }
  | { type: 'CONSENT'; action: RecoveryActionId }
  | { type: 'DECLINE' }
  | { type: 'SET_AUTO_EXECUTE'; value: boolean }
  | { type: 'SET_WATCHED'; watched: boolean }
  /** Sent after restoring a persisted snapshot: timers are not persisted, so waits end at once. */
  | { type: 'RESUME' };

export interface TargetInput {
  target: TargetRef;
}
export interface InitializeInput extends TargetInput {
  deploymentId: string;
  round: number;
}
export interface StageInput extends TargetInput {
  deploymentId: string;
  initialized: InitializedDeployment;
  condition: TargetCondition;
}
export interface StagedInput extends TargetInput {
  stagedId: string;
}
export interface ExecuteInput extends StagedInput {
  deploymentId: string;
}
export interface AbortStagedInput extends StagedInput {
  removeCreatedTarget: boolean;
  targetId?: string;
}
export interface PollInput extends TargetInput {
  operation: OperationRef;
  cursor?: string;
}
export interface StopInput extends TargetInput {
  operation: OperationRef;
  deploymentId: string;
}
export interface RecoverInput extends TargetInput {
  action: RecoveryActionId;
  deploymentId: string;
}

function notProvided(name: string): never {
  throw new Error(`Internal error: the '${name}' actor was not provided to the deployment machine.`);
}

/** Done and error events carry `output` / `error`; named actions see them through the event union. */
function outputOf<T>(event: { type: string }): T {
  if (!('output' in event)) throw new Error(`Internal error: ${event.type} carries no output.`);
  return (event as { output: T }).output;
}

function errorOf(event: { type: string }): unknown {
  return 'error' in event ? event.error : undefined;
}

const TERMINAL_PHASES: ReadonlySet<OperationPhase> = new Set(['succeeded', 'failed', 'rolledBack']);

export interface MachineOptions {
  /** Source of jitter; tests pass a seeded one. */
  random?: () => number;
}

export function createDeploymentMachine(options: MachineOptions = {}) {
  const random = options.random ?? Math.random;

  return setup({
    types: {
      context: {} as DeploymentContext,
      events: {} as DeploymentEventType,
      input: {} as DeploymentInput,
    },
    actors: {
      preflight: fromPromise<void, { deploymentId: string }>(async () => notProvided('preflight')),
      initialize: fromPromise<InitializedDeployment, InitializeInput>(async () => notProvided('initialize')),
      describeTarget: fromPromise<DescribeTargetResult, TargetInput>(async () => notProvided('describeTarget')),
      stage: fromPromise<StageResult, StageInput>(async () => notProvided('stage')),
      describeStaged: fromPromise<DescribeStagedResult, StagedInput>(async () => notProvided('describeStaged')),
      execute: fromPromise<ExecuteResult, ExecuteInput>(async () => notProvided('execute')),
      abortStaged: fromPromise<void, AbortStagedInput>(async () => notProvided('abortStaged')),
      poll: fromPromise<PollResult, PollInput>(async () => notProvided('poll')),
      stop: fromPromise<StopResult, StopInput>(async () => notProvided('stop')),
      recover: fromPromise<RecoverResult, RecoverInput>(async () => notProvided('recover')),
      outputs: fromPromise<StackOutput[], TargetInput>(async () => notProvided('outputs')),
    },
    delays: {
      retryDelay: ({ context }) => context.retry.delayMs,
      pollDelay: ({ context }) => nextPollDelay(context.idleStreak, context.watched),
      stagePollDelay: ({ context }) => nextStagePollDelay(context.stageChecks),
      recoveryPollDelay: RECOVERY_POLL_MS,
    },
    guards: {
      cancelledByUser: ({ event }) => {
        const error = errorOf(event);
        return typeof error === 'object' && error !== null && (error as { cancelled?: unknown }).cancelled === true;
      },
      canRetry: ({ context, event }) => {
        const info = toErrorInfo(errorOf(event));
        if (!info.retryable) return false;
        if (!context.contacted) return context.retry.attempt + 1 < FIRST_CONTACT_ATTEMPTS;
        return context.retry.waitedMs < RETRY_BUDGET_MS;
      },
      autoExecute: ({ context }) => context.autoExecute,
      hasStaged: ({ context }) => context.staged !== undefined,
      canStop: ({ context }) => context.phase !== 'rollingBack' && !context.stopRequested && context.operation !== undefined,
      isConsentable: ({ context, event }) =>
        event.type === 'CONSENT' && (context.described?.recoveryActions ?? []).some((a) => a.id === event.action),
      phaseIsRollingBack: ({ context }) => context.phase === 'rollingBack',
      phaseIsTerminal: ({ context }) => context.phase !== undefined && TERMINAL_PHASES.has(context.phase),
      phaseSucceeded: ({ context }) => context.phase === 'succeeded',
      phaseRolledBack: ({ context }) => context.phase === 'rolledBack',
      targetInProgress: ({ event }) => outputOf<DescribeTargetResult>(event).condition === 'inProgress',
      targetBeingDeleted: ({ event }) => {
        const described = outputOf<DescribeTargetResult>(event);
        return described.condition === 'inProgress' && described.operation?.kind === 'delete';
      },
      targetUnrecoverable: ({ event }) => outputOf<DescribeTargetResult>(event).condition === 'unrecoverable',
      tooManyRecoveries: ({ context }) => context.recoveries >= MAX_RECOVERIES,
      stagedPending: ({ event }) => outputOf<DescribeStagedResult>(event).state === 'pending',
      stagedReady: ({ event }) => outputOf<DescribeStagedResult>(event).state === 'ready',
      stagedEmpty: ({ event }) => outputOf<DescribeStagedResult>(event).state === 'empty',
    },
    actions: {
      enter: assign({
        status: ({ context }, activity: ActivityStatus) => advanceActivity(context.status, activity),
      }),
      enterInitializing: assign({
        // Coming back from recreating starts a new round; the first time it is a plain step forward.
        status: ({ context }) =>
          context.status.activity === 'recreating' ? startNewRound(context.status) : advanceActivity(context.status, 'initializing'),
        staged: undefined,
        changes: [],
        stageChecks: 0,
      }),
      noteSuccess: assign({
        contacted: true,
        retry: { attempt: 0, waitedMs: 0, delayMs: 0 },
        status: ({ context }) => setErrorStatus(context.status, 'none'),
      }),
      noteRetry: assign(({ context, event }) => {
        const lastError = toErrorInfo(errorOf(event));
        const delayMs = fullJitterDelay(context.retry.attempt, random);
        return {
          retry: { attempt: context.retry.attempt + 1, waitedMs: context.retry.waitedMs + delayMs, delayMs, lastError },
          status: setErrorStatus(context.status, 'retrying'),
        };
      }),
      noteFatalError: assign({
        error: ({ context, event }) => {
          const info = toErrorInfo(errorOf(event));
          if (!info.retryable || context.retry.attempt === 0) return info;
          return { ...info, message: `${info.message} (gave up after ${context.retry.attempt + 1} attempts)` };
        },
      }),
      addNotice: assign({
        notices: ({ context }, notice: string) => [...context.notices, notice],
      }),
      storeDescribed: assign(({ event }) => {
        const described = outputOf<DescribeTargetResult>(event);
        return { described, providerStatus: described.providerStatus, statusReason: described.statusReason };
      }),
      reattach: assign(({ context, event }) => {
        const described = outputOf<DescribeTargetResult>(event);
        return {
          operation: context.operation ?? described.operation ?? { startedAt: described.lastUpdatedAt ?? new Date(0).toISOString(), kind: 'unknown' as const },
          reattached: true,
          phase: 'inProgress' as const,
          status: advanceTarget(context.status, 'deployed'),
        };
      }),
      storeStaged: assign({ staged: ({ event }) => outputOf<StageResult>(event), stageChecks: 0 }),
      storeStagedState: assign(({ context, event }) => {
        const result = outputOf<DescribeStagedResult>(event);
        return { stagedStatus: result.providerStatus, changes: result.changes, stageChecks: context.stageChecks + 1 };
      }),
      failStaging: assign({
        error: ({ event }) => {
          const result = outputOf<DescribeStagedResult>(event);
          return {
            code: 'Validation' as const,
            message: `The provider could not prepare the changes: ${result.reason ?? result.providerStatus ?? 'no reason given'}`,
            retryable: false,
          };
        },
      }),
      storeOperation: assign(({ context, event }) => ({
        operation: outputOf<ExecuteResult>(event).operation,
        phase: 'inProgress' as const,
        status: advanceTarget(context.status, 'deployed'),
      })),
      applyPoll: assign(({ context, event }) => {
        const result = outputOf<PollResult>(event);
        const events = [...context.events, ...result.events].slice(-MAX_KEPT_EVENTS);
        return {
          phase: result.phase,
          providerStatus: result.providerStatus,
          statusReason: result.statusReason,
          cursor: result.cursor ?? context.cursor,
          events,
          resources: applyEvents(context.resources, result.events, context.target.name),
          idleStreak: result.events.length > 0 ? 0 : context.idleStreak + 1,
          pagesRead: context.pagesRead + result.pagesRead,
          polls: context.polls + 1,
        };
      }),
      markStopRequested: assign({
        stopRequested: true,
        stoppedWithoutRollback: ({ event }) => outputOf<StopResult>(event).rollsBack === false,
        status: ({ context }) => advanceActivity(context.status, 'stopping'),
      }),
      noteStopRefused: assign({
        notices: ({ context, event }) => [...context.notices, `Stop is not possible: ${toErrorInfo(errorOf(event)).message}`],
      }),
      chooseRecovery: assign(({ context, event }) => ({
        chosenRecovery: event.type === 'CONSENT' ? event.action : undefined,
        recoveries: context.recoveries + 1,
      })),
      storeOutputs: assign({ outputs: ({ event }) => outputOf<StackOutput[]>(event) }),
      finish: assign(({ context }, final: 'succeeded' | 'failed' | 'rolledBack' | 'aborted' | 'noChanges') => {
        const failures = summarizeFailures(context.events, context.target.name);
        // A rollback the user asked for is a clean outcome; one caused by a failure is not.
        const failedByResource = final !== 'succeeded' && final !== 'aborted' && final !== 'noChanges' && !context.stopRequested;
        // Cancelled without rollback, and nothing failed: the person's choice, not a failure.
        const cancelledByPerson =
          final === 'failed' && context.stoppedWithoutRollback === true && failures.rootCause === undefined && !context.error && context.providerStatus === 'CANCELLED';
        const failed = (final === 'failed' && !cancelledByPerson) || (final === 'rolledBack' && failedByResource && failures.rootCause !== undefined);
        let error = context.error;
        if (!error && failed) {
          const root = failures.rootCause;
          error = {
            code: 'Validation',
            message: root ? `${root.logicalId} (${root.resourceType}): ${root.reason}` : (context.statusReason ?? `The deployment ended in ${context.providerStatus ?? 'a failed state'}.`),
            retryable: false,
          };
        }
        return { status: complete(context.status, final, failed), error };
      }),
    },
  }).createMachine({
    id: 'deployment',
    context: ({ input }) => ({
      deploymentId: input.deploymentId,
      target: input.target,
      autoExecute: input.autoExecute,
      watched: input.watched ?? true,
      status: INITIAL_STATUS,
      contacted: false,
      retry: { attempt: 0, waitedMs: 0, delayMs: 0 },
      stageChecks: 0,
      changes: [],
      reattached: false,
      resources: {},
      events: [],
      idleStreak: 0,
      pagesRead: 0,
      polls: 0,
      outputs: [],
      stopRequested: false,
      recoveries: 0,
      notices: [],
    }),
    initial: 'preflight',
    on: {
      SET_AUTO_EXECUTE: { actions: assign({ autoExecute: ({ event }) => event.value }) },
      SET_WATCHED: { actions: assign({ watched: ({ event }) => event.watched }) },
    },
    states: {
      preflight: {
        invoke: {
          id: 'preflight',
          src: 'preflight',
          input: ({ context }) => ({ deploymentId: context.deploymentId }),
          onDone: { target: 'initializing' },
          onError: [
            {
              guard: 'cancelledByUser',
              target: 'aborted',
              actions: assign({ notices: ({ context, event }) => [...context.notices, `${toErrorInfo(event.error).message} Nothing was deployed.`] }),
            },
            { target: 'failed', actions: 'noteFatalError' },
          ],
        },
        on: { ABORT: 'aborted' },
      },

      initializing: {
        entry: 'enterInitializing',
        initial: 'run',
        on: { ABORT: 'aborted' },
        states: {
          run: {
            invoke: {
              id: 'initialize',
              src: 'initialize',
              input: ({ context }) => ({ target: context.target, deploymentId: context.deploymentId, round: context.status.round }),
              onDone: { target: '#deployment.preparing', actions: ['noteSuccess', assign({ initialized: ({ event }) => event.output })] },
              onError: [
                { guard: 'canRetry', target: 'backoff', actions: 'noteRetry' },
                { target: '#deployment.failed', actions: 'noteFatalError' },
              ],
            },
          },
          backoff: { after: { retryDelay: 'run' }, on: { RESUME: 'run' } },
        },
      },

      preparing: {
        entry: { type: 'enter', params: 'preparing' },
        initial: 'run',
        on: { ABORT: 'aborted' },
        states: {
          run: {
            invoke: {
              id: 'describeTarget',
              src: 'describeTarget',
              input: ({ context }) => ({ target: context.target }),
              onDone: [
                {
                  // Nothing to watch or deploy over: wait for the delete to finish, then create the stack anew.
                  guard: 'targetBeingDeleted',
                  target: '#deployment.recreating.waiting',
                  actions: [
                    'noteSuccess',
                    'storeDescribed',
                    { type: 'addNotice', params: 'The stack was being deleted. Stackwatch waits for the deletion to finish, then creates it again.' },
                  ],
                },
                { guard: 'targetInProgress', target: '#deployment.monitoring', actions: ['noteSuccess', 'storeDescribed', 'reattach'] },
                {
                  guard: and(['targetUnrecoverable', 'tooManyRecoveries']),
                  target: '#deployment.failed',
                  actions: [
                    'noteSuccess',
                    'storeDescribed',
                    assign({
                      error: ({ context, event }) => ({
                        code: 'Conflict' as const,
                        message: `The stack is still ${event.output.providerStatus ?? 'unrecoverable'} after ${context.recoveries} recovery attempts. Fix it in the provider's console, then deploy again.`,
                        retryable: false,
                      }),
                    }),
                  ],
                },
                { guard: 'targetUnrecoverable', target: '#deployment.awaitingConsent', actions: ['noteSuccess', 'storeDescribed'] },
                { target: '#deployment.staging', actions: ['noteSuccess', 'storeDescribed'] },
              ],
              onError: [
                { guard: 'canRetry', target: 'backoff', actions: 'noteRetry' },
                { target: '#deployment.failed', actions: 'noteFatalError' },
              ],
            },
          },
          backoff: { after: { retryDelay: 'run' }, on: { RESUME: 'run' } },
        },
      },

      awaitingConsent: {
        entry: { type: 'enter', params: 'awaitingConsent' },
        on: {
          CONSENT: { guard: 'isConsentable', target: 'recreating', actions: 'chooseRecovery' },
          DECLINE: { target: 'aborted', actions: { type: 'addNotice', params: 'You declined the recovery. Nothing was deleted or changed.' } },
          ABORT: { target: 'aborted', actions: { type: 'addNotice', params: 'Nothing was deleted or changed.' } },
        },
      },

      recreating: {
        entry: { type: 'enter', params: 'recreating' },
        initial: 'run',
        states: {
          run: {
            invoke: {
              id: 'recover',
              src: 'recover',
              input: ({ context }) => ({
                target: context.target,
                // Only reachable through an accepted CONSENT, which sets the action.
                action: context.chosenRecovery ?? 'delete',
                deploymentId: context.deploymentId,
              }),
              onDone: { target: 'waiting', actions: 'noteSuccess' },
              onError: [
                { guard: 'canRetry', target: 'backoff', actions: 'noteRetry' },
                { target: '#deployment.failed', actions: 'noteFatalError' },
              ],
            },
          },
          backoff: { after: { retryDelay: 'run' }, on: { RESUME: 'run' } },
          waiting: { after: { recoveryPollDelay: 'checking' }, on: { RESUME: 'checking' } },
          checking: {
            invoke: {
              id: 'describeTarget',
              src: 'describeTarget',
              input: ({ context }) => ({ target: context.target }),
              onDone: [
                { guard: 'targetInProgress', target: 'waiting', actions: ['noteSuccess', 'storeDescribed'] },
                { target: '#deployment.initializing', actions: ['noteSuccess', 'storeDescribed'] },
              ],
              onError: [
                { guard: 'canRetry', target: 'checkBackoff', actions: 'noteRetry' },
                { target: '#deployment.failed', actions: 'noteFatalError' },
              ],
            },
          },
          checkBackoff: { after: { retryDelay: 'checking' }, on: { RESUME: 'checking' } },
        },
      },

      staging: {
        entry: { type: 'enter', params: 'staging' },
        initial: 'creating',
        on: {
          ABORT: [{ guard: 'hasStaged', target: 'aborting' }, { target: 'aborted' }],
        },
        states: {
          creating: {
            invoke: {
              id: 'stage',
              src: 'stage',
              input: ({ context }) => ({
                target: context.target,
                deploymentId: context.deploymentId,
                // initializing always sets it before staging can be entered.
                initialized: context.initialized as InitializedDeployment,
                condition: context.described?.condition ?? 'missing',
              }),
              onDone: { target: 'waiting', actions: ['noteSuccess', 'storeStaged'] },
              onError: [
                { guard: 'canRetry', target: 'createBackoff', actions: 'noteRetry' },
                { target: '#deployment.failed', actions: 'noteFatalError' },
              ],
            },
          },
          createBackoff: { after: { retryDelay: 'creating' }, on: { RESUME: 'creating' } },
          waiting: { after: { stagePollDelay: 'checking' }, on: { RESUME: 'checking' } },
          checking: {
            invoke: {
              id: 'describeStaged',
              src: 'describeStaged',
              input: ({ context }) => ({ target: context.target, stagedId: context.staged?.stagedId ?? '' }),
              onDone: [
                { guard: 'stagedPending', target: 'waiting', actions: ['noteSuccess', 'storeStagedState'] },
                {
                  guard: and(['stagedReady', 'autoExecute']),
                  target: '#deployment.executing',
                  actions: ['noteSuccess', 'storeStagedState'],
                },
                { guard: 'stagedReady', target: '#deployment.reviewing', actions: ['noteSuccess', 'storeStagedState'] },
                { guard: 'stagedEmpty', target: '#deployment.discardingEmpty', actions: ['noteSuccess', 'storeStagedState'] },
                { target: '#deployment.failed', actions: ['noteSuccess', 'storeStagedState', 'failStaging'] },
              ],
              onError: [
                { guard: 'canRetry', target: 'checkBackoff', actions: 'noteRetry' },
                { target: '#deployment.failed', actions: 'noteFatalError' },
              ],
            },
          },
          checkBackoff: { after: { retryDelay: 'checking' }, on: { RESUME: 'checking' } },
        },
      },

      reviewing: {
        entry: { type: 'enter', params: 'reviewing' },
        on: {
          EXECUTE: 'executing',
          ABORT: 'aborting',
        },
      },

      discardingEmpty: {
        invoke: {
          id: 'abortStaged',
          src: 'abortStaged',
          input: ({ context }) => ({
            target: context.target,
            stagedId: context.staged?.stagedId ?? '',
            removeCreatedTarget: context.staged?.createdTarget ?? false,
            targetId: context.staged?.targetId,
          }),
          onDone: 'noChanges',
          onError: {
            target: 'noChanges',
            actions: assign({
              notices: ({ context, event }) => [...context.notices, `The empty change set could not be removed: ${toErrorInfo(event.error).message}`],
            }),
          },
        },
      },

      aborting: {
        invoke: {
          id: 'abortStaged',
          src: 'abortStaged',
          input: ({ context }) => ({
            target: context.target,
            stagedId: context.staged?.stagedId ?? '',
            removeCreatedTarget: context.staged?.createdTarget ?? false,
            targetId: context.staged?.targetId,
          }),
          onDone: 'aborted',
          onError: {
            target: 'aborted',
            actions: assign({
              notices: ({ context, event }) => [...context.notices, `The staged changes could not be discarded: ${toErrorInfo(event.error).message}`],
            }),
          },
        },
      },

      executing: {
        entry: { type: 'enter', params: 'executing' },
        initial: 'run',
        states: {
          run: {
            invoke: {
              id: 'execute',
              src: 'execute',
              input: ({ context }) => ({
                target: context.target,
                stagedId: context.staged?.stagedId ?? '',
                deploymentId: context.deploymentId,
              }),
              onDone: { target: '#deployment.monitoring', actions: ['noteSuccess', 'storeOperation'] },
              onError: [
                { guard: 'canRetry', target: 'backoff', actions: 'noteRetry' },
                { target: '#deployment.failed', actions: 'noteFatalError' },
              ],
            },
          },
          // Whether a request cut off by a reload reached the provider is unknown: ask the stack.
          backoff: { after: { retryDelay: 'run' }, on: { RESUME: '#deployment.preparing' } },
        },
      },

      monitoring: {
        entry: { type: 'enter', params: 'deploying' },
        initial: 'polling',
        on: { STOP: { guard: 'canStop', target: 'stopping' } },
        states: {
          polling: {
            invoke: {
              id: 'poll',
              src: 'poll',
              input: ({ context }) => ({ target: context.target, operation: context.operation as OperationRef, cursor: context.cursor }),
              onDone: { target: 'routing', actions: ['noteSuccess', 'applyPoll'] },
              onError: [
                { guard: 'canRetry', target: 'backoff', actions: 'noteRetry' },
                { target: '#deployment.failed', actions: 'noteFatalError' },
              ],
            },
          },
          routing: {
            always: [
              { guard: 'phaseIsRollingBack', target: '#deployment.rollingBack' },
              { guard: 'phaseIsTerminal', target: '#deployment.finishing' },
              { target: 'waiting' },
            ],
          },
          waiting: { after: { pollDelay: 'polling' }, on: { RESUME: 'polling' } },
          backoff: { after: { retryDelay: 'polling' }, on: { RESUME: 'polling' } },
        },
      },

      stopping: {
        initial: 'run',
        states: {
          run: {
            invoke: {
              id: 'stop',
              src: 'stop',
              input: ({ context }) => ({ target: context.target, operation: context.operation as OperationRef, deploymentId: context.deploymentId }),
              onDone: { target: '#deployment.monitoring', actions: ['noteSuccess', 'markStopRequested'] },
              onError: [
                { guard: 'canRetry', target: 'backoff', actions: 'noteRetry' },
                // A refused stop leaves the deployment running; it is news, not a failure.
                { target: '#deployment.monitoring', actions: 'noteStopRefused' },
              ],
            },
          },
          backoff: { after: { retryDelay: 'run' }, on: { RESUME: 'run' } },
        },
      },

      rollingBack: {
        entry: { type: 'enter', params: 'rollingBack' },
        initial: 'polling',
        states: {
          polling: {
            invoke: {
              id: 'poll',
              src: 'poll',
              input: ({ context }) => ({ target: context.target, operation: context.operation as OperationRef, cursor: context.cursor }),
              onDone: { target: 'routing', actions: ['noteSuccess', 'applyPoll'] },
              onError: [
                { guard: 'canRetry', target: 'backoff', actions: 'noteRetry' },
                { target: '#deployment.failed', actions: 'noteFatalError' },
              ],
            },
          },
          routing: {
            always: [{ guard: 'phaseIsTerminal', target: '#deployment.finishing' }, { target: 'waiting' }],
          },
          waiting: { after: { pollDelay: 'polling' }, on: { RESUME: 'polling' } },
          backoff: { after: { retryDelay: 'polling' }, on: { RESUME: 'polling' } },
        },
      },

      finishing: {
        initial: 'route',
        states: {
          route: {
            always: [
              { guard: 'phaseSucceeded', target: 'fetchingOutputs' },
              { guard: 'phaseRolledBack', target: '#deployment.rolledBack' },
              { target: '#deployment.failed' },
            ],
          },
          fetchingOutputs: {
            invoke: {
              id: 'outputs',
              src: 'outputs',
              input: ({ context }) => ({ target: context.target }),
              onDone: { target: '#deployment.succeeded', actions: ['noteSuccess', 'storeOutputs'] },
              onError: [
                { guard: 'canRetry', target: 'backoff', actions: 'noteRetry' },
                {
                  // The stack is deployed; unreadable outputs don't undo that.
                  target: '#deployment.succeeded',
                  actions: assign({
                    notices: ({ context, event }) => [...context.notices, `The outputs could not be read: ${toErrorInfo(event.error).message}`],
                  }),
                },
              ],
            },
          },
          backoff: { after: { retryDelay: 'fetchingOutputs' }, on: { RESUME: 'fetchingOutputs' } },
        },
      },

      succeeded: { type: 'final', entry: { type: 'finish', params: 'succeeded' } },
      failed: { type: 'final', entry: { type: 'finish', params: 'failed' } },
      rolledBack: { type: 'final', entry: { type: 'finish', params: 'rolledBack' } },
      aborted: { type: 'final', entry: { type: 'finish', params: 'aborted' } },
      noChanges: { type: 'final', entry: { type: 'finish', params: 'noChanges' } },
    },
  });
}

export type DeploymentMachine = ReturnType<typeof createDeploymentMachine>;
export type DeploymentSnapshot = SnapshotFrom<DeploymentMachine>;
export type DeploymentActor = ActorRefFrom<DeploymentMachine>;
