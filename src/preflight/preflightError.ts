/** Stops a deployment before anything is sent. `toErrorInfo` maps the name to the 'Preflight' code. */
export class PreflightError extends Error {
  override readonly name = 'PreflightError';
  constructor(
    message: string,
    readonly setting?: string,
    /** The person said no (e.g. cancelled the unsaved-files question): the deployment is aborted, not failed. */
    readonly cancelled = false,
  ) {
    super(message);
  }
}
