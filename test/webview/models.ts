/** Hand-built monitor models for each phase, typed against the real MonitorViewModel. */
import type { ChangeRow, Controls, MonitorViewModel } from '../../src/shared/viewModel';
import { statusLine } from '../../src/ui/viewModel';
import { vocabularyOf } from '../../src/ui/vocabulary';

/** The controls only a lost contact or someone else's operation turns on. */
const NO_PERSON_CONTROLS = { watchOther: false, checkAgain: false, dismiss: false, compare: false, deployAgain: false };

const NO_STOP = { visible: false, enabled: false, label: 'Stop' };

export const CONTROLS_REVIEW: Controls = { execute: true, abort: true, saveTemplate: true, logs: false, stop: NO_STOP, done: false, ...NO_PERSON_CONTROLS };

export function reviewRows(): ChangeRow[] {
  return [
    { logicalId: 'ApiFunction', action: 'Add', resourceType: 'AWS::Lambda::Function', status: 'pending' },
    { logicalId: 'ApiFunctionRole', action: 'Add', resourceType: 'AWS::IAM::Role', status: 'pending' },
    {
      logicalId: 'Bucket',
      action: 'Modify',
      resourceType: 'AWS::S3::Bucket',
      physicalId: 'demo-bucket-1h60k5zv18',
      replacement: 'True',
      details: ['Properties.BucketName (requires replacement)'],
      status: 'pending',
    },
    {
      logicalId: 'Queue',
      action: 'Modify',
      resourceType: 'AWS::SQS::Queue',
      physicalId: 'https://sqs.us-east-1.amazonaws.com/123456789012/demo-Queue',
      replacement: 'Conditional',
      status: 'pending',
    },
    {
      logicalId: 'OldTable',
      action: 'Remove',
      resourceType: 'AWS::DynamoDB::Table',
      physicalId: 'demo-OldTable-XYZ',
      policyAction: 'Retain',
      status: 'pending',
    },
    { logicalId: 'Topic', action: 'Add', resourceType: 'AWS::SNS::Topic', status: 'pending' },
  ];
}

export function model(overrides: Partial<MonitorViewModel> = {}): MonitorViewModel {
  const changes = overrides.changes ?? reviewRows();
  return {
    deploymentId: 'dep-1',
    stackName: 'demo-stack',
    provider: 'aws',
    words: vocabularyOf(overrides.provider ?? 'aws'),
    region: 'us-east-1',
    phase: 'review',
    activity: 'reviewing',
    shown: 'reviewing',
    statusLine: statusLine(0, changes.length, 0, 'REVIEW_IN_PROGRESS'),
    providerStatus: 'REVIEW_IN_PROGRESS',
    progress: { done: 0, total: changes.length, failed: 0 },
    changes,
    controls: CONTROLS_REVIEW,
    autoExecute: false,
    outputs: [],
    failures: { otherFailures: [], cancellations: [] },
    notices: [],
    warnings: [],
    findings: [],
    ...overrides,
  };
}

export function reviewModel(): MonitorViewModel {
  return model({ warnings: ['The template needs CAPABILITY_IAM; Stackwatch acknowledges it for you.'] });
}

/** A create in progress: CloudFormation cannot cancel a creation, so Stop is disabled with why. */
export function creatingModel(): MonitorViewModel {
  const changes = reviewRows().map((row, i): ChangeRow => ({ ...row, status: i < 2 ? 'succeeded' : i < 4 ? 'inProgress' : 'pending' }));
  return model({
    phase: 'monitoring',
    activity: 'deploying',
    shown: 'deploying',
    providerStatus: 'CREATE_IN_PROGRESS',
    statusLine: statusLine(2, changes.length, 0, 'CREATE_IN_PROGRESS'),
    progress: { done: 2, total: changes.length, failed: 0 },
    changes,
    controls: {
      execute: false,
      abort: false,
      saveTemplate: true,
      logs: true,
      done: false,
      ...NO_PERSON_CONTROLS,
      stop: {
        visible: true,
        enabled: false,
        label: 'Stop',
        reason: 'CloudFormation cannot cancel a stack creation. Let it finish or fail, then delete the stack if you do not want it.',
      },
    },
  });
}

