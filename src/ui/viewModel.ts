/**
 * Builds the monitor's view model from a deployment snapshot. Pure: the webview, the status bar
 * and the tests all read the same model; its types and the delta functions live in src/shared.
 */
import * as l10n from '@vscode/l10n';
import { phaseOf as phaseTagOf, type DeploymentSnapshot } from '../deployment/machine';
import { endedInStaging, finalState, topState } from '../deployment/snapshotReaders';
import { failureFromEvent, failureSummaryOf } from '../deployment/failureDetails';
import { progressOf, type FailureSummary } from '../deployment/resources';
import { shownStatus } from '../deployment/status';
import { SECRET_MASK, redactSecrets, secretValuesOf, withoutSensitiveOutputs } from '../deployment/secrets';
import { canCompare, findingRows, optionRows, savedOptionsNote, withRowDetails, type ViewCapabilities } from './reviewModel';
import { retryParts } from '../shared/retryText';
import { activeTranslations } from '../shared/translations';
import { stepRows } from './steps';
import { expectedTimes } from './timelineModel';
import { vocabularyOf } from './vocabulary';
import type { Vocabulary } from '../shared/vocabulary';
import { descriptorOf } from '../providers/registry';
import type { Change, DeploymentOptionValues, ResourceStatus } from '../providers/provider';
import type { ErrorInfo } from '../deployment/errorInfo';
import type { LearnedDurations } from '../deployment/durations/learnedDurations';
import type { ChangeRow, ConsentDestroys, MonitorError, MonitorPhase, MonitorViewModel, RetryBanner, StopControl } from '../shared/viewModel';

/** How many resources the consent names before "and K more": enough to recognise, short enough to read at 400 px. */
export const CONSENT_DESTROYS_SHOWN = 8;

/** What the webview receives instead of a secret value (the webview shows "(sensitive)"). */
export const SENSITIVE_MASK = SECRET_MASK;

/** The phase is the state's phase tag (see deployment/machine/tags.ts): every state has exactly one. */
function phaseOf(snapshot: DeploymentSnapshot): MonitorPhase {
  return phaseTagOf(snapshot, snapshot.context.executed);
}

function stopControl(snapshot: DeploymentSnapshot, phase: MonitorPhase): StopControl {
  const { context } = snapshot;
  const label = vocabularyOf(context.target.provider).stop;
  if (phase !== 'monitoring') return { visible: false, enabled: false, label };
  if (snapshot.hasTag('cleaningUp'))
    return { visible: true, enabled: false, label, reason: l10n.t('The deployment has ended; Stackwatch is removing what it staged.') };
  const policy = descriptorOf(context.target.provider).stop;
  // Where a stop leaves things half done, the provider's question is asked first (in the page).
  const confirm = policy.confirmation(context.target.name);
  const asked = confirm ? { confirm } : {};
  // The execute is in flight: Stop first asks whether it started, so it always works here.
  if (snapshot.matches('executing')) {
    return {
      visible: true,
      enabled: true,
      label,
      reason: l10n.t('Stackwatch asks whether the changes started: if not, nothing is executed; if they did, they are stopped.'),
      ...asked,
    };
  }
  if (context.phase === 'unknown')
    return {
      visible: true,
      enabled: false,
      label,
      reason: context.providerStatus
        ? l10n.t('The provider reports {0} that Stackwatch does not know; Stop waits until it is known.', context.providerStatus)
        : l10n.t('The provider reports a status that Stackwatch does not know; Stop waits until it is known.'),
    };
  // What Stop can do while the operation runs is the provider's to say (a rollback, or nothing undone).
  const verdict = policy.control({
    stopRequested: context.stopRequested,
    operationKind: context.operation?.kind,
    providerStatus: context.providerStatus,
    rollingBack: context.phase === 'rollingBack' || snapshot.matches('rollingBack'),
  });
  return { visible: true, label, ...verdict, ...(verdict.enabled ? asked : {}) };
}

const UNDONE: ReadonlySet<ResourceStatus> = new Set(['rollingBack', 'rolledBack']);

function rowsOf(snapshot: DeploymentSnapshot, failures: FailureSummary): ChangeRow[] {
  const { changes, resources } = snapshot.context;
  // Once rolled back, a resource that failed (or was cancelled) keeps showing why: that is what
  // people look for afterwards, not that its half-made copy was deleted.
  const marks = new Map<string, { status: ResourceStatus; reason: string }>();
  for (const c of failures.cancellations) marks.set(c.logicalId, { status: 'cancelled', reason: c.reason });
  for (const f of [...failures.otherFailures, ...(failures.rootCause ? [failures.rootCause] : [])])
    marks.set(f.logicalId, { status: 'failed', reason: f.reason });
  // Reattached to someone else's deployment: no change list, so the resources seen stand in for it.
  const base: Change[] =
    changes.length > 0 ? changes : Object.values(resources).map((r) => ({ logicalId: r.logicalId, action: 'Modify', resourceType: r.resourceType }));
  return base.map((change) => {
    const state = resources[change.logicalId];
    const row: ChangeRow = { ...change, status: state?.status ?? 'pending' };
    if (state?.physicalId && !row.physicalId) row.physicalId = state.physicalId;
    if (state?.providerStatus) row.providerStatus = state.providerStatus;
    if (state?.reason) row.reason = state.reason;
    const mark = marks.get(change.logicalId);
    if (mark && UNDONE.has(row.status)) {
      row.status = mark.status;
      row.reason = mark.reason;
    }
    return row;
  });
}

