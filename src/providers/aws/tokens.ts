/**
 * ClientRequestTokens and change set names. Every request of one deployment starts with the
 * same prefix, so its stack events (which carry the token) are told apart from anyone else's.
 * A retry of the same request reuses its token, so CloudFormation runs it once; a new attempt
 * (a second staging after a reload, a second recovery) gets a new one, or CloudFormation would
 * take it for a duplicate and do nothing.
 */
import { createHash, randomBytes } from 'node:crypto';

const MAX_TOKEN = 128;

/** The deployment's token prefix: `sw-` and the deployment ID in CloudFormation's alphabet. */
export function deploymentToken(deploymentId: string): string {
  const safe = deploymentId.replace(/[^A-Za-z0-9-]/g, '-').replace(/-+/g, '-');
  return `sw-${safe}`.slice(0, MAX_TOKEN - 30);
}

export function requestToken(deploymentId: string, purpose: string): string {
  return `${deploymentToken(deploymentId)}-${purpose}`;
}

/** A fresh suffix for one attempt. */
export function attemptSuffix(): string {
  return randomBytes(4).toString('hex');
}

/** A change set name and the CreateChangeSet token for one staging attempt. */
export function stagingNames(deploymentId: string): { changeSetName: string; clientToken: string } {
  const suffix = attemptSuffix();
  return {
    changeSetName: `stackwatch-${deploymentToken(deploymentId).slice(3)}-${suffix}`,
    clientToken: requestToken(deploymentId, `stage-${suffix}`),
  };
}

/** Executing one change set is one request, however often it is retried. */
export function executeToken(deploymentId: string, changeSetId: string): string {
  const digest = createHash('sha256').update(changeSetId).digest('hex').slice(0, 12);
  return requestToken(deploymentId, `execute-${digest}`);
}
