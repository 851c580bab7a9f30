/**
 * NoEcho values in what a change set tells. CloudFormation masks a NoEcho parameter's own value,
 * but a property built from it (a !Sub, a JSON policy) can still carry it, so every value the
 * review shows passes through here. The secrets are this window's memory of what it staged; they
 * are never written anywhere.
 */
import { SECRET_MASK } from '../provider';

export interface SecretValues {
  /** Secret parameter values, as they were sent. */
  values: readonly string[];
  /** NoEcho parameter names: a property they cause is masked whole. */
  names: ReadonlySet<string>;
}

export const NO_SECRETS: SecretValues = { values: [], names: new Set() };

export interface MaskedText {
  text: string;
  masked: boolean;
}

/**
 * Mirrors the core's MIN_MASKED_SUBSTRING (src/deployment/secrets.ts; providers do not import the
 * core): a shorter secret ("30") is not masked by substring, which would blank unrelated values
 * ("300", DelaySeconds "30") and tell which characters it is made of. A property it causes is
 * still masked whole, by its causing entity.
 */
export const MIN_MASKED_SUBSTRING = 4;

/**
 * Each secret as sent and as it appears inside JSON text (a context, a policy document), longest
 * first, so a secret that contains another is replaced whole.
 */
function forms(values: readonly string[]): string[] {
  const all = new Set<string>();
  for (const value of values) {
    if (value.length < MIN_MASKED_SUBSTRING) continue;
    all.add(value);
    all.add(JSON.stringify(value).slice(1, -1));
  }
  return [...all].sort((a, b) => b.length - a.length);
}

export class SecretMasker {
  private readonly forms: string[];
  readonly names: ReadonlySet<string>;

  constructor(secrets: SecretValues) {
    this.forms = forms(secrets.values);
    this.names = secrets.names;
  }

  /** The text with every secret replaced; `masked` also when CloudFormation's own mask is in it. */
  mask(text: string): MaskedText {
    let result = text;
    for (const form of this.forms) if (result.includes(form)) result = result.split(form).join(SECRET_MASK);
    return { text: result, masked: result !== text || result.includes(SECRET_MASK) };
  }

  /** Whether a causing entity ("DbPassword", "DbPassword.Arn") names a NoEcho parameter. */
  isSecretEntity(causingEntity: string | undefined): boolean {
    if (!causingEntity) return false;
    return this.names.has(causingEntity) || this.names.has(causingEntity.split('.')[0]);
  }
}

/** What a StageRequest's parameters say is secret. */
export function secretsOf(parameters: ReadonlyArray<{ key: string; value: string; secret?: boolean }>): SecretValues {
  const secret = parameters.filter((p) => p.secret);
  return { values: secret.map((p) => p.value), names: new Set(secret.map((p) => p.key)) };
}

/** Adds the parameters a change set itself shows masked ("****"): NoEcho, even when this window forgot. */
export function withMaskedParameters(
  secrets: SecretValues,
  parameters: ReadonlyArray<{ ParameterKey?: string; ParameterValue?: string }> | undefined,
): SecretValues {
  const masked = (parameters ?? []).flatMap((p) => (p.ParameterKey && p.ParameterValue === SECRET_MASK ? [p.ParameterKey] : []));
  if (masked.length === 0) return secrets;
  return { values: secrets.values, names: new Set([...secrets.names, ...masked]) };
}