/** Shown in place of the provider's status of the target when it did not say one. */
function unknownStatus(): string {
  return l10n.t({ message: 'unknown', comment: ["Stands in for the provider's status of a stack when it is not known."] });
}

/** A resource that failed and was then rolled back still counts as an error. */
export function errorCount(failedNow: number, failures: FailureSummary): number {
  return Math.max(failedNow, (failures.rootCause ? 1 : 0) + failures.otherFailures.length);
}

/** What was undone rather than done: counted apart, so a rollback never reads as "N/N done". */
export interface Undone {
  rolledBack: number;
  cancelled: number;
}

export function statusLine(
  done: number,
  total: number,
  failed: number,
  providerStatus: string | undefined,
  stateLabel = l10n.t('stack state'),
  undone: Undone = { rolledBack: 0, cancelled: 0 },
): string {
  const counts = [l10n.t('{0}/{1} done', done, total)];
  if (undone.rolledBack > 0) counts.push(l10n.t('{0} rolled back', undone.rolledBack));
  if (undone.cancelled > 0) counts.push(l10n.t('{0} cancelled', undone.cancelled));
  counts.push(failed === 1 ? l10n.t('1 error') : l10n.t('{0} errors', failed));
  const line = counts.join(l10n.t({ message: ', ', comment: ['Separates the counts of the progress line: "3/5 done, 1 rolled back, 0 errors".'] }));
  return providerStatus ? l10n.t('{0}; {1}: {2}', line, stateLabel, providerStatus) : line;
}

/**
 * Progress is counted once the changes run (or, reattached, from the resources seen). Before the
 * execute, and after an abort, there is nothing done to count: no "0/N done".
 */
export function countsProgress(context: { executed: boolean; changes: readonly Change[] }): boolean {
  return context.executed || context.changes.length === 0;
}

function retryBanner(snapshot: DeploymentSnapshot, now: number): RetryBanner | undefined {
  const { status, retry } = snapshot.context;
  if (status.error !== 'retrying' || !retry.lastError) return undefined;
  const { operation, reason } = retryParts(retry.lastError, activeTranslations() === undefined);
  return { ...(operation ? { operation } : {}), message: reason, retryAt: now + retry.delayMs, attempt: retry.attempt };
}

/**
 * `capabilities`: what the host can do for this deployment (DeploymentSession.capabilities); none
 * when left out. `savedOptions`: the options remembered for the target now, which a deployment
 * whose staging failed shows (and lets the person change) for the next one. `durations`: what the
 * workspace learned changes take (DeploymentSession.durations), for expected times and the ETA.
 */
