/**
 * The one mapping from a deployment snapshot to the status-bar item. Pure, so every phase's
 * text, colour and tooltip is unit-tested without VS Code.
 */
import * as l10n from '@vscode/l10n';
import { failureSummaryOf } from '../deployment/failureDetails';
import { progressOf } from '../deployment/resources';
import { COMMANDS } from '../commands/ids';
import { maskSecrets, secretValuesOf } from '../deployment/secrets';
import { shownStatus } from '../deployment/status';
import { phaseOf, type PhaseTag } from '../deployment/machine';
import { endedInFailure, finalState, type FinalState, type SnapshotLike } from '../deployment/snapshotReaders';
import { countsProgress, errorCount, statusLine } from './viewModel';
import { vocabularyOf } from './vocabulary';
import { statusWords } from './deploymentLog';

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

interface Look {
  icon: string;
  label: string;
  warning?: true;
}

/** The phases where the deployment waits on a person (or on someone else's operation), by phase tag. */
function waitingLook(phase: PhaseTag): Look | undefined {
  switch (phase) {
    case 'review':
      return { icon: 'checklist', label: l10n.t('changes ready for review') };
    case 'consent':
      return { icon: 'warning', label: l10n.t('needs your decision'), warning: true };
    case 'otherOperation':
      return { icon: 'warning', label: l10n.t('another operation is running') };
    case 'lostContact':
      return { icon: 'question', label: l10n.t('lost contact: outcome unknown'), warning: true };
    default:
      return undefined;
  }
}

function finalLook(final: FinalState): Look {
  switch (final) {
    case 'succeeded':
      return { icon: 'check', label: l10n.t('deployed') };
    case 'noChanges':
      return { icon: 'check', label: l10n.t('no changes') };
    case 'aborted':
      return { icon: 'circle-slash', label: l10n.t('aborted') };
    case 'rolledBack':
      return { icon: 'discard', label: l10n.t('rolled back') };
    case 'failed':
      return { icon: 'error', label: l10n.t('failed') };
    case 'unknown':
      return { icon: 'question', label: l10n.t('outcome unknown') };
  }
}

function stoppedWithoutRollbackLook(): Look {
  return { icon: 'debug-stop', label: l10n.t('cancelled (no rollback)') };
}

export function statusBarModel(snapshot: SnapshotLike | undefined): StatusBarModel {
  if (!snapshot) {
    return {
      text: l10n.t({ message: '$(cloud-upload) Deploy', comment: ['Status bar item; $(cloud-upload) is an icon, keep it.'] }),
      tooltip: l10n.t('Stackwatch: Deploy Project'),
      icon: 'cloud-upload',
      command: DEPLOY_COMMAND,
    };
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
      ? l10n.t('{0}: {1}', words.state, context.providerStatus)
      : '';
  // Providers quote input values in reasons: a tooltip must not show a secret either.
  const secrets = secretValuesOf(context);
  const lines = (...parts: (string | undefined)[]): string => maskSecrets(parts.filter((p): p is string => Boolean(p)).join('\n'), secrets);

  const final = finalState(snapshot);
  if (final) {
    const failed = endedInFailure(snapshot);
    // A provider that stops without rolling back ends in a failed state that nobody should read as a failure.
    const look = failed && final === 'rolledBack' ? finalLook('failed') : final === 'failed' && !failed ? stoppedWithoutRollbackLook() : finalLook(final);
    // With the failure read's details: a reason where the event stream had none.
    const root = failureSummaryOf(context).rootCause;
    const cause = context.error?.message ?? (root ? `${root.logicalId}: ${root.reason}` : undefined);
    return {
      text: `$(${look.icon}) ${name}`,
      tooltip: lines(
        l10n.t('{0}: {1}', name, failed && final === 'rolledBack' ? l10n.t('failed and rolled back') : look.label),
        failed ? cause : undefined,
        progressLine || undefined,
        l10n.t('Click to show the deployment monitor.'),
      ),
      icon: look.icon,
      backgroundColor: failed ? 'statusBarItem.errorBackground' : undefined,
      command: SHOW_MONITOR_COMMAND,
    };
  }

  const waiting = waitingLook(phaseOf(snapshot, context.executed));
  if (waiting) {
    return {
      text: `$(${waiting.icon}) ${l10n.t('{0}: {1}', name, waiting.label)}`,
      tooltip: lines(l10n.t('{0}: {1}', name, waiting.label), l10n.t('Click to show the deployment monitor.')),
      icon: waiting.icon,
      backgroundColor: waiting.warning ? 'statusBarItem.warningBackground' : undefined,
      command: SHOW_MONITOR_COMMAND,
    };
  }

  const shown = shownStatus(context.status);
  const retrying = shown === 'retrying';
  const retryLine = retrying && context.retry.lastError ? l10n.t('Retrying after: {0}', context.retry.lastError.message) : undefined;
  return {
    text: retrying ? l10n.t('$(sync~spin) {0}{1} (retrying)', name, counts) : `$(sync~spin) ${name}${counts}`,
    tooltip: lines(l10n.t('{0}: {1}', name, statusWords(shown, words)), progressLine || undefined, retryLine, l10n.t('Click to show the deployment monitor.')),
    icon: 'sync~spin',
    backgroundColor: retrying ? 'statusBarItem.warningBackground' : undefined,
    command: SHOW_MONITOR_COMMAND,
  };
}
