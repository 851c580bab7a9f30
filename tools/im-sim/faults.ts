/**
 * Injected faults: the next N matching requests get 429 RESOURCE_EXHAUSTED, 503 UNAVAILABLE or 403 PERMISSION_DENIED
 * instead of an answer. Rules are used up in the order they were added.
 */
import { GcpError } from './errors';
import type { GcpFaultRule } from './types';

interface LiveRule extends GcpFaultRule {
  remaining: number;
}

export class FaultBook {
  private rules: LiveRule[] = [];

  add(rule: GcpFaultRule): void {
    this.rules.push({ ...checkedRule(rule), remaining: rule.times ?? 1 });
  }

  /** The error for this request if a rule matches; uses one count of that rule. */
  take(method: string, path: string): GcpError | undefined {
    const rule = this.rules.find(
      (r) =>
        r.remaining > 0 &&
        (r.method === undefined || r.method.toUpperCase() === method.toUpperCase()) &&
        (r.pathIncludes === undefined || path.includes(r.pathIncludes)),
    );
    if (!rule) return undefined;
    rule.remaining--;
    this.rules = this.rules.filter((r) => r.remaining > 0);
    if (rule.kind === 'denied') return deniedError(path);
    return rule.kind === 'throttle'
      ? new GcpError(
          429,
          'RESOURCE_EXHAUSTED',
          "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute' of service 'config.googleapis.com'.",
        )
      : new GcpError(503, 'UNAVAILABLE', 'The service is currently unavailable.');
  }

  clear(): void {
    this.rules = [];
  }
}

/**
 * A permission the caller lacks (a role without storage.objects.list, say). Cloud Storage's JSON
 * API adds `errors[].reason` `forbidden`; the config API answers PERMISSION_DENIED alone.
 */
function deniedError(path: string): GcpError {
  return path.includes('/storage/v1/')
    ? new GcpError(403, 'PERMISSION_DENIED', 'The caller does not have access to the Google Cloud Storage bucket (or it may not exist).', 'forbidden')
    : new GcpError(403, 'PERMISSION_DENIED', 'The caller does not have permission');
}

/** Validates a rule from callers that are not type-checked (the CLI, plain JS tests). */
function checkedRule(value: GcpFaultRule): GcpFaultRule {
  if (value.kind !== 'throttle' && value.kind !== 'unavailable' && value.kind !== 'denied')
    throw new TypeError(`fault kind must be 'throttle', 'unavailable' or 'denied', got ${String(value.kind)}`);
  if (value.times !== undefined && (!Number.isInteger(value.times) || value.times < 1)) throw new TypeError('fault times must be a positive integer');
  return { ...value };
}
