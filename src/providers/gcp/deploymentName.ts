/**
 * What an Infrastructure Manager deployment may be named (the service's "deployment ID", set in
 * stackwatch.gcp.deploymentId): one rule for the initializer and the configure flow. In the code
 * it is `deploymentName`; `deploymentId` is a run's UUID.
 */

/** Lower-case letters, digits and hyphens, starting with a letter, not ending with a hyphen, at most 63. */
const DEPLOYMENT_ID = /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** What is wrong with the ID, as the end of a sentence ("The deployment ID "x" …"), or undefined. */
export function deploymentNameProblem(id: string): string | undefined {
  if (DEPLOYMENT_ID.test(id)) return undefined;
  if (id === '') return 'is empty';
  if (/[A-Z]/.test(id)) return 'has upper-case letters';
  if (id.length > 63) return `is ${id.length} characters long (at most 63)`;
  return 'may only have lower-case letters, digits and hyphens, start with a letter and not end with a hyphen';
}
