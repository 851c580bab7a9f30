/** Every phase of the monitor a person can see, by name: what the accessibility and layout checks walk through. */
import type { ChangeRow, MonitorViewModel } from '../../src/shared/viewModel';
import { statusLine } from '../../src/ui/viewModel';
import {
  consentModel,
  creatingModel,
  errorModel,
  gcpApplyingModel,
  lostContactModel,
  model,
  otherOperationModel,
  retryingModel,
  reviewModel,
  reviewRows,
  rolledBackModel,
  rollingBackModel,
  stoppedModel,
  succeededModel,
  unknownModel,
  updatingModel,
} from './models';
import {
  consentRootCauseModel,
  driftReviewModel,
  propertyReviewModel,
  findingsModel,
  hookFailureModel,
  nestedModel,
  optionsModel,
  stepsModel,
  timedModel,
} from './depthModels';

const ENDED = {
  execute: false,
  abort: false,
  saveTemplate: true,
  logs: true,
  done: true,
  watchOther: false,
  checkAgain: false,
  dismiss: false,
  compare: false,
  deployAgain: false,
};
const NO_STOP = { visible: false, enabled: false, label: 'Stop' };

/** The person pressed Abort Changes in review: nothing ran. */
export function abortedModel(): MonitorViewModel {
  const changes = reviewRows();
  return model({
    phase: 'final',
    activity: 'aborted',
    shown: 'aborted',
    final: 'aborted',
    providerStatus: 'REVIEW_IN_PROGRESS',
    statusLine: statusLine(0, changes.length, 0, 'REVIEW_IN_PROGRESS'),
    controls: { ...ENDED, stop: NO_STOP },
  });
}

/** The change set was empty. */
export function noChangesModel(): MonitorViewModel {
  return model({
    phase: 'final',
    activity: 'noChanges',
    shown: 'noChanges',
    final: 'noChanges',
    providerStatus: 'UPDATE_COMPLETE',
    statusLine: statusLine(0, 0, 0, 'UPDATE_COMPLETE'),
    progress: { done: 0, total: 0, failed: 0 },
    changes: [],
    controls: { ...ENDED, stop: NO_STOP },
  });
}

/** An Infrastructure Manager apply that failed on one resource; nothing is rolled back. */
export function gcpFailedModel(): MonitorViewModel {
  const applying = gcpApplyingModel();
  const reason = 'Error 403: The caller does not have permission to act as the service account.';
  const changes = applying.changes.map((row): ChangeRow =>
    row.status === 'inProgress' ? { ...row, status: 'failed', providerStatus: 'FAILED', reason } : row,
  );
  return {
    ...applying,
    phase: 'final',
    activity: 'failed',
    shown: 'failed',
    final: 'failed',
    providerStatus: 'FAILED',
    statusLine: statusLine(1, 3, 1, 'FAILED', 'status'),
    progress: { done: 2, total: 3, failed: 1 },
    changes,
    controls: { ...ENDED, stop: NO_STOP },
    failures: {
      rootCause: {
        logicalId: 'google_cloud_run_v2_service.api',
        resourceType: 'google_cloud_run_v2_service',
        providerStatus: 'FAILED',
        reason,
        timestamp: '2026-11-23T12:00:03Z',
      },
      otherFailures: [],
      cancellations: [],
    },
  };
}

export interface Phase {
  name: string;
  model: () => MonitorViewModel;
  /** Buttons to press once it is shown, e.g. to open rows' details. */
  press?: string[];
}

const details = (id: string) => `tr[data-id="${id}"] .details-toggle`;

export const PHASES: Phase[] = [
  { name: 'getting ready', model: () => stepsModel() },
  { name: 'consent', model: consentModel },
  { name: 'consent with root cause', model: consentRootCauseModel },
  { name: 'other operation', model: () => otherOperationModel() },
  { name: 'review', model: reviewModel },
  { name: 'review with drift', model: driftReviewModel, press: [details('Queue')] },
  { name: 'review with property details', model: propertyReviewModel, press: [details('Table'), details('Database'), details('Bucket')] },
  { name: 'review with options', model: optionsModel },
  { name: 'review with findings', model: findingsModel },
  { name: 'nested stacks', model: nestedModel, press: ['tr[data-id="Network/Inner"] .tree-toggle'] },
  { name: 'deploying (create)', model: creatingModel },
  { name: 'deploying (update)', model: updatingModel },
  { name: 'deploying with row times', model: () => timedModel() },
  { name: 'retrying', model: () => retryingModel(Date.now() + 60_000) },
  { name: 'rolling back', model: rollingBackModel },
  { name: 'lost contact', model: lostContactModel },
  { name: 'succeeded', model: succeededModel },
  { name: 'failed with root cause', model: rolledBackModel },
  { name: 'failed with hook', model: hookFailureModel },
  { name: 'failed to start', model: errorModel },
  { name: 'stopped', model: stoppedModel },
  { name: 'aborted', model: abortedModel },
  { name: 'no changes', model: noChangesModel },
  { name: 'unknown', model: unknownModel },
  { name: 'gcp applying', model: gcpApplyingModel },
  { name: 'gcp failed', model: gcpFailedModel },
];
