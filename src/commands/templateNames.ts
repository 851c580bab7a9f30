/** Names for a saved staged template. Pure. */

/** "arn:…:changeSet/stackwatch-abc/uuid" → "stackwatch-abc"; a plain name stays as it is. */
export function changeSetName(stagedId: string): string {
  const match = /changeSet\/([^/]+)/.exec(stagedId);
  return (match ? match[1] : stagedId.split('/').pop() ?? stagedId).replace(/[^-A-Za-z0-9_.]/g, '-');
}

export function templateLanguage(body: string): 'json' | 'yaml' {
  return body.trimStart().startsWith('{') ? 'json' : 'yaml';
}