/** An update in progress: Stop is allowed. */
export function updatingModel(): MonitorViewModel {
  const base = creatingModel();
  return {
    ...base,
    providerStatus: 'UPDATE_IN_PROGRESS',
    statusLine: statusLine(2, base.changes.length, 0, 'UPDATE_IN_PROGRESS'),
    controls: {
      ...base.controls,
      stop: { visible: true, enabled: true, label: 'Stop', reason: 'Cancel the update; CloudFormation rolls the stack back to where it was.' },
    },
  };
}

export const QUEUE_REASON =
  'Resource handler returned message: "Invalid REST API identifier specified 359675929" (RequestToken: 28f20c6d, HandlerErrorCode: NotFound)';

export function rollingBackModel(): MonitorViewModel {
  const rows = reviewRows();
  const changes: ChangeRow[] = [
    { ...rows[0], status: 'rollingBack' },
    { ...rows[1], status: 'rolledBack' },
    { ...rows[2], status: 'cancelled', providerStatus: 'UPDATE_FAILED', reason: 'Resource update cancelled' },
    { ...rows[3], status: 'failed', providerStatus: 'UPDATE_FAILED', reason: QUEUE_REASON },
    { ...rows[4], status: 'pending' },
    { ...rows[5], status: 'cancelled', providerStatus: 'CREATE_FAILED', reason: 'Resource creation cancelled' },
  ];
  return model({
    phase: 'monitoring',
    activity: 'rollingBack',
    shown: 'rollingBack',
    providerStatus: 'UPDATE_ROLLBACK_IN_PROGRESS',
    statusLine: statusLine(3, changes.length, 1, 'UPDATE_ROLLBACK_IN_PROGRESS'),
    progress: { done: 3, total: changes.length, failed: 1 },
    changes,
    controls: {
      execute: false,
      abort: false,
      saveTemplate: true,
      logs: true,
      done: false,
      ...NO_PERSON_CONTROLS,
      stop: { visible: true, enabled: false, label: 'Stop', reason: 'The stack is rolling back; a rollback cannot be stopped.' },
    },
  });
}

export function succeededModel(): MonitorViewModel {
  const changes = reviewRows().map((row): ChangeRow => ({ ...row, status: 'succeeded' }));
  return model({
    phase: 'final',
    activity: 'succeeded',
    shown: 'succeeded',
    final: 'succeeded',
    providerStatus: 'UPDATE_COMPLETE',
    statusLine: statusLine(changes.length, changes.length, 0, 'UPDATE_COMPLETE'),
    progress: { done: changes.length, total: changes.length, failed: 0 },
    changes,
    controls: { execute: false, abort: false, saveTemplate: true, logs: true, done: true, stop: NO_STOP, ...NO_PERSON_CONTROLS },
    outputs: [
      {
        key: 'ApiUrl',
        value: 'https://1h60k5zv18.execute-api.us-east-1.amazonaws.com/prod/webhook',
        description: 'POST endpoint for resource /webhook on API webhook',
      },
      { key: 'BucketName', value: 'demo-bucket-1h60k5zv18', exportName: 'demo-stack-BucketName' },
    ],
    notices: ['Deleted the empty change set demo-stack-1 after execution.'],
  });
}

export function rolledBackModel(): MonitorViewModel {
  const rb = rollingBackModel();
  const changes = rb.changes.map((row): ChangeRow => {
    if (row.logicalId === 'ApiFunction') return { ...row, status: 'rolledBack' };
    if (row.logicalId === 'Topic') return { ...row, status: 'failed', providerStatus: 'CREATE_FAILED', reason: 'Topic name already exists' };
    return row;
  });
  return {
    ...rb,
    changes,
    progress: { done: 4, total: changes.length, failed: 2 },
    phase: 'final',
    activity: 'rolledBack',
    // A rollback caused by a failure shows as failed (the status model's error status wins).
    shown: 'failed',
    final: 'rolledBack',
    providerStatus: 'UPDATE_ROLLBACK_COMPLETE',
    statusLine: statusLine(4, changes.length, 2, 'UPDATE_ROLLBACK_COMPLETE'),
    controls: { execute: false, abort: false, saveTemplate: true, logs: true, done: true, stop: NO_STOP, ...NO_PERSON_CONTROLS },
    failures: {
      rootCause: {
        logicalId: 'Queue',
        resourceType: 'AWS::SQS::Queue',
        providerStatus: 'UPDATE_FAILED',
        reason: QUEUE_REASON,
        timestamp: '2026-11-23T12:00:03Z',
      },
      otherFailures: [
        {
          logicalId: 'Topic',
          resourceType: 'AWS::SNS::Topic',
          providerStatus: 'CREATE_FAILED',
          reason: 'Topic name already exists',
          timestamp: '2026-11-23T12:00:04Z',
        },
      ],
      cancellations: [
        {
          logicalId: 'Bucket',
          resourceType: 'AWS::S3::Bucket',
          providerStatus: 'UPDATE_FAILED',
          reason: 'Resource update cancelled',
          timestamp: '2026-11-23T12:00:05Z',
        },
      ],
      targetReason: 'The following resource(s) failed to update: [Queue].',
    },
  };
}