export function toViewModel(
  snapshot: DeploymentSnapshot,
  now = Date.now(),
  capabilities: ViewCapabilities = {},
  savedOptions?: DeploymentOptionValues,
  durations?: LearnedDurations,
): MonitorViewModel {
  const { context } = snapshot;
  const state = topState(snapshot);
  const phase = phaseOf(snapshot);
  const progress = countsProgress(context)
    ? progressOf(context.changes, context.resources)
    : { done: 0, total: 0, failed: 0, inProgress: 0, rolledBack: 0, cancelled: 0 };
  const failures = failureSummaryOf(context);
  const expected = expectedTimes(snapshot, withRowDetails(snapshot, rowsOf(snapshot, failures), capabilities), now, durations);
  const changes = expected.changes;
  const failed = errorCount(progress.failed, failures);
  const final = finalState(snapshot);
  const hasStaged = context.staged !== undefined;
  const words = vocabularyOf(context.target.provider);
  const model: MonitorViewModel = {
    deploymentId: context.deploymentId,
    stackName: context.target.name,
    provider: context.target.provider,
    words,
    phase,
    activity: context.status.activity,
    shown: shownStatus(context.status),
    statusLine: progress.total > 0 ? statusLine(progress.done, progress.total, failed, context.providerStatus, words.state, progress) : '',
    progress: { done: progress.done, total: progress.total, failed },
    changes,
    controls: {
      execute: phase === 'review',
      // Abort works until the changes run; during the execute it first asks whether they started.
      abort:
        (phase === 'review' || phase === 'staging' || phase === 'starting' || phase === 'otherOperation' || state === 'executing') &&
        !snapshot.hasTag('cleaningUp'),
      saveTemplate: hasStaged && (phase === 'review' || phase === 'monitoring' || phase === 'final'),
      // The log follows every deployment from its start (deploymentLog.ts): even one that ended
      // before anything reached the provider has its own lines there, and those are what explain it.
      logs: true,
      stop: stopControl(snapshot, phase),
      done: phase === 'final',
      // Only while the question is asked: once they chose to wait, Stackwatch watches alone.
      watchOther: phase === 'otherOperation' && snapshot.hasTag('needsPerson'),
      checkAgain: phase === 'lostContact',
      dismiss: phase === 'lostContact',
      compare: canCompare(snapshot, phase, capabilities),
      deployAgain: endedInStaging(snapshot),
    },
    autoExecute: context.autoExecute,
    // Sensitive values never reach the webview (or its saved state); Copy reads them on the host.
    outputs: withoutSensitiveOutputs(context.outputs),
    failures,
    notices: context.notices,
    warnings: context.initialized?.warnings ?? [],
    findings: findingRows(snapshot, capabilities),
  };
  const options = optionRows(snapshot, phase, undefined, savedOptions);
  if (options) model.options = options;
  const steps = stepRows(snapshot, words);
  if (steps) model.steps = steps;
  const optionsNote = options ? savedOptionsNote(snapshot, savedOptions) : undefined;
  if (optionsNote) model.optionsNote = optionsNote;
  if (expected.timeline) model.timeline = expected.timeline;
  if (context.target.region) model.region = context.target.region;
  if (context.initialized?.identity) model.identity = context.initialized.identity;
  if (final) model.final = final;
  if (final && context.stopRequested) model.stopped = true;
  if (context.providerStatus) model.providerStatus = context.providerStatus;
  const retry = retryBanner(snapshot, now);
  if (retry) model.retry = retry;
  if (phase === 'consent' && context.described) {
    model.consent = { stackStatus: context.described.providerStatus ?? unknownStatus(), actions: context.described.recoveryActions };
    if (context.described.statusReason) model.consent.reason = context.described.statusReason;
    if (context.described.lastFailure) model.consent.rootCause = failureFromEvent(context.described.lastFailure, context.target.name);
    const destroys = consentDestroys(snapshot, words);
    if (destroys) model.consent.destroys = destroys;
  }
  if (phase === 'otherOperation' && context.described) {
    const operation = context.described.operation;
    model.otherOperation = {
      providerStatus: context.described.providerStatus ?? unknownStatus(),
      watching: !snapshot.matches({ otherOperation: 'asking' } as never),
    };
    if (operation?.startedBy) model.otherOperation.startedBy = operation.startedBy;
    if (operation?.startedAt) model.otherOperation.startedAt = operation.startedAt;
  }
  if (phase === 'lostContact' || final === 'unknown') {
    model.lostContact = { reason: context.error?.message ?? l10n.t('The provider stopped answering.') };
    if (context.providerStatus) model.lostContact.lastKnownStatus = context.providerStatus;
  }
  if (context.error) model.error = monitorError(context.error, model);
  // Providers quote input values back in reasons and errors: no text may carry a secret either.
  return redactSecrets(model, secretValuesOf(context));
}

/** Marks an error the page already tells, by where it came from (never by comparing its wording). */
function monitorError(error: ErrorInfo, model: MonitorViewModel): MonitorError {
  // The lost-contact panel's reason is this error's message.
  if (model.lostContact) return { ...error, toldIn: 'lostContact' };
  if (error.fromRootCause && model.failures.rootCause) return { ...error, toldIn: 'failures' };
  return error;
}

function consentDestroys(snapshot: DeploymentSnapshot, words: Vocabulary): ConsentDestroys | undefined {
  const { recoveryPlan, described } = snapshot.context;
  const action = described?.recoveryActions.find((a) => a.destructive);
  if (!recoveryPlan || !action) return undefined;
  const items = recoveryPlan.destroys
    .slice(0, CONSENT_DESTROYS_SHOWN)
    .map(({ logicalId, resourceType, physicalId }) => (physicalId ? { logicalId, resourceType, physicalId } : { logicalId, resourceType }));
  const destroys: ConsentDestroys = {
    state: recoveryPlan.state,
    actionLabel: action.label,
    planning: recoveryPlan.planning,
    items,
    total: recoveryPlan.total,
    more: Math.max(0, recoveryPlan.total - items.length),
  };
  if (recoveryPlan.basis)
    destroys.basis =
      recoveryPlan.basis === 'plannedDelete' ? l10n.t('planned by a delete {0}', words.staged) : l10n.t("from the {0}'s last recorded state", words.target);
  if (recoveryPlan.state === 'listed' && recoveryPlan.basis === 'plannedDelete') destroys.planned = true;
  if (recoveryPlan.note) destroys.note = recoveryPlan.note;
  return destroys;
}
