/**
 * STS on the same endpoint: `GetCallerIdentity`, which the CDK asks before it deploys to an
 * environment whose account it does not know (its STS client follows AWS_ENDPOINT_URL here).
 * STS speaks awsQuery too, with its own version and XML namespace; the answer names an IAM user
 * derived from the caller's access key, so two callers get two identities in one account.
 */
import { createHash } from 'node:crypto';
import type { XmlObject } from './xml';

export const STS_API_VERSION = '2011-06-15';
export const STS_XML_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

export const STS_ACTIONS: ReadonlySet<string> = new Set(['GetCallerIdentity']);

/** The `GetCallerIdentityResult` element: `UserId` is an IAM user's unique ID (AIDA…), `Arn` the user's ARN. */
export function callerIdentity(accountId: string, accessKeyId: string | undefined): XmlObject {
  const key = accessKeyId ?? 'anonymous';
  const digest = createHash('sha256').update(key).digest();
  // Unique IDs are 21 characters: a 4-letter prefix and 17 from [A-Z2-7].
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const unique = Array.from(digest.subarray(0, 17), (byte) => alphabet[byte % 32]).join('');
  const userName = `cfn-sim-${key.replace(/[^\w+=,.@-]/g, '-').slice(0, 55)}`;
  return { UserId: `AIDA${unique}`, Account: accountId, Arn: `arn:aws:iam::${accountId}:user/${userName}` };
}
