/**
 * The deployment options a person chose for a target in the review, remembered in workspace state
 * (keyed by stackKeys.optionsKey) and given to the next deployment of that target. What is read
 * back is checked against the provider's options as they are now: unknown ids and invalid values
 * are dropped, so an older or hand-edited entry never reaches a stage call.
 */
import { acceptsOption, checkedOptions, type StagingKind } from '../deployment/deploymentOptions';
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

/**
 * A person's change to one option outside a review (staging failed, so nothing stages again):
 * taken only as the review's SET_OPTION would be (acceptsOption: known, valid, applies to this
 * kind of staging, and differs from the remembered value), then remembered for `target`.
 * Returns whether it was taken.
 */
export async function rememberOptionChange(
  store: OptionStore,
  target: TargetRef,
  specs: readonly DeploymentOptionSpec[],
  kind: StagingKind,
  change: { id: string; value: boolean | string },
): Promise<boolean> {
  const saved = rememberedOptions(store, target, specs);
  if (!acceptsOption(specs, saved, kind, change)) return false;
  await rememberOptions(store, target, specs, { ...saved, [change.id]: change.value });
  return true;
}

function sameValues(a: DeploymentOptionValues, b: DeploymentOptionValues): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => a[key] === b[key]);
}
