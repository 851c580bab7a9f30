/**
 * Injected faults: the next N calls (of one action, or any) are throttled, fail with a 5xx, or
 * lose their connection. Rules are used up in the order they were added.
 */
import type { FaultKind, FaultRule } from './types';

const KINDS: readonly FaultKind[] = ['throttle', 'server-error', 'drop'];

export class FaultBook {
  private rules: FaultRule[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ ...checkedRule(rule) });
  }

  /** The fault for this call, if a rule matches; uses one count of that rule. */
  take(action: string): FaultKind | undefined {
    const rule = this.rules.find((r) => r.count > 0 && (r.action === undefined || r.action === action));
    if (!rule) return undefined;
    rule.count--;
    this.rules = this.rules.filter((r) => r.count > 0);
    return rule.kind;
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  clear(): void {
    this.rules = [];
  }
}

/** Validates a rule from JSON or from callers that are not type-checked. */
export function checkedRule(value: unknown): FaultRule {
  if (typeof value !== 'object' || value === null) throw new TypeError('a fault rule is an object { action?, kind, count }');
  const { action, kind, count } = value as Record<string, unknown>;
  if (!KINDS.includes(kind as FaultKind)) throw new TypeError(`fault kind must be one of ${KINDS.join(', ')}`);
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) throw new TypeError('fault count must be a positive integer');
  if (action !== undefined && typeof action !== 'string') throw new TypeError('fault action must be a string');
  return { action, kind: kind as FaultKind, count };
}
