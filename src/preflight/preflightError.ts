/** Stops a deployment before anything is sent. `toErrorInfo` maps the name to the 'Preflight' code. */
export class PreflightError extends Error {
  override readonly name = 'PreflightError';
  constructor(
    message: string,
    readonly setting?: string,
  ) {
    super(message);
  }
}
