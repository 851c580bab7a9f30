/**
 * The CloudFormation provider: the port's calls in terms of change sets, stack events and
 * ClientRequestTokens. Every request carries the caller's AbortSignal, and every error leaves
 * here as a coded ProviderError.
 */
import {
  CancelUpdateStackCommand,
  type CloudFormationClient,
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
  type OperationEntry,
  type Stack,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import {
  ProviderError,
  type AbortStagedRequest,
  type AbortStagedResult,
  type Change,
  type DescribeStagedRequest,
  type DescribeStagedResult,
  type DescribeTargetRequest,
  type DescribeTargetResult,
  type ExecuteRequest,
  type ExecuteResult,
  type FindExecutionRequest,
  type FindExecutionResult,
  type OperationState,
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
} from '../provider';
import { abortableDelay } from '../abortableDelay';
import { toChange } from './changes';
import type { ValidateRequest, ValidateResult } from './template/validation';
import { createCloudFormationClient, createS3Client } from './clients';
import { isNoUpdatesError, toProviderError, type ErrorContext } from './errors';
import { recoveryAction } from './recovery';
import {
  attributeEvents,
  decodeCursor,
  encodeCursor,
  findTokenEvents,
  isStackEvent,
  readNewEvents,
  toDeploymentEvents,
  TOKEN_LOOKBACK_MS,
  type Attributed,
  type AttributionState,
  type EventCursor,
  type FetchEventPage,
} from './stackEvents';
import { STACK_STATUS, stackStatusMeaning, stagedStateOf } from './statusTables';
import { templateArgs, type PutObject, type TemplateArgs } from './templateLocation';
import { attemptSuffix, cancelToken, executeToken, isOurCancelToken, requestToken, requesterOf, stagingNames } from './tokens';

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
  /** How long one request may wait for its complete answer (see clients.ts). */
  requestTimeoutMs?: number;
  /** How long opening a connection may take. */
  connectionTimeoutMs?: number;
  /** Uploads a large template; defaults to the S3 client, loaded only when first needed. */
  putObject?: PutObject;
  /** How often Abort re-reads a change set that is still being created (default 1 s). */
  changeSetPollMs?: number;
}

/** Polls that may find the stack settled before our own start event shows, before we believe it. */
const MAX_UNSEEN_POLLS = 5;
/** Polls in a row with no event of ours before the stack itself is asked whether it moved on. */
const IDLE_POLLS_BEFORE_CHECK = 3;
/** How often Abort looks again at a change set CloudFormation is still creating. */
const DEFAULT_CHANGE_SET_POLL_MS = 1_000;

const DELETED_BY_SOMEONE = 'The stack no longer exists: someone deleted it. How this deployment ended is not known.';

/** How far CloudFormation's clock may be behind ours before a stack change looks older than our start. */
const CLOCK_SKEW_MS = 5_000;
/**
 * Reads of a change set by name, one poll interval apart, before Abort concludes that a stage it
 * abandoned never made one: CreateChangeSet may still be on its way and land after the first read.
 */
const SETTLE_READS = 10;
/** Answers in which CloudFormation refused a CreateChangeSet: it made nothing, and nothing will land later. */
const REFUSALS: ReadonlySet<ProviderError['code']> = new Set(['Validation', 'Credentials', 'Conflict', 'NotFound', 'Unsupported', 'Throttling']);

/** Change set states during which CloudFormation refuses DeleteChangeSet (InvalidChangeSetStatus). */
const BEING_CREATED = new Set(['CREATE_PENDING', 'CREATE_IN_PROGRESS']);
const EXECUTED = new Set(['EXECUTE_IN_PROGRESS', 'EXECUTE_COMPLETE', 'EXECUTE_FAILED']);

/**
 * CreateChangeSet can throw "No updates are to be performed." instead of making an empty change
 * set (templates with a transform, some emulators). Nothing was created then, so there is no ID to
 * hand back; stage returns this marker instead, which describeStaged reports as `empty`. The
 * machine then ends `noChanges` through its ordinary path, and abortStaged finds nothing to remove.
 * Chosen over a dedicated error so that no machine state has to know about it.
 */
const NO_CHANGES_PREFIX = 'stackwatch-no-changes:';
const NO_UPDATES_REASON = 'No updates are to be performed.';

function isNoChangesMarker(stagedId: string | undefined): boolean {
  return stagedId !== undefined && stagedId.startsWith(NO_CHANGES_PREFIX);
}

/**
 * The statuses a stack shows once each recovery action was accepted: running, or finished (it
 * then no longer offers that action, and CloudFormation would refuse it). A missing stack is a
 * finished delete. A plain delete that failed again (DELETE_FAILED) is not here: asking again is
 * a new delete, as consented.
 */
const RECOVERY_TOOK_EFFECT: Record<RecoverRequest['action'], readonly string[]> = {
  delete: ['DELETE_IN_PROGRESS'],
  forceDelete: ['DELETE_IN_PROGRESS'],
  continueRollback: ['UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE'],
  rollback: [
    'ROLLBACK_IN_PROGRESS',
    'UPDATE_ROLLBACK_IN_PROGRESS',
    'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
    'ROLLBACK_COMPLETE',
    'UPDATE_ROLLBACK_COMPLETE',
    'ROLLBACK_FAILED',
    'UPDATE_ROLLBACK_FAILED',
  ],
  unlock: [],
};

