/**
 * What the CloudFormation adapter's modules share: the config, one client and the coded calls
 * every module makes through it (each error leaves as a ProviderError), and what this window
 * learned of its own change sets.
 */
import * as l10n from '@vscode/l10n';
import {
  type CloudFormationClient,
  type CloudFormationClientConfig,
  DescribeChangeSetCommand,
  type DescribeChangeSetCommandOutput,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { callError, type OperationRef, ProviderError } from '../provider';
import { createCloudFormationClient } from './clients';
import { type ErrorContext, toProviderError } from './errors';
import type { SecretValues } from './secretMask';
import type { FetchEventPage } from './stackEvents';
import type { PutObject } from './templateLocation';

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
  /** The template's absolute path: local nested TemplateURLs are read relative to its folder (nestedTemplates.ts). */
  templateFile?: string;
  /** Local nested templates must be inside it. */
  workspaceFolder?: string;
  /** Uploads a large template; defaults to the S3 client, loaded only when first needed. */
  putObject?: PutObject;
  /** How often Abort re-reads a change set that is still being created (default 1 s). */
  changeSetPollMs?: number;
}

/** One window's CloudFormation client, the calls every module makes through it, and what staging learned. */
export class AwsContext {
  readonly client: CloudFormationClient;
  /** What staging learned about each change set, for execute and abort in this window. */
  readonly staged = new Map<string, { kind: OperationRef['kind']; stackId?: string }>();
  /** Change set names whose CreateChangeSet CloudFormation refused outright: nothing of them can still land. */
  readonly refusedStages = new Set<string>();
  /**
   * The NoEcho values each change set was staged with, to mask them in its review (secretMask.ts).
   * In memory only: never persisted, gone with the window.
   */
  readonly stagedSecrets = new Map<string, SecretValues>();

  constructor(readonly config: AwsProviderConfig) {
    this.client = createCloudFormationClient(config);
  }

  errorContext(operation: string): ErrorContext {
    return { operation, endpoint: this.config.endpoint, profile: this.config.profile, region: this.config.region };
  }

  async call<T>(operation: string, signal: AbortSignal, send: (client: CloudFormationClient, options: { abortSignal: AbortSignal }) => Promise<T>): Promise<T> {
    if (signal.aborted) throw new ProviderError('Aborted', l10n.t('{0}: cancelled before it was sent.', operation));
    try {
      return await send(this.client, { abortSignal: signal });
    } catch (error) {
      throw toProviderError(error, this.errorContext(operation));
    }
  }

  /**
   * A stack by name or ARN; undefined only when CloudFormation says it does not exist. For a named
   * stack CloudFormation answers with that stack or the error "does not exist", never with an
   * empty list: an answer without a stack in it (or one without its status or ID) is unreadable,
   * and must not pass for "missing", a finished delete, or a stopped update.
   */
  async describeStack(stackName: string, signal: AbortSignal): Promise<Stack | undefined> {
    let result;
    try {
      result = await this.call('DescribeStacks', signal, (c, o) => c.send(new DescribeStacksCommand({ StackName: stackName }), o));
    } catch (error) {
      if (error instanceof ProviderError && error.code === 'NotFound') return undefined;
      throw error;
    }
    const stack = result.Stacks?.[0];
    if (!stack?.StackStatus || !stack.StackId)
      throw unreadableAnswer('DescribeStacks', stack ? l10n.t('a stack without its status or ID') : l10n.t('no stack in it'));
    return stack;
  }

  /**
   * A change set by name or ARN; undefined when CloudFormation says it (or its stack) does not
   * exist. Every real answer carries the change set's Status; one without it tells nothing.
   */
  async describeChangeSet(changeSetName: string, stackName: string, signal: AbortSignal): Promise<DescribeChangeSetCommandOutput | undefined> {
    let result: DescribeChangeSetCommandOutput;
    try {
      result = await this.call('DescribeChangeSet', signal, (c, o) =>
        c.send(new DescribeChangeSetCommand({ ChangeSetName: changeSetName, StackName: stackName }), o),
      );
    } catch (error) {
      if (error instanceof ProviderError && error.code === 'NotFound') return undefined;
      throw error;
    }
    if (!result.Status) throw unreadableAnswer('DescribeChangeSet', l10n.t('a change set without its status'));
    return result;
  }

  eventPages(stackRef: string, signal: AbortSignal): FetchEventPage {
    return async (nextToken) => {
      const page = await this.call('DescribeStackEvents', signal, (c, o) =>
        c.send(new DescribeStackEventsCommand({ StackName: stackRef, NextToken: nextToken }), o),
      );
      return { events: page.StackEvents ?? [], nextToken: page.NextToken };
    };
  }
}

/**
 * A well-formed answer that lacks what every real answer carries: retried like any unreadable
 * answer (see errors.ts), never read as an outcome.
 */
export function unreadableAnswer(operation: string, what: string): ProviderError {
  return callError('Transient', operation, l10n.t('the answer from CloudFormation could not be read: {0}.', what), {
    providerCode: 'UnreadableResponse',
    hint: l10n.t('Something between you and CloudFormation may be answering in its place. Stackwatch reads it again.'),
  });
}
