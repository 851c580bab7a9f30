/**
 * The one mapping from a deployment snapshot to the status-bar item. Pure, so every phase's
 * text, colour and tooltip is unit-tested without VS Code.
 */
import { failureSummaryOf } from '../deployment/failureDetails';
import { progressOf } from '../deployment/resources';
import { COMMANDS } from '../commands/ids';
import { maskSecrets, secretValuesOf } from '../deployment/secrets';
import { shownStatus } from '../deployment/status';
import { phaseOf, type PhaseTag } from '../deployment/machine';
import { endedInFailure, finalState, type FinalState, type SnapshotLike } from '../deployment/snapshotReaders';
import { countsProgress, errorCount, statusLine } from './viewModel';
import { vocabularyOf } from './vocabulary';

export type StatusBarBackground = 'statusBarItem.errorBackground' | 'statusBarItem.warningBackground';

export interface StatusBarModel {
  text: string;
  tooltip: string;
  /** Codicon name without `$()`, also the first token of `text`. */
  icon: string;
  backgroundColor?: StatusBarBackground;
  command: string;
}

export const SHOW_MONITOR_COMMAND = COMMANDS.showMonitor;
export const DEPLOY_COMMAND = COMMANDS.deployProject;

/** The phases where the deployment waits on a person (or on someone else's operation), by phase tag. */
const WAITING_LOOK: Partial<Record<PhaseTag, { icon: string; label: string; warning?: true }>> = {
  review: { icon: 'checklist', label: 'changes ready for review' },
  consent: { icon: 'warning', label: 'needs your decision', warning: true },
  otherOperation: { icon: 'warning', label: 'another operation is running' },
  lostContact: { icon: 'question', label: 'lost contact: outcome unknown', warning: true },
};

const FINAL_LOOK: Record<FinalState, { icon: string; label: string }> = {
  succeeded: { icon: 'check', label: 'deployed' },
  noChanges: { icon: 'check', label: 'no changes' },
  aborted: { icon: 'circle-slash', label: 'aborted' },
  rolledBack: { icon: 'discard', label: 'rolled back' },
  failed: { icon: 'error', label: 'failed' },
  unknown: { icon: 'question', label: 'outcome unknown' },
};

const STOPPED_WITHOUT_ROLLBACK_LOOK = { icon: 'debug-stop', label: 'cancelled (no rollback)' };

export function statusBarModel(snapshot: SnapshotLike | undefined): StatusBarModel {
  if (!snapshot) {
    return { text: '$(cloud-upload) Deploy', tooltip: 'Stackwatch: Deploy Project', icon: 'cloud-upload', command: DEPLOY_COMMAND };
  }
  const { context } = snapshot;
  const name = context.target.name;
  const words = vocabularyOf(context.target.provider);
  const progress = progressOf(context.changes, context.resources);
  const counting = countsProgress(context) && progress.total > 0;
  const counts = counting ? ` ${progress.done}/${progress.total}` : '';
  // Before the change list exists (or the changes run) there is nothing to count; the stack state alone still helps.
  const progressLine = counting
    ? statusLine(progress.done, progress.total, errorCount(progress.failed, failureSummaryOf(context)), context.providerStatus, words.state, progress)
    : context.providerStatus
      ? `${words.state}: ${context.providerStatus}`
      : '';
  // Providers quote input values in reasons: a tooltip must not show a secret either.
  const secrets = secretValuesOf(context);
  const lines = (...parts: (string | undefined)[]): string => maskSecrets(parts.filter((p): p is string => Boolean(p)).join('\n'), secrets);

  const final = finalState(snapshot);
  if (final) {
    const failed = endedInFailure(snapshot);
    // A provider that stops without rolling back ends in a failed state that nobody should read as a failure.
    const look = failed && final === 'rolledBack' ? FINAL_LOOK.failed : final === 'failed' && !failed ? STOPPED_WITHOUT_ROLLBACK_LOOK : FINAL_LOOK[final];
    // With the failure read's details: a reason where the event stream had none.
    const root = failureSummaryOf(context).rootCause;
    const cause = context.error?.message ?? (root ? `${root.logicalId}: ${root.reason}` : undefined);
    return {
      text: `$(${look.icon}) ${name}`,
      tooltip: lines(
        `${name}: ${failed && final === 'rolledBack' ? 'failed and rolled back' : look.label}`,
        failed ? cause : undefined,
        progressLine || undefined,
        'Click to show the deployment monitor.',
      ),
      icon: look.icon,
      backgroundColor: failed ? 'statusBarItem.errorBackground' : undefined,
      command: SHOW_MONITOR_COMMAND,
    };
  }

  const waiting = WAITING_LOOK[phaseOf(snapshot, context.executed)];
  if (waiting) {
    return {
      text: `$(${waiting.icon}) ${name}: ${waiting.label}`,
      tooltip: lines(`${name}: ${waiting.label}`, 'Click to show the deployment monitor.'),
      icon: waiting.icon,
      backgroundColor: waiting.warning ? 'statusBarItem.warningBackground' : undefined,
      command: SHOW_MONITOR_COMMAND,
    };
  }

  const shown = shownStatus(context.status);
  const retrying = shown === 'retrying';
  const retryLine = retrying && context.retry.lastError ? `Retrying after: ${context.retry.lastError.message}` : undefined;
  return {
    text: `$(sync~spin) ${name}${counts}${retrying ? ' (retrying)' : ''}`,
    tooltip: lines(`${name}: ${shown}`, progressLine || undefined, retryLine, 'Click to show the deployment monitor.'),
    icon: 'sync~spin',
    backgroundColor: retrying ? 'statusBarItem.warningBackground' : undefined,
    command: SHOW_MONITOR_COMMAND,
  };
}