export class AwsProvider implements Provider {
  readonly kind = 'aws' as const;
  private readonly client: CloudFormationClient;
  /** What staging learned about each change set, for execute and abort in this window. */
  private readonly staged = new Map<string, { kind: OperationRef['kind']; stackId?: string }>();
  /** Change set names whose CreateChangeSet CloudFormation refused outright: nothing of them can still land. */
  private readonly refusedStages = new Set<string>();

  constructor(private readonly config: AwsProviderConfig) {
    this.client = createCloudFormationClient(config);
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

  /**
   * A stack by name or ARN; undefined only when CloudFormation says it does not exist. For a named
   * stack CloudFormation answers with that stack or the error "does not exist", never with an
   * empty list: an answer without a stack in it (or one without its status or ID) is unreadable,
   * and must not pass for "missing", a finished delete, or a stopped update.
   */
  private async describeStack(stackName: string, signal: AbortSignal): Promise<Stack | undefined> {
    let result;
    try {
      result = await this.call('DescribeStacks', signal, (c, o) => c.send(new DescribeStacksCommand({ StackName: stackName }), o));
    } catch (error) {
      if (error instanceof ProviderError && error.code === 'NotFound') return undefined;
      throw error;
    }
    const stack = result.Stacks?.[0];
    if (!stack?.StackStatus || !stack.StackId) throw unreadableAnswer('DescribeStacks', stack ? 'a stack without its status or ID' : 'no stack in it');
    return stack;
  }

  /**
   * A change set by name or ARN; undefined when CloudFormation says it (or its stack) does not
   * exist. Every real answer carries the change set's Status; one without it tells nothing.
   */
  private async describeChangeSet(changeSetName: string, stackName: string, signal: AbortSignal): Promise<DescribeChangeSetCommandOutput | undefined> {
    let result: DescribeChangeSetCommandOutput;
    try {
      result = await this.call('DescribeChangeSet', signal, (c, o) => c.send(new DescribeChangeSetCommand({ ChangeSetName: changeSetName, StackName: stackName }), o));
    } catch (error) {
      if (error instanceof ProviderError && error.code === 'NotFound') return undefined;
      throw error;
    }
    if (!result.Status) throw unreadableAnswer('DescribeChangeSet', 'a change set without its status');
    return result;
  }

  private eventPages(stackRef: string, signal: AbortSignal): FetchEventPage {
    return async (nextToken) => {
      const page = await this.call('DescribeStackEvents', signal, (c, o) => c.send(new DescribeStackEventsCommand({ StackName: stackRef, NextToken: nextToken }), o));
      return { events: page.StackEvents ?? [], nextToken: page.NextToken };
    };
  }

  async describeTarget({ target, signal }: DescribeTargetRequest): Promise<DescribeTargetResult> {
    const stack = await this.describeStack(target.name, signal);
    if (!stack?.StackStatus) return { condition: 'missing', recoveryActions: [] };
    const status = stack.StackStatus;
    if (status === 'REVIEW_IN_PROGRESS') return this.describeReviewShell(stack, signal);
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
    if (meaning.condition === 'inProgress') result.operation = await this.runningOperation(stack, meaning.operation, lastUpdatedAt, signal);
    return result;
  }

  /**
   * A REVIEW_IN_PROGRESS stack was made by a CREATE change set and never executed; it holds no
   * resources. What it may still hold is a change set:
   * - none: an empty shell (its change set was deleted). It is as good as missing: staging makes a
   *   new CREATE change set on it (CloudFormation accepts that on this status), so nothing needs
   *   deleting and no consent is asked. Its ID is reported, so it is the one we deploy into.
   * - someone's change set, waiting for review: theirs to execute or delete. The stack is busy
   *   with it, never deleted and never adopted; the person may wait for it to be decided.
   */
  private async describeReviewShell(stack: Stack, signal: AbortSignal): Promise<DescribeTargetResult> {
    const stackId = stack.StackId ?? stack.StackName ?? '';
    const listed = await this.call('ListChangeSets', signal, (c, o) => c.send(new ListChangeSetsCommand({ StackName: stackId }), o));
    const waiting = listed.Summaries ?? [];
    const createdAt = stack.CreationTime?.toISOString();
    if (waiting.length === 0 && !listed.NextToken) {
      return {
        condition: 'missing',
        providerStatus: 'REVIEW_IN_PROGRESS',
        statusReason: 'An empty stack left by a CREATE change set that was never executed; Stackwatch creates the stack in it.',
        targetId: stack.StackId,
        recoveryActions: [],
        lastUpdatedAt: createdAt,
      };
    }
    const newest = [...waiting].sort((a, b) => (b.CreationTime?.getTime() ?? 0) - (a.CreationTime?.getTime() ?? 0))[0];
    const name = newest?.ChangeSetName ?? 'a change set';
    const state = [newest?.Status, newest?.ExecutionStatus].filter(Boolean).join(' / ');
    return {
      condition: 'inProgress',
      providerStatus: 'REVIEW_IN_PROGRESS',
      statusReason: `The stack holds the change set ${name}${state ? ` (${state})` : ''}, made by someone else and not executed. Stackwatch leaves it alone: execute or delete it, then deploy again.`,
      targetId: stack.StackId,
      recoveryActions: [],
      lastUpdatedAt: createdAt,
      operation: {
        kind: 'create',
        targetId: stack.StackId,
        startedAt: (newest?.CreationTime ?? stack.CreationTime ?? new Date()).toISOString(),
        startedBy: `the change set ${name}, waiting for review`,
      },
    };
  }

  /**
   * The operation a busy stack is running, as far as its newest events tell: whose request it is
   * (the token), its OperationId, and when it started. Watching it then follows exactly that
   * operation's events.
   */
  private async runningOperation(stack: Stack, kind: OperationRef['kind'], lastUpdatedAt: string | undefined, signal: AbortSignal): Promise<OperationRef> {
    const page = await this.eventPages(stack.StackId ?? stack.StackName ?? '', signal)(undefined);
    const latest = page.events.find((e) => isStackEvent(e) && (e.ResourceStatus as string | undefined) !== 'REVIEW_IN_PROGRESS');
    const token = latest?.ClientRequestToken;
    const operationId = latest?.OperationId ?? stack.LastOperations?.[0]?.OperationId;
    // The operation's first stack event on this page, if its start is that recent.
    const start = [...page.events].reverse().find((e) => isStackEvent(e) && latest !== undefined && sameOperation(e, latest));
    return {
      token,
      operationId,
      startedBy: requesterOf(token),
      targetId: stack.StackId,
      kind,
      startedAt: start?.Timestamp?.toISOString() ?? lastUpdatedAt ?? new Date().toISOString(),
    };
  }

  private putObject(): PutObject {
    if (this.config.putObject) return this.config.putObject;
    return async (bucket, key, body, signal) => {
      // Loaded only for oversized templates, so activation and small deployments never pay for S3.
      const [{ PutObjectCommand }, s3] = await Promise.all([import('@aws-sdk/client-s3'), createS3Client(this.config)]);
      try {
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'text/plain' }), { abortSignal: signal });
      } catch (error) {
        throw toProviderError(error, { ...this.context(`Uploading the template to s3://${bucket}/${key}`), service: 'S3' });
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
    const names = stagingNames(req.deploymentId, req.attempt);
    let created: { Id?: string; StackId?: string };
    try {
      created = await this.call('CreateChangeSet', signal, (c, o) => c.send(new CreateChangeSetCommand({
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
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      // "Already exists" is no refusal: that change set is there (and adopted below).
      if (REFUSALS.has(error.code) && !isAlreadyExists(error)) this.refusedStages.add(names.changeSetName);
      // Nothing was created: say "no changes" the way an empty change set does (see NO_CHANGES_PREFIX).
      if (isNoUpdatesError(error)) return { stagedId: `${NO_CHANGES_PREFIX}${names.changeSetName}`, createdTarget: false };
      created = await this.adoptOwnChangeSet(error, names.changeSetName, target.name, signal);
    }
    if (!created.Id) throw new ProviderError('Unknown', 'CreateChangeSet returned no change set ID.');
    this.staged.set(created.Id, { kind: changeSetType === 'CREATE' ? 'create' : 'update', stackId: created.StackId });
    // Ours to remove on cleanup only when no stack existed before: a CREATE change set made in an
    // empty REVIEW_IN_PROGRESS shell someone left creates nothing. A retry after a lost answer is
    // given the same (absent) targetId, so the shell its first call made is still ours.
    return { stagedId: created.Id, createdTarget: changeSetType === 'CREATE' && req.targetId === undefined, targetId: created.StackId };
  }

  /**
   * "Already exists" for a name only this (deployment, attempt) uses: an earlier call of the same
   * attempt got through and its answer was lost (or the window reloaded). That change set is ours;
   * take it instead of failing and leaving it behind. Any other refusal stands.
   */
  private async adoptOwnChangeSet(error: ProviderError, changeSetName: string, stackName: string, signal: AbortSignal): Promise<{ Id?: string; StackId?: string }> {
    if (!isAlreadyExists(error)) throw error;
    const existing = await this.describeChangeSet(changeSetName, stackName, signal);
    if (!existing?.ChangeSetId) throw error;
    return { Id: existing.ChangeSetId, StackId: existing.StackId };
  }

  async describeStaged({ target, stagedId, signal }: DescribeStagedRequest): Promise<DescribeStagedResult> {
    if (isNoChangesMarker(stagedId)) return { state: 'empty', providerStatus: 'NO_UPDATES', reason: NO_UPDATES_REASON, changes: [] };
    const changes: Change[] = [];
    let nextToken: string | undefined;
    let first: DescribeChangeSetCommandOutput | undefined;
    do {
      const page = await this.call('DescribeChangeSet', signal, (c, o) => c.send(new DescribeChangeSetCommand({ ChangeSetName: stagedId, StackName: target.name, NextToken: nextToken }), o));
      if (!page.Status) throw unreadableAnswer('DescribeChangeSet', 'a change set without its status');
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
    if (isNoChangesMarker(stagedId)) throw new ProviderError('Validation', 'There are no changes to execute: CloudFormation said "No updates are to be performed."');
    const startedAt = new Date().toISOString();
    const token = executeToken(deploymentId, stagedId);
    await this.call('ExecuteChangeSet', signal, (c, o) => c.send(new ExecuteChangeSetCommand({ ChangeSetName: stagedId, StackName: target.name, ClientRequestToken: token }), o));
    const staged = this.staged.get(stagedId);
    // The execute token, not just the deployment's prefix: events of an earlier request of this
    // deployment (a recovery, an earlier round) are then never taken for this execution's.
    return { operation: { token, startedAt, kind: staged?.kind ?? 'unknown', targetId: staged?.stackId, stagedId } };
  }

  async findExecution({ target, stagedId, deploymentId, signal }: FindExecutionRequest): Promise<FindExecutionResult> {
    if (isNoChangesMarker(stagedId)) return { state: 'gone', reason: 'There were no changes to execute.' };
    const token = executeToken(deploymentId, stagedId);
    const changeSet = await this.describeChangeSet(stagedId, target.name, signal);
    const execution = changeSet?.ExecutionStatus;
    if (execution === 'AVAILABLE') return { state: 'notExecuted' };
    if (changeSet?.Status !== undefined && BEING_CREATED.has(changeSet.Status)) return { state: 'notExecuted' };
    const stackRef = changeSet?.StackId ?? target.name;
    // Our execute's own events: the request token is the proof, whatever the change set shows now.
    let ours: StackEvent[] = [];
    try {
      const notBefore = changeSet?.CreationTime ? changeSet.CreationTime.getTime() - 1_000 : undefined;
      ours = await findTokenEvents(this.eventPages(stackRef, signal), (t) => t === token || t.startsWith(`${token}-`), notBefore);
    } catch (error) {
      if (!(error instanceof ProviderError && error.code === 'NotFound')) throw error;
    }
    if ((execution !== undefined && EXECUTED.has(execution)) || ours.length > 0) {
      return { state: 'executed', operation: await this.executedOperation(stagedId, token, changeSet, ours, stackRef, signal) };
    }
    if (!changeSet) return { state: 'gone', reason: 'The change set no longer exists: someone deleted it or executed another change set.' };
    const why = execution === 'OBSOLETE' ? 'the stack changed since it was made (OBSOLETE)' : `it is ${statusText(changeSet) ?? 'in an unknown state'}`;
    return { state: 'gone', reason: `The change set can no longer be executed: ${why}${changeSet.StatusReason ? ` (${changeSet.StatusReason})` : ''}.` };
  }

  /**
   * Some endpoints record no update time, so the stack cannot say whether its settled status is
   * ours. Our change set can: once it reports its execution finished, that status is our result.
   */
  private async confirmByChangeSet(verdict: StackVerdict, operation: OperationRef, stackRef: string, signal: AbortSignal): Promise<StackVerdict> {
    if (!operation.stagedId || isNoChangesMarker(operation.stagedId)) return verdict;
    // A change set that is gone says nothing either way; any other failure is a failed read, and must not decide.
    const changeSet = await this.describeChangeSet(operation.stagedId, stackRef, signal);
    if (changeSet?.ExecutionStatus !== 'EXECUTE_COMPLETE' && changeSet?.ExecutionStatus !== 'EXECUTE_FAILED') return verdict;
    return { ...verdict, phase: stackStatusMeaning(verdict.status).phase, reason: undefined, believed: true, unchangedSinceStart: false };
  }

  /** The operation an execute started, from its first event when there is one, else the stack's record. */
  private async executedOperation(
    stagedId: string,
    token: string,
    changeSet: DescribeChangeSetCommandOutput | undefined,
    ours: readonly StackEvent[],
    stackRef: string,
    signal: AbortSignal,
  ): Promise<OperationRef> {
    // Newest first: the last stack-level match is where our operation started.
    const start = [...ours].reverse().find(isStackEvent) ?? ours[ours.length - 1];
    let kind: OperationRef['kind'] = start?.ResourceStatus === 'CREATE_IN_PROGRESS' ? 'create' : start?.ResourceStatus === 'UPDATE_IN_PROGRESS' ? 'update' : (this.staged.get(stagedId)?.kind ?? 'unknown');
    let operationId = start?.OperationId;
    if (!operationId || kind === 'unknown') {
      const stack = await this.describeStack(stackRef, signal);
      const recorded = stack?.ChangeSetId === stagedId ? executionOf(stack.LastOperations ?? []) : undefined;
      operationId ??= recorded?.OperationId;
      if (kind === 'unknown' && recorded?.OperationType) kind = recorded.OperationType === 'CREATE_STACK' ? 'create' : 'update';
    }
    return {
      token,
      operationId,
      stagedId,
      targetId: changeSet?.StackId ?? start?.StackId,
      kind,
      startedAt: (start?.Timestamp ?? changeSet?.CreationTime ?? new Date()).toISOString(),
    };
  }

  async abortStaged(req: AbortStagedRequest): Promise<AbortStagedResult> {
    const { target, signal } = req;
    // Executed: the change set and the stack are CloudFormation's operation now; nothing here is a leftover.
    if (req.executed) return {};
    if (isNoChangesMarker(req.stagedId)) return {};
    const name = req.stagedId ?? stagingNames(req.deploymentId, req.attempt).changeSetName;
    // Without a stage answer, a CreateChangeSet this deployment abandoned may still land after our
    // first read: it is waited for a while, unless CloudFormation refused it in this window.
    const settleReads = req.stagedId === undefined && !this.refusedStages.has(name) ? SETTLE_READS : 0;
    const changeSet = await this.deleteWhenCreated(name, target.name, signal, settleReads);
    // An execute that landed after all (Abort cancelled its request, not CloudFormation's work):
    // the deployment must follow it rather than end as if nothing had run.
    if (changeSet && changeSet.ExecutionStatus !== undefined && EXECUTED.has(changeSet.ExecutionStatus)) return { executedMeanwhile: true };
    if (!req.removeCreatedTarget) return {};
    const stackId = req.targetId ?? changeSet?.StackId ?? (req.stagedId ? this.staged.get(req.stagedId)?.stackId : undefined);
    if (!stackId) return {};
    // Only the empty shell our CREATE change set made, by its ID, and only if nobody else has a
    // change set waiting on it. Every other stack, and one holding anything, is never touched here.
    const stack = await this.describeStack(stackId, signal);
    if (stack?.StackStatus !== 'REVIEW_IN_PROGRESS' || stack.StackId !== stackId) return {};
    const others = await this.call('ListChangeSets', signal, (c, o) => c.send(new ListChangeSetsCommand({ StackName: stackId }), o));
    if ((others.Summaries ?? []).length > 0) return {};
    await this.call('DeleteStack', signal, (c, o) => c.send(new DeleteStackCommand({ StackName: stackId }), o));
    return {};
  }

  /**
   * Deletes a change set, first waiting while CloudFormation is still creating it (it refuses
   * DeleteChangeSet then). Returns what the change set looked like, or undefined if it never
   * existed or is already gone. An executed change set is left alone.
   */
  private async deleteWhenCreated(name: string, stackName: string, signal: AbortSignal, settleReads = 0): Promise<DescribeChangeSetCommandOutput | undefined> {
    const pollMs = this.config.changeSetPollMs ?? DEFAULT_CHANGE_SET_POLL_MS;
    let readsLeft = settleReads;
    for (;;) {
      const changeSet = await this.describeChangeSet(name, stackName, signal);
      if (!changeSet) {
        if (readsLeft-- <= 0) return undefined;
        await pause(pollMs, signal);
        continue;
      }
      // Found: from here on it is waited for and removed, never given up on for being slow.
      readsLeft = 0;
      if (changeSet.ExecutionStatus !== undefined && EXECUTED.has(changeSet.ExecutionStatus)) return changeSet;
      if (changeSet.Status !== undefined && BEING_CREATED.has(changeSet.Status)) {
        await pause(pollMs, signal);
        continue;
      }
      try {
        await this.call('DeleteChangeSet', signal, (c, o) => c.send(new DeleteChangeSetCommand({ ChangeSetName: changeSet.ChangeSetId ?? name, StackName: stackName }), o));
        return changeSet;
      } catch (error) {
        if (error instanceof ProviderError && error.code === 'NotFound') return changeSet;
        // Read as complete, refused as still being created (or being executed): look again.
        if (error instanceof ProviderError && error.details.providerCode?.startsWith('InvalidChangeSetStatus')) {
          await pause(pollMs, signal);
          continue;
        }
        throw error;
      }
    }
  }

  async poll({ target, operation, cursor, signal }: PollRequest): Promise<PollResult> {
    const previous = decodeCursor(cursor);
    const stackRef = operation.targetId ?? target.name;
    const pages = this.eventPages(stackRef, signal);
    let pagesRead = 0;
    let lastEventId = previous.lastEventId;
    const fresh: StackEvent[] = [];
    const readMore = async (): Promise<void> => {
      const read = await readNewEvents(pages, operation, lastEventId);
      pagesRead += read.pagesRead;
      lastEventId = read.newestEventId;
      fresh.push(...read.events);
    };
    await readMore();
    let knownIds = previous.operationIds ?? [];
    const attribute = (): Attributed => attributeEvents(fresh, operation, { ...previous, operationIds: knownIds });
    let attributed = attribute();
    let idle = attributed.ours.length > 0 ? 0 : (previous.idle ?? 0) + 1;
    let unseen = previous.unseen ?? 0;
    let verdict: StackVerdict | undefined;

    const ourStatus = attributed.state.stackStatus;
    const endedByOurEvents = ourStatus !== undefined && isSettled(ourStatus);
    // A status this build does not know explains nothing: no event of ours will follow it to say
    // how the operation ended (the one that did may be the very event that carried it), so only
    // the stack can. Likewise after a poll the stack itself left 'unknown'.
    const unexplained = previous.recheck === true || (ourStatus !== undefined && !isKnownStackStatus(ourStatus));
    // The stack is the arbiter whenever our events stop explaining it: none of ours yet, someone
    // else's events showing up, a status we don't know, or a quiet spell (a token-less endpoint,
    // a missed end event).
    if (!endedByOurEvents && (ourStatus === undefined || unexplained || attributed.others > 0 || idle >= IDLE_POLLS_BEFORE_CHECK)) {
      const stack = await this.describeStack(stackRef, signal);
      idle = 0;
      verdict = judgeStack(stack, operation, attributed.state, unseen);
      if (verdict.unchangedSinceStart) verdict = await this.confirmByChangeSet(verdict, operation, stackRef, signal);
      unseen = verdict.unseen;
      // Operations the stack names as ours make this poll's events of theirs ours too.
      knownIds = verdict.operationIds;
      // The stack finished while we read: fetch the events that led there before reporting the end.
      if (verdict.believed && isSettled(verdict.status) && !isSettled(attributed.state.stackStatus ?? '')) await readMore();
      attributed = attribute();
    }

    const converted = toDeploymentEvents(attributed.ours, previous.stackStatus);
    const state = attributed.state;
    let stackStatus = state.stackStatus;
    let stackReason = converted.stackStatus !== previous.stackStatus ? converted.stackReason : previous.stackReason;
    let phase: OperationState | undefined;
    if (verdict && !(stackStatus !== undefined && isSettled(stackStatus))) {
      phase = verdict.phase;
      stackStatus = verdict.status;
      stackReason = verdict.reason ?? stackReason;
    }
    const shownStatus = stackStatus ?? 'UNKNOWN';
    phase ??= stackStatusMeaning(shownStatus).phase;
    // Nothing is settled while the phase is unknown or the status is one we don't know: the next
    // poll asks the stack again, whatever the events say meanwhile.
    const recheck = phase === 'unknown' || !isKnownStackStatus(shownStatus);
    const next: EventCursor = {
      lastEventId,
      stackStatus: state.stackStatus,
      stackReason: converted.stackStatus !== previous.stackStatus ? converted.stackReason : previous.stackReason,
      unseen: unseen || undefined,
      idle: idle || undefined,
      operationIds: (state.operationIds ?? []).length > 0 ? state.operationIds : undefined,
      adoptedTokens: state.adoptedTokens,
      cancelledBy: state.cancelledBy,
      recheck: recheck || undefined,
    };
    return {
      phase,
      providerStatus: shownStatus,
      statusReason: stackReason,
      events: converted.events,
      cursor: encodeCursor(next),
      pagesRead,
      notice: cancelNotice(state.cancelledBy),
    };
  }

  async stop({ target, operation, deploymentId, signal }: StopRequest): Promise<StopResult> {
    const stackRef = operation.targetId ?? target.name;
    let stack = await this.describeStack(stackRef, signal);
    if (stack?.StackStatus === 'UPDATE_IN_PROGRESS') {
      try {
        await this.call('CancelUpdateStack', signal, (c, o) => c.send(new CancelUpdateStackCommand({ StackName: target.name, ClientRequestToken: cancelToken(deploymentId, operation.token) }), o));
        return { rollsBack: true };
      } catch (error) {
        // The update moved on between our read and the cancel (or an earlier cancel of ours got
        // through): read again and answer from what the stack does now.
        if (!(error instanceof ProviderError && (error.code === 'Validation' || error.code === 'Conflict'))) throw error;
        stack = await this.describeStack(stackRef, signal);
      }
    }
    const status = stack?.StackStatus ?? 'DELETE_COMPLETE';
    if (status === 'CREATE_IN_PROGRESS') {
      throw new ProviderError(
        'Unsupported',
        'CloudFormation cannot cancel a stack creation. Let it finish (or fail and roll back), then delete the stack if you do not want it.',
      );
    }
    // A stop asked again (a restart while stopping, a lost answer): our cancel already took effect.
    if (status.startsWith('UPDATE_ROLLBACK_') && (await this.ourCancelShows(stackRef, operation, deploymentId, signal))) return { rollsBack: true };
    if (stackStatusMeaning(status).phase === 'rollingBack') {
      throw new ProviderError('Unsupported', `The stack is already rolling back (${status}); a rollback cannot be stopped.`);
    }
    throw new ProviderError('Unsupported', `There is nothing to stop: the stack is ${status}. CloudFormation can only cancel an update in UPDATE_IN_PROGRESS.`);
  }

  private async ourCancelShows(stackRef: string, operation: OperationRef, deploymentId: string, signal: AbortSignal): Promise<boolean> {
    const notBefore = Date.parse(operation.startedAt) - TOKEN_LOOKBACK_MS;
    const found = await findTokenEvents(this.eventPages(stackRef, signal), (t) => isOurCancelToken(deploymentId, t), Number.isNaN(notBefore) ? undefined : notBefore);
    return found.some((e) => isStackEvent(e) && e.ResourceStatus === 'UPDATE_ROLLBACK_IN_PROGRESS');
  }

  async recover({ target, action, deploymentId, targetId, signal }: RecoverRequest): Promise<RecoverResult> {
    if (action === 'unlock') throw new ProviderError('Unsupported', 'CloudFormation stacks have no lock to release.');
    const stack = await this.describeStack(target.name, signal);
    const startedAt = new Date().toISOString();
    const kind: OperationRef['kind'] = action === 'delete' || action === 'forceDelete' ? 'delete' : 'rollback';
    if (!stack?.StackId) {
      // A delete asked again after it finished (its answer was lost, or the window reloaded while
      // recreating): what was consented to is done. The machine's check reads the stack next.
      if (kind === 'delete') return { operation: { startedAt, kind } };
      throw new ProviderError('NotFound', `The stack ${target.name} no longer exists; nothing to recover.`);
    }
    // A retry whose first attempt got through (a lost answer, a window reloaded while recreating):
    // the recovery runs or has finished, so nothing is sent again; the machine's check reads the
    // stack next and decides.
    if (RECOVERY_TOOK_EFFECT[action].includes(stack.StackStatus ?? '')) return { operation: { startedAt, kind } };
    if (targetId !== undefined) refuseStaleConsent(target.name, action, targetId, stack);
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

/**
 * A consent was given about one stack in one state. Another stack under the same name (the first
 * was deleted and someone created a new one), or the same stack no longer needing the action, is
 * never touched on that consent.
 */
function refuseStaleConsent(stackName: string, action: RecoverRequest['action'], consentedId: string, stack: Stack): void {
  const status = stack.StackStatus ?? 'an unknown status';
  if (stack.StackId !== consentedId) {
    throw new ProviderError('Conflict', `The stack you agreed to recover is gone, and another stack named ${stackName} (${status}) exists now. Nothing was changed; deploy again to see what it needs.`);
  }
  if (!stackStatusMeaning(status).recovery.includes(action)) {
    throw new ProviderError('Conflict', `The stack is now ${status}, so the recovery you agreed to no longer applies. Nothing was changed; deploy again to see what it needs.`);
  }
}

/**
 * A well-formed answer that lacks what every real answer carries: retried like any unreadable
 * answer (see errors.ts), never read as an outcome.
 */
function unreadableAnswer(operation: string, what: string): ProviderError {
  return new ProviderError('Transient', `${operation}: the answer from CloudFormation could not be read: ${what}.`, {
    providerCode: 'UnreadableResponse',
    hint: 'Something between you and CloudFormation may be answering in its place. Stackwatch reads it again.',
  });
}

function statusText(result: { Status?: string; ExecutionStatus?: string } | undefined): string | undefined {
  if (!result?.Status) return undefined;
  return result.ExecutionStatus ? `${result.Status} / ${result.ExecutionStatus}` : result.Status;
}

/**
 * Someone else's cancel of our update, in words, for the person to hear once (the machine keeps
 * a notice once, so repeating it on every later poll is harmless). The rollback's own events
 * carry CloudFormation's reason; this says who asked for it.
 */
function cancelNotice(cancelledBy: string | undefined): string | undefined {
  if (!cancelledBy) return undefined;
  const who = requesterOf(cancelledBy === 'unknown' ? undefined : cancelledBy);
  return who ? `The update was cancelled by ${who}.` : 'The update was cancelled by someone else (its events carry no request token).';
}

/** A status this build has a meaning for; anything else decides nothing (see statusTables). */
function isKnownStackStatus(status: string): boolean {
  return Object.prototype.hasOwnProperty.call(STACK_STATUS, status);
}

/** A status in which no operation runs on the stack. */
function isSettled(status: string): boolean {
  if (status === '' || status === 'REVIEW_IN_PROGRESS') return false;
  const phase = stackStatusMeaning(status).phase;
  return phase !== 'inProgress' && phase !== 'rollingBack' && phase !== 'unknown';
}

/** Two events of one operation: the same OperationId, or (without one) the same request token. */
function sameOperation(a: StackEvent, b: StackEvent): boolean {
  if (a.OperationId !== undefined || b.OperationId !== undefined) return a.OperationId === b.OperationId;
  return a.ClientRequestToken === b.ClientRequestToken;
}

/** The execution among a stack's last operations: the newest create or update, past the rollbacks that followed it. */
function executionOf(operations: readonly OperationEntry[]): OperationEntry | undefined {
  for (const entry of operations) {
    if (entry.OperationType === 'CREATE_STACK' || entry.OperationType === 'UPDATE_STACK') return entry;
    if (entry.OperationType !== 'ROLLBACK') return undefined;
  }
  return undefined;
}

function isAlreadyExists(error: ProviderError): boolean {
  return error.details.providerCode === 'AlreadyExistsException' || /already exists/i.test(error.message);
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return abortableDelay(ms, signal, 'Cancelled while waiting for the change set to be created.');
}

/** What the stack itself says about our operation, when the events do not. */
interface StackVerdict {
  status: string;
  phase: OperationState;
  reason?: string;
  /** Whether the status is our operation's (or, unknowable, taken as such after a grace). */
  believed: boolean;
  unseen: number;
  /** Our OperationIds, with any the stack's LastOperations revealed. */
  operationIds: string[];
  /** Settled, but unchanged since before our start by the stack's own times: the change set may tell. */
  unchangedSinceStart?: boolean;
}

/**
 * Judges DescribeStacks for our operation:
 * - a running operation, with none of ours known yet, is ours (our execute was accepted, and
 *   CloudFormation runs one operation at a time), so its OperationId is learned;
 * - the ROLLBACK operations right after ours are ours too (the automatic rollback, someone's cancel);
 * - a settled status is ours when the stack's newest operation is ours, or when our start was seen
 *   and nothing newer is known; someone else's operation after ours leaves our outcome unknown;
 * - with nothing to go by, a settled status is taken only after a few polls, so the previous
 *   operation's result, still showing right after ExecuteChangeSet, never ends ours.
 */
function judgeStack(stack: Stack | undefined, operation: OperationRef, state: AttributionState, unseenBefore: number): StackVerdict {
  const ids = new Set(state.operationIds ?? []);
  if (operation.operationId) ids.add(operation.operationId);
  const status = stack?.StackStatus;
  if (!status) {
    const deleting = operation.kind === 'delete';
    return {
      status: 'DELETE_COMPLETE',
      phase: deleting ? 'succeeded' : 'unknown',
      reason: deleting ? undefined : DELETED_BY_SOMEONE,
      believed: deleting,
      unseen: unseenBefore,
      operationIds: [...ids],
    };
  }
  if (status === 'DELETE_COMPLETE' && operation.kind !== 'delete') {
    // Read by its ARN, a deleted stack still answers, as DELETE_COMPLETE: someone deleted it.
    // That is nobody's success: how our operation ended before it is not known from here.
    return { status, phase: 'unknown', reason: DELETED_BY_SOMEONE, believed: false, unseen: unseenBefore, operationIds: [...ids] };
  }
  const meaning = stackStatusMeaning(status);
  const running = !isSettled(status) && status !== 'REVIEW_IN_PROGRESS';
  const operations = stack?.LastOperations ?? [];
  const knewOurs = ids.size > 0;
  if (running && ids.size === 0 && operations[0]?.OperationId) ids.add(operations[0].OperationId);
  const newestOurs = operations.findIndex((o) => o.OperationId !== undefined && ids.has(o.OperationId));
  for (let i = newestOurs - 1; i >= 0; i--) {
    const entry = operations[i];
    if (entry?.OperationType !== 'ROLLBACK' || !entry.OperationId) break;
    ids.add(entry.OperationId);
  }
  const operationIds = [...ids];
  const newest = operations[0];
  const newestIsOurs = newest?.OperationId !== undefined && ids.has(newest.OperationId);
  const reason = stack?.StackStatusReason;
  // Ours were known, and the stack's record has moved past them (it keeps only the last few):
  // the newest operation is someone else's, started after ours, as surely as when ours is listed below it.
  const pushedOut = knewOurs && newestOurs === -1 && newest?.OperationId !== undefined;
  if ((newestOurs > 0 || pushedOut) && !newestIsOurs) {
    return {
      status,
      phase: 'unknown',
      reason: `Another operation (${newest?.OperationType ?? 'unknown'}) has started on the stack since ours; how ours ended is not known from the stack's status.`,
      believed: false,
      unseen: unseenBefore,
      operationIds,
    };
  }
  if (running) return { status, phase: meaning.phase, reason, believed: true, unseen: unseenBefore, operationIds };
  if (status === 'REVIEW_IN_PROGRESS') {
    // Our CREATE change set's shell: the execution has not shown yet. It never ends the deployment.
    const unseen = unseenBefore + 1;
    const late = unseen > MAX_UNSEEN_POLLS;
    return { status, phase: late ? 'unknown' : 'inProgress', reason: late ? 'The stack still shows REVIEW_IN_PROGRESS: the execution has not started.' : undefined, believed: false, unseen, operationIds };
  }
  if (newestIsOurs || state.stackStatus !== undefined) return { status, phase: meaning.phase, reason, believed: true, unseen: unseenBefore, operationIds };
  const unseen = unseenBefore + 1;
  if (operation.token && unseen <= MAX_UNSEEN_POLLS) return { status, phase: 'inProgress', believed: false, unseen, operationIds };
  // Believed without any sign of ours only if the stack changed since our operation started:
  // otherwise this is the result of whatever ran before (our execute may not have taken at all).
  if (!changedSince(stack, operation)) {
    return {
      status,
      phase: 'unknown',
      reason: `The stack shows ${status}, but it has not changed since before this operation started; whether the operation ran is not known.`,
      believed: false,
      unseen,
      operationIds,
      unchangedSinceStart: true,
    };
  }
  return { status, phase: meaning.phase, reason, believed: true, unseen, operationIds };
}


/**
 * Whether the stack shows a change made after our operation started. A create is the exception
 * for CreationTime: its stack is the REVIEW_IN_PROGRESS shell staging made, before the review, and
 * a shell has no earlier result to mistake for ours; only a LastUpdatedTime older than our start
 * speaks against it.
 */
function changedSince(stack: Stack, operation: OperationRef): boolean {
  const startedAt = Date.parse(operation.startedAt);
  if (Number.isNaN(startedAt)) return false;
  const notBefore = startedAt - CLOCK_SKEW_MS;
  const times = [stack.LastUpdatedTime, stack.DeletionTime].filter((t): t is Date => t !== undefined).map((t) => t.getTime());
  if (operation.kind === 'create') return times.length === 0 || Math.max(...times) >= notBefore;
  if (stack.CreationTime) times.push(stack.CreationTime.getTime());
  return times.length > 0 && Math.max(...times) >= notBefore;
}
