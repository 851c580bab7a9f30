/**
 * Binds the machine's placeholder actors to a Provider. Each actor passes its own AbortSignal
 * to the provider, so leaving a state (Stop, Abort, a new state) cancels in-flight calls.
 */
import { fromPromise } from 'xstate';
import type {
  AbortStagedResult,
  DescribeRecoveryResult,
  DescribeStagedResult,
  DescribeTargetResult,
  ExecuteResult,
  FindExecutionResult,
  PollResult,
  Provider,
  RecoverResult,
  StackOutput,
  StageResult,
  StopResult,
} from '../providers/provider';
import type {
  AbortStagedInput,
  DescribeRecoveryInput,
  DiscardRecoveryPlanInput,
  ExecuteInput,
  InitializeInput,
  InitializedDeployment,
  PollInput,
  RecoverInput,
  StageInput,
  StagedInput,
  StopInput,
  TargetInput,
} from './machine';

/** The two steps that happen in the workspace rather than in the cloud. */
export interface WorkspaceSteps {
  /** Save unsaved files, run a stale build. Rejects to stop the deployment before anything is sent. */
  preflight(signal: AbortSignal): Promise<void>;
  /** Load and validate the template and parameters. Rejects with a InputError for bad input. */
  initialize(input: InitializeInput, signal: AbortSignal): Promise<InitializedDeployment>;
}

export function providerActors(provider: Provider, workspace: WorkspaceSteps) {
  return {
    preflight: fromPromise<void, { deploymentId: string }>(({ signal }) => workspace.preflight(signal)),
    initialize: fromPromise<InitializedDeployment, InitializeInput>(({ input, signal }) => workspace.initialize(input, signal)),
    describeTarget: fromPromise<DescribeTargetResult, TargetInput>(({ input, signal }) =>
      provider.describeTarget({ target: input.target, signal }),
    ),
    stage: fromPromise<StageResult, StageInput>(({ input, signal }) =>
      provider.stage({
        target: input.target,
        template: input.initialized.template,
        parameters: input.initialized.parameters,
        capabilities: input.initialized.capabilities,
        condition: input.condition,
        deploymentId: input.deploymentId,
        attempt: input.attempt,
        targetId: input.targetId,
        signal,
      }),
    ),
    describeStaged: fromPromise<DescribeStagedResult, StagedInput>(({ input, signal }) =>
      provider.describeStaged({ target: input.target, stagedId: input.stagedId, signal }),
    ),
    execute: fromPromise<ExecuteResult, ExecuteInput>(({ input, signal }) =>
      provider.execute({ target: input.target, stagedId: input.stagedId, deploymentId: input.deploymentId, signal }),
    ),
    findExecution: fromPromise<FindExecutionResult, ExecuteInput>(({ input, signal }) =>
      provider.findExecution({ target: input.target, stagedId: input.stagedId, deploymentId: input.deploymentId, signal }),
    ),
    abortStaged: fromPromise<AbortStagedResult, AbortStagedInput>(({ input, signal }) =>
      provider.abortStaged({
        target: input.target,
        stagedId: input.stagedId,
        deploymentId: input.deploymentId,
        attempt: input.attempt,
        executed: input.executed,
        removeCreatedTarget: input.removeCreatedTarget,
        targetId: input.targetId,
        signal,
      }),
    ),
    poll: fromPromise<PollResult, PollInput>(({ input, signal }) =>
      provider.poll({ target: input.target, operation: input.operation, cursor: input.cursor, signal }),
    ),
    stop: fromPromise<StopResult, StopInput>(({ input, signal }) =>
      provider.stop({ target: input.target, operation: input.operation, deploymentId: input.deploymentId, signal }),
    ),
    recover: fromPromise<RecoverResult, RecoverInput>(({ input, signal }) =>
      provider.recover({ target: input.target, action: input.action, deploymentId: input.deploymentId, targetId: input.targetId, signal }),
    ),
    outputs: fromPromise<StackOutput[], TargetInput>(({ input, signal }) => provider.outputs({ target: input.target, signal })),
    // Optional on the port: a provider without it answers "nothing known", which the consent says.
    describeRecovery: fromPromise<DescribeRecoveryResult | undefined, DescribeRecoveryInput>(async ({ input, signal }) =>
      provider.describeRecovery?.({ target: input.target, action: input.action, deploymentId: input.deploymentId, targetId: input.targetId, signal }),
    ),
    discardRecoveryPlan: fromPromise<void, DiscardRecoveryPlanInput>(async ({ input, signal }) => {
      await provider.discardRecoveryPlan?.({ target: input.target, deploymentId: input.deploymentId, signal });
    }),
  };
}
