/**
 * The machine's setup before its actions: its types, its guards, and a placeholder for every
 * actor. Every side effect is an actor provided from outside (`machine.provide({ actors })`,
 * see providerActors.ts), so the same machine drives any provider, or a scripted fake in tests.
 */
import { fromPromise, setup } from 'xstate';
import type {
  AbortStagedResult,
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
} from '../../providers/provider';
import type {
  AbortStagedInput,
  DeploymentContext,
  DeploymentEventType,
  DeploymentInput,
  DescribeRecoveryInput,
  DescribeStagedInput,
  DescribeTargetInput,
  DiscardRecoveryPlanInput,
  ExecuteInput,
  FindExecutionInput,
  InitializedDeployment,
  InitializeInput,
  OutputsInput,
  PollInput,
  RecoverInput,
  StageInput,
  StopInput,
} from './context';
import { guards } from './guards';
import type { DeploymentTag } from './tags';

/** A placeholder that fails loudly: the session (or a test) must provide the real actor. */
function placeholder<Output, Input>(name: string) {
  return fromPromise<Output, Input>(async () => {
    throw new Error(`Internal error: the '${name}' actor was not provided to the deployment machine.`);
  });
}

export const baseSetup = setup({
  types: {
    context: {} as DeploymentContext,
    events: {} as DeploymentEventType,
    input: {} as DeploymentInput,
    tags: {} as DeploymentTag,
  },
  actors: {
    preflight: placeholder<void, { deploymentId: string }>('preflight'),
    initialize: placeholder<InitializedDeployment, InitializeInput>('initialize'),
    describeTarget: placeholder<DescribeTargetResult, DescribeTargetInput>('describeTarget'),
    stage: placeholder<StageResult, StageInput>('stage'),
    describeStaged: placeholder<DescribeStagedResult, DescribeStagedInput>('describeStaged'),
    execute: placeholder<ExecuteResult, ExecuteInput>('execute'),
    findExecution: placeholder<FindExecutionResult, FindExecutionInput>('findExecution'),
    abortStaged: placeholder<AbortStagedResult, AbortStagedInput>('abortStaged'),
    poll: placeholder<PollResult, PollInput>('poll'),
    stop: placeholder<StopResult, StopInput>('stop'),
    recover: placeholder<RecoverResult, RecoverInput>('recover'),
    outputs: placeholder<StackOutput[], OutputsInput>('outputs'),
    describeRecovery: placeholder<DescribeRecoveryResult | undefined, DescribeRecoveryInput>('describeRecovery'),
    discardRecoveryPlan: placeholder<void, DiscardRecoveryPlanInput>('discardRecoveryPlan'),
  },
  guards,
});
