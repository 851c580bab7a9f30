/**
 * The machine's setup before its actions: its types, its guards, and a placeholder for every
 * actor. Every side effect is an actor provided from outside (`machine.provide({ actors })`,
 * see providerActors.ts), so the same machine drives any provider, or a scripted fake in tests.
 */
import { fromPromise, setup, type PromiseActorLogic } from 'xstate';
import { CALL_NAMES, type CallName } from './calls';
import type { CallInputs, CallOutputs, CheckInput, CheckReport, DeploymentContext, DeploymentEventType, DeploymentInput } from './context';
import { guards } from './guards';
import type { DeploymentTag } from './tags';

/** A placeholder that fails loudly: the session (or a test) must provide the real actor. */
function placeholder<K extends CallName>(name: K): PromiseActorLogic<CallOutputs[K], CallInputs[K]> {
  return fromPromise<CallOutputs[K], CallInputs[K]>(async () => {
    // l10n-exempt: a programmer's mistake (the session always provides every actor)
    throw new Error(`Internal error: the '${name}' actor was not provided to the deployment machine.`);
  });
}

type CallActors = { [K in CallName]: PromiseActorLogic<CallOutputs[K], CallInputs[K]> };

/** One placeholder per provider call, by the call's name. */
const callActors = Object.fromEntries(CALL_NAMES.map((name) => [name, placeholder(name)])) as CallActors;

export const baseSetup = setup({
  types: {
    context: {} as DeploymentContext,
    events: {} as DeploymentEventType,
    input: {} as DeploymentInput,
    tags: {} as DeploymentTag,
  },
  actors: {
    preflight: fromPromise<void, { deploymentId: string }>(async () => {
      // l10n-exempt: a programmer's mistake (the session always provides every actor)
      throw new Error("Internal error: the 'preflight' actor was not provided to the deployment machine.");
    }),
    ...callActors,
    // The background check (context.ts CheckInput): spawned at the end of initializing, it runs
    // beside preparing and staging until it settles; no deadline of the machine's (the check has its own).
    check: fromPromise<CheckReport, CheckInput>(async () => {
      // l10n-exempt: a programmer's mistake (the session always provides every actor)
      throw new Error("Internal error: the 'check' actor was not provided to the deployment machine.");
    }),
  },
  guards,
});
