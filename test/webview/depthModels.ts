/**
 * Models for the review's depth: property values and diffs, drift, the nested tree, row times and
 * links, validation findings, hook failures, deployment options, and a consent's root cause.
 */
import type { ChangeRow, FailureReason, MonitorViewModel } from '../../src/shared/viewModel';
import { statusLine } from '../../src/ui/viewModel';
import { consentModel, model, rolledBackModel, creatingModel, stagingModel } from './models';

/** Long enough (and JSON) to be shown as a line diff. */
export const KEY_SCHEMA_BEFORE = JSON.stringify([
  { AttributeName: 'Id', KeyType: 'HASH' },
  { AttributeName: 'CreatedAt', KeyType: 'RANGE' },
]);
export const KEY_SCHEMA_AFTER = JSON.stringify([
  { AttributeName: 'TenantId', KeyType: 'HASH' },
  { AttributeName: 'CreatedAt', KeyType: 'RANGE' },
]);
/** A secret value as the provider would carry it, were the mask ever skipped: it must never reach the page. */
export const SECRET_SENTINEL = 'hunter2-do-not-show';

export function propertyRows(): ChangeRow[] {
  return [
    {
      logicalId: 'Table',
      action: 'Modify',
      resourceType: 'AWS::DynamoDB::Table',
      physicalId: 'demo-Table-1AB',
      replacement: 'True',
      status: 'pending',
      hasLocation: true,
      properties: [
        {
          path: 'Properties.KeySchema',
          changeType: 'Modify',
          requiresRecreation: 'Always',
          changeSource: 'DirectModification',
          before: KEY_SCHEMA_BEFORE,
          after: KEY_SCHEMA_AFTER,
        },
        {
          path: 'Properties.BillingMode',
          changeType: 'Modify',
          requiresRecreation: 'Conditionally',
          changeSource: 'ParameterReference',
          causingEntity: 'BillingModeParam',
          before: 'PROVISIONED',
          after: 'PAY_PER_REQUEST',
        },
      ],
    },
    {
      logicalId: 'Database',
      action: 'Modify',
      resourceType: 'AWS::RDS::DBInstance',
      physicalId: 'demo-db',
      status: 'pending',
      properties: [
        { path: 'Properties.MasterUserPassword', changeType: 'Modify', requiresRecreation: 'Never', before: '****', after: '****', masked: true },
        // Marked masked but carrying a value: the page still shows only "hidden (secret)".
        { path: 'Properties.Tags[0].Value', changeType: 'Add', requiresRecreation: 'Never', after: SECRET_SENTINEL, masked: true },
      ],
    },
    {
      logicalId: 'Bucket',
      action: 'Modify',
      resourceType: 'AWS::S3::Bucket',
      physicalId: 'demo-bucket-1h60k5zv18',
      status: 'pending',
      beforeContext: JSON.stringify({ Properties: { BucketName: 'demo-bucket', Tags: [{ Key: 'team', Value: 'web' }] } }),
      afterContext: JSON.stringify({ Properties: { BucketName: 'demo-bucket', Tags: [{ Key: 'team', Value: 'platform' }] }, Metadata: { Token: '****' } }),
    },
    { logicalId: 'Topic', action: 'Add', resourceType: 'AWS::SNS::Topic', status: 'pending' },
  ];
}

export function propertyReviewModel(): MonitorViewModel {
  return model({ changes: propertyRows() });
}

export function driftReviewModel(): MonitorViewModel {
  const changes: ChangeRow[] = [
    {
      logicalId: 'Queue',
      action: 'Modify',
      resourceType: 'AWS::SQS::Queue',
      physicalId: 'demo-Queue',
      status: 'pending',
      drift: 'MODIFIED',
      properties: [
        {
          path: 'Properties.VisibilityTimeout',
          changeType: 'Modify',
          requiresRecreation: 'Never',
          before: '30',
          after: '30',
          drift: { previous: '30', actual: '45' },
        },
      ],
    },
    { logicalId: 'Topic', action: 'None', resourceType: 'AWS::SNS::Topic', physicalId: 'demo-Topic', status: 'pending', drift: 'IN_SYNC' },
    { logicalId: 'Role', action: 'Add', resourceType: 'AWS::IAM::Role', status: 'pending' },
  ];
  return model({ changes });
}

