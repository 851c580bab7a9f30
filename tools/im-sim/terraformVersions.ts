/**
 * projects.locations.terraformVersions list and get: the Terraform versions Infrastructure Manager
 * offers and their support state (TerraformVersion in google/cloud/config/v1/config.proto: state
 * ACTIVE, DEPRECATED or OBSOLETE, with supportTime, deprecateTime, obsoleteTime).
 *
 * The set follows the table in https://cloud.google.com/infrastructure-manager/docs/terraform-version-deprecation
 * (1.2.3 deprecated 2026-01-08, end of support 2026-02-08; 1.3.10, 1.4.7 and 1.5.7 available since
 * 2024-03-14). 1.3.10 is DEPRECATED here although the docs still say "TBD": simulator-only, so
 * every state can be exercised.
 */
import { notFound } from './errors';
import { LOCATION } from './names';

interface OfferedVersion {
  id: string;
  state: 'ACTIVE' | 'DEPRECATED' | 'OBSOLETE';
  supportTime: string;
  deprecateTime?: string;
  obsoleteTime?: string;
}

const VERSIONS: readonly OfferedVersion[] = [
  { id: '1.2.3', state: 'OBSOLETE', supportTime: '2023-08-21T00:00:00Z', deprecateTime: '2026-01-08T00:00:00Z', obsoleteTime: '2026-02-08T00:00:00Z' },
  { id: '1.3.10', state: 'DEPRECATED', supportTime: '2024-03-14T00:00:00Z', deprecateTime: '2026-06-01T00:00:00Z' },
  { id: '1.4.7', state: 'ACTIVE', supportTime: '2024-03-14T00:00:00Z' },
  { id: '1.5.7', state: 'ACTIVE', supportTime: '2024-03-14T00:00:00Z' },
];

function versionJson(parent: string, v: OfferedVersion): Record<string, unknown> {
  return {
    name: `${parent}/terraformVersions/${v.id}`,
    state: v.state,
    supportTime: v.supportTime,
    ...(v.deprecateTime ? { deprecateTime: v.deprecateTime } : {}),
    ...(v.obsoleteTime ? { obsoleteTime: v.obsoleteTime } : {}),
  };
}

/** Every version, oldest first; the caller pages them. */
export function listTerraformVersions(parent: string): Record<string, unknown>[] {
  if (!LOCATION.test(parent)) throw notFound(`Location '${parent}' was not found`);
  return VERSIONS.map((v) => versionJson(parent, v));
}

export function getTerraformVersion(name: string): Record<string, unknown> {
  const match = /^(projects\/[^/]+\/locations\/[^/]+)\/terraformVersions\/([^/]+)$/.exec(name);
  const version = VERSIONS.find((v) => v.id === match?.[2]);
  if (!match?.[1] || !version) throw notFound(`Resource '${name}' was not found`);
  return versionJson(match[1], version);
}
