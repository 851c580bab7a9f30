/**
 * The CloudFormation provider: the port's calls in terms of change sets, stack events and
 * ClientRequestTokens. Every request carries the caller's AbortSignal, and every error leaves
 * here as a coded ProviderError.
 */
import {
  CancelUpdateStackCommand,
  CloudFormationClient,
  ContinueUpdateRollbackCommand,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  ListChangeSetsCommand,
  RollbackStackCommand,
  ValidateTemplateCommand,
  type Capability,
  type DescribeChangeSetCommandOutput,
  type CloudFormationClientConfig,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import {
  ProviderError,
  type AbortStagedRequest,
  type Change,
  type DescribeStagedRequest,
  type DescribeStagedResult,
  type DescribeTargetRequest,
  type DescribeTargetResult,
  type ExecuteRequest,
  type ExecuteResult,
  type OperationRef,
  type OutputsRequest,
  type PollRequest,
  type PollResult,
  type Provider,
  type RecoverRequest,
  type RecoverResult,
  type StackOutput,
  type StageRequest,
  type StageResult,
  type StopRequest,
  type StopResult,
  type TemplateRequest,
  type TemplateSource,
  type ValidateRequest,
  type ValidateResult,
} from '../provider';
import { toChange } from './changes';
import { toProviderError, type ErrorContext } from './errors';
import { recoveryAction } from './recovery';
import { decodeCursor, encodeCursor, readNewEvents, toDeploymentEvents } from './stackEvents';
import { stackStatusMeaning, stagedStateOf } from './statusTables';
import { templateArgs, type PutObject, type TemplateArgs } from './templateLocation';
import { attemptSuffix, deploymentToken, executeToken, requestToken, stagingNames } from './tokens';

export interface AwsProviderConfig {
  region: string;
  /** A profile from the shared config/credentials files; the standard chain is used either way. */
  profile?: string;
  /** A LocalStack-style endpoint for CloudFormation (and S3 uploads). */
  endpoint?: string;
  /** For templates over the inline limit. */
  templateBucket?: string;
  /** Explicit credentials (tests); otherwise the SDK's default chain: env, profiles, SSO, IMDS. */
  credentials?: CloudFormationClientConfig['credentials'];
  /** The SDK's own retries per call before our backoff takes over. */
  maxAttempts?: number;
  requestTimeoutMs?: number;
  /** Uploads a large template; defaults to the S3 client, loaded only when first needed. */
  putObject?: PutObject;
}

/** Polls that may find the stack settled before our own start event shows, before we believe it. */
const MAX_UNSEEN_POLLS = 5;

/** The status a stack shows once each recovery action has been accepted. */
const RECOVERY_RUNNING: Record<RecoverRequest['action'], readonly string[]> = {
  delete: ['DELETE_IN_PROGRESS'],
  forceDelete: ['DELETE_IN_PROGRESS'],
  continueRollback: ['UPDATE_ROLLBACK_IN_PROGRESS'],
  rollback: ['ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS'],
  unlock: [],
};

export class AwsProvider implements Provider {
  readonly kind = 'aws' as const;
  private readonly client: CloudFormationClient;
  private readonly kinds = new Map<string, OperationRef['kind']>();

  constructor(private readonly config: AwsProviderConfig) {
    this.client = new CloudFormationClient({
      region: config.region,
      profile: config.profile,
      endpoint: config.endpoint,
      credentials: config.credentials,
      maxAttempts: config.maxAttempts ?? 3,
      requestHandler: { connectionTimeout: 5_000, requestTimeout: config.requestTimeoutMs ?? 30_000 },
    });
  }

  dispose(): void {
    this.client.destroy();
  }

  private context(operation: string): ErrorContext {
    return { operation, endpoint: this.config.endpoint, profile: this.config.profile, region: this.config.region };
  }

  private async call<T>(operation: string, signal: AbortSignal, send: (client: CloudFormationClient, options: { abortSignal: AbortSignal }) => Promise<T>): Promise<T> {
    if (signal.aborted) throw new ProviderError('Aborted', `${operation}: cancelled before it was sent.`);
    try {
      return await send(this.client, { abortSignal: signal });
    } catch (error) {
      throw toProviderError(error, this.context(operation));
    }
  }

  private async describeStack(stackName: string, signal: AbortSignal): Promise<Stack | undefined> {
    try {
      const result = await this.call('DescribeStacks', signal, (c, o) => c.send(new DescribeStacksCommand({ StackName: stackName }), o));
      return result.Stacks?.[0];
    } catch (error) {
      if (error instanceof ProviderError && error.code === 'NotFound') return undefined;
      throw error;
    }
  }

  async describeTarget({ target, signal }: DescribeTargetRequest): Promise<DescribeTargetResult> {
    const stack = await this.describeStack(target.name, signal);
    if (!stack?.StackStatus) return { condition: 'missing', recoveryActions: [] };
    const status = stack.StackStatus;
    const meaning = stackStatusMeaning(status);
    const lastUpdatedAt = (stack.LastUpdatedTime ?? stack.CreationTime)?.toISOString();
    const result: DescribeTargetResult = {
      condition: meaning.condition,
      providerStatus: status,
      statusReason: stack.StackStatusReason,
      targetId: stack.StackId,
      recoveryActions: meaning.recovery.map((id) => recoveryAction(id, target.name, status)),
      lastUpdatedAt,
    };
    if (meaning.condition === 'inProgress') {
      // Someone else's (or an earlier window's) operation: we know only when it started.
      result.operation = { startedAt: lastUpdatedAt ?? new Date().toISOString(), kind: meaning.operation, targetId: stack.StackId };
    }
    return result;
  }

  private putObject(): PutObject {
    if (this.config.putObject) return this.config.putObject;
    return async (bucket, key, body, signal) => {
      // Loaded only for oversized templates, so activation and small deployments never pay for S3.
      const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3');
      const s3 = new S3Client({
        region: this.config.region,
        profile: this.config.profile,
        endpoint: this.config.endpoint,
        forcePathStyle: this.config.endpoint !== undefined,
        credentials: this.config.credentials,
      });
      try {
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'text/plain' }), { abortSignal: signal });
      } catch (error) {
        throw toProviderError(error, this.context(`Uploading the template to s3://${bucket}/${key}`));
      } finally {
        s3.destroy();
      }
    };
  }

  private templateArgs(template: TemplateSource, stackName: string, signal: AbortSignal): Promise<TemplateArgs> {
    return templateArgs(
      template,
      { bucket: this.config.templateBucket, region: this.config.region, stackName },
      this.putObject(),
      signal,
    );
  }

  async validate({ target, template, signal }: ValidateRequest): Promise<ValidateResult> {
    const args = await this.templateArgs(template, target.name, signal);
    const result = await this.call('ValidateTemplate', signal, (c, o) => c.send(new ValidateTemplateCommand(args), o));
    return {
      parameters: (result.Parameters ?? []).map((p) => ({
        key: p.ParameterKey ?? '',
        defaultValue: p.DefaultValue,
        noEcho: p.NoEcho,
        description: p.Description,
      })),
      requiredCapabilities: result.Capabilities ?? [],
      description: result.Description,
    };
  }

  async stage(req: StageRequest): Promise<StageResult> {
    const { target, template, signal } = req;
    const changeSetType = req.condition === 'missing' ? 'CREATE' : 'UPDATE';
    const args = await this.templateArgs(template, target.name, signal);
    const names = stagingNames(req.deploymentId);
    const result = await this.call('CreateChangeSet', signal, (c, o) => c.send(new CreateChangeSetCommand({
        StackName: target.name,
        ChangeSetName: names.changeSetName,
        ChangeSetType: changeSetType,
        ...args,
        Parameters: req.parameters.map((p) => (p.usePrevious ? { ParameterKey: p.key, UsePreviousValue: true } : { ParameterKey: p.key, ParameterValue: p.value })),
        Capabilities: req.capabilities.length > 0 ? (req.capabilities as Capability[]) : undefined,
        Tags: req.tags ? Object.entries(req.tags).map(([Key, Value]) => ({ Key, Value })) : undefined,
        ClientToken: names.clientToken,
        Description: `Staged by Stackwatch (${req.deploymentId})`,
      }), o));
    if (!result.Id) throw new ProviderError('Unknown', 'CreateChangeSet returned no change set ID.');
    this.kinds.set(result.Id, changeSetType === 'CREATE' ? 'create' : 'update');
    return { stagedId: result.Id, createdTarget: changeSetType === 'CREATE', targetId: result.StackId };
  }

  async describeStaged({ target, stagedId, signal }: DescribeStagedRequest): Promise<DescribeStagedResult> {
    const changes: Change[] = [];
    let nextToken: string | undefined;
    let first: DescribeChangeSetCommandOutput | undefined;
    do {
      const page = await this.call('DescribeChangeSet', signal, (c, o) => c.send(new DescribeChangeSetCommand({ ChangeSetName: stagedId, StackName: target.name, NextToken: nextToken }), o));
      first ??= page;
      const state = stagedStateOf(first.Status, first.ExecutionStatus, first.StatusReason);
      // The change list only matters once it is complete; a pending set is checked again later.
      if (state !== 'ready') return { state, providerStatus: statusText(first), reason: first.StatusReason, changes: [] };
      for (const change of page.Changes ?? []) {
        const converted = toChange(change);
        if (converted) changes.push(converted);
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return { state: 'ready', providerStatus: statusText(first), reason: first?.StatusReason, changes };
  }

  async execute({ target, stagedId, deploymentId, signal }: ExecuteRequest): Promise<ExecuteResult> {
    const startedAt = new Date().toISOString();
    await this.call('ExecuteChangeSet', signal, (c, o) => c.send(new ExecuteChangeSetCommand({ ChangeSetName: stagedId, StackName: target.name, ClientRequestToken: executeToken(deploymentId, stagedId) }), o));
    return { operation: { token: deploymentToken(deploymentId), startedAt, kind: this.kinds.get(stagedId) ?? 'unknown' } };
  }

  async abortStaged({ target, stagedId, removeCreatedTarget, targetId, signal }: AbortStagedRequest): Promise<void> {
    try {
      await this.call('DeleteChangeSet', signal, (c, o) => c.send(new DeleteChangeSetCommand({ ChangeSetName: stagedId, StackName: target.name }), o));
    } catch (error) {
      if (!(error instanceof ProviderError && error.code === 'NotFound')) throw error;
    }
    if (!removeCreatedTarget || !targetId) return;
    // Only the empty shell our CREATE change set made, by its ID, and only if nobody else has a
    // change set waiting on it. Every other stack, and one holding anything, is never touched here.
    const stack = await this.describeStack(targetId, signal);
    if (stack?.StackStatus !== 'REVIEW_IN_PROGRESS' || stack.StackId !== targetId) return;
    const others = await this.call('ListChangeSets', signal, (c, o) => c.send(new ListChangeSetsCommand({ StackName: targetId }), o));
    if ((others.Summaries ?? []).length > 0) return;
    await this.call('DeleteStack', signal, (c, o) => c.send(new DeleteStackCommand({ StackName: targetId }), o));
  }

  async poll({ target, operation, cursor, signal }: PollRequest): Promise<PollResult> {
    const previous = decodeCursor(cursor);
    const read = await readNewEvents(
      async (nextToken) => {
        const page = await this.call('DescribeStackEvents', signal, (c, o) => c.send(new DescribeStackEventsCommand({ StackName: operation.targetId ?? target.name, NextToken: nextToken }), o));
        return { events: page.StackEvents ?? [], nextToken: page.NextToken };
      },
      operation,
      previous.lastEventId,
    );
    const converted = toDeploymentEvents(read.events, previous.stackStatus);
    let stackStatus = converted.stackStatus;
    let stackReason = converted.stackStatus !== previous.stackStatus ? converted.stackReason : previous.stackReason;
    let unseen = 0;
    let phase: PollResult['phase'] | undefined;
    if (!stackStatus) {
      // No stack event of ours yet (e.g. a reattach whose start is far back): ask the stack itself.
      const stack = await this.describeStack(operation.targetId ?? target.name, signal);
      stackStatus = stack?.StackStatus ?? 'DELETE_COMPLETE';
      stackReason = stack?.StackStatusReason;
      const settled = !['inProgress', 'rollingBack'].includes(stackStatusMeaning(stackStatus).phase);
      unseen = (previous.unseen ?? 0) + 1;
      // Right after ExecuteChangeSet the stack may still show the previous operation's result;
      // that is not ours to report, for a few polls, until our own start event appears.
      if (operation.token && settled && unseen <= MAX_UNSEEN_POLLS) phase = 'inProgress';
    }
    return {
      phase: phase ?? stackStatusMeaning(stackStatus).phase,
      providerStatus: stackStatus,
      statusReason: stackReason,
      events: converted.events,
      cursor: encodeCursor({ lastEventId: read.newestEventId, stackStatus: converted.stackStatus ?? previous.stackStatus, stackReason, unseen: unseen || undefined }),
      pagesRead: read.pagesRead,
    };
  }

  async stop({ target, operation, deploymentId, signal }: StopRequest): Promise<StopResult> {
    const stack = await this.describeStack(target.name, signal);
    const status = stack?.StackStatus ?? 'DELETE_COMPLETE';
    if (status === 'UPDATE_IN_PROGRESS') {
      const token = operation.token ? `${operation.token}-cancel` : requestToken(deploymentId, 'cancel');
      await this.call('CancelUpdateStack', signal, (c, o) => c.send(new CancelUpdateStackCommand({ StackName: target.name, ClientRequestToken: token }), o));
      return { rollsBack: true };
    }
    if (status === 'CREATE_IN_PROGRESS') {
      throw new ProviderError(
        'Unsupported',
        'CloudFormation cannot cancel a stack creation. Let it finish (or fail and roll back), then delete the stack if you do not want it.',
      );
    }
    if (stackStatusMeaning(status).phase === 'rollingBack') {
      throw new ProviderError('Unsupported', `The stack is already rolling back (${status}); a rollback cannot be stopped.`);
    }
    throw new ProviderError('Unsupported', `There is nothing to stop: the stack is ${status}. CloudFormation can only cancel an update in UPDATE_IN_PROGRESS.`);
  }

  async recover({ target, action, deploymentId, signal }: RecoverRequest): Promise<RecoverResult> {
    if (action === 'unlock') throw new ProviderError('Unsupported', 'CloudFormation stacks have no lock to release.');
    const stack = await this.describeStack(target.name, signal);
    if (!stack?.StackId) throw new ProviderError('NotFound', `The stack ${target.name} no longer exists; nothing to recover.`);
    const startedAt = new Date().toISOString();
    const kind: OperationRef['kind'] = action === 'delete' || action === 'forceDelete' ? 'delete' : 'rollback';
    // A retry whose first attempt got through (the response was lost): the operation is already running.
    if (RECOVERY_RUNNING[action].includes(stack.StackStatus ?? '')) return { operation: { startedAt, kind } };
    // One token per attempt: a second recovery of the same stack must not look like a duplicate of the first.
    const token = requestToken(deploymentId, `${action}-${attemptSuffix()}`);
    const stackId = stack.StackId;
    switch (action) {
      case 'delete':
      case 'forceDelete':
        await this.call('DeleteStack', signal, (c, o) =>
          c.send(new DeleteStackCommand({ StackName: stackId, ClientRequestToken: token, DeletionMode: action === 'forceDelete' ? 'FORCE_DELETE_STACK' : undefined }), o),
        );
        break;
      case 'continueRollback':
        await this.call('ContinueUpdateRollback', signal, (c, o) => c.send(new ContinueUpdateRollbackCommand({ StackName: stackId, ClientRequestToken: token }), o));
        break;
      case 'rollback':
        await this.call('RollbackStack', signal, (c, o) => c.send(new RollbackStackCommand({ StackName: stackId, ClientRequestToken: token }), o));
        break;
    }
    return { operation: { token, startedAt, kind } };
  }

  async outputs({ target, signal }: OutputsRequest): Promise<StackOutput[]> {
    const stack = await this.describeStack(target.name, signal);
    return (stack?.Outputs ?? []).map((o) => ({
      key: o.OutputKey ?? '',
      value: o.OutputValue ?? '',
      description: o.Description,
      exportName: o.ExportName,
    }));
  }

  async template({ target, stagedId, signal }: TemplateRequest): Promise<string> {
    const result = await this.call('GetTemplate', signal, (c, o) => c.send(new GetTemplateCommand({ StackName: target.name, ChangeSetName: stagedId, TemplateStage: 'Original' }), o));
    if (result.TemplateBody === undefined) throw new ProviderError('NotFound', 'CloudFormation returned no template for the staged change set.');
    return result.TemplateBody;
  }
}

function statusText(result: { Status?: string; ExecutionStatus?: string } | undefined): string | undefined {
  if (!result?.Status) return undefined;
  return result.ExecutionStatus ? `${result.Status} / ${result.ExecutionStatus}` : result.Status;
}
