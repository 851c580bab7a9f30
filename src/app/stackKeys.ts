/**
 * Stack keys ("<provider>:<region>:<name>", from sessionKey) back to targets, and out of the state
 * VS Code keeps for a monitor panel across reloads. Pure.
 */
import { sessionKey } from '../deployment/session';
import type { TargetRef } from '../providers/provider';
import { isKnownKind } from '../providers/registry';
import type { SavedPanelState } from '../shared/panelState';

/** Where the deployment options chosen for a target are remembered in workspace state. */
export function optionsKey(target: TargetRef): string {
  return `deploymentOptions:${sessionKey(target)}`;
}

export function targetFromKey(key: string): TargetRef | undefined {
  const [provider, region, ...name] = key.split(':');
  if (!isKnownKind(provider) || name.length === 0 || name.join(':') === '') return undefined;
  return { provider, region: region || undefined, name: name.join(':') };
}

/**
 * The stack a restored monitor panel showed, from the model its webview saved (SavedPanelState).
 * The state comes back from disk through the webview, so every field is checked.
 */
export function stackKeyFromSavedPanel(state: unknown): string | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const model = (state as { [K in keyof SavedPanelState]?: unknown }).model;
  if (typeof model !== 'object' || model === null) return undefined;
  const { provider, stackName, region } = model as { [K in 'provider' | 'stackName' | 'region']?: unknown };
  if (!isKnownKind(provider) || typeof stackName !== 'string' || stackName === '') return undefined;
  return sessionKey({ provider, name: stackName, region: typeof region === 'string' ? region : undefined });
}
