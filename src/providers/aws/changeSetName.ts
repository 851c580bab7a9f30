/** The change set's own name, for the file a staged template is saved to. Pure. */

/** "arn:…:changeSet/stackwatch-abc/uuid" → "stackwatch-abc"; a plain name stays as it is. */
export function changeSetName(stagedId: string): string {
  const match = /changeSet\/([^/]+)/.exec(stagedId);
  return (match ? match[1] : (stagedId.split('/').pop() ?? stagedId)).replace(/[^-A-Za-z0-9_.]/g, '-');
}
