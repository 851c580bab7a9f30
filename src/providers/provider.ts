/**
 * The provider port: the only way the deployment machine talks to a cloud.
 *
 * One request object and one result object per method, an AbortSignal on every call, and
 * errors that carry a code. Provider-specific ideas (change sets, previews, tokens) stay
 * behind this interface; the machine only sees the neutral shapes, which live in port/ by the
 * calls they belong to and are re-exported here, so every importer names this one module.
 */
import type {
  DeployedTemplateRequest,
  OutputsRequest,
  PollRequest,
  PollResult,
  RecoverRequest,
  RecoverResult,
  StackOutput,
  StopRequest,
  StopResult,
  TemplateRequest,
} from './port/operation';
import type { DescribeRecoveryRequest, DescribeRecoveryResult, DiscardRecoveryPlanRequest } from './port/recovery';
import type {
  AbortStagedRequest,
  AbortStagedResult,
  DescribeStagedRequest,
  DescribeStagedResult,
  ExecuteRequest,
  ExecuteResult,
  FindExecutionRequest,
  FindExecutionResult,
  StageRequest,
  StageResult,
} from './port/staging';
import type { DescribeTargetRequest, DescribeTargetResult, ProviderKind } from './port/target';

export * from './port/errors';
export * from './port/target';
export * from './port/staging';
export * from './port/operation';
export * from './port/recovery';

export interface Provider {
  readonly kind: ProviderKind;
  describeTarget(req: DescribeTargetRequest): Promise<DescribeTargetResult>;
  stage(req: StageRequest): Promise<StageResult>;
  describeStaged(req: DescribeStagedRequest): Promise<DescribeStagedResult>;
  execute(req: ExecuteRequest): Promise<ExecuteResult>;
  findExecution(req: FindExecutionRequest): Promise<FindExecutionResult>;
  abortStaged(req: AbortStagedRequest): Promise<AbortStagedResult>;
  poll(req: PollRequest): Promise<PollResult>;
  /** Throws ProviderError('Unsupported') with a plain explanation when it cannot stop. */
  stop(req: StopRequest): Promise<StopResult>;
  recover(req: RecoverRequest): Promise<RecoverResult>;
  outputs(req: OutputsRequest): Promise<StackOutput[]>;
  template(req: TemplateRequest): Promise<string>;
  /**
   * Optional: the template the target runs now, exactly as it was submitted; undefined when there
   * is no target yet. Compare with Deployed diffs it against what was staged.
   */
  deployedTemplate?(req: DeployedTemplateRequest): Promise<string | undefined>;
  /**
   * Optional: what a destructive recovery would destroy, shown in the consent before the person
   * answers. It may start something (a delete preview) that discardRecoveryPlan removes.
   */
  describeRecovery?(req: DescribeRecoveryRequest): Promise<DescribeRecoveryResult>;
  /** Removes whatever describeRecovery started for this deployment; nothing there is not an error. */
  discardRecoveryPlan?(req: DiscardRecoveryPlanRequest): Promise<void>;
}
