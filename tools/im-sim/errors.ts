/**
 * Google API errors: `{ error: { code, message, status } }`, the shape googleapis turns into a
 * GaxiosError whose `status` and `response.data.error.status` callers branch on.
 */

export type GoogleStatus =
  | 'INVALID_ARGUMENT'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'ABORTED'
  | 'FAILED_PRECONDITION'
  | 'RESOURCE_EXHAUSTED'
  | 'UNAVAILABLE'
  | 'UNIMPLEMENTED'
  | 'INTERNAL';

export class GcpError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly status: GoogleStatus,
    message: string,
    /** Cloud Storage's JSON API adds `errors[].reason`; the config API does not. */
    readonly reason?: string,
  ) {
    super(message);
  }

  body(): { error: Record<string, unknown> } {
    const error: Record<string, unknown> = { code: this.httpStatus, message: this.message, status: this.status };
    if (this.reason) error['errors'] = [{ message: this.message, domain: 'global', reason: this.reason }];
    return { error };
  }
}

export const invalid = (message: string): GcpError => new GcpError(400, 'INVALID_ARGUMENT', message);
export const notFound = (message: string): GcpError => new GcpError(404, 'NOT_FOUND', message);
export const alreadyExists = (message: string): GcpError => new GcpError(409, 'ALREADY_EXISTS', message);
/**
 * Google's canonical mapping puts FAILED_PRECONDITION on HTTP 400; the sim answers 409 because
 * that is what the Stackwatch brief fixed. Callers should branch on `status`, not the HTTP code.
 */
export const failedPrecondition = (message: string): GcpError => new GcpError(409, 'FAILED_PRECONDITION', message);
export const unauthenticated = (): GcpError =>
  new GcpError(
    401,
    'UNAUTHENTICATED',
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
  );

/** google.rpc.Code values used inside Operation.error. */
export const RPC_CODE = { CANCELLED: 1, UNKNOWN: 2, INVALID_ARGUMENT: 3, NOT_FOUND: 5, FAILED_PRECONDITION: 9, ABORTED: 10 } as const;
