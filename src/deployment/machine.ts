/**
 * The deployment machine: pure states, guards and context. Every side effect is an actor
 * provided from outside (`machine.provide({ actors })`), so the same machine drives AWS,
 * Google Cloud, or a scripted fake in tests.
 *
 * Every provider call goes through one mechanism (`callStates` below): a deadline, backoff on
 * transient failures, and one place that decides what giving up means in that state. Before
 * anything reached the cloud, giving up fails the deployment; after an execute, a failed read
 * never decides the outcome: the deployment loses contact and says what it last knew.
 */
import { and, assign, fromPromise, setup, type ActorRefFrom, type SnapshotFrom } from 'xstate';
import type {
  AbortStagedResult,
  Change,
  DeploymentEvent,
  DescribeRecoveryResult,
  DescribeStagedResult,
  DescribeTargetResult,
  ExecuteResult,
  FindExecutionResult,
  OperationState,
  OperationRef,
  ParameterValue,
  PollResult,
  RecoverResult,
  RecoveryActionId,
  RecoveryPlanBasis,
  StackOutput,
  StageResult,
  StopResult,
  TargetCondition,
  TargetRef,
  TemplateSource,
} from '../providers/provider';
import { FIRST_CONTACT_ATTEMPTS, RETRY_BUDGET_MS, fullJitterDelay } from './backoff';
import { describeDeadline, resolveDeadlines, type DeadlineKind, type Deadlines } from './deadlines';
import { toErrorInfo, type ErrorInfo } from './errorInfo';
import { RECOVERY_POLL_MS, nextPollDelay, nextStagePollDelay } from './pollCadence';
import { applyEvents, summarizeFailures, type ResourceMap } from './resources';
import { heldForReviewNotice } from './reviewPolicy';
import {
  INITIAL_STATUS,
  advanceActivity,
  advanceTarget,
  complete,
  setErrorStatus,
  startNewRound,
  type ActivityStatus,
  type DeploymentStatus,
  type TerminalActivity,
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
  /** Let auto-execute run changes that replace or delete a data store (stackwatch.autoExecuteDestructive). */
  autoExecuteDestructive?: boolean;
  watched?: boolean;
  /**
   * Where it runs beyond the target's name and region: the profile or project and the endpoint,
   * in words. A reload resumes the deployment only where it was started.
   */
  where?: string;
}

/** Keeps a persisted snapshot bounded; older events stay in the log channel. */
export const MAX_KEPT_EVENTS = 2_000;
/** Polls in a row answering a status Stackwatch can't judge before it asks the person (Check again / record unknown). */
export const UNKNOWN_POLLS_BEFORE_ASKING = 5;
/** Recreating more often than this means something outside Stackwatch keeps breaking the stack. */
export const MAX_RECOVERIES = 3;
/**
 * Looks at a delete being planned before the consent keeps the list it has: at RECOVERY_POLL_MS
 * apart, about 10 minutes, longer than a preview normally takes on Infrastructure Manager.
 */
export const MAX_RECOVERY_PLAN_CHECKS = 200;
/** Keeps a persisted snapshot bounded; the consent shows only the first few anyway. */
export const MAX_KEPT_DESTROYS = 200;

/** What the offered destructive recovery would destroy, as the consent shows it. */
export interface RecoveryPlan {
  /** listing: no answer yet; listed: `destroys` holds; unavailable: it could not be listed (`note` says why). */
  state: 'listing' | 'listed' | 'unavailable';
  /** The first MAX_KEPT_DESTROYS of them. */
  destroys: Change[];
  /** How many there are in all. */
  total: number;
  basis?: RecoveryPlanBasis;
  /** A planned delete is still being made; the list is replaced when it is ready. */
  planning: boolean;
  note?: string;
  /** Answers so far, against MAX_RECOVERY_PLAN_CHECKS. */
  checks: number;
}

export interface RetryState {
  /** Failed attempts since the last successful call. */
  attempt: number;
  /** Backoff already spent since the last successful call, against RETRY_BUDGET_MS. */
  waitedMs: number;
  delayMs: number;
  lastError?: ErrorInfo;
}

/** The states a person's Check again returns to after contact was lost. */
export type LostFrom = 'executing' | 'monitoring' | 'rollingBack';

/** Where the deployment goes once what it staged is cleaned up. */
export type Ending = TerminalActivity;

export interface DeploymentContext {
  deploymentId: string;
  target: TargetRef;
  autoExecute: boolean;
  autoExecuteDestructive: boolean;
  watched: boolean;
  where?: string;
  status: DeploymentStatus;
  /** At least one provider call has succeeded in this deployment. */
  contacted: boolean;
  retry: RetryState;
  initialized?: InitializedDeployment;
  described?: DescribeTargetResult;
  /** A stage call was sent: something may exist in the cloud that the end must clean up. */
  stageSent: boolean;
  /**
   * Restored while a stage call was in flight: the template step runs again (secret inputs are
   * never persisted), then staging resumes with the same attempt and the condition read before,
   * so it adopts what the interrupted call made instead of judging its own REVIEW_IN_PROGRESS stack.
   */
  resumeStaging?: boolean;
  staged?: StageResult;
  stageChecks: number;
  stagedStatus?: string;
  changes: Change[];
  /** Abort arrived while the stage call was in flight: wait for it, then clean up. */
  abortRequested: boolean;
  /** Auto-execute was held because the changes can lose data; the text says why. */
  heldForReview?: string;
  /** The staged changes were executed (confirmed by the provider's answer). */
  executed: boolean;
  /** Abort or Stop arrived while an execute was in flight; what the person wanted. */
  exitRequested?: 'abort' | 'stop';
  /**
   * The provider refused the execute. Refusals can be wrong (a proxy's 403, an emulator that ignores
   * tokens), so the provider is asked first; this error stands only if nothing ran.
   */
  executeRefusal?: ErrorInfo;
  /** Polls in a row that answered a status Stackwatch does not know. */
  unknownStreak?: number;
  operation?: OperationRef;
  cursor?: string;
  phase?: OperationState;
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
  /** What the consent shows the destructive recovery would destroy; reset at each consent. */
  recoveryPlan?: RecoveryPlan;
  /**
   * A describeRecovery call was sent: what it may have started (a delete preview, which locks the
   * target while it runs) is removed before the recovery runs, and at the end in any case.
   */
  recoveryPlanSent?: boolean;
  /** Contact was lost after the execute; Check again resumes here. */
  lostFrom?: LostFrom;
  /** Where the deployment goes after cleaning up. */
  ending?: Ending;
  /** Something the user should know that did not stop the deployment. */
  notices: string[];
  /** The error that ended the deployment (or, for a lost contact, the last failed read). */
  error?: ErrorInfo;
}