/** Network holds Subnet, Vpc and Inner; Inner holds Route. */
export function nestedRows(): ChangeRow[] {
  return [
    { logicalId: 'Api', action: 'Add', resourceType: 'AWS::Lambda::Function', status: 'succeeded' },
    { logicalId: 'Network', action: 'Modify', resourceType: 'AWS::CloudFormation::Stack', status: 'inProgress', hasLocation: true },
    { logicalId: 'Network/Vpc', parent: 'Network', depth: 1, action: 'Modify', resourceType: 'AWS::EC2::VPC', status: 'succeeded' },
    { logicalId: 'Network/Subnet', parent: 'Network', depth: 1, action: 'Add', resourceType: 'AWS::EC2::Subnet', status: 'inProgress' },
    { logicalId: 'Network/Inner', parent: 'Network', depth: 1, action: 'Modify', resourceType: 'AWS::CloudFormation::Stack', status: 'inProgress' },
    { logicalId: 'Network/Inner/Route', parent: 'Network/Inner', depth: 2, action: 'Add', resourceType: 'AWS::EC2::Route', status: 'pending' },
    { logicalId: 'Topic', action: 'Add', resourceType: 'AWS::SNS::Topic', status: 'pending' },
  ];
}

export function nestedModel(): MonitorViewModel {
  return { ...creatingModel(), changes: nestedRows(), progress: { done: 2, total: 7, failed: 0 }, statusLine: statusLine(2, 7, 0, 'UPDATE_IN_PROGRESS') };
}

/** Times in UTC; the timing test runs the page in UTC, so 14:03:12Z reads 14:03:12. */
export const NOW = Date.parse('2026-11-30T14:10:00Z');

/** `now`: when the page's clock reads; Cluster started 65 s before it and is still stabilizing. */
export function timedModel(now = Date.now()): MonitorViewModel {
  const changes: ChangeRow[] = [
    {
      logicalId: 'Role',
      action: 'Add',
      resourceType: 'AWS::IAM::Role',
      status: 'succeeded',
      startedAt: '2026-11-30T14:03:12Z',
      endedAt: '2026-11-30T14:04:24Z',
      hasLocation: true,
      hasConsoleLink: true,
      physicalId: 'demo-Role-1',
    },
    {
      logicalId: 'Cluster',
      action: 'Add',
      resourceType: 'AWS::ECS::Service',
      status: 'inProgress',
      stabilizing: true,
      startedAt: new Date(now - 65_000).toISOString(),
      hasConsoleLink: true,
    },
    { logicalId: 'Topic', action: 'Add', resourceType: 'AWS::SNS::Topic', status: 'pending' },
  ];
  return { ...creatingModel(), changes, progress: { done: 1, total: 3, failed: 0 }, statusLine: statusLine(1, 3, 0, 'CREATE_IN_PROGRESS') };
}

export function findingsModel(): MonitorViewModel {
  return model({
    changes: [],
    phase: 'final',
    activity: 'failed',
    shown: 'failed',
    final: 'failed',
    providerStatus: 'FAILED',
    progress: { done: 0, total: 0, failed: 0 },
    statusLine: statusLine(0, 0, 0, 'FAILED'),
    findings: [
      {
        severity: 'warning',
        message: 'The bucket name demo-logs is close to the account quota for buckets.',
        logicalId: 'LogBucket',
        path: '/Resources/LogBucket/Properties/BucketName',
        hasLocation: false,
      },
      {
        severity: 'error',
        message: 'A resource with the name demo-bucket already exists.',
        logicalId: 'Bucket',
        path: '/Resources/Bucket/Properties/BucketName',
        hasLocation: true,
      },
    ],
  });
}

export const HOOK_FAILURE: FailureReason = {
  logicalId: 'Bucket',
  resourceType: 'AWS::S3::Bucket',
  providerStatus: 'CREATE_FAILED',
  reason: 'The following hook(s)/validation failed: [Private::Guard::S3Encryption]',
  timestamp: '2026-11-30T14:05:00Z',
  requestId: '8f14e45f-ceea-467f-a0e6-0c5cf1d4c4a1',
  propertyPath: 'Properties.BucketEncryption',
  hook: {
    type: 'Private::Guard::S3Encryption',
    status: 'HOOK_COMPLETE_FAILED',
    reason: 'Template failed validation: the bucket is not encrypted.',
    invocationPoint: 'PRE_PROVISION',
    failureMode: 'FAIL',
    annotations: [
      {
        name: 'S3BucketEncryptionRule',
        status: 'FAILED',
        message: 'BucketEncryption must be set.',
        remediation: 'Add a BucketEncryption with SSEAlgorithm aws:kms.',
        remediationLink: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html',
      },
      { name: 'S3BucketPublicAccessRule', status: 'PASSED' },
    ],
  },
};

