/**
 * The machine's actions: every change to the context, by name. Pure (assign only); the
 * jitter source and the deadlines come from the machine's options.
 */
import * as l10n from '@vscode/l10n';
import { assign } from 'xstate';
import type {
  DescribeRecoveryResult,
  DescribeStagedResult,
  DescribeTargetResult,
  ExecuteResult,
  FindExecutionResult,
  OperationRef,
  PollResult,
  StackOutput,
  StageResult,
  StopResult,
} from '../../providers/provider';
import { fullJitterDelay } from '../backoff';
import type { Deadlines } from '../deadlines';
import { toErrorInfo, type ErrorInfo } from '../errorInfo';
import { failureSummaryOf, mergeFailureDetails } from '../failureDetails';
import { applyEvents } from '../resources';
import { heldForReviewNotice } from '../reviewPolicy';
import { advanceActivity, advanceTarget, complete, setErrorStatus, startNewRound, type ActivityStatus } from '../status';
import { baseSetup } from './base';
import { timeoutError, type TimeoutParams } from './calls';
import { MAX_KEPT_DESTROYS, MAX_KEPT_EVENTS, MAX_KEPT_FAILURE_DETAILS, MAX_KEPT_FINDINGS, type DeploymentContext, type Ending, type LostFrom } from './context';
import { destructiveRecovery, errorOf, outputOf, stillPlanning } from './guards';
import { failedStepNotice, noticeText, type FailedStep, type NoticeId } from './notices';
import type { FinalState } from './tags';
import { sentences } from '../../shared/sentences';

/** The last error's message, and that it was the last of several tries, as plain sentences. */
function gaveUpAfter(message: string, attempts: number): string {
  return sentences(message, attempts === 1 ? l10n.t('Stackwatch gave up after 1 attempt') : l10n.t('Stackwatch gave up after {0} attempts', attempts));
}

/** A status Stackwatch cannot judge, answered again and again: the deployment's outcome is not known. */
function unjudgedStatusMessage(status: string | undefined, reason: string | undefined): string {
  if (status === undefined) {
    return reason
      ? l10n.t('The provider keeps answering a status ({0}), which Stackwatch cannot judge, so it does not know how the deployment ends.', reason)
      : l10n.t('The provider keeps answering a status, which Stackwatch cannot judge, so it does not know how the deployment ends.');
  }
  return reason
    ? l10n.t('The provider keeps answering {0} ({1}), which Stackwatch cannot judge, so it does not know how the deployment ends.', status, reason)
    : l10n.t('The provider keeps answering {0}, which Stackwatch cannot judge, so it does not know how the deployment ends.', status);
}

/** A failed end without a reason: the status it ended in, when the provider named one. */
function endedInMessage(status: string | undefined): string {
  return status === undefined ? l10n.t('The deployment ended in a failed state.') : l10n.t('The deployment ended in {0}.', status);
}

/** The deployment follows an execution of its changes from now on. */
function following(context: DeploymentContext, operation: OperationRef): Pick<DeploymentContext, 'operation' | 'executed' | 'phase' | 'status'> {
  return { operation, executed: true, phase: 'inProgress', status: advanceTarget(context.status, 'deployed') };
}

function retryAfter(context: DeploymentContext, lastError: ErrorInfo, random: () => number): Pick<DeploymentContext, 'retry' | 'status'> {
  const delayMs = fullJitterDelay(context.retry.attempt, random);
  return {
    retry: { attempt: context.retry.attempt + 1, waitedMs: context.retry.waitedMs + delayMs, delayMs, lastError },
    status: setErrorStatus(context.status, 'retrying'),
  };
}

