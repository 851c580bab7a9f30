/** Representative provider answers for driving the deployment machine. */
import type {
  Change,
  DeploymentEvent,
  DescribeRecoveryResult,
  DescribeStagedResult,
  DescribeTargetResult,
  ExecuteResult,
  FindExecutionResult,
  PollResult,
  RecoverResult,
  StackOutput,
  StageResult,
  StopResult,
  TargetRef,
} from '../../src/providers/provider';
import { ProviderError } from '../../src/providers/provider';
import { PreflightError } from '../../src/preflight/preflightError';
import type { DeploymentInput, InitializedDeployment } from '../../src/deployment/machine';

export const TARGET: TargetRef = { provider: 'aws', name: 'demo-stack', region: 'us-east-1' };

export function deploymentInput(overrides: Partial<DeploymentInput> = {}): DeploymentInput {
  return { deploymentId: 'dep-1', target: TARGET, autoExecute: false, ...overrides };
}

export const INITIALIZED: InitializedDeployment = {
  template: { path: 'template.yaml', body: 'Resources: {}', format: 'yaml', sizeBytes: 13 },
  parameters: [],
  capabilities: [],
  warnings: [],
};

export const CHANGES: Change[] = [
  { logicalId: 'Bucket', action: 'Add', resourceType: 'AWS::S3::Bucket' },
  { logicalId: 'Queue', action: 'Add', resourceType: 'AWS::SQS::Queue' },
];

export const described = {
  missing: { condition: 'missing', recoveryActions: [] } satisfies DescribeTargetResult,
  ready: { condition: 'ready', providerStatus: 'UPDATE_COMPLETE', recoveryActions: [] } satisfies DescribeTargetResult,
  inProgress: {
    condition: 'inProgress',
    providerStatus: 'UPDATE_IN_PROGRESS',
    recoveryActions: [],
    operation: { startedAt: '2026-11-22T10:00:00.000Z', kind: 'update' },
  } satisfies DescribeTargetResult,
  deleting: {
    condition: 'inProgress',
    providerStatus: 'DELETE_IN_PROGRESS',
    recoveryActions: [],
    operation: { startedAt: '2026-11-22T10:00:00.000Z', kind: 'delete' },
  } satisfies DescribeTargetResult,
  unrecoverable: {
    condition: 'unrecoverable',
    providerStatus: 'ROLLBACK_COMPLETE',
    statusReason: 'The following resource(s) failed to create: [Queue].',
    recoveryActions: [
      { id: 'delete', label: 'Delete and recreate', description: 'Deletes the stack, then deploys it again.', destructive: true, restartsDeployment: true },
    ],
  } satisfies DescribeTargetResult,
};

export const staged: StageResult = { stagedId: 'arn:changeSet/stackwatch-dep-1', createdTarget: true };

export const stagedResults = {
  pending: { state: 'pending', providerStatus: 'CREATE_IN_PROGRESS', changes: [] } satisfies DescribeStagedResult,
  ready: { state: 'ready', providerStatus: 'CREATE_COMPLETE', changes: CHANGES } satisfies DescribeStagedResult,
  empty: { state: 'empty', providerStatus: 'FAILED', reason: "The submitted information didn't contain changes.", changes: [] } satisfies DescribeStagedResult,
  failed: { state: 'failed', providerStatus: 'FAILED', reason: 'Template error: unresolved resource dependency', changes: [] } satisfies DescribeStagedResult,
};

export const executed: ExecuteResult = { operation: { token: 'stackwatch-exec-dep-1', startedAt: '2026-11-22T10:00:00.000Z', kind: 'create' } };

/** What findExecution may say about an execute whose answer was lost. */
export const found = {
  executed: { state: 'executed', operation: executed.operation } satisfies FindExecutionResult,
  notExecuted: { state: 'notExecuted' } satisfies FindExecutionResult,
  gone: { state: 'gone', reason: 'the change set no longer exists' } satisfies FindExecutionResult,
};

function event(id: string, logicalId: string, providerStatus: string, status: DeploymentEvent['status'], reason?: string): DeploymentEvent {
  return {
    id,
    timestamp: `2026-11-22T10:00:0${id.length % 10}.000Z`,
    logicalId,
    resourceType: logicalId === TARGET.name ? 'AWS::CloudFormation::Stack' : 'AWS::S3::Bucket',
    providerStatus,
    status,
    reason,
    isCancellation: reason?.endsWith('cancelled') ?? false,
  };
}

