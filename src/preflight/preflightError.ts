/**
 * Stops a deployment before anything is sent; `toErrorInfo` gives it the 'Preflight' code. Told
 * apart by its brand (`isPreflightError`), never by `instanceof` or `name`, like the other errors
 * that cross bundles.
 */
const PREFLIGHT_ERROR = Symbol.for('stackwatch.preflightError');

export class PreflightError extends Error {
  override readonly name = 'PreflightError';
  readonly [PREFLIGHT_ERROR] = true;
  constructor(
    message: string,
    readonly setting?: string,
    /** The person said no (e.g. cancelled the unsaved-files question): the deployment is aborted, not failed. */
    readonly cancelled = false,
  ) {
    super(message);
  }
}

export function isPreflightError(value: unknown): value is PreflightError {
  return typeof value === 'object' && value !== null && (value as { [PREFLIGHT_ERROR]?: unknown })[PREFLIGHT_ERROR] === true;
}
