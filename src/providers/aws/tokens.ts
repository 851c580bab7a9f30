/**
 * ClientRequestTokens and change set names. Every request of one deployment starts with the
 * same prefix, so its stack events (which carry the token) are told apart from anyone else's.
 * A retry of the same request reuses its token, so CloudFormation runs it once.
 *
 * Staging names derive from (deploymentId, attempt) alone, never from chance: a retry after a
 * lost CreateChangeSet response, or a window that reloads mid-staging, asks for the very same
 * change set, so CloudFormation returns (or we adopt) the one already made instead of leaving it
 * behind as an orphan.
 */
import * as l10n from '@vscode/l10n';
import { createHash, randomBytes } from 'node:crypto';

const MAX_TOKEN = 128;
/** Room left after the prefix for the longest purpose we append ("-execute-" + 12 hex + "-cancel"). */
const MAX_PREFIX = MAX_TOKEN - 30;

function digest(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/**
 * The deployment's token prefix: `sw-` and the deployment ID in CloudFormation's alphabet. An ID
 * that had to be changed to fit (other characters, too long) gets a digest of the original, so
 * two deployments never share a prefix.
 */
export function deploymentToken(deploymentId: string): string {
  const safe = deploymentId.replace(/[^A-Za-z0-9-]/g, '-').replace(/-+/g, '-');
  const plain = `sw-${safe}`;
  if (safe === deploymentId && plain.length <= MAX_PREFIX) return plain;
  return `${plain.slice(0, MAX_PREFIX - 9)}-${digest(deploymentId, 8)}`;
}

export function requestToken(deploymentId: string, purpose: string): string {
  return `${deploymentToken(deploymentId)}-${purpose}`;
}

/** A fresh suffix for a request that must not be taken for an earlier one (a second recovery). */
export function attemptSuffix(): string {
  return randomBytes(4).toString('hex');
}

/** The change set name and the CreateChangeSet ClientToken of one staging attempt. */
export function stagingNames(deploymentId: string, attempt: number): { changeSetName: string; clientToken: string } {
  const round = Number.isInteger(attempt) && attempt >= 0 ? attempt : 0;
  return {
    changeSetName: `stackwatch-${deploymentToken(deploymentId).slice(3)}-a${round}`,
    clientToken: requestToken(deploymentId, `stage-${round}`),
  };
}

/** Executing one change set is one request, however often it is retried. */
export function executeToken(deploymentId: string, changeSetId: string): string {
  return requestToken(deploymentId, `execute-${digest(changeSetId, 12)}`);
}

/**
 * The token of a CancelUpdateStack we send for an operation: under the operation's own token when
 * it is ours, so the rollback's events stay attributed to it; our deployment's otherwise.
 */
export function cancelToken(deploymentId: string, operationToken: string | undefined): string {
  if (operationToken && operationToken.startsWith(`${deploymentToken(deploymentId)}-`)) return `${operationToken}-cancel`;
  return requestToken(deploymentId, 'cancel');
}

/** Whether this token marks a cancel sent by the deployment (through either form above). */
export function isOurCancelToken(deploymentId: string, token: string | undefined): boolean {
  return token !== undefined && token.startsWith(`${deploymentToken(deploymentId)}-`) && token.endsWith('-cancel');
}

/**
 * Who sent a request, in words, from its ClientRequestToken: the console stamps `Console-…`,
 * Stackwatch `sw-…`; anything else is some other client, and no token tells nothing.
 */
export function requesterOf(token: string | undefined): string | undefined {
  // Without a token the events don't say who it was; the monitor says exactly that.
  if (!token) return undefined;
  if (token.startsWith('sw-')) return l10n.t('another Stackwatch deployment (token {0})', token);
  if (token.startsWith('Console-')) return l10n.t('the AWS console (token {0})', token);
  return l10n.t('a client with token {0}', token);
}
