/**
 * The CloudFormation provider: the port's calls in terms of change sets, stack events and
 * ClientRequestTokens. Every request carries the caller's AbortSignal, and every error leaves
 * here as a coded ProviderError.
 *
 * This class only holds what one window shares (context.ts); each call is a module's:
 * targetState, staging, execution, stagedCleanup, operationPoll (with stackVerdict), stopUpdate,
 * recoverStack and reads.
 */
import type {
  AbortStagedRequest,
  AbortStagedResult,
  DeployedTemplateRequest,
  DescribeStagedRequest,
  DescribeStagedResult,
  DescribeTargetRequest,
  DescribeTargetResult,
  ExecuteRequest,
  ExecuteResult,
  FindExecutionRequest,
  FindExecutionResult,
  OutputsRequest,
  PollRequest,
  PollResult,
  Provider,
  RecoverRequest,
  RecoverResult,
  StackOutput,
  StageRequest,
  StageResult,
  StopRequest,
  StopResult,
  TemplateRequest,
} from '../provider';
import { AwsContext, type AwsProviderConfig } from './context';
import { deployedTemplate } from './deployedTemplate';
import { executeChangeSet, findExecution } from './execution';
import { pollOperation } from './operationPoll';
import { stackOutputs, stagedTemplate } from './reads';
import { recoverStack } from './recoverStack';
import { abortStaged } from './stagedCleanup';
import { describeStagedChanges, stageChangeSet, validateTemplate } from './staging';
import { stopUpdate } from './stopUpdate';
import { describeTargetState } from './targetState';
import type { ValidateRequest, ValidateResult } from './template/validation';

export type { AwsProviderConfig };

export class AwsProvider implements Provider {
  readonly kind = 'aws' as const;
  private readonly ctx: AwsContext;

  constructor(config: AwsProviderConfig) {
    this.ctx = new AwsContext(config);
  }

  dispose(): void {
    this.ctx.client.destroy();
  }

  describeTarget(req: DescribeTargetRequest): Promise<DescribeTargetResult> {
    return describeTargetState(this.ctx, req);
  }

  /** ValidateTemplate, for the template step (template/initialize.ts); the machine never asks it. */
  validate(req: ValidateRequest): Promise<ValidateResult> {
    return validateTemplate(this.ctx, req);
  }

  stage(req: StageRequest): Promise<StageResult> {
    return stageChangeSet(this.ctx, req);
  }

  describeStaged(req: DescribeStagedRequest): Promise<DescribeStagedResult> {
    return describeStagedChanges(this.ctx, req);
  }

  execute(req: ExecuteRequest): Promise<ExecuteResult> {
    return executeChangeSet(this.ctx, req);
  }

  findExecution(req: FindExecutionRequest): Promise<FindExecutionResult> {
    return findExecution(this.ctx, req);
  }

  abortStaged(req: AbortStagedRequest): Promise<AbortStagedResult> {
    return abortStaged(this.ctx, req);
  }

  poll(req: PollRequest): Promise<PollResult> {
    return pollOperation(this.ctx, req);
  }

  stop(req: StopRequest): Promise<StopResult> {
    return stopUpdate(this.ctx, req);
  }

  recover(req: RecoverRequest): Promise<RecoverResult> {
    return recoverStack(this.ctx, req);
  }

  outputs(req: OutputsRequest): Promise<StackOutput[]> {
    return stackOutputs(this.ctx, req);
  }

  template(req: TemplateRequest): Promise<string> {
    return stagedTemplate(this.ctx, req);
  }

  deployedTemplate(req: DeployedTemplateRequest): Promise<string | undefined> {
    return deployedTemplate(this.ctx, req);
  }
}