export const ROOT_CAUSE = 'Queue name already exists';

export const polls = {
  inProgress: {
    phase: 'inProgress',
    providerStatus: 'CREATE_IN_PROGRESS',
    events: [event('e1', 'Bucket', 'CREATE_IN_PROGRESS', 'inProgress')],
    cursor: 'e1',
    pagesRead: 1,
  } satisfies PollResult,
  rollingBack: {
    phase: 'rollingBack',
    providerStatus: 'ROLLBACK_IN_PROGRESS',
    events: [
      event('e2', 'Queue', 'CREATE_FAILED', 'failed', ROOT_CAUSE),
      event('e3', 'Bucket', 'CREATE_FAILED', 'cancelled', 'Resource creation cancelled'),
      event('e4', TARGET.name, 'ROLLBACK_IN_PROGRESS', 'rollingBack', 'The following resource(s) failed to create: [Queue, Bucket].'),
    ],
    cursor: 'e4',
    pagesRead: 1,
  } satisfies PollResult,
  succeeded: {
    phase: 'succeeded',
    providerStatus: 'CREATE_COMPLETE',
    events: [event('e5', 'Bucket', 'CREATE_COMPLETE', 'succeeded'), event('e6', 'Queue', 'CREATE_COMPLETE', 'succeeded')],
    cursor: 'e6',
    pagesRead: 1,
  } satisfies PollResult,
  failed: {
    phase: 'failed',
    providerStatus: 'ROLLBACK_FAILED',
    events: [event('e7', 'Queue', 'DELETE_FAILED', 'failed', 'Access denied deleting the queue')],
    cursor: 'e7',
    pagesRead: 1,
  } satisfies PollResult,
  rolledBack: {
    phase: 'rolledBack',
    providerStatus: 'ROLLBACK_COMPLETE',
    events: [event('e8', 'Bucket', 'DELETE_COMPLETE', 'rolledBack')],
    cursor: 'e8',
    pagesRead: 1,
  } satisfies PollResult,
};

export const stopped: StopResult = { rollsBack: true };
export const recovered: RecoverResult = { operation: { startedAt: '2026-11-22T10:00:00.000Z', kind: 'delete' } };

/** What describeRecovery answers: the recorded state while the delete is planned, then the plan. */
export const recoveryPlans = {
  planning: {
    destroys: [{ logicalId: 'Queue', action: 'Remove', resourceType: 'AWS::SQS::Queue', physicalId: 'q-1' }],
    basis: 'lastRecordedState',
    planning: true,
  },
  planned: {
    destroys: [
      { logicalId: 'Queue', action: 'Remove', resourceType: 'AWS::SQS::Queue', physicalId: 'q-1' },
      { logicalId: 'Topic', action: 'Remove', resourceType: 'AWS::SNS::Topic' },
    ],
    basis: 'plannedDelete',
    planning: false,
  },
} satisfies Record<string, DescribeRecoveryResult>;
export const OUTPUTS: StackOutput[] = [{ key: 'ApiUrl', value: 'https://abc.example.test/prod', description: 'The API endpoint' }];

export const errors = {
  throttled: () => new ProviderError('Throttling', 'Rate exceeded'),
  credentials: () => new ProviderError('Credentials', 'The security token included in the request is expired'),
  validation: () => new ProviderError('Validation', 'Template format error: Unresolved resource dependencies [Nope]'),
  unsupported: () => new ProviderError('Unsupported', 'CloudFormation cannot cancel a stack creation.'),
  preflight: () => new PreflightError('The build task "build" failed with exit code 2.'),
  preflightCancelled: () => new PreflightError('Deployment cancelled: template.yaml has unsaved changes.', undefined, true),
};

/**
 * A snapshot store as VS Code's workspace state keeps it: JSON in, JSON out. Every write is kept
 * as the text stored, so tests can search all of them (e.g. for a secret).
 */
export class MemorySnapshotStore {
  readonly data = new Map<string, string>();
  readonly writes: string[] = [];
  readonly removed: string[] = [];
  async load(key: string): Promise<unknown> {
    const text = this.data.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  }
  async save(key: string, persisted: unknown): Promise<void> {
    const text = JSON.stringify(persisted);
    this.writes.push(text);
    this.data.set(key, text);
  }
  async remove(key: string): Promise<void> {
    this.removed.push(key);
    this.data.delete(key);
  }
}