/** The setup with its actions; `random` is the jitter source, `deadlines` name the timeouts. */
export function withActions(random: () => number, deadlines: Deadlines) {
  const timeoutInfo = (params: TimeoutParams): ErrorInfo => timeoutError(deadlines, params);
  return baseSetup.extend({
    actions: {
      enter: assign({
        status: ({ context }, activity: ActivityStatus) => advanceActivity(context.status, activity),
      }),
      enterInitializing: assign({
        // Coming back from recreating starts a new round; the first time it is a plain step forward.
        status: ({ context }) => (context.status.activity === 'recreating' ? startNewRound(context.status) : advanceActivity(context.status, 'initializing')),
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
          return { ...info, message: gaveUpAfter(info.message, context.retry.attempt + 1) };
        },
      }),
      noteFatalTimeout: assign({
        error: ({ context }, params: TimeoutParams) => {
          const info = timeoutInfo(params);
          return { ...info, retryable: false, message: gaveUpAfter(info.message, context.retry.attempt + 1) };
        },
      }),
      addNotice: assign({
        notices: ({ context }, notice: NoticeId) => [...context.notices, noticeText(notice)],
      }),
      noteErrorAsNotice: assign({
        notices: ({ context, event }, step: FailedStep) => [...context.notices, failedStepNotice(step, toErrorInfo(errorOf(event)).message)],
      }),
      noteTimeoutAsNotice: assign({
        notices: ({ context }, params: TimeoutParams) => [...context.notices, timeoutInfo(params).message],
      }),
      storeDescribed: assign(({ event }) => {
        const described = outputOf<DescribeTargetResult>(event);
        return { described, providerStatus: described.providerStatus, statusReason: described.statusReason };
      }),
      markStageSent: assign({ stageSent: true, restageUnsent: false }),
      requestAbort: assign({
        abortRequested: true,
        notices: ({ context }) =>
          context.abortRequested
            ? context.notices
            : [...context.notices, l10n.t('Aborting: Stackwatch waits for the changes being staged, then removes them.')],
      }),
      storeStaged: assign({ staged: ({ event }) => outputOf<StageResult>(event), stageChecks: 0 }),
      storeStagedState: assign(({ context, event }) => {
        const result = outputOf<DescribeStagedResult>(event);
        return {
          stagedStatus: result.providerStatus,
          changes: result.changes,
          stageChecks: context.stageChecks + 1,
          findings: (result.findings ?? []).slice(0, MAX_KEPT_FINDINGS),
        };
      }),
      /** The review's SET_OPTION (the optionAccepted guard checked it): every later stage uses it. */
      recordOption: assign({
        options: ({ context, event }) => (event.type === 'SET_OPTION' ? { ...context.options, [event.id]: event.value } : context.options),
        optionsOfStaged: ({ context }) => context.options ?? {},
        optionChangedInReview: true,
      }),
      /** The staged changes could not be removed: they stay under review, with the options they were staged with. */
      keepStaged: assign({
        options: ({ context }) => context.optionsOfStaged ?? context.options,
        optionsOfStaged: undefined,
      }),
      /** Someone else executed what was staged while it was being removed: it is theirs now, and nothing of ours is staged. */
      yieldToOtherExecution: assign(({ context }) => ({
        status: startNewRound(context.status),
        staged: undefined,
        changes: [],
        stagedStatus: undefined,
        findings: undefined,
        heldForReview: undefined,
        optionsOfStaged: undefined,
        // The target they deployed into is theirs too: the end never removes it.
        createdTargetId: undefined,
        restageUnsent: true,
        notices: [
          ...context.notices,
          l10n.t(
            'Someone else executed the staged changes while Stackwatch was removing them to stage again: that operation is theirs, and is not recorded as this deployment. Stackwatch reads the stack again before staging yours.',
          ),
        ],
      })),
      /** What was staged is removed: the next round stages again, against the target as read before. */
      startRestage: assign(({ context }) => ({
        status: startNewRound(context.status),
        resumeStaging: true,
        // Initializing forgets `staged`; the target its staging created is still ours to remove.
        createdTargetId: (context.staged?.createdTarget === true ? context.staged.targetId : undefined) ?? context.createdTargetId,
        restageUnsent: true,
        optionsOfStaged: undefined,
        heldForReview: undefined,
        stagedStatus: undefined,
        findings: undefined,
      })),
      holdForReview: assign(({ context, event }) => {
        const held = heldForReviewNotice(outputOf<DescribeStagedResult>(event).changes);
        return held && context.autoExecute && !context.autoExecuteDestructive ? { heldForReview: held, notices: [...context.notices, held] } : {};
      }),
      failStaging: assign({
        error: ({ event }) => {
          const result = outputOf<DescribeStagedResult>(event);
          const problems = (result.findings ?? []).filter((finding) => finding.severity === 'error').length;
          // The findings list tells each problem where it is; the raw reason only repeats it worse.
          if (problems > 0)
            return {
              code: 'Validation' as const,
              message:
                problems === 1
                  ? l10n.t(
                      'Validation found 1 problem before anything was deployed: each is listed above and in the Problems panel, at its line in the template.',
                    )
                  : l10n.t(
                      'Validation found {0} problems before anything was deployed: each is listed above and in the Problems panel, at its line in the template.',
                      problems,
                    ),
              retryable: false,
            };
          const reason = result.reason ?? result.providerStatus;
          return {
            code: 'Validation' as const,
            message:
              reason === undefined
                ? l10n.t('The provider could not prepare the changes: no reason given')
                : l10n.t('The provider could not prepare the changes: {0}', reason),
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
          const message =
            found.state === 'gone' ? l10n.t('Nothing was executed: {0}', found.reason) : l10n.t('Nothing was executed: the staged changes are gone');
          return { code: 'Conflict' as const, message, retryable: false };
        },
      }),
      applyPoll: assign(({ context, event }) => {
        const result = outputOf<PollResult>(event);
        const events = [...context.events, ...result.events].slice(-MAX_KEPT_EVENTS);
        const failureDetails = mergeFailureDetails(context.failureDetails, result.failureDetails ?? [], MAX_KEPT_FAILURE_DETAILS);
        const notices = result.notice && !context.notices.includes(result.notice) ? [...context.notices, result.notice] : context.notices;
        return {
          notices,
          unknownStreak: result.phase === 'unknown' ? (context.unknownStreak ?? 0) + 1 : 0,
          phase: result.phase,
          providerStatus: result.providerStatus,
          statusReason: result.statusReason,
          cursor: result.cursor ?? context.cursor,
          events,
          failureDetails,
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
        const note = gaveUpPlanning ? l10n.t('The delete is still being planned after 10 minutes; Stackwatch stopped waiting for the plan.') : result.note;
        // Only a planned delete can say "nothing is destroyed": an empty record may just be unreported.
        const unlisted =
          result.unavailable ??
          (result.destroys.length === 0 && result.basis !== 'plannedDelete'
            ? l10n.t('The recorded state lists no resources, so what the delete destroys is not known.')
            : undefined);
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
        const reason = error !== undefined ? toErrorInfo(error).message : context.retry.lastError?.message;
        const plan = context.recoveryPlan;
        if (plan?.state === 'listed') {
          const note =
            reason === undefined
              ? l10n.t('Planning the delete could not be followed: no answer in time')
              : l10n.t('Planning the delete could not be followed: {0}', reason);
          return { recoveryPlan: { ...plan, planning: false, note } };
        }
        const note =
          reason ??
          l10n.t({ message: 'no answer in time', comment: ['Why the list of what a delete would destroy is not available: the provider did not answer.'] });
        return { recoveryPlan: { state: 'unavailable' as const, destroys: [], total: 0, planning: false, checks: plan?.checks ?? 0, note } };
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
            : {
                ...(context.retry.lastError ?? { code: 'Transient' as const, message: l10n.t('The execute got no answer.'), retryable: true }),
                retryable: false,
              },
      }),
      standByRefusal: assign({ error: ({ context }) => context.executeRefusal }),
      forgetExecuteErrors: assign({ error: undefined, executeRefusal: undefined }),
      /** The execute may have landed after Abort: follow it rather than end. */
      followLateExecution: assign({
        ending: undefined,
        notices: ({ context }) => [...context.notices, l10n.t('The execute reached the provider after all; Stackwatch follows it.')],
      }),
      loseContactToUnknownStatus: assign(({ context }) => ({
        lostFrom: 'monitoring' as const,
        error: {
          code: 'Unknown' as const,
          message: unjudgedStatusMessage(context.providerStatus, context.statusReason),
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
      finish: assign(({ context }, final: FinalState) => {
        const failures = failureSummaryOf(context);
        // A rollback the user asked for is a clean outcome; one caused by a failure is not.
        const failedByResource = final === 'rolledBack' && !context.stopRequested;
        // Cancelled without rollback, and nothing failed: the person's choice, not a failure.
        const cancelledByPerson =
          final === 'failed' && context.stoppedWithoutRollback === true && failures.rootCause === undefined && !context.error && context.phase === 'cancelled';
        const failed = (final === 'failed' && !cancelledByPerson) || (failedByResource && failures.rootCause !== undefined);
        let error = context.error;
        if (!error && failed) {
          const root = failures.rootCause;
          error = {
            code: 'Validation',
            message: root
              ? root.onTarget
                ? root.reason
                : l10n.t({
                    message: '{0} ({1}): {2}',
                    args: [root.logicalId, root.resourceType, root.reason],
                    comment: ['A resource that failed: its ID, its type, then why it failed.'],
                  })
              : (context.statusReason ?? endedInMessage(context.providerStatus)),
            retryable: false,
            // The monitor then shows the root cause once, in the failure list, not again as the error.
            ...(root ? { fromRootCause: true } : {}),
          };
        }
        return { status: complete(context.status, final, failed), error };
      }),
    },
  });
}
