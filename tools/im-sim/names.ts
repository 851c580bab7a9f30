/**
 * Resource names: `projects/P/locations/L/deployments/D`, and the IDs the API accepts.
 */
import { invalid } from './errors';

export const LOCATION = /^projects\/([^/]+)\/locations\/([^/]+)$/;

/** `projects/P/locations/L` from any name below it. */
export function locationOf(name: string): string {
  const match = /^projects\/[^/]+\/locations\/[^/]+/.exec(name);
  if (!match) throw invalid(`Invalid resource name "${name}".`);
  return match[0];
}

/** The bucket Infrastructure Manager bootstraps when artifactsGcsBucket is unset. */
export function defaultArtifactsBucket(name: string): string {
  const [, project = 'project', location = 'location'] = /^projects\/([^/]+)\/locations\/([^/]+)/.exec(name) ?? [];
  return `gs://${project}-${location}-blueprint-config`;
}

/** Deployment and preview IDs: RFC 1035-ish, as the API documents. */
export function checkId(kind: string, id: string | undefined): string {
  if (id === undefined || id === '') throw invalid(`${kind} id is required.`);
  if (!/^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/.test(id)) {
    throw invalid(
      `${kind} id "${id}" must start with a lowercase letter, contain only lowercase letters, digits and hyphens, end with a letter or digit, and be at most 63 characters.`,
    );
  }
  return id;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
