/**
 * The "execute automatically" checkbox, remembered per target (provider:region:name, the session
 * key) in workspace state.
 *
 * Precedence, newest decision first:
 *   1. a choice made with the checkbox for this target, as long as `stackwatch.autoExecute`
 *      still has the value it had when the box was ticked or cleared;
 *   2. otherwise the (validated) `stackwatch.autoExecute` setting.
 * So changing the setting later beats an older checkbox choice, and a choice for one stack never
 * applies to another. The single global value older versions stored is ignored.
 */
import { sessionKey } from '../deployment/session';
import type { TargetRef } from '../providers/provider';

/** The part of vscode.Memento used here. */
export interface ChoiceStore {
  get(key: string): unknown;
  update(key: string, value: unknown): Thenable<void>;
}

/** Where versions before per-target choices kept one value for every stack. */
export const LEGACY_GLOBAL_KEY = 'stackwatch.autoExecute';
const PREFIX = 'autoExecute:';

interface RememberedChoice {
  value: boolean;
  /** `stackwatch.autoExecute` when the choice was made; a different value now means it is stale. */
  settingThen: boolean;
}

export function choiceKey(target: TargetRef): string {
  return PREFIX + sessionKey(target);
}

function asChoice(stored: unknown): RememberedChoice | undefined {
  if (typeof stored !== 'object' || stored === null) return undefined;
  const { value, settingThen } = stored as Record<string, unknown>;
  return typeof value === 'boolean' && typeof settingThen === 'boolean' ? { value, settingThen } : undefined;
}

/** Whether a deployment of `target` executes without review, given the setting's current value. */
export function effectiveAutoExecute(store: ChoiceStore, target: TargetRef, settingNow: boolean): boolean {
  const choice = asChoice(store.get(choiceKey(target)));
  return choice && choice.settingThen === settingNow ? choice.value : settingNow;
}

/** Remembers the checkbox for `target`; the old global value is dropped so it never comes back. */
export async function rememberChoice(store: ChoiceStore, target: TargetRef, value: boolean, settingNow: boolean): Promise<void> {
  await store.update(choiceKey(target), { value, settingThen: settingNow } satisfies RememberedChoice);
  if (store.get(LEGACY_GLOBAL_KEY) !== undefined) await store.update(LEGACY_GLOBAL_KEY, undefined);
}
