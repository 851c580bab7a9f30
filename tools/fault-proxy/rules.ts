/**
 * The armed rules. Each rule counts its own matches: the first `skip` pass, the next `times` get
 * the fault. When several rules match, the first one past its skips decides.
 */
import type { Fault, FaultMatch, FaultRule } from './types';

interface ArmedRule {
  rule: FaultRule;
  skipLeft: number;
  timesLeft: number;
}

export interface RequestFacts {
  action?: string;
  method: string;
  path: string;
}

export class RuleBook {
  private armed: ArmedRule[] = [];

  add(rule: FaultRule): void {
    const checked = checkedRule(rule);
    this.armed.push({ rule: checked, skipLeft: checked.skip ?? 0, timesLeft: checked.times ?? 1 });
  }

  clear(): void {
    this.armed = [];
  }

  /** The fault for this request, if any; uses up one skip of every matching rule still skipping, or one time of the deciding rule. */
  take(facts: RequestFacts): Fault | undefined {
    let decided: ArmedRule | undefined;
    for (const armed of this.armed) {
      if (!matches(armed.rule.match, facts)) continue;
      if (armed.skipLeft > 0) {
        armed.skipLeft--;
        continue;
      }
      decided = armed;
      break;
    }
    if (!decided) return undefined;
    decided.timesLeft--;
    this.armed = this.armed.filter((a) => a.timesLeft > 0);
    return decided.rule.fault;
  }

  /** What is still armed, with the counts left (`times` null means always, for JSON). */
  list(): Array<FaultRule & { timesLeft: number | null; skipLeft: number }> {
    return this.armed.map((a) => ({ ...a.rule, timesLeft: Number.isFinite(a.timesLeft) ? a.timesLeft : null, skipLeft: a.skipLeft }));
  }
}

function matches(match: FaultMatch, facts: RequestFacts): boolean {
  if (match.action !== undefined && match.action !== facts.action) return false;
  if (match.method !== undefined && match.method.toUpperCase() !== facts.method.toUpperCase()) return false;
  if (match.pathIncludes !== undefined && !facts.path.includes(match.pathIncludes)) return false;
  return true;
}

const KINDS = ['stall', 'reset', 'truncate', 'garbage', 'lostResponse', 'rewrite', 'expiredCredentials', 'httpStatus', 'delay'] as const;

/** Validates a rule from JSON or from callers that are not type-checked; `times: "always"` means Infinity. */
export function checkedRule(value: unknown): FaultRule {
  const rule = record(value, 'a fault rule is an object { match, fault, times?, skip? }');
  const match = record(rule['match'] ?? {}, 'match must be an object { action?, method?, pathIncludes? }');
  for (const key of ['action', 'method', 'pathIncludes'] as const) {
    if (match[key] !== undefined && typeof match[key] !== 'string') throw new TypeError(`match.${key} must be a string`);
  }
  const fault = record(rule['fault'], 'fault must be an object { kind, … }');
  const kind = fault['kind'];
  if (!KINDS.includes(kind as (typeof KINDS)[number])) throw new TypeError(`fault.kind must be one of ${KINDS.join(', ')}`);
  if (kind === 'rewrite' && (typeof fault['from'] !== 'string' || fault['from'] === '' || typeof fault['to'] !== 'string')) {
    throw new TypeError('a rewrite fault needs non-empty string "from" and string "to"');
  }
  if (kind === 'httpStatus' && !(Number.isInteger(fault['status']) && (fault['status'] as number) >= 100 && (fault['status'] as number) <= 599)) {
    throw new TypeError('an httpStatus fault needs an integer "status" from 100 to 599');
  }
  if (kind === 'truncate' && fault['keepBytes'] !== undefined && !(Number.isInteger(fault['keepBytes']) && (fault['keepBytes'] as number) >= 0)) {
    throw new TypeError('truncate keepBytes must be a non-negative integer');
  }
  if (kind === 'truncate' && fault['contentLength'] !== undefined && fault['contentLength'] !== 'cut' && fault['contentLength'] !== 'original') {
    throw new TypeError('truncate contentLength must be "cut" or "original"');
  }
  if (kind === 'delay' && !(typeof fault['ms'] === 'number' && Number.isFinite(fault['ms']) && fault['ms'] >= 0)) {
    throw new TypeError('a delay fault needs a non-negative number "ms"');
  }
  const times = rule['times'] === 'always' ? Infinity : rule['times'];
  if (times !== undefined && !(typeof times === 'number' && (times === Infinity || (Number.isInteger(times) && times >= 1)))) {
    throw new TypeError('times must be a positive integer, Infinity or "always"');
  }
  const skip = rule['skip'];
  if (skip !== undefined && !(typeof skip === 'number' && Number.isInteger(skip) && skip >= 0)) throw new TypeError('skip must be a non-negative integer');
  return { match: { ...match }, fault: { ...fault } as Fault, times, skip };
}

function record(value: unknown, message: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError(message);
  return value as Record<string, unknown>;
}
