/**
 * Binds the machine's placeholder actors to a Provider. Each actor is given the port's own
 * request (less the signal) and adds its own AbortSignal, so leaving a state (Stop, Abort, a new
 * state) cancels in-flight calls.
 */
import * as l10n from '@vscode/l10n';
import { fromPromise } from 'xstate';
import type { Provider } from '../providers/provider';
import type { CallInputs, CallName, CallOutputs, CheckInput, CheckReport, InitializeInput, InitializedDeployment } from './machine';

/** The two steps that happen in the workspace rather than in the cloud. */
export interface WorkspaceSteps {
  /** Save unsaved files, run a stale build. Rejects to stop the deployment before anything is sent. */
  preflight(signal: AbortSignal): Promise<void>;
  /** Load and validate the template and parameters. Rejects with an InputError for bad input. */
  initialize(input: InitializeInput, signal: AbortSignal): Promise<InitializedDeployment>;
  /**
   * The background check initialize announced (InitializedDeployment.check), run beside staging.
   * Rejects with an InputError for an error that blocks the execute; resolves otherwise.
   */
  check?(input: CheckInput, signal: AbortSignal): Promise<CheckReport>;
}

/** The actor for one call: `run` gets the machine's input and the actor's own signal. */
function actor<K extends CallName>(run: (input: CallInputs[K], signal: AbortSignal) => Promise<CallOutputs[K]>) {
  return fromPromise<CallOutputs[K], CallInputs[K]>(({ input, signal }) => run(input, signal));
}

export function providerActors(provider: Provider, workspace: WorkspaceSteps) {
  return {
    preflight: fromPromise<void, { deploymentId: string }>(({ signal }) => workspace.preflight(signal)),
    initialize: actor<'initialize'>((input, signal) => workspace.initialize(input, signal)),
    check: fromPromise<CheckReport, CheckInput>(async ({ input, signal }) => {
      if (!workspace.check) throw new Error(l10n.t('this workspace has no background check to run'));
      return workspace.check(input, signal);
    }),
    describeTarget: actor<'describeTarget'>((input, signal) => provider.describeTarget({ ...input, signal })),
    stage: actor<'stage'>((input, signal) => provider.stage({ ...input, signal })),
    describeStaged: actor<'describeStaged'>((input, signal) => provider.describeStaged({ ...input, signal })),
    execute: actor<'execute'>((input, signal) => provider.execute({ ...input, signal })),
    findExecution: actor<'findExecution'>((input, signal) => provider.findExecution({ ...input, signal })),
    abortStaged: actor<'abortStaged'>((input, signal) => provider.abortStaged({ ...input, signal })),
    poll: actor<'poll'>((input, signal) => provider.poll({ ...input, signal })),
    stop: actor<'stop'>((input, signal) => provider.stop({ ...input, signal })),
    recover: actor<'recover'>((input, signal) => provider.recover({ ...input, signal })),
    outputs: actor<'outputs'>((input, signal) => provider.outputs({ ...input, signal })),
    // Optional on the port: a provider without it answers "nothing known", which the consent says.
    describeRecovery: actor<'describeRecovery'>(async (input, signal) => provider.describeRecovery?.({ ...input, signal })),
    discardRecoveryPlan: actor<'discardRecoveryPlan'>(async (input, signal) => {
      await provider.discardRecoveryPlan?.({ ...input, signal });
    }),
  };
}
