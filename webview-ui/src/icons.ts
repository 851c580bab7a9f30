/** What each status looks like: one codicon, whether it spins, a tone for colour, and words for screen readers. */
import * as l10n from '@vscode/l10n';
import type { ResourceStatus, ShownStatus } from '../../src/shared/viewModel';

export type Tone = 'progress' | 'ok' | 'error' | 'muted' | 'pending' | 'warning';

export interface StatusLook {
  icon: string;
  spin: boolean;
  tone: Tone;
  label: string;
}

/** One status's look, its words translated when asked (after the page set its language); called per row, so one l10n.t. */
function resourceLookOf(status: ResourceStatus): StatusLook {
  switch (status) {
    case 'inProgress':
      return { icon: 'loading', spin: true, tone: 'progress', label: l10n.t('In progress') };
    case 'succeeded':
      return { icon: 'check', spin: false, tone: 'ok', label: l10n.t('Succeeded') };
    case 'failed':
      return { icon: 'error', spin: false, tone: 'error', label: l10n.t('Failed') };
    case 'cancelled':
      return { icon: 'circle-slash', spin: false, tone: 'muted', label: l10n.t('Cancelled') };
    case 'rollingBack':
      return { icon: 'loading', spin: true, tone: 'warning', label: l10n.t('Rolling back') };
    case 'rolledBack':
      return { icon: 'discard', spin: false, tone: 'muted', label: l10n.t('Rolled back') };
    default:
      return { icon: 'circle-outline', spin: false, tone: 'pending', label: l10n.t('Pending') };
  }
}

const RUNNING: StatusLook = { icon: 'loading', spin: true, tone: 'progress', label: '' };

/** Built when asked, so the words are in the language the page set after it loaded. */
const shownLooks = (): Record<ShownStatus, StatusLook> => ({
  preflight: { ...RUNNING, label: l10n.t('Preparing files') },
  initializing: { ...RUNNING, label: l10n.t('Initializing') },
  preparing: { ...RUNNING, label: l10n.t('Checking the stack') },
  awaitingConsent: { icon: 'warning', spin: false, tone: 'warning', label: l10n.t('Needs your decision') },
  otherOperation: { icon: 'warning', spin: false, tone: 'warning', label: l10n.t('Another operation is running') },
  recreating: { ...RUNNING, label: l10n.t('Deleting the old stack') },
  staging: { ...RUNNING, label: l10n.t('Preparing changes') },
  reviewing: { icon: 'checklist', spin: false, tone: 'pending', label: l10n.t('Changes ready for review') },
  executing: { ...RUNNING, label: l10n.t('Starting deployment') },
  deploying: { ...RUNNING, label: l10n.t('Deploying') },
  stopping: { ...RUNNING, tone: 'warning', label: l10n.t('Stopping') },
  rollingBack: { ...RUNNING, tone: 'warning', label: l10n.t('Rolling back') },
  succeeded: { icon: 'pass-filled', spin: false, tone: 'ok', label: l10n.t('Succeeded') },
  failed: { icon: 'error', spin: false, tone: 'error', label: l10n.t('Failed') },
  // Shown only for a clean rollback (Stop); a failed one shows as failed.
  rolledBack: { icon: 'discard', spin: false, tone: 'warning', label: l10n.t('Stopped and rolled back') },
  aborted: { icon: 'circle-slash', spin: false, tone: 'muted', label: l10n.t('Aborted') },
  noChanges: { icon: 'pass', spin: false, tone: 'ok', label: l10n.t('No changes') },
  retrying: { icon: 'sync', spin: true, tone: 'warning', label: l10n.t('Retrying') },
  // Contact, not the deployment, is what was lost: the outcome itself is the question.
  lostContact: { icon: 'debug-disconnect', spin: false, tone: 'warning', label: l10n.t('Lost contact') },
  unknown: { icon: 'question', spin: false, tone: 'warning', label: l10n.t('Outcome unknown') },
});

export function resourceLook(status: ResourceStatus): StatusLook {
  return resourceLookOf(status);
}

export function shownLook(shown: ShownStatus): StatusLook {
  return shownLooks()[shown] ?? { ...RUNNING, label: String(shown) };
}
