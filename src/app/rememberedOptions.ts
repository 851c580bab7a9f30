/**
 * The deployment options a person chose for a target in the review, remembered in workspace state
 * (keyed by stackKeys.optionsKey) and given to the next deployment of that target. What is read
 * back is checked against the provider's options as they are now: unknown ids and invalid values
 * are dropped, so an older or hand-edited entry never reaches a stage call.
 */
import { checkedOptions } from '../deployment/deploymentOptions';
import type { DeploymentOptionSpec } from '../providers/descriptor';
import type { DeploymentOptionValues, TargetRef } from '../providers/provider';
import { optionsKey } from './stackKeys';

/** The part of vscode.Memento used here. */
export interface OptionStore {
  get(key: string): unknown;
  update(key: string, value: unknown): Thenable<void>;
}

export function rememberedOptions(store: OptionStore, target: TargetRef, specs: readonly DeploymentOptionSpec[]): DeploymentOptionValues {
  return checkedOptions(specs, store.get(optionsKey(target)));
}

/** Stores the options in force for `target` (only valid ones); nothing is written when they did not change. */
export async function rememberOptions(
  store: OptionStore,
  target: TargetRef,
  specs: readonly DeploymentOptionSpec[],
  values: DeploymentOptionValues | undefined,
): Promise<void> {
  const checked = checkedOptions(specs, values);
  const before = rememberedOptions(store, target, specs);
  if (sameValues(before, checked)) return;
  await store.update(optionsKey(target), checked);
}

function sameValues(a: DeploymentOptionValues, b: DeploymentOptionValues): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => a[key] === b[key]);
}
