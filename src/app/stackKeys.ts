/**
 * Stack keys ("<provider>:<region>:<name>", from sessionKey) back to targets, and out of the state
 * VS Code keeps for a monitor panel across reloads. Pure.
 */
import { sessionKey } from '../deployment/session';
import type { TargetRef } from '../providers/provider';
import { isKnownKind } from '../providers/registry';

export function targetFromKey(key: string): TargetRef | undefined {
  const [provider, region, ...name] = key.split(':');
  if (!isKnownKind(provider) || name.length === 0 || name.join(':') === '') return undefined;
  return { provider, region: region || undefined, name: name.join(':') };
}

/** The webview saves `{ model }` (and may save `stackKey`); either names the stack. */
export function stackKeyFromState(state: unknown): string | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const record = state as { stackKey?: unknown; model?: { provider?: unknown; stackName?: unknown; region?: unknown } };
  if (typeof record.stackKey === 'string') return targetFromKey(record.stackKey) ? record.stackKey : undefined;
  const model = record.model;
  if (typeof model === 'object' && model !== null && isKnownKind(model.provider) && typeof model.stackName === 'string' && model.stackName !== '') {
    return sessionKey({ provider: model.provider, name: model.stackName, region: typeof model.region === 'string' ? model.region : undefined });
  }
  return undefined;
}
