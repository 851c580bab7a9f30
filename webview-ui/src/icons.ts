/** What each status looks like: one codicon, whether it spins, a tone for colour, and words for screen readers. */
import type { ResourceStatus, ShownStatus } from '../../src/shared/viewModel';

export type Tone = 'progress' | 'ok' | 'error' | 'muted' | 'pending' | 'warning';

export interface StatusLook {
  icon: string;
  spin: boolean;
  tone: Tone;
  label: string;
}

const RESOURCE: Record<ResourceStatus, StatusLook> = {
  pending: { icon: 'circle-outline', spin: false, tone: 'pending', label: 'Pending' },
  inProgress: { icon: 'loading', spin: true, tone: 'progress', label: 'In progress' },
  succeeded: { icon: 'check', spin: false, tone: 'ok', label: 'Succeeded' },
  failed: { icon: 'error', spin: false, tone: 'error', label: 'Failed' },
  cancelled: { icon: 'circle-slash', spin: false, tone: 'muted', label: 'Cancelled' },
  rollingBack: { icon: 'loading', spin: true, tone: 'warning', label: 'Rolling back' },
  rolledBack: { icon: 'discard', spin: false, tone: 'muted', label: 'Rolled back' },
};

const RUNNING: StatusLook = { icon: 'loading', spin: true, tone: 'progress', label: '' };

const SHOWN: Record<ShownStatus, StatusLook> = {
  preflight: { ...RUNNING, label: 'Preparing files' },
  initializing: { ...RUNNING, label: 'Initializing' },
  preparing: { ...RUNNING, label: 'Checking the stack' },
  awaitingConsent: { icon: 'warning', spin: false, tone: 'warning', label: 'Needs your decision' },
  otherOperation: { icon: 'warning', spin: false, tone: 'warning', label: 'Another operation is running' },
  recreating: { ...RUNNING, label: 'Deleting the old stack' },
  staging: { ...RUNNING, label: 'Preparing changes' },
  reviewing: { icon: 'checklist', spin: false, tone: 'pending', label: 'Changes ready for review' },
  executing: { ...RUNNING, label: 'Starting deployment' },
  deploying: { ...RUNNING, label: 'Deploying' },
  stopping: { ...RUNNING, tone: 'warning', label: 'Stopping' },
  rollingBack: { ...RUNNING, tone: 'warning', label: 'Rolling back' },
  succeeded: { icon: 'pass-filled', spin: false, tone: 'ok', label: 'Succeeded' },
  failed: { icon: 'error', spin: false, tone: 'error', label: 'Failed' },
  // Shown only for a clean rollback (Stop); a failed one shows as failed.
  rolledBack: { icon: 'discard', spin: false, tone: 'warning', label: 'Stopped and rolled back' },
  aborted: { icon: 'circle-slash', spin: false, tone: 'muted', label: 'Aborted' },
  noChanges: { icon: 'pass', spin: false, tone: 'ok', label: 'No changes' },
  retrying: { icon: 'sync', spin: true, tone: 'warning', label: 'Retrying' },
  // Contact, not the deployment, is what was lost: the outcome itself is the question.
  lostContact: { icon: 'debug-disconnect', spin: false, tone: 'warning', label: 'Lost contact' },
  unknown: { icon: 'question', spin: false, tone: 'warning', label: 'Outcome unknown' },
};

export function resourceLook(status: ResourceStatus): StatusLook {
  return RESOURCE[status] ?? RESOURCE.pending;
}

export function shownLook(shown: ShownStatus): StatusLook {
  return SHOWN[shown] ?? { ...RUNNING, label: String(shown) };
}
