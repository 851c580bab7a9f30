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
import { deploymentToken, requestToken } from './tokens';

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
      result.operation = { startedAt: lastUpdatedAt ?? new Date().toISOString(), kind: meaning.operation };
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
    const result = await this.call('CreateChangeSet', signal, (c, o) => c.send(new CreateChangeSetCommand({
        StackName: target.name,
        ChangeSetName: `stackwatch-${deploymentToken(req.deploymentId).slice(3)}`,
        ChangeSetType: changeSetType,
        ...args,
        Parameters: req.parameters.map((p) => (p.usePrevious ? { ParameterKey: p.key, UsePreviousValue: true } : { ParameterKey: p.key, ParameterValue: p.value })),
        Capabilities: req.capabilities.length > 0 ? (req.capabilities as Capability[]) : undefined,
        Tags: req.tags ? Object.entries(req.tags).map(([Key, Value]) => ({ Key, Value })) : undefined,
        ClientToken: requestToken(req.deploymentId, 'stage'),
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
    await this.call('ExecuteChangeSet', signal, (c, o) => c.send(new ExecuteChangeSetCommand({ ChangeSetName: stagedId, StackName: target.name, ClientRequestToken: requestToken(deploymentId, 'execute') }), o));
    return { operation: { token: deploymentToken(deploymentId), startedAt, kind: this.kinds.get(stagedId) ?? 'unknown' } };
  }

  async abortStaged({ target, stagedId, removeCreatedTarget, signal }: AbortStagedRequest): Promise<void> {
    try {
      await this.call('DeleteChangeSet', signal, (c, o) => c.send(new DeleteChangeSetCommand({ ChangeSetName: stagedId, StackName: target.name }), o));
    } catch (error) {
      if (!(error instanceof ProviderError && error.code === 'NotFound')) throw error;
    }
    if (!removeCreatedTarget) return;
    const stack = await this.describeStack(target.name, signal);
    // Only the empty shell our CREATE change set made; a stack with anything in it is never touched here.
    if (stack?.StackStatus === 'REVIEW_IN_PROGRESS' && stack.StackId) {
      await this.call('DeleteStack', signal, (c, o) => c.send(new DeleteStackCommand({ StackName: stack.StackId }), o));
    }
  }

  async poll({ target, operation, cursor, signal }: PollRequest): Promise<PollResult> {
    const previous = decodeCursor(cursor);
    const read = await readNewEvents(
      async (nextToken) => {
        const page = await this.call('DescribeStackEvents', signal, (c, o) => c.send(new DescribeStackEventsCommand({ StackName: target.name, NextToken: nextToken }), o));
        return { events: page.StackEvents ?? [], nextToken: page.NextToken };
      },
      operation,
      previous.lastEventId,
    );
    const converted = toDeploymentEvents(read.events, previous.stackStatus);
    let stackStatus = converted.stackStatus;
    let stackReason = converted.stackStatus !== previous.stackStatus ? converted.stackReason : previous.stackReason;
    if (!stackStatus) {
      // No stack-level event of ours yet (e.g. a reattach whose start is far back): ask directly.
      const stack = await this.describeStack(target.name, signal);
      stackStatus = stack?.StackStatus ?? 'DELETE_COMPLETE';
      stackReason = stack?.StackStatusReason;
    }
    return {
      phase: stackStatusMeaning(stackStatus).phase,
      providerStatus: stackStatus,
      statusReason: stackReason,
      events: converted.events,
      cursor: encodeCursor({ lastEventId: read.newestEventId, stackStatus: converted.stackStatus ?? previous.stackStatus, stackReason }),
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
    const stack = await this.describeStack(target.name, signal);
    if (!stack?.StackId) throw new ProviderError('NotFound', `The stack ${target.name} no longer exists; nothing to recover.`);
    // One token per (action, stack version): a retried request is deduplicated, a later recovery is not.
    const version = (stack.LastUpdatedTime ?? stack.CreationTime ?? new Date(0)).getTime().toString(36);
    const token = `${requestToken(deploymentId, action)}-${version}`.slice(0, 128);
    const startedAt = new Date().toISOString();
    switch (action) {
      case 'delete':
      case 'forceDelete':
        await this.call('DeleteStack', signal, (c, o) => c.send(new DeleteStackCommand({ StackName: stack.StackId, ClientRequestToken: token, DeletionMode: action === 'forceDelete' ? 'FORCE_DELETE_STACK' : undefined }), o));
        return { operation: { token, startedAt, kind: 'delete' } };
      case 'continueRollback':
        await this.call('ContinueUpdateRollback', signal, (c, o) => c.send(new ContinueUpdateRollbackCommand({ StackName: stack.StackId, ClientRequestToken: token }), o));
        return { operation: { token, startedAt, kind: 'rollback' } };
      case 'rollback':
        await this.call('RollbackStack', signal, (c, o) => c.send(new RollbackStackCommand({ StackName: stack.StackId, ClientRequestToken: token }), o));
        return { operation: { token, startedAt, kind: 'rollback' } };
    }
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