export type DeploymentEventType =
  | { type: 'EXECUTE' }
  | { type: 'ABORT' }
  | { type: 'STOP' }
  | { type: 'CONSENT'; action: RecoveryActionId }
  | { type: 'DECLINE' }
  /** Someone else's operation runs on the target: wait for it to end, then deploy ours. */
  | { type: 'WATCH_OTHER' }
  /** Contact was lost: ask the provider again (e.g. after refreshing credentials). */
  | { type: 'CHECK_AGAIN' }
  /** Contact was lost and the person stops asking: the deployment ends as unknown. */
  | { type: 'DISMISS' }
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
  attempt: number;
  targetId?: string;
  initialized: InitializedDeployment;
  condition: TargetCondition;
}
export interface StagedInput extends TargetInput {
  stagedId: string;
}
export interface ExecuteInput extends StagedInput {
  deploymentId: string;
}
export interface AbortStagedInput extends TargetInput {
  stagedId?: string;
  deploymentId: string;
  attempt: number;
  executed: boolean;
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
  targetId?: string;
}
export type DescribeRecoveryInput = RecoverInput;
export interface DiscardRecoveryPlanInput extends TargetInput {
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

const TERMINAL_PHASES: ReadonlySet<OperationState> = new Set(['succeeded', 'failed', 'rolledBack']);

export interface MachineOptions {
  /** Source of jitter; tests pass a seeded one. */
  random?: () => number;
  /** Per-call deadlines; tests pass short ones. */
  deadlines?: Partial<Deadlines>;
}

/** A provider call's name in messages, by actor. */
const CALL_LABELS = {
  initialize: 'Loading and validating the template',
  describeTarget: 'Reading the target',
  stage: 'Staging the changes',
  describeStaged: 'Reading the staged changes',
  execute: 'Executing the changes',
  findExecution: 'Asking whether the changes were executed',
  abortStaged: 'Removing the staged changes',
  poll: 'Reading the deployment status',
  stop: 'Stopping the deployment',
  recover: 'Recovering the target',
  outputs: 'Reading the outputs',
  describeRecovery: 'Listing what the recovery would destroy',
  discardRecoveryPlan: 'Removing the delete preview',
} as const;

type CallName = keyof typeof CALL_LABELS;

interface TimeoutParams {
  call: CallName;
  kind: DeadlineKind;
}

export function createDeploymentMachine(options: MachineOptions = {}) {
  const random = options.random ?? Math.random;
  const deadlines = resolveDeadlines(options.deadlines);

  const timeoutInfo = ({ call, kind }: TimeoutParams): ErrorInfo => ({
    code: 'Transient',
    message: `${CALL_LABELS[call]}: no answer within ${describeDeadline(deadlines[kind])}.`,
    retryable: true,
  });

  const machineSetup = setup({
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
      findExecution: fromPromise<FindExecutionResult, ExecuteInput>(async () => notProvided('findExecution')),
      abortStaged: fromPromise<AbortStagedResult, AbortStagedInput>(async () => notProvided('abortStaged')),
      poll: fromPromise<PollResult, PollInput>(async () => notProvided('poll')),
      stop: fromPromise<StopResult, StopInput>(async () => notProvided('stop')),
      recover: fromPromise<RecoverResult, RecoverInput>(async () => notProvided('recover')),
      outputs: fromPromise<StackOutput[], TargetInput>(async () => notProvided('outputs')),
      describeRecovery: fromPromise<DescribeRecoveryResult | undefined, DescribeRecoveryInput>(async () => notProvided('describeRecovery')),
      discardRecoveryPlan: fromPromise<void, DiscardRecoveryPlanInput>(async () => notProvided('discardRecoveryPlan')),
    },
    delays: {
      retryDelay: ({ context }) => context.retry.delayMs,
      pollDelay: ({ context }) => nextPollDelay(context.idleStreak, context.watched),
      stagePollDelay: ({ context }) => nextStagePollDelay(context.stageChecks),
      recoveryPollDelay: RECOVERY_POLL_MS,
      readDeadline: deadlines.read,
      writeDeadline: deadlines.write,
      initializeDeadline: deadlines.initialize,
      cleanupDeadline: deadlines.cleanup,
    },
    guards: {
      cancelledByUser: ({ event }) => {
        const error = errorOf(event);
        return typeof error === 'object' && error !== null && (error as { cancelled?: unknown }).cancelled === true;
      },
      canRetry: ({ context, event }) => toErrorInfo(errorOf(event)).retryable && withinRetryBudget(context),
      canRetryTimeout: ({ context }) => withinRetryBudget(context),
      errorIsRetryable: ({ event }) => toErrorInfo(errorOf(event)).retryable,
      mayAutoExecute: ({ context, event }) =>
        context.autoExecute && (context.autoExecuteDestructive || heldForReviewNotice(outputOf<DescribeStagedResult>(event).changes) === undefined),
      abortRequested: ({ context }) => context.abortRequested,
      resumeStaging: ({ context }) => context.resumeStaging === true,
      exitRequested: ({ context }) => context.exitRequested !== undefined,
      needsCleanup: ({ context }) => context.stageSent,
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
      offersDestructiveRecovery: ({ event }) => destructiveRecovery(outputOf<DescribeTargetResult>(event)) !== undefined,
      recoveryStillPlanning: ({ context, event }) => stillPlanning(context, outputOf<DescribeRecoveryResult | undefined>(event)),
      recoveryPlanSent: ({ context }) => context.recoveryPlanSent === true,
      stagedPending: ({ event }) => outputOf<DescribeStagedResult>(event).state === 'pending',
      stagedReady: ({ event }) => outputOf<DescribeStagedResult>(event).state === 'ready',
      stagedEmpty: ({ event }) => outputOf<DescribeStagedResult>(event).state === 'empty',
      foundExecuted: ({ event }) => outputOf<FindExecutionResult>(event).state === 'executed',
      foundNotExecuted: ({ event }) => outputOf<FindExecutionResult>(event).state === 'notExecuted',
      lostFromExecuting: ({ context }) => context.lostFrom === 'executing',
      executeRefused: ({ context }) => context.executeRefusal !== undefined,
      executedMeanwhile: ({ event }) => outputOf<AbortStagedResult | undefined>(event)?.executedMeanwhile === true,
      unknownTooLong: ({ context }) => context.phase === 'unknown' && (context.unknownStreak ?? 0) >= UNKNOWN_POLLS_BEFORE_ASKING,
      lostFromRollingBack: ({ context }) => context.lostFrom === 'rollingBack',
      endsWith: ({ context }, ending: Ending) => context.ending === ending,
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
      endWith: assign({ ending: (_, ending: Ending) => ending }),
      noteSuccess: assign({
        contacted: true,
        retry: { attempt: 0, waitedMs: 0, delayMs: 0 },
        status: ({ context }) => setErrorStatus(context.status, 'none'),
      }),
      noteRetry: assign(({ context, event }) => retryAfter(context, toErrorInfo(errorOf(event)), random)),
      noteTimeout: assign(({ context }, params: TimeoutParams) => retryAfter(context, timeoutInfo(params), random)),
      noteFatalError: assign({
        error: ({ context, event }) => {
          const info = toErrorInfo(errorOf(event));
          if (!info.retryable || context.retry.attempt === 0) return info;
          return { ...info, message: `${info.message} (gave up after ${context.retry.attempt + 1} attempts)` };
        },
      }),
      noteFatalTimeout: assign({
        error: ({ context }, params: TimeoutParams) => {
          const info = timeoutInfo(params);
          return { ...info, retryable: false, message: `${info.message} (gave up after ${context.retry.attempt + 1} attempts)` };
        },
      }),
      addNotice: assign({
        notices: ({ context }, notice: string) => [...context.notices, notice],
      }),
      noteErrorAsNotice: assign({
        notices: ({ context, event }, prefix: string) => [...context.notices, `${prefix}: ${toErrorInfo(errorOf(event)).message}`],
      }),
      noteTimeoutAsNotice: assign({
        notices: ({ context }, params: TimeoutParams) => [...context.notices, timeoutInfo(params).message],
      }),
      storeDescribed: assign(({ event }) => {
        const described = outputOf<DescribeTargetResult>(event);
        return { described, providerStatus: described.providerStatus, statusReason: described.statusReason };
      }),
      markStageSent: assign({ stageSent: true }),
      requestAbort: assign({
        abortRequested: true,
        notices: ({ context }) =>
          context.abortRequested
            ? context.notices
            : [...context.notices, 'Aborting: Stackwatch waits for the change set being created, then removes it.'],
      }),
      storeStaged: assign({ staged: ({ event }) => outputOf<StageResult>(event), stageChecks: 0 }),
      storeStagedState: assign(({ context, event }) => {
        const result = outputOf<DescribeStagedResult>(event);
        return { stagedStatus: result.providerStatus, changes: result.changes, stageChecks: context.stageChecks + 1 };
      }),
      holdForReview: assign(({ context, event }) => {
        const held = heldForReviewNotice(outputOf<DescribeStagedResult>(event).changes);
        return held && context.autoExecute ? { heldForReview: held, notices: [...context.notices, held] } : {};
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
      requestExit: assign({
        exitRequested: ({ context, event }) => context.exitRequested ?? (event.type === 'STOP' ? ('stop' as const) : ('abort' as const)),
      }),
      storeOperation: assign(({ context, event }) => following(context, outputOf<ExecuteResult>(event).operation)),
      storeFoundOperation: assign(({ context, event }) => {
        const found = outputOf<FindExecutionResult>(event);
        return found.state === 'executed' ? following(context, found.operation) : {};
      }),
      noteExecutionGone: assign({
        error: ({ event }) => {
          const found = outputOf<FindExecutionResult>(event);
          const reason = found.state === 'gone' ? found.reason : 'the staged changes are gone';
          return { code: 'Conflict' as const, message: `Nothing was executed: ${reason}`, retryable: false };
        },
      }),
      applyPoll: assign(({ context, event }) => {
        const result = outputOf<PollResult>(event);
        const events = [...context.events, ...result.events].slice(-MAX_KEPT_EVENTS);
        const notices = result.notice && !context.notices.includes(result.notice) ? [...context.notices, result.notice] : context.notices;
        return {
          notices,
          unknownStreak: result.phase === 'unknown' ? (context.unknownStreak ?? 0) + 1 : 0,
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
      chooseRecovery: assign(({ context, event }) => ({
        chosenRecovery: event.type === 'CONSENT' ? event.action : undefined,
        recoveries: context.recoveries + 1,
      })),
      /** A new consent lists afresh: the last one's list was about the target as it was then. */
      startRecoveryPlan: assign(({ context }) => {
        const listing = context.described !== undefined && destructiveRecovery(context.described) !== undefined;
        return {
          recoveryPlan: listing ? { state: 'listing' as const, destroys: [], total: 0, planning: false, checks: 0 } : undefined,
          recoveryPlanSent: context.recoveryPlanSent === true || listing,
        };
      }),
      storeRecoveryPlan: assign(({ context, event }) => {
        const result = outputOf<DescribeRecoveryResult | undefined>(event);
        // A provider that cannot tell: the consent says nothing rather than "nothing is destroyed".
        if (result === undefined) return { recoveryPlan: undefined };
        const checks = (context.recoveryPlan?.checks ?? 0) + 1;
        const planning = stillPlanning(context, result);
        const gaveUpPlanning = result.planning && !planning;
        const note = gaveUpPlanning ? 'The delete is still being planned after 10 minutes; Stackwatch stopped waiting for the plan.' : result.note;
        // Only a planned delete can say "nothing is destroyed": an empty record may just be unreported.
        const unlisted = result.unavailable ?? (result.destroys.length === 0 && result.basis !== 'plannedDelete' ? 'The recorded state lists no resources, so what the delete destroys is not known.' : undefined);
        if (unlisted !== undefined) {
          const why = note ? `${unlisted} ${note}` : unlisted;
          return { recoveryPlanSent: true, recoveryPlan: { state: 'unavailable' as const, destroys: [], total: 0, planning, checks, note: why } };
        }
        return {
          recoveryPlanSent: true,
          recoveryPlan: {
            state: 'listed' as const,
            destroys: result.destroys.slice(0, MAX_KEPT_DESTROYS),
            total: result.destroys.length,
            basis: result.basis,
            planning,
            checks,
            ...(note ? { note } : {}),
          },
        };
      }),
      /** Listing failed: the consent says so, and keeps what it already showed. */
      markRecoveryPlanUnavailable: assign(({ context, event }) => {
        const error = errorOf(event);
        const reason = error !== undefined ? toErrorInfo(error).message : (context.retry.lastError?.message ?? 'no answer in time');
        const plan = context.recoveryPlan;
        if (plan?.state === 'listed') return { recoveryPlan: { ...plan, planning: false, note: `Planning the delete could not be followed: ${reason}` } };
        return { recoveryPlan: { state: 'unavailable' as const, destroys: [], total: 0, planning: false, checks: plan?.checks ?? 0, note: reason } };
      }),
      forgetRecoveryPlan: assign({ recoveryPlanSent: false }),
      /** An optional call gave up: its retries are no news once the consent or the end goes on. */
      forgetRetrying: assign({
        retry: { attempt: 0, waitedMs: 0, delayMs: 0 },
        status: ({ context }) => setErrorStatus(context.status, 'none'),
      }),
      storeOutputs: assign({
        outputs: ({ context, event }) => {
          const sensitive = new Set(context.initialized?.sensitiveOutputs ?? []);
          return outputOf<StackOutput[]>(event).map((o) => (sensitive.has(o.key) ? { ...o, sensitive: true } : o));
        },
      }),
      loseContact: assign(({ context, event }, from: LostFrom) => ({
        lostFrom: from,
        error: errorOf(event) !== undefined ? toErrorInfo(errorOf(event)) : (context.retry.lastError ?? context.error),
        status: setErrorStatus(context.status, 'lostContact'),
      })),
      loseContactByTimeout: assign(({ context }, params: TimeoutParams & { from: LostFrom }) => ({
        lostFrom: params.from,
        error: timeoutInfo(params),
        status: setErrorStatus(context.status, 'lostContact'),
      })),
      refuseExecute: assign({
        // A refusal, or the retry budget spent on errors or deadlines: it stands only if nothing ran.
        executeRefusal: ({ context, event }) =>
          errorOf(event) !== undefined
            ? toErrorInfo(errorOf(event))
            : { ...(context.retry.lastError ?? { code: 'Transient' as const, message: 'The execute got no answer.', retryable: true }), retryable: false },
      }),
      standByRefusal: assign({ error: ({ context }) => context.executeRefusal }),
      forgetExecuteErrors: assign({ error: undefined, executeRefusal: undefined }),
      /** The execute may have landed after Abort: follow it rather than end. */
      followLateExecution: assign({
        ending: undefined,
        notices: ({ context }) => [...context.notices, 'The execute reached the provider after all; Stackwatch follows it.'],
      }),
      loseContactToUnknownStatus: assign(({ context }) => ({
        lostFrom: 'monitoring' as const,
        error: {
          code: 'Unknown' as const,
          message: `The provider keeps answering ${context.providerStatus ?? 'a status'}${context.statusReason ? ` (${context.statusReason})` : ''}, which Stackwatch cannot judge, so it does not know how the deployment ends.`,
          retryable: false,
        },
        status: setErrorStatus(context.status, 'lostContact'),
      })),
      checkAgain: assign({
        unknownStreak: 0,
        // The lost read no longer stands for the outcome; the next answer decides.
        error: undefined,
        lostFrom: undefined,
        retry: { attempt: 0, waitedMs: 0, delayMs: 0 },
        status: ({ context }) => setErrorStatus(context.status, 'retrying'),
      }),
      finish: assign(({ context }, final: TerminalActivity) => {
        const failures = summarizeFailures(context.events, context.target.name);
        // A rollback the user asked for is a clean outcome; one caused by a failure is not.
        const failedByResource = final === 'rolledBack' && !context.stopRequested;
        // Cancelled without rollback, and nothing failed: the person's choice, not a failure.
        const cancelledByPerson =
          final === 'failed' && context.stoppedWithoutRollback === true && failures.rootCause === undefined && !context.error && context.providerStatus === 'CANCELLED';
        const failed = (final === 'failed' && !cancelledByPerson) || (failedByResource && failures.rootCause !== undefined);
        let error = context.error;
        if (!error && failed) {
          const root = failures.rootCause;
          error = {
            code: 'Validation',
            message: root ? (root.onTarget ? root.reason : `${root.logicalId} (${root.resourceType}): ${root.reason}`) : (context.statusReason ?? `The deployment ended in ${context.providerStatus ?? 'a failed state'}.`),
            retryable: false,
          };
        }
        return { status: complete(context.status, final, failed), error };
      }),
    },
  });

  type StateConfig = Parameters<typeof machineSetup.createStateConfig>[0];
  type Transitions = NonNullable<NonNullable<StateConfig['invoke']>>;
  /** A transition list as the invoke's onDone / the deadline's give-up take it. */
  type Transition = Exclude<Transitions, readonly unknown[]> extends { onDone?: infer T } ? T : never;

  interface CallStep {
    call: CallName;
    deadline: DeadlineKind;
    input: (args: { context: DeploymentContext }) => unknown;
    onDone: Transition;
    /** A non-retryable error: the actions run after noteFatalError. */
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
    noticePrefix?: string;
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

  /**
   * The one way the machine calls a provider: `name` runs the call under its deadline,
   * `${name}Backoff` waits before the next attempt. Leaving `name` (a deadline, Abort, Stop)
   * aborts the call through its AbortSignal.
   */
  function callStates(name: string, step: CallStep): Record<string, StateConfig> {
    const backoff = `${name}Backoff`;
    const params: TimeoutParams = { call: step.call, kind: step.deadline };
    const errorAs = step.errorAs ?? 'error';
    const onErrorActions = (): unknown[] =>
      errorAs === 'quiet'
        ? []
        : errorAs === 'notice'
        ? [{ type: 'noteErrorAsNotice', params: step.noticePrefix ?? CALL_LABELS[step.call] }]
        : errorAs === 'lostContact'
          ? [{ type: 'loseContact', params: step.lostFrom ?? 'monitoring' }]
          : ['noteFatalError'];
    const onTimeoutActions = (): unknown[] =>
      errorAs === 'quiet'
        ? []
        : errorAs === 'notice'
        ? [{ type: 'noteTimeoutAsNotice', params }]
        : errorAs === 'lostContact'
          ? [{ type: 'loseContactByTimeout', params: { ...params, from: step.lostFrom ?? 'monitoring' } }]
          : [{ type: 'noteFatalTimeout', params }];
    const exhausted = step.exhausted ?? step.giveUp;
    const run = {
      invoke: {
        id: step.call,
        src: step.call,
        input: step.input,
        onDone: step.onDone,
        onError: [
          ...(step.unlessWanted ? [step.unlessWanted] : []),
          { guard: 'canRetry', target: backoff, actions: 'noteRetry' },
          { guard: 'errorIsRetryable', target: exhausted.target, actions: [...onErrorActions(), ...(exhausted.actions ?? [])] },
          { target: step.giveUp.target, actions: [...onErrorActions(), ...(step.giveUp.actions ?? [])] },
        ],
      },
      after: {
        [deadlineDelay[step.deadline]]: [
          ...(step.unlessWanted ? [step.unlessWanted] : []),
          { guard: 'canRetryTimeout', target: backoff, actions: { type: 'noteTimeout', params } },
          { target: exhausted.target, actions: [...onTimeoutActions(), ...(exhausted.actions ?? [])] },
        ],
      },
      ...(step.on ? { on: step.on } : {}),
    };
    return {
      [name]: run as StateConfig,
      [backoff]: { after: { retryDelay: name }, on: { RESUME: name } },
    };
  }

  const end = (ending: Ending) => ({ type: 'endWith' as const, params: ending });

  /** What a description of the target leads to, wherever it was read. */
  function afterDescribe(inProgressTarget: string): Transition {
    return [
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
      { guard: 'targetInProgress', target: inProgressTarget, actions: ['noteSuccess', 'storeDescribed'] },
      {
        guard: and(['targetUnrecoverable', 'tooManyRecoveries']),
        target: '#deployment.cleaningUp',
        actions: [
          'noteSuccess',
          'storeDescribed',
          assign({
            error: ({ context, event }) => ({
              code: 'Conflict' as const,
              message: `The stack is still ${outputOf<DescribeTargetResult>(event).providerStatus ?? 'unrecoverable'} after ${context.recoveries} recovery attempts. Fix it in the provider's console, then deploy again.`,
              retryable: false,
            }),
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

  const describeTargetInput = ({ context }: { context: DeploymentContext }) => ({ target: context.target });
  /** Removes what describeRecovery started; a failure is a notice and never stops what comes next. */
  const discardStep = (next: string): CallStep => ({
    call: 'discardRecoveryPlan',
    deadline: 'cleanup',
    input: ({ context }) => ({ target: context.target, deploymentId: context.deploymentId }),
    onDone: { target: next, actions: ['noteSuccess', 'forgetRecoveryPlan'] } as Transition,
    giveUp: { target: next, actions: ['forgetRetrying'] },
    errorAs: 'notice',
    noticePrefix: 'The delete preview could not be removed',
  });
  const failWithCleanup = { target: '#deployment.cleaningUp', actions: [end('failed')] };
  const pollStep = (from: LostFrom): CallStep => ({
    call: 'poll',
    deadline: 'read',
    input: ({ context }) => ({ target: context.target, operation: context.operation as OperationRef, cursor: context.cursor }),
    onDone: { target: 'routing', actions: ['noteSuccess', 'applyPoll'] } as Transition,
    // After the execute, a read that fails never decides the outcome.
    giveUp: { target: '#deployment.lostContact' },
    errorAs: 'lostContact',
    lostFrom: from,
  });

  return machineSetup.createMachine({
    id: 'deployment',
    context: ({ input }) => ({
      deploymentId: input.deploymentId,
      target: input.target,
      autoExecute: input.autoExecute,
      autoExecuteDestructive: input.autoExecuteDestructive ?? false,
      watched: input.watched ?? true,
      ...(input.where !== undefined ? { where: input.where } : {}),
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
    }),
    initial: 'preflight',
    on: {
      SET_AUTO_EXECUTE: { actions: assign({ autoExecute: ({ event }) => event.value }) },
      SET_WATCHED: { actions: assign({ watched: ({ event }) => event.watched }) },
    },
    states: {
      preflight: {
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
              actions: [assign({ notices: ({ context, event }) => [...context.notices, `${toErrorInfo(event.error).message} Nothing was deployed.`] }), end('aborted')],
            },
            { target: 'cleaningUp', actions: ['noteFatalError', end('failed')] },
          ],
        },
        on: { ABORT: { target: 'cleaningUp', actions: end('aborted') } },
      },

      initializing: {
        entry: 'enterInitializing',
        initial: 'run',
        on: { ABORT: { target: 'cleaningUp', actions: end('aborted') } },
        states: callStates('run', {
          call: 'initialize',
          deadline: 'initialize',
          input: ({ context }) => ({ target: context.target, deploymentId: context.deploymentId, round: context.status.round }),
          onDone: [
            {
              guard: 'resumeStaging',
              target: '#deployment.staging',
              actions: ['noteSuccess', assign({ initialized: ({ event }) => outputOf<InitializedDeployment>(event), resumeStaging: false })],
            },
            { target: '#deployment.preparing', actions: ['noteSuccess', assign({ initialized: ({ event }) => outputOf<InitializedDeployment>(event) })] },
          ] as Transition,
          giveUp: failWithCleanup,
        }),
      },

      preparing: {
        entry: { type: 'enter', params: 'preparing' },
        initial: 'run',
        on: { ABORT: { target: 'cleaningUp', actions: end('aborted') } },
        states: callStates('run', {
          call: 'describeTarget',
          deadline: 'read',
          input: describeTargetInput,
          onDone: afterDescribe('#deployment.otherOperation'),
          giveUp: failWithCleanup,
        }),
      },

      otherOperation: {
        // Someone else's operation (the console, another tool, another window) runs on the
        // target. Its outcome is theirs: we only wait for it to end, then deploy ours.
        entry: { type: 'enter', params: 'otherOperation' },
        initial: 'asking',
        on: {
          ABORT: {
            target: 'cleaningUp',
            actions: [{ type: 'addNotice', params: 'Nothing was deployed. The other operation goes on.' }, end('aborted')],
          },
        },
        states: {
          asking: { on: { WATCH_OTHER: 'waiting' } },
          waiting: { after: { recoveryPollDelay: 'checking' }, on: { RESUME: 'checking' } },
          ...callStates('checking', {
            call: 'describeTarget',
            deadline: 'read',
            input: describeTargetInput,
            onDone: afterDescribe('#deployment.otherOperation.waiting'),
            giveUp: failWithCleanup,
          }),
        },
      },

      awaitingConsent: {
        entry: [{ type: 'enter', params: 'awaitingConsent' }, 'startRecoveryPlan'],
        // The answers work at once: the list shows what is known now (the target's last recorded
        // state, quickly) and is replaced by the planned delete when it is ready. A delete preview
        // takes minutes; nobody should wait minutes to say No.
        initial: 'listing',
        on: {
          CONSENT: { guard: 'isConsentable', target: 'recreating', actions: ['chooseRecovery', 'forgetRetrying'] },
          DECLINE: {
            target: 'cleaningUp',
            actions: ['forgetRetrying', { type: 'addNotice', params: 'You declined the recovery. Nothing was deleted or changed.' }, end('aborted')],
          },
          ABORT: { target: 'cleaningUp', actions: ['forgetRetrying', { type: 'addNotice', params: 'Nothing was deleted or changed.' }, end('aborted')] },
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
      },

      recreating: {
        entry: { type: 'enter', params: 'recreating' },
        initial: 'start',
        on: {
          ABORT: {
            target: 'cleaningUp',
            actions: [{ type: 'addNotice', params: 'Stackwatch stopped waiting. A recovery the provider already accepted (a delete) goes on; nothing else was changed.' }, end('aborted')],
          },
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
              // The consent was given about this stack, in the state it was described in.
              targetId: context.described?.targetId,
            }),
            onDone: { target: 'waiting', actions: 'noteSuccess' } as Transition,
            giveUp: failWithCleanup,
          }),
          waiting: { after: { recoveryPollDelay: 'checking' }, on: { RESUME: 'checking' } },
          ...callStates('checking', {
            call: 'describeTarget',
            deadline: 'read',
            input: describeTargetInput,
            onDone: [
              { guard: 'targetInProgress', target: 'waiting', actions: ['noteSuccess', 'storeDescribed'] },
              { target: '#deployment.initializing', actions: ['noteSuccess', 'storeDescribed'] },
            ] as Transition,
            giveUp: failWithCleanup,
          }),
        },
      },

      staging: {
        entry: [{ type: 'enter', params: 'staging' }, 'markStageSent'],
        initial: 'creating',
        on: { ABORT: { target: 'cleaningUp', actions: end('aborted') } },
        states: {
          ...callStates('creating', {
            call: 'stage',
            deadline: 'write',
            input: ({ context }) => ({
              target: context.target,
              deploymentId: context.deploymentId,
              // One attempt per round; retries and a resume of the same round reuse its name.
              attempt: context.status.round,
              // initializing always sets it before staging can be entered.
              initialized: context.initialized as InitializedDeployment,
              condition: context.described?.condition ?? 'missing',
              targetId: context.described?.targetId,
            }),
            onDone: [
              { guard: 'abortRequested', target: '#deployment.cleaningUp', actions: ['noteSuccess', 'storeStaged', end('aborted')] },
              { target: 'waiting', actions: ['noteSuccess', 'storeStaged'] },
            ] as Transition,
            giveUp: failWithCleanup,
            // Whether the change set exists is unknown until the call answers: wait for it.
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
              { guard: and(['stagedReady', 'mayAutoExecute']), target: '#deployment.executing', actions: ['noteSuccess', 'storeStagedState'] },
              { guard: 'stagedReady', target: '#deployment.reviewing', actions: ['noteSuccess', 'storeStagedState', 'holdForReview'] },
              { guard: 'stagedEmpty', target: '#deployment.cleaningUp', actions: ['noteSuccess', 'storeStagedState', end('noChanges')] },
              { target: '#deployment.cleaningUp', actions: ['noteSuccess', 'storeStagedState', 'failStaging', end('failed')] },
            ] as Transition,
            giveUp: failWithCleanup,
          }),
        },
      },

      reviewing: {
        entry: { type: 'enter', params: 'reviewing' },
        on: {
          EXECUTE: 'executing',
          ABORT: { target: 'cleaningUp', actions: end('aborted') },
        },
      },

      executing: {
        // What the provider said before (the stack's old status) is not news about this execute.
        entry: [{ type: 'enter', params: 'executing' }, assign({ providerStatus: undefined, statusReason: undefined })],
        initial: 'run',
        // The execute may have reached the provider: ask before doing anything else.
        on: { ABORT: { target: '.confirming', actions: 'requestExit' }, STOP: { target: '.confirming', actions: 'requestExit' } },
        states: {
          ...callStates('run', {
            call: 'execute',
            deadline: 'write',
            input: ({ context }) => ({ target: context.target, stagedId: context.staged?.stagedId ?? '', deploymentId: context.deploymentId }),
            onDone: { target: '#deployment.monitoring', actions: ['noteSuccess', 'storeOperation'] } as Transition,
            // Refused: the refusal is kept, and the provider asked whether anything ran anyway.
            giveUp: { target: 'confirming', actions: ['refuseExecute'] },
            errorAs: 'quiet',
            // No answer: whether it ran is unknown until the provider is asked; if nothing ran, it failed.
            exhausted: { target: 'confirming', actions: ['refuseExecute'] },
          }),
          ...callStates('confirming', {
            call: 'findExecution',
            deadline: 'read',
            input: ({ context }) => ({ target: context.target, stagedId: context.staged?.stagedId ?? '', deploymentId: context.deploymentId }),
            onDone: [
              {
                guard: and(['foundExecuted', 'exitRequested']),
                target: '#deployment.stopping',
                actions: [
                  'noteSuccess',
                  'forgetExecuteErrors',
                  'storeFoundOperation',
                  { type: 'addNotice', params: 'The changes had already started deploying when you asked to stop; Stackwatch is stopping them.' },
                ],
              },
              { guard: 'foundExecuted', target: '#deployment.monitoring', actions: ['noteSuccess', 'forgetExecuteErrors', 'storeFoundOperation'] },
              {
                guard: and(['foundNotExecuted', 'exitRequested']),
                target: '#deployment.cleaningUp',
                actions: ['noteSuccess', 'forgetExecuteErrors', { type: 'addNotice', params: 'Nothing had been executed; Stackwatch removes the staged changes.' }, end('aborted')],
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
      },

      monitoring: {
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
      },

      stopping: {
        initial: 'run',
        states: callStates('run', {
          call: 'stop',
          deadline: 'write',
          input: ({ context }) => ({ target: context.target, operation: context.operation as OperationRef, deploymentId: context.deploymentId }),
          onDone: { target: '#deployment.monitoring', actions: ['noteSuccess', 'markStopRequested'] } as Transition,
          // A refused or unanswered stop leaves the deployment running; it is news, not a failure.
          giveUp: { target: '#deployment.monitoring' },
          errorAs: 'notice',
          noticePrefix: 'Stop is not possible',
        }),
      },

      rollingBack: {
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
      },

      lostContact: {
        // The cloud's answer is unknown: say what was last known, and let the person ask again.
        on: {
          CHECK_AGAIN: [
            { guard: 'lostFromExecuting', target: 'executing.confirming', actions: 'checkAgain' },
            { guard: 'lostFromRollingBack', target: 'rollingBack.polling', actions: 'checkAgain' },
            { target: 'monitoring.polling', actions: 'checkAgain' },
          ],
          DISMISS: { target: 'cleaningUp', actions: end('unknown') },
        },
      },

      finishing: {
        initial: 'route',
        states: {
          route: {
            always: [
              { guard: 'phaseSucceeded', target: 'fetchingOutputs' },
              { guard: 'phaseRolledBack', target: '#deployment.cleaningUp', actions: end('rolledBack') },
              { target: '#deployment.cleaningUp', actions: end('failed') },
            ],
          },
          ...callStates('fetchingOutputs', {
            call: 'outputs',
            deadline: 'read',
            input: ({ context }) => ({ target: context.target }),
            onDone: { target: '#deployment.cleaningUp', actions: ['noteSuccess', 'storeOutputs', end('succeeded')] } as Transition,
            // The stack is deployed; unreadable outputs don't undo that.
            giveUp: { target: '#deployment.cleaningUp', actions: [end('succeeded')] },
            errorAs: 'notice',
            noticePrefix: 'The outputs could not be read',
          }),
        },
      },

      cleaningUp: {
        // Whatever this deployment staged and did not execute is removed before it ends.
        initial: 'check',
        states: {
          check: { always: [{ guard: 'recoveryPlanSent', target: 'discarding' }, { target: 'checkStaged' }] },
          ...callStates('discarding', discardStep('checkStaged')),
          checkStaged: { always: [{ guard: 'needsCleanup', target: 'run' }, { target: 'route' }] },
          ...callStates('run', {
            call: 'abortStaged',
            deadline: 'cleanup',
            input: ({ context }) => ({
              target: context.target,
              stagedId: context.staged?.stagedId,
              deploymentId: context.deploymentId,
              attempt: context.status.round,
              executed: context.executed,
              // Only a target this deployment's staging created: one found before (an empty shell someone left) is not ours.
              removeCreatedTarget: (context.staged?.createdTarget ?? (context.described?.condition === 'missing' && context.described.targetId === undefined)) && !context.executed,
              targetId: context.staged?.targetId,
            }),
            onDone: [
              // An execute cancelled by Abort that landed anyway: it is followed, not reported aborted.
              { guard: 'executedMeanwhile', target: '#deployment.executing.confirming', actions: ['noteSuccess', 'followLateExecution'] },
              { target: 'route', actions: 'noteSuccess' },
            ] as Transition,
            giveUp: { target: 'route' },
            errorAs: 'notice',
            noticePrefix: 'What this deployment staged could not be removed',
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
      },

      succeeded: { type: 'final', entry: { type: 'finish', params: 'succeeded' } },
      failed: { type: 'final', entry: { type: 'finish', params: 'failed' } },
      rolledBack: { type: 'final', entry: { type: 'finish', params: 'rolledBack' } },
      aborted: { type: 'final', entry: { type: 'finish', params: 'aborted' } },
      noChanges: { type: 'final', entry: { type: 'finish', params: 'noChanges' } },
      /** Contact was lost after the execute and the person stopped asking: the outcome is not known. */
      unknown: { type: 'final', entry: { type: 'finish', params: 'unknown' } },
    },
  });
}

/** The deployment follows an execution of its changes from now on. */
function following(context: DeploymentContext, operation: OperationRef): Pick<DeploymentContext, 'operation' | 'executed' | 'phase' | 'status'> {
  return { operation, executed: true, phase: 'inProgress', status: advanceTarget(context.status, 'deployed') };
}

/** The destructive way out the consent offers, whose destruction is listed. */
function destructiveRecovery(described: DescribeTargetResult): RecoveryActionId | undefined {
  return described.recoveryActions.find((action) => action.destructive)?.id;
}

/** Ask again while the delete is being planned, up to MAX_RECOVERY_PLAN_CHECKS answers. */
function stillPlanning(context: DeploymentContext, result: DescribeRecoveryResult | undefined): boolean {
  return result?.planning === true && (context.recoveryPlan?.checks ?? 0) + 1 < MAX_RECOVERY_PLAN_CHECKS;
}

function withinRetryBudget(context: DeploymentContext): boolean {
  if (!context.contacted) return context.retry.attempt + 1 < FIRST_CONTACT_ATTEMPTS;
  return context.retry.waitedMs < RETRY_BUDGET_MS;
}

function retryAfter(context: DeploymentContext, lastError: ErrorInfo, random: () => number): Pick<DeploymentContext, 'retry' | 'status'> {
  const delayMs = fullJitterDelay(context.retry.attempt, random);
  return {
    retry: { attempt: context.retry.attempt + 1, waitedMs: context.retry.waitedMs + delayMs, delayMs, lastError },
    status: setErrorStatus(context.status, 'retrying'),
  };
}

export type DeploymentMachine = ReturnType<typeof createDeploymentMachine>;
export type DeploymentSnapshot = SnapshotFrom<DeploymentMachine>;
export type DeploymentActor = ActorRefFrom<DeploymentMachine>;
