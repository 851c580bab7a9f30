/**
 * The machine's guards: pure questions about the context and the event that arrived. Done and
 * error events of provider calls carry `output` / `error`; `outputOf` and `errorOf` read them.
 */
import type {
  AbortStagedResult,
  DescribeRecoveryResult,
  DescribeStagedResult,
  DescribeTargetResult,
  FindExecutionResult,
  OperationState,
  RecoveryActionId,
} from '../../providers/provider';
import { FIRST_CONTACT_ATTEMPTS, RETRY_BUDGET_MS } from '../backoff';
import { toErrorInfo } from '../errorInfo';
import { heldForReviewNotice } from '../reviewPolicy';
import {
  MAX_RECOVERIES,
  MAX_RECOVERY_PLAN_CHECKS,
  UNKNOWN_POLLS_BEFORE_ASKING,
  type DeploymentContext,
  type DeploymentEventType,
  type Ending,
} from './context';

/** Done and error events carry `output` / `error`; named actions and guards see them through the event union. */
export function outputOf<T>(event: { type: string }): T {
  // l10n-exempt: a programmer's mistake (a guard or action read output from an event without one)
  if (!('output' in event)) throw new Error(`Internal error: ${event.type} carries no output.`);
  return (event as { output: T }).output;
}

export function errorOf(event: { type: string }): unknown {
  return 'error' in event ? event.error : undefined;
}

/** The operation has ended, one way or another: the deployment finishes. */
const ENDED: ReadonlySet<OperationState> = new Set(['succeeded', 'failed', 'rolledBack', 'cancelled']);

/** The destructive way out the consent offers, whose destruction is listed. */
export function destructiveRecovery(described: DescribeTargetResult): RecoveryActionId | undefined {
  return described.recoveryActions.find((action) => action.destructive)?.id;
}

/** Ask again while the delete is being planned, up to MAX_RECOVERY_PLAN_CHECKS answers. */
export function stillPlanning(context: DeploymentContext, result: DescribeRecoveryResult | undefined): boolean {
  return result?.planning === true && (context.recoveryPlan?.checks ?? 0) + 1 < MAX_RECOVERY_PLAN_CHECKS;
}

function withinRetryBudget(context: DeploymentContext): boolean {
  if (!context.contacted) return context.retry.attempt + 1 < FIRST_CONTACT_ATTEMPTS;
  return context.retry.waitedMs < RETRY_BUDGET_MS;
}

interface GuardArgs {
  context: DeploymentContext;
  event: DeploymentEventType;
}

export const guards = {
  cancelledByUser: ({ event }: GuardArgs) => {
    const error = errorOf(event);
    return typeof error === 'object' && error !== null && (error as { cancelled?: unknown }).cancelled === true;
  },
  canRetry: ({ context, event }: GuardArgs) => toErrorInfo(errorOf(event)).retryable && withinRetryBudget(context),
  canRetryTimeout: ({ context }: GuardArgs) => withinRetryBudget(context),
  errorIsRetryable: ({ event }: GuardArgs) => toErrorInfo(errorOf(event)).retryable,
  mayAutoExecute: ({ context, event }: GuardArgs) =>
    context.autoExecute &&
    context.optionChangedInReview !== true &&
    (context.autoExecuteDestructive || heldForReviewNotice(outputOf<DescribeStagedResult>(event).changes) === undefined),
  abortRequested: ({ context }: GuardArgs) => context.abortRequested,
  resumeStaging: ({ context }: GuardArgs) => context.resumeStaging === true,
  exitRequested: ({ context }: GuardArgs) => context.exitRequested !== undefined,
  needsCleanup: ({ context }: GuardArgs) => context.stageSent,
  canStop: ({ context }: GuardArgs) => context.phase !== 'rollingBack' && !context.stopRequested && context.operation !== undefined,
  isConsentable: ({ context, event }: GuardArgs) => event.type === 'CONSENT' && (context.described?.recoveryActions ?? []).some((a) => a.id === event.action),
  operationRollingBack: ({ context }: GuardArgs) => context.phase === 'rollingBack',
  operationEnded: ({ context }: GuardArgs) => context.phase !== undefined && ENDED.has(context.phase),
  operationSucceeded: ({ context }: GuardArgs) => context.phase === 'succeeded',
  operationRolledBack: ({ context }: GuardArgs) => context.phase === 'rolledBack',
  targetInProgress: ({ event }: GuardArgs) => outputOf<DescribeTargetResult>(event).condition === 'inProgress',
  targetBeingDeleted: ({ event }: GuardArgs) => {
    const described = outputOf<DescribeTargetResult>(event);
    return described.condition === 'inProgress' && described.operation?.kind === 'delete';
  },
  targetUnrecoverable: ({ event }: GuardArgs) => outputOf<DescribeTargetResult>(event).condition === 'unrecoverable',
  tooManyRecoveries: ({ context }: GuardArgs) => context.recoveries >= MAX_RECOVERIES,
  offersDestructiveRecovery: ({ event }: GuardArgs) => destructiveRecovery(outputOf<DescribeTargetResult>(event)) !== undefined,
  recoveryStillPlanning: ({ context, event }: GuardArgs) => stillPlanning(context, outputOf<DescribeRecoveryResult | undefined>(event)),
  recoveryPlanSent: ({ context }: GuardArgs) => context.recoveryPlanSent === true,
  stagedPending: ({ event }: GuardArgs) => outputOf<DescribeStagedResult>(event).state === 'pending',
  stagedReady: ({ event }: GuardArgs) => outputOf<DescribeStagedResult>(event).state === 'ready',
  stagedEmpty: ({ event }: GuardArgs) => outputOf<DescribeStagedResult>(event).state === 'empty',
  foundExecuted: ({ event }: GuardArgs) => outputOf<FindExecutionResult>(event).state === 'executed',
  foundNotExecuted: ({ event }: GuardArgs) => outputOf<FindExecutionResult>(event).state === 'notExecuted',
  lostFromExecuting: ({ context }: GuardArgs) => context.lostFrom === 'executing',
  lostFromRollingBack: ({ context }: GuardArgs) => context.lostFrom === 'rollingBack',
  executeRefused: ({ context }: GuardArgs) => context.executeRefusal !== undefined,
  executedMeanwhile: ({ event }: GuardArgs) => outputOf<AbortStagedResult | undefined>(event)?.executedMeanwhile === true,
  unknownTooLong: ({ context }: GuardArgs) => context.phase === 'unknown' && (context.unknownStreak ?? 0) >= UNKNOWN_POLLS_BEFORE_ASKING,
  endsWith: ({ context }: GuardArgs, ending: Ending) => context.ending === ending,
};
