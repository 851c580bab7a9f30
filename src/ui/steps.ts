/**
 * The monitor's step list: the steps of getting a deployment ready, from the snapshot. Pure.
 * Loading the template comes first; then the provider's background check (its own label) runs
 * beside reading the target and staging. A recovery the person consented to is a step of its
 * own. Times are the machine's wall-clock records. The header names the step that runs, so each
 * label reads as what is happening now.
 */
import * as l10n from '@vscode/l10n';
import type { DeploymentSnapshot, ReadinessStep, StepSpan } from '../deployment/machine';
import { finalState, topState } from '../deployment/snapshotReaders';
import type { RecoveryActionId } from '../providers/provider';
import type { StepRow } from '../shared/viewModel';
import type { Vocabulary } from '../shared/vocabulary';

/** The top-level states in which each step is the one running. */
const RUNNING_IN: Record<ReadinessStep, ReadonlySet<string>> = {
  template: new Set(['initializing']),
  // Waiting out someone else's operation reads the target again and again; a consent waits for the person.
  target: new Set(['preparing', 'otherOperation']),
  recover: new Set(['recreating']),
  stage: new Set(['staging', 'restaging']),
};

/** What the background check's row says while it runs: it goes on beside the others, and holds Execute. */
export function checkRunningNote(): string {
  return l10n.t({ message: 'runs alongside; Execute waits for it', comment: ['A note beside the background check in the step list. Execute is the button.'] });
}

function recoverLabel(action: RecoveryActionId | undefined, words: Vocabulary): string {
  switch (action) {
    case 'continueRollback':
    case 'rollback':
      return l10n.t('Rolling back the {0}', words.target);
    case 'unlock':
      return l10n.t('Unlocking the {0}', words.target);
    default:
      return l10n.t('Deleting the old {0}', words.target);
  }
}

/** Whether the template step started again once the recovery had ended. */
function recoveredBefore(recover: StepSpan, template: StepSpan | undefined): boolean {
  return recover.endedAt !== undefined && template !== undefined && template.startedAt >= recover.endedAt;
}

/** The steps so far; undefined for a deployment that recorded none (saved by an older version). */
export function stepRows(snapshot: DeploymentSnapshot, words: Vocabulary): StepRow[] | undefined {
  const { context } = snapshot;
  const readiness = context.readiness;
  if (readiness === undefined && context.check === undefined) return undefined;
  const top = topState(snapshot);
  const failing = context.ending === 'failed' || finalState(snapshot) === 'failed';
  // A failed check ends the deployment: the steps beside it did not fail.
  const failedHere = failing && context.check?.state !== 'failed';

  const row = (id: ReadinessStep, label: string, succeeded: boolean, note?: string): StepRow => {
    const span: StepSpan | undefined = readiness?.[id];
    const running = RUNNING_IN[id].has(top) && !snapshot.hasTag('cleaningUp');
    // A step that runs again (a new round after a recovery) counts from its new start.
    const times = span ? { startedAt: span.startedAt, ...(span.endedAt !== undefined && !running ? { endedAt: span.endedAt } : {}) } : {};
    if (running) return { id, label, state: 'running', ...times };
    if (span === undefined || span.endedAt === undefined) return { id, label, state: 'pending' };
    if (succeeded) return { id, label, state: 'done', ...times, ...(note ? { note } : {}) };
    return {
      id,
      label,
      state: failedHere ? 'failed' : 'skipped',
      ...times,
      ...(failedHere ? {} : { note: l10n.t({ message: 'stopped', comment: ['A step in the step list that did not finish because the deployment ended.'] }) }),
    };
  };

  const staged = context.staged !== undefined && context.stageChecks > 0;
  const rows: StepRow[] = [row('template', words.loadStep, context.initialized !== undefined)];
  const check = context.check;
  if (check) {
    const state: StepRow['state'] = check.state === 'passed' ? 'done' : check.state === 'unavailable' || check.state === 'skipped' ? 'skipped' : check.state;
    const running =
      check.state === 'running'
        ? context.executeRequested === true
          ? l10n.t({ message: 'Execute waits for it', comment: ['Execute is the button.'] })
          : checkRunningNote()
        : undefined;
    const note = running ?? check.note;
    rows.push({
      id: 'lint',
      label: check.label,
      state,
      startedAt: check.startedAt,
      ...(check.endedAt !== undefined ? { endedAt: check.endedAt } : {}),
      ...(note ? { note } : {}),
    });
  }
  rows.push(row('target', l10n.t('Looking at the {0}', words.target), context.described !== undefined));
  // Only once the person consented to a recovery: it is a step of its own, then the steps run again.
  // It worked if the steps ran again after it; a failed recovery ends the deployment instead.
  const recover = readiness?.recover;
  if (recover) rows.push(row('recover', recoverLabel(context.chosenRecovery, words), recoveredBefore(recover, readiness.template)));
  rows.push(
    row(
      'stage',
      l10n.t('Creating the {0}', words.staged),
      staged,
      context.ending === 'noChanges' || finalState(snapshot) === 'noChanges' ? l10n.t('no changes') : undefined,
    ),
  );
  return rows;
}
