/**
 * The request ID a CloudFormation failure reason names, so the person can quote it to support or
 * find the call in CloudTrail.
 *
 * Resource handlers wrap the service's own error, so one reason can carry two IDs:
 *   Resource handler returned message: "Bucket already exists (Service: S3, Status Code: 409,
 *   Request ID: 8ZC4…, Extended Request ID: Fk1…)" (RequestToken: 6e0b…, HandlerErrorCode: AlreadyExists)
 * The service's Request ID identifies the call that failed; the RequestToken only the handler's
 * run, so the service's one wins when both are there. Older (SDK v1) handlers separate the fields
 * with semicolons: "(Service: AmazonS3; Status Code: 403; Error Code: AccessDenied; Request ID: …)".
 */

/** "Request ID: X" / "RequestId: X" / "Request Id: X", up to the next separator. */
const SERVICE_REQUEST_ID = /\bRequest[ -]?I[dD]\s*[:=]\s*([A-Za-z0-9][A-Za-z0-9._:/+=-]*[A-Za-z0-9=])/;
/** The handler's own request: "(RequestToken: 6e0b…, HandlerErrorCode: …)". */
const HANDLER_REQUEST_TOKEN = /\bRequestToken\s*:\s*([A-Za-z0-9][A-Za-z0-9-]*)/;
/** Values that say there is none. */
const NO_VALUE = new Set(['null', 'none', 'undefined', 'n/a']);

export function requestIdOf(reason: string | undefined): string | undefined {
  if (!reason) return undefined;
  for (const pattern of [SERVICE_REQUEST_ID, HANDLER_REQUEST_TOKEN]) {
    const value = pattern.exec(reason)?.[1];
    if (value && !NO_VALUE.has(value.toLowerCase())) return value;
  }
  return undefined;
}
