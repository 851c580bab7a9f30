/**
 * Secret values (secret parameters, sensitive inputs and the outputs derived from
 * them) live only in the running deployment's memory: everything that leaves it (persisted
 * state, history, the log, the webview) goes through these functions first.
 */
import type { ParameterValue, StackOutput } from '../providers/provider';

export const SECRET_MASK = '****';

/**
 * Shorter values are not masked by substring: "1" or "abc" would blank out unrelated text and
 * tell a reader which characters the secret is made of. They are still removed where they sit
 * (parameter values, sensitive outputs).
 */
export const MIN_MASKED_SUBSTRING = 4;

export interface SecretHolder {
  initialized?: { parameters: readonly ParameterValue[] };
  outputs: readonly StackOutput[];
}

/** The secret strings a deployment holds, longest first so overlapping secrets mask whole. */
export function secretValuesOf(holder: SecretHolder): string[] {
  const values = new Set<string>();
  for (const p of holder.initialized?.parameters ?? []) if (p.secret && p.value) values.add(p.value);
  for (const o of holder.outputs) if (o.sensitive && o.value && o.value !== SECRET_MASK) values.add(o.value);
  return [...values].sort((a, b) => b.length - a.length);
}

/** Replaces every occurrence of a secret (of maskable length) in a text. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let masked = text;
  for (const secret of secrets) {
    if (secret.length < MIN_MASKED_SUBSTRING) continue;
    masked = masked.split(secret).join(SECRET_MASK);
  }
  return masked;
}

export function withoutSecretParameters(parameters: readonly ParameterValue[]): ParameterValue[] {
  return parameters.map((p) => (p.secret ? { ...p, value: '' } : p));
}

export function withoutSensitiveOutputs(outputs: readonly StackOutput[]): StackOutput[] {
  return outputs.map((o) => (o.sensitive ? { ...o, value: SECRET_MASK } : o));
}

/**
 * What may be stored, in one copy: every `{ secret: true, value }` (a secret parameter, wherever it
 * sits: the inputs of calls in flight carry them too) loses its value however short, every
 * `{ sensitive: true, value }` output is masked, and any copy of a secret in other text is masked.
 */
export function redactForStorage<T>(value: T, secrets: readonly string[]): T {
  const json = JSON.stringify(value, (_key, field: unknown) => {
    if (typeof field === 'string') return maskSecrets(field, secrets);
    if (typeof field !== 'object' || field === null || Array.isArray(field)) return field;
    const record = field as { secret?: unknown; sensitive?: unknown; value?: unknown };
    if (typeof record.value !== 'string') return field;
    if (record.secret === true) return { ...record, value: '' };
    if (record.sensitive === true) return { ...record, value: SECRET_MASK };
    return field;
  });
  return JSON.parse(json) as T;
}

/**
 * A deep copy of any JSON-able value with every secret removed: the values in their own
 * fields, and any copy of them inside other strings (an event reason that quotes a parameter).
 */
export function redactSecrets<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  const json = JSON.stringify(value, (_key, field: unknown) => (typeof field === 'string' ? maskSecrets(field, secrets) : field));
  return JSON.parse(json) as T;
}