export function consentModel(): MonitorViewModel {
  return model({
    phase: 'consent',
    activity: 'awaitingConsent',
    shown: 'awaitingConsent',
    providerStatus: 'DELETE_FAILED',
    statusLine: statusLine(0, 0, 0, 'DELETE_FAILED'),
    progress: { done: 0, total: 0, failed: 0 },
    changes: [],
    controls: { execute: false, abort: false, saveTemplate: false, logs: false, done: false, stop: NO_STOP, ...NO_PERSON_CONTROLS },
    consent: {
      stackStatus: 'DELETE_FAILED',
      reason: 'The following resource(s) failed to delete: [Bucket]. The bucket you tried to delete is not empty.',
      actions: [
        {
          id: 'delete',
          label: 'Delete and redeploy',
          description: 'Retries deleting the stack, then deploys it from scratch.',
          destructive: true,
          restartsDeployment: true,
        },
        {
          id: 'forceDelete',
          label: 'Force delete and redeploy',
          description: 'Deletes the stack and leaves resources that cannot be deleted behind.',
          destructive: true,
          restartsDeployment: true,
        },
      ],
    },
  });
}

export function stagingModel(): MonitorViewModel {
  return model({
    phase: 'staging',
    activity: 'staging',
    shown: 'staging',
    providerStatus: undefined,
    statusLine: statusLine(0, 0, 0, undefined),
    progress: { done: 0, total: 0, failed: 0 },
    changes: [],
    controls: { execute: false, abort: true, saveTemplate: false, logs: false, done: false, stop: NO_STOP, ...NO_PERSON_CONTROLS },
    autoExecute: true,
  });
}

export function retryingModel(retryAt: number): MonitorViewModel {
  return {
    ...creatingModel(),
    shown: 'retrying',
    retry: { operation: 'DescribeStackEvents', message: 'CloudFormation is throttling requests (Rate exceeded)', retryAt, attempt: 2 },
  };
}

export function errorModel(): MonitorViewModel {
  return model({
    phase: 'final',
    activity: 'failed',
    shown: 'failed',
    final: 'failed',
    providerStatus: undefined,
    statusLine: statusLine(0, 0, 0, undefined),
    progress: { done: 0, total: 0, failed: 0 },
    changes: [],
    controls: { execute: false, abort: false, saveTemplate: false, logs: true, done: true, stop: NO_STOP, ...NO_PERSON_CONTROLS },
    error: {
      code: 'Template',
      message: 'Template format error: unresolved resource dependencies [MissingRole] in the Resources block',
      hint: 'Define MissingRole or remove the reference to it.',
      retryable: false,
      file: 'template.yaml',
      line: 42,
    },
  });
}

export function manyRows(count: number, status: ChangeRow['status'] = 'pending'): ChangeRow[] {
  return Array.from({ length: count }, (_, i): ChangeRow => ({
    logicalId: `Function${String(i).padStart(4, '0')}`,
    action: 'Add',
    resourceType: i % 2 ? 'AWS::IAM::Role' : 'AWS::Lambda::Function',
    status,
    details: i % 10 === 0 ? ['Properties.Code'] : undefined,
  }));
}

/** Stop during an update: a clean rollback with only cancellations. */
export function stoppedModel(): MonitorViewModel {
  const failed = rolledBackModel();
  return {
    ...failed,
    shown: 'rolledBack',
    stopped: true,
    failures: { otherFailures: [], cancellations: failed.failures.cancellations },
    progress: { ...failed.progress, failed: 0 },
  };
}

