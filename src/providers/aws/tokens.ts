/**
 * ClientRequestTokens. Every request of one deployment starts with the same prefix, so its
 * stack events (which carry the token) can be told apart from anyone else's, and a retried
 * request reuses its token so CloudFormation runs it only once.
 */
const MAX_TOKEN = 128;

/** The deployment's token prefix: `sw-` and the deployment ID in CloudFormation's alphabet. */
export function deploymentToken(deploymentId: string): string {
  const safe = deploymentId.replace(/[^A-Za-z0-9-]/g, '-').replace(/-+/g, '-');
  return `sw-${safe}`.slice(0, MAX_TOKEN - 20);
}

export function requestToken(deploymentId: string, purpose: string): string {
  return `${deploymentToken(deploymentId)}-${purpose}`;
}
