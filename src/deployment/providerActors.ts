/**
 * Binds the machine's placeholder actors to a Provider. Each actor is given the port's own
 * request (less the signal) and adds its own AbortSignal, so leaving a state (Stop, Abort, a new
 * state) cancels in-flight calls.
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
  DescribeStagedInput,
  DescribeTargetInput,
  DiscardRecoveryPlanInput,
  ExecuteInput,
  FindExecutionInput,
  InitializeInput,
  InitializedDeployment,
  OutputsInput,
  PollInput,
  RecoverInput,
  StageInput,
  StopInput,
} from './machine';

/** The two steps that happen in the workspace rather than in the cloud. */
export interface WorkspaceSteps {
  /** Save unsaved files, run a stale build. Rejects to stop the deployment before anything is sent. */
  preflight(signal: AbortSignal): Promise<void>;
  /** Load and validate the template and parameters. Rejects with an InputError for bad input. */
  initialize(input: InitializeInput, signal: AbortSignal): Promise<InitializedDeployment>;
}

export function providerActors(provider: Provider, workspace: WorkspaceSteps) {
  return {
    preflight: fromPromise<void, { deploymentId: string }>(({ signal }) => workspace.preflight(signal)),
    initialize: fromPromise<InitializedDeployment, InitializeInput>(({ input, signal }) => workspace.initialize(input, signal)),
    describeTarget: fromPromise<DescribeTargetResult, DescribeTargetInput>(({ input, signal }) => provider.describeTarget({ ...input, signal })),
    stage: fromPromise<StageResult, StageInput>(({ input, signal }) => provider.stage({ ...input, signal })),
    describeStaged: fromPromise<DescribeStagedResult, DescribeStagedInput>(({ input, signal }) => provider.describeStaged({ ...input, signal })),
    execute: fromPromise<ExecuteResult, ExecuteInput>(({ input, signal }) => provider.execute({ ...input, signal })),
    findExecution: fromPromise<FindExecutionResult, FindExecutionInput>(({ input, signal }) => provider.findExecution({ ...input, signal })),
    abortStaged: fromPromise<AbortStagedResult, AbortStagedInput>(({ input, signal }) => provider.abortStaged({ ...input, signal })),
    poll: fromPromise<PollResult, PollInput>(({ input, signal }) => provider.poll({ ...input, signal })),
    stop: fromPromise<StopResult, StopInput>(({ input, signal }) => provider.stop({ ...input, signal })),
    recover: fromPromise<RecoverResult, RecoverInput>(({ input, signal }) => provider.recover({ ...input, signal })),
    outputs: fromPromise<StackOutput[], OutputsInput>(({ input, signal }) => provider.outputs({ ...input, signal })),
    // Optional on the port: a provider without it answers "nothing known", which the consent says.
    describeRecovery: fromPromise<DescribeRecoveryResult | undefined, DescribeRecoveryInput>(async ({ input, signal }) =>
      provider.describeRecovery?.({ ...input, signal }),
    ),
    discardRecoveryPlan: fromPromise<void, DiscardRecoveryPlanInput>(async ({ input, signal }) => {
      await provider.discardRecoveryPlan?.({ ...input, signal });
    }),
  };
}