/** An Infrastructure Manager apply in progress: Google's words, and a Cancel that does not roll back. */
export function gcpApplyingModel(): MonitorViewModel {
  const changes: ChangeRow[] = [
    { logicalId: 'google_storage_bucket.assets', action: 'Add', resourceType: 'google_storage_bucket', status: 'succeeded' },
    { logicalId: 'google_cloud_run_v2_service.api', action: 'Modify', resourceType: 'google_cloud_run_v2_service', replacement: 'True', status: 'inProgress' },
    { logicalId: 'google_pubsub_topic.old', action: 'Remove', resourceType: 'google_pubsub_topic', status: 'pending' },
  ];
  return model({
    provider: 'gcp',
    words: vocabularyOf('gcp'),
    stackName: 'orders-gcp',
    region: 'us-central1',
    identity: 'project demo-project · as deployer@demo-project.iam.gserviceaccount.com',
    phase: 'monitoring',
    activity: 'deploying',
    shown: 'deploying',
    providerStatus: 'UPDATING',
    statusLine: statusLine(1, 3, 0, 'UPDATING', 'status'),
    progress: { done: 1, total: 3, failed: 0 },
    changes,
    controls: {
      ...CONTROLS_REVIEW,
      execute: false,
      abort: false,
      logs: true,
      stop: {
        visible: true,
        enabled: true,
        label: 'Cancel (no rollback)',
        reason:
          'Asks Infrastructure Manager to cancel the apply. Cancelling is best effort: it may refuse, or finish anyway. What it already created or changed stays as it is; nothing is rolled back.',
      },
    },
  });
}

/** The console's token as CloudFormation stamps it: long and unbroken, so it must wrap in a narrow panel. */
export const CONSOLE_TOKEN = 'Console-UpdateStack-d5a8c3e1-2f6b-4b58-9f3e-7c1b0e2a9d44';

/** Someone else's update runs on the stack; nothing of ours is staged. `watching` after Watch, Then Deploy. */
export function otherOperationModel(watching = false): MonitorViewModel {
  return model({
    phase: 'otherOperation',
    activity: 'otherOperation',
    shown: 'otherOperation',
    providerStatus: 'UPDATE_IN_PROGRESS',
    statusLine: statusLine(0, 0, 0, 'UPDATE_IN_PROGRESS'),
    progress: { done: 0, total: 0, failed: 0 },
    changes: [],
    controls: {
      execute: false,
      abort: true,
      saveTemplate: false,
      logs: false,
      done: false,
      stop: NO_STOP,
      watchOther: !watching,
      checkAgain: false,
      dismiss: false,
      compare: false,
      deployAgain: false,
    },
    otherOperation: {
      providerStatus: 'UPDATE_IN_PROGRESS',
      startedBy: `the AWS console (token ${CONSOLE_TOKEN})`,
      startedAt: '2026-11-30T08:31:07.000Z',
      watching,
    },
  });
}

export const EXPIRED_REASON = 'The security token included in the request is expired';

/** Credentials expired mid-update: the last state CloudFormation reported, and why it can no longer be asked. */
export function lostContactModel(): MonitorViewModel {
  const updating = updatingModel();
  return {
    ...updating,
    phase: 'lostContact',
    shown: 'lostContact',
    controls: { ...updating.controls, stop: NO_STOP, checkAgain: true, dismiss: true },
    autoExecute: true,
    lostContact: { lastKnownStatus: 'UPDATE_IN_PROGRESS', reason: EXPIRED_REASON },
    // The machine keeps the lost read's error, and the view model says the panel tells it, as the real one does.
    error: {
      code: 'Credentials',
      message: EXPIRED_REASON,
      hint: 'Check your AWS credentials: the stackwatch.aws.profile setting, AWS_PROFILE / AWS_ACCESS_KEY_ID, or run "aws sso login".',
      retryable: false,
      toldIn: 'lostContact',
    },
  };
}

/** The person chose Record as Unknown: the deployment ends with the outcome unknown, not failed. */
export function unknownModel(): MonitorViewModel {
  const lost = lostContactModel();
  return {
    ...lost,
    phase: 'final',
    activity: 'unknown',
    shown: 'unknown',
    final: 'unknown',
    controls: { execute: false, abort: false, saveTemplate: true, logs: true, done: true, stop: NO_STOP, ...NO_PERSON_CONTROLS },
  };
}
