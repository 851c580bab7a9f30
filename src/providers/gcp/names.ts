/**
 * Resource names, IDs and request IDs. Everything one deployment creates is named from its
 * deploymentId, so a retried call (after a lost response) names the same preview, object and
 * request, and Infrastructure Manager runs it once.
 */
import { createHash } from 'node:crypto';
import { ProviderError } from '../provider';

export interface Location {
  project: string;
  location: string;
}

export function parentName({ project, location }: Location): string {
  return `projects/${project}/locations/${location}`;
}

export function deploymentName(where: Location, deploymentId: string): string {
  return `${parentName(where)}/deployments/${deploymentId}`;
}

function digest(...parts: (string | Uint8Array)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
}

/** Lower-case letters, digits and hyphens, starting with a letter: what IM accepts as an ID. */
function idSafe(value: string, max: number): string {
  const safe = value.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  return safe.slice(0, max).replace(/-$/, '');
}

/**
 * One preview per deployment and blueprint contents: the same staging retried finds its own
 * preview, while a new staging (other inputs, other zip) in the same deployment gets a new one.
 * The zip's bytes, not its upload generation: every retried upload is a new generation, so a
 * generation-based ID would leave each earlier attempt's preview behind. At most 3 + 40 + 1 +
 * 16 = 60 characters, inside IM's 63.
 */
export function previewId(deploymentId: string, zip: Uint8Array, inputs: unknown): string {
  return `sw-${idSafe(deploymentId, 40) || 'staged'}-${digest(zip, JSON.stringify(inputs)).slice(0, 16)}`;
}

export function stagingObjectName(target: string, deploymentId: string): string {
  return `stackwatch/${idSafe(target, 63) || 'deployment'}/${idSafe(deploymentId, 63) || 'staged'}.zip`;
}

/**
 * IM requires a UUID (not the zero UUID) as requestId. A name-based one (RFC 9562 v8 layout
 * from a SHA-256) keeps a retry of the same request the same request.
 */
export function requestId(deploymentId: string, purpose: string, ...scope: string[]): string {
  const hex = digest('stackwatch', deploymentId, purpose, ...scope).slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** What execute needs from staging, carried by the machine as one opaque string. */
export interface StagedRef {
  /** Preview resource name. */
  preview: string;
  /** `gs://bucket/object#generation`: the exact blueprint the preview planned. */
  gcs: string;
  /** Deployment latestRevision when staging started; absent when the deployment was missing. */
  rev?: string;
  /** Whether staging found no deployment: execute creates instead of patching. */
  create: boolean;
}

export function encodeStagedId(ref: StagedRef): string {
  return JSON.stringify(ref);
}

export function decodeStagedId(stagedId: string): StagedRef {
  try {
    const parsed: unknown = JSON.parse(stagedId);
    if (typeof parsed === 'object' && parsed !== null) {
      const { preview, gcs, rev, create } = parsed as Record<string, unknown>;
      if (typeof preview === 'string' && typeof gcs === 'string') {
        return { preview, gcs, rev: typeof rev === 'string' ? rev : undefined, create: create === true };
      }
    }
  } catch {
    // fall through: not ours
  }
  throw new ProviderError('Validation', `Not a staged Infrastructure Manager preview: ${stagedId.slice(0, 80)}`);
}

/** gs://bucket/object#generation → its parts. */
export function parseGcsSource(gcs: string): { bucket: string; object: string; generation?: string } {
  const match = /^gs:\/\/([^/]+)\/([^#]+)(?:#(\d+))?$/.exec(gcs);
  if (!match) throw new ProviderError('Validation', `Not a gs:// object URI: ${gcs}`);
  return { bucket: match[1], object: match[2], generation: match[3] };
}
