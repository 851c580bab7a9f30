/**
 * What an Infrastructure Manager deployment may be named (the service's "deployment ID", set in
 * stackwatch.gcp.deploymentId): one rule for the initializer and the configure flow. In the code
 * it is `deploymentName`; `deploymentId` is a run's UUID.
 */
import * as l10n from '@vscode/l10n';

/** Lower-case letters, digits and hyphens, starting with a letter, not ending with a hyphen, at most 63. */
const DEPLOYMENT_ID = /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** What is wrong with the ID, as the end of a sentence ("The deployment ID "x" …"), or undefined. */
export function deploymentNameProblem(id: string): string | undefined {
  if (DEPLOYMENT_ID.test(id)) return undefined;
  if (id === '') return l10n.t({ message: 'is empty', comment: ['The end of a sentence that begins "The deployment ID …".'] });
  if (/[A-Z]/.test(id)) return l10n.t({ message: 'has upper-case letters', comment: ['The end of a sentence that begins "The deployment ID …".'] });
  if (id.length > 63)
    return l10n.t({ message: 'is {0} characters long (at most 63)', args: [id.length], comment: ['The end of a sentence that begins "The deployment ID …".'] });
  return l10n.t({
    message: 'may only have lower-case letters, digits and hyphens, start with a letter and not end with a hyphen',
    comment: ['The end of a sentence that begins "The deployment ID …".'],
  });
}