export function hookFailureModel(): MonitorViewModel {
  const base = rolledBackModel();
  const changes = base.changes.map((row): ChangeRow => (row.logicalId === 'Bucket' ? { ...row, status: 'failed', hasLocation: true } : row));
  return { ...base, changes, failures: { ...base.failures, rootCause: HOOK_FAILURE, otherFailures: [] } };
}

export function optionsModel(): MonitorViewModel {
  return model({
    controls: { ...model().controls, compare: true },
    options: [
      { id: 'revertDrift', label: 'Revert drift', description: 'Puts drifted resources back to the template.', kind: 'flag', value: false, enabled: true },
      {
        id: 'onFailure',
        label: 'On failure',
        description: 'What a failed create leaves.',
        kind: 'choice',
        choices: [
          { value: 'ROLLBACK', label: 'Roll back' },
          { value: 'DELETE', label: 'Delete the stack' },
          { value: 'DO_NOTHING', label: 'Keep what was created' },
        ],
        value: 'ROLLBACK',
        enabled: true,
      },
      {
        id: 'express',
        label: 'Express mode',
        description: 'Deploys faster without waiting for stabilization; a failure is not rolled back.',
        kind: 'flag',
        value: false,
        enabled: false,
        note: 'Express mode applies only to updates; this is a create.',
      },
    ],
  });
}

export function consentRootCauseModel(): MonitorViewModel {
  const base = consentModel();
  return {
    ...base,
    providerStatus: 'ROLLBACK_COMPLETE',
    consent: {
      ...(base.consent as NonNullable<MonitorViewModel['consent']>),
      stackStatus: 'ROLLBACK_COMPLETE',
      reason: 'The stack was rolled back after its creation failed; it can only be deleted.',
      rootCause: HOOK_FAILURE,
    },
  };
}

/** Staging failed and nothing ran: the options are editable for the next deployment, and Deploy Again is offered. */
export function stagingFailedModel(saved = false): MonitorViewModel {
  const failed = findingsModel();
  return {
    ...failed,
    controls: { ...failed.controls, execute: false, abort: false, saveTemplate: false, done: true, deployAgain: true },
    options: [
      {
        id: 'importExisting',
        label: 'Import existing resources',
        description: 'Resources with a custom name that already exist are imported into the stack.',
        kind: 'flag',
        value: saved,
        enabled: true,
      },
      {
        id: 'revertDrift',
        label: 'Revert drift',
        description: 'Puts drifted resources back to the template.',
        kind: 'flag',
        value: false,
        enabled: false,
        note: 'Applies only when updating an existing target.',
      },
    ],
    ...(saved ? { optionsNote: 'Saved for demo-stack; used when you deploy again.' } : {}),
  };
}

/** Getting ready: the template checked, cfn-lint still running beside the staging. */
export function stepsModel(now = Date.now()): MonitorViewModel {
  return {
    ...stagingModel(),
    steps: [
      { id: 'template', label: 'Loading and validating the template', state: 'done', startedAt: now - 9_000, endedAt: now - 8_200, note: 'from cache' },
      { id: 'lint', label: 'Checking with cfn-lint', state: 'running', startedAt: now - 8_000 },
      { id: 'target', label: 'Reading the stack', state: 'done', startedAt: now - 8_000, endedAt: now - 7_400 },
      { id: 'stage', label: 'Creating the change set', state: 'running', startedAt: now - 7_300 },
    ],
  };
}

/** Mid-deploy with an estimate: rows with their expected times, and the timeline a third of the way. */
export function etaModel(now = Date.now()): MonitorViewModel {
  const base = timedModel(now);
  const expected: Record<string, number> = { Role: 15_000, Cluster: 240_000, Topic: 3_000 };
  return {
    ...base,
    changes: base.changes.map((row) => ({ ...row, expectedMs: expected[row.logicalId] })),
    timeline: { startedAt: now - 100_000, expectedEndAt: now + 200_000, basis: 'history' },
  };
}
