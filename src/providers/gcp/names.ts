/**
 * Resource names, IDs and request IDs. Everything one deployment creates is named from its
 * deploymentId, so a retried call (after a lost response) names the same preview, object and
 * request, and Infrastructure Manager runs it once.
 */
import { createHash } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import { ProviderError } from '../provider';

export interface Location {
  project: string;
  location: string;
}

export function parentName({ project, location }: Location): string {
  return `projects/${project}/locations/${location}`;
}

export function deploymentResourceName(where: Location, deploymentName: string): string {
  return `${parentName(where)}/deployments/${deploymentName}`;
}

function digest(...parts: (string | Uint8Array)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
}

/** Lower-case letters, digits and hyphens, starting with a letter: what IM accepts as an ID. */
export function idSafe(value: string, max: number): string {
  const safe = value
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return safe.slice(0, max).replace(/-$/, '');
}

/**
 * One preview per staging attempt: (deploymentId, attempt) alone names it, so a retry after a
 * lost previews.create response, a resumed attempt and an Abort that never got the stage answer
 * all find the same preview. The hash keeps two long deployment IDs that share their first 40
 * characters apart. At most 3 + 40 + 2 + 10 + 1 + 8 = 64 only for an absurd attempt number;
 * a UUID deploymentId with attempt < 1000 is 57, inside IM's 63.
 */
export function previewId(deploymentId: string, attempt: number): string {
  return `sw-${idSafe(deploymentId, 40) || 'staged'}-a${attempt}-${digest(deploymentId).slice(0, 8)}`;
}

/**
 * The folder every staged zip of one deployment goes in: `stackwatch/<project>/<location>/<id>/`.
 * A bucket is global, so deployments of the same ID in two projects or two locations can share
 * one; the project and location keep their folders apart, so the sweep of one never reaches the
 * other's live zip. Each part is one path segment (a project ID like `example.com:orders` is kept
 * whole, percent-encoded, never folded into another ID), and the trailing slash keeps `orders`
 * from matching `orders-2`. Zips staged by earlier versions (`stackwatch/<id>/…`) are in no such
 * folder, so no sweep touches them.
 */
export function stagingPrefix(where: Location, target: string): string {
  return `stackwatch/${pathSegment(where.project)}/${pathSegment(where.location)}/${idSafe(target, 63) || 'deployment'}/`;
}

function pathSegment(value: string): string {
  return encodeURIComponent(value) || '-';
}

/** The blueprint zip of one staging attempt: its name is this attempt's alone, so nobody else uploads to it. */
export function stagingObjectName(where: Location, target: string, deploymentId: string, attempt: number): string {
  return `${stagingPrefix(where, target)}${idSafe(deploymentId, 63) || 'staged'}-a${attempt}.zip`;
}

/**
 * IM requires a UUID (not the zero UUID) as requestId, and config.proto annotates the field
 * `(google.api.field_info).format = UUID4`. Ours are derived from a SHA-256 of what the request
 * is, so a retry of the same request is the same request, and laid out as version 4 (version
 * nibble 4, RFC 9562 variant bits 10): random-looking bits are all a v4 UUID promises. The
 * service remembers a request ID for "at least 60 minutes" only (config.proto), so nothing may
 * rely on it beyond that: our own applies are recognised from the deployment (ownApply.ts).
 */
export function requestId(deploymentId: string, purpose: string, ...scope: string[]): string {
  const hex = digest('stackwatch', deploymentId, purpose, ...scope)
    .slice(0, 32)
    .split('');
  hex[12] = '4';
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
  /** sha256 of the checked zip this stage uploaded; absent for a preview adopted from an earlier call. */
  zip?: string;
  /** The deployment run that staged it, so a read without one (describeStaged) can still recognise its apply; absent in older IDs. */
  run?: string;
}

export function encodeStagedId(ref: StagedRef): string {
  return JSON.stringify(ref);
}

export function decodeStagedId(stagedId: string): StagedRef {
  try {
    const parsed: unknown = JSON.parse(stagedId);
    if (typeof parsed === 'object' && parsed !== null) {
      const { preview, gcs, rev, create, zip, run } = parsed as Record<string, unknown>;
      if (typeof preview === 'string' && typeof gcs === 'string') {
        return {
          preview,
          gcs,
          rev: typeof rev === 'string' ? rev : undefined,
          create: create === true,
          ...(typeof zip === 'string' ? { zip } : {}),
          ...(typeof run === 'string' ? { run } : {}),
        };
      }
    }
  } catch {
    // fall through: not ours
  }
  throw new ProviderError('Validation', l10n.t('Not a staged Infrastructure Manager preview: {0}', stagedId.slice(0, 80)));
}

/** gs://bucket/object#generation → its parts. */
export function parseGcsSource(gcs: string): { bucket: string; object: string; generation?: string } {
  const match = /^gs:\/\/([^/]+)\/([^#]+)(?:#(\d+))?$/.exec(gcs);
  if (!match) throw new ProviderError('Validation', l10n.t('Not a gs:// object URI: {0}', gcs));
  return { bucket: match[1], object: match[2], generation: match[3] };
}

/** Separates the lock ID from the rest; neither a resource name nor a timestamp contains it. */
const LOCK_MARK = '#lock=';

/**
 * One incarnation of a deployment: its name and when it was created. A deployment deleted and
 * created again under the same name is another one, and a consent given about the first is not
 * about the second. When the consent is about a held lock, the lock's ID goes with it: releasing
 * a lock is agreed to for that lock, never for one someone took since (config.proto LockInfo.lock_id,
 * the ID UnlockDeploymentRequest names).
 */
export function incarnationId(name: string, createTime: string | null | undefined, lockId?: string): string {
  const base = createTime ? `${name}@${createTime}` : name;
  return lockId ? `${base}${LOCK_MARK}${lockId}` : base;
}

/** The name, createTime and lock ID an incarnationId names; a plain name (or nothing) names no createTime and no lock. */
export function parseIncarnation(id: string | undefined): { name: string; createTime?: string; lockId?: string } | undefined {
  if (!id) return undefined;
  const mark = id.lastIndexOf(LOCK_MARK);
  const lockId = mark < 0 ? undefined : id.slice(mark + LOCK_MARK.length) || undefined;
  const rest = mark < 0 ? id : id.slice(0, mark);
  const at = rest.indexOf('@');
  const where = at < 0 ? { name: rest } : { name: rest.slice(0, at), createTime: rest.slice(at + 1) };
  return lockId ? { ...where, lockId } : where;
}

/** The last segment of a resource name, for messages; `missing` stands in for no name. */
export function lastPart(name: string | null | undefined, missing: string): string {
  return name ? (name.split('/').pop() ?? name) : missing;
}
