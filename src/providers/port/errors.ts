/** The port's errors: a code the machine decides on (retry, stop, ask), and a brand that holds across bundles. */
import * as l10n from '@vscode/l10n';

export type ProviderErrorCode =
  /** Rate limited by the provider. Retryable. */
  | 'Throttling'
  /** 5xx, dropped connection, timeout. Retryable. */
  | 'Transient'
  | 'NotFound'
  /** The provider rejected the input (template, parameters, names). Not retryable. */
  | 'Validation'
  /** No credentials, expired credentials, access denied. Not retryable. */
  | 'Credentials'
  /** Another operation is in the way (stack busy, change set obsolete, stale preview). */
  | 'Conflict'
  /** The provider cannot do this at all in the current state (e.g. cancel a CloudFormation create). */
  | 'Unsupported'
  /** The caller aborted through its AbortSignal. */
  | 'Aborted'
  | 'Unknown';

const RETRYABLE: ReadonlySet<ProviderErrorCode> = new Set(['Throttling', 'Transient']);

/**
 * Marks a ProviderError from any copy of this module. Each provider is its own bundle with its
 * own copy of this class, so `instanceof` against the core bundle's class would be false for an
 * error a provider threw; the brand, a registry-wide symbol, is the same in every bundle.
 */
const PROVIDER_ERROR_BRAND = Symbol.for('stackwatch.providerError');

export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly [PROVIDER_ERROR_BRAND] = true;

  /** `instanceof ProviderError` checks the brand, so it holds across bundles too. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [PROVIDER_ERROR_BRAND]?: unknown })[PROVIDER_ERROR_BRAND] === true;
  }

  constructor(
    readonly code: ProviderErrorCode,
    message: string,
    readonly details: { cause?: unknown; hint?: string; providerCode?: string; operation?: string; reason?: string } = {},
  ) {
    super(message, { cause: details.cause });
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}

export function isProviderError(value: unknown): value is ProviderError {
  return ProviderError[Symbol.hasInstance](value);
}

/**
 * The error of one call: its message reads "<call>: <what happened>", and the call and what
 * happened are kept apart too, so the retry banner can say "Retrying <call> in 2 s: <what
 * happened>" in any language without taking the message apart.
 */
export function callError(
  code: ProviderErrorCode,
  operation: string,
  reason: string,
  details: { cause?: unknown; hint?: string; providerCode?: string } = {},
): ProviderError {
  const message = l10n.t({ message: '{0}: {1}', args: [operation, reason], comment: ['What was being done, then what went wrong.'] });
  return new ProviderError(code, message, { ...details, operation, reason });
}
