/** The bodies the proxy makes up: expired-credential errors in each provider's shape, and garbage. */
import { randomUUID } from 'node:crypto';

export interface MadeResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** AWS answers an expired session token with 403 `ExpiredToken` (Sender); Google with 401 `UNAUTHENTICATED`. */
export function expiredCredentials(isAwsQuery: boolean): MadeResponse {
  if (isAwsQuery) {
    const requestId = randomUUID();
    const xml =
      '<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type>' +
      '<Code>ExpiredToken</Code><Message>The security token included in the request is expired</Message></Error>' +
      `<RequestId>${requestId}</RequestId></ErrorResponse>`;
    return { status: 403, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: Buffer.from(xml) };
  }
  const json = JSON.stringify({
    error: {
      code: 401,
      message: 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      status: 'UNAUTHENTICATED',
    },
  });
  return {
    status: 401,
    headers: { 'content-type': 'application/json; charset=UTF-8', 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' },
    body: Buffer.from(json),
  };
}

/** Neither XML nor JSON nor empty: a captive portal or a broken middlebox. */
export const GARBAGE = Buffer.from('\u0000\u00ff\u00fe}{<<not xml, not json>>\u0007\r\n', 'latin1');
