/**
 * Whether the apply of a staged preview already happened, asked of the deployment itself.
 *
 * Infrastructure Manager deletes a deployment's previews as soon as the deployment is updated
 * (https://cloud.google.com/infrastructure-manager/docs/delete-preview), so after our own apply
 * the preview is gone: a retry after a lost create/patch answer, or a resume after a restart,
 * must recognise its apply before it looks for the preview, or it would call its own finished
 * apply "superseded". Our apply is recognised by what only it can carry: the blueprint object of
 * this staging attempt (`gs://bucket/stackwatch/<project>/<location>/<id>/…-aN.zip#generation`, or `stackwatch/<id>/…` from earlier versions), or failing that the apply
 * annotation it set (applyMarks.ts; the label of an earlier Stackwatch version counts too).
 */
import type { config_v1 } from 'googleapis/build/src/apis/config';
import type { OperationRef } from '../provider';
import { carriesApplyMark } from './applyMarks';
import { parseGcsSource, requestId, type StagedRef } from './names';
import { operationsOn, type OperationLookup } from './targetOperations';

/** How far apart our revision and its operation may start (the service stamps both). */
const SAME_START_MS = 60_000;
const BUSY_STATES = new Set(['CREATING', 'UPDATING']);

/**
 * Token prefix of an apply of ours that ran and was replaced by a later apply whose operation
 * could not be found: nothing left in the cloud says how ours ended. It is carried in the
 * OperationRef itself, so a poll after a window restart still knows.
 */
const REPLACED_TOKEN_PREFIX = 'replaced:';

/** Whether poll must not read the deployment's state as ours (see REPLACED_TOKEN_PREFIX). */
export function isReplacedApply(operation: OperationRef): boolean {
  return !operation.operationName && (operation.token ?? '').startsWith(REPLACED_TOKEN_PREFIX);
}

export function applyToken(deploymentId: string, ref: StagedRef): string {
  return requestId(deploymentId, 'apply', ref.preview, ref.gcs);
}

/** Same bucket and object (any generation): the zip a deployment's blueprint names. */
export function namesObject(gcsSource: string | null | undefined, bucket: string, object: string): boolean {
  if (!gcsSource) return false;
  try {
    const named = parseGcsSource(gcsSource);
    return named.bucket === bucket && named.object === object;
  } catch {
    return false;
  }
}

export type OwnApplyLookup = OperationLookup;

/**
 * Whether the deployment shows our apply of this staged preview: it runs this attempt's zip, or
 * carries our apply annotation (kept by a later apply from elsewhere). Read from the deployment
 * alone; `deploymentId` undefined (not known to the caller) leaves only the zip to tell.
 */
export function showsOwnApply(deployment: config_v1.Schema$Deployment | undefined, ref: StagedRef, deploymentId: string | undefined): boolean {
  if (!deployment?.name || deployment.state === 'DELETED') return false;
  return deployment.terraformBlueprint?.gcsSource === ref.gcs || (deploymentId !== undefined && carriesApplyMark(deployment, deploymentId, ref));
}

/**
 * Our apply as an OperationRef, or undefined when the deployment shows no sign of it.
 * `deployment` is the one just read (undefined: it does not exist).
 */
export async function findOwnApply(
  lookup: OwnApplyLookup,
  ref: StagedRef,
  deployment: config_v1.Schema$Deployment | undefined,
  deploymentId: string,
  signal: AbortSignal,
): Promise<OperationRef | undefined> {
  if (!deployment?.name || !showsOwnApply(deployment, ref, deploymentId)) return undefined;
  const sameSource = deployment.terraformBlueprint?.gcsSource === ref.gcs;

  // The latest revision is ours when the deployment still runs our blueprint; otherwise someone
  // applied after us (keeping our annotation), our apply is history, and only its own operation (the
  // one that applied our zip) can say how it ended: the deployment's state is theirs.
  const revision = sameSource ? (deployment.latestRevision ?? undefined) : undefined;
  const revisionStart = revision ? await revisionCreateTime(lookup, revision, signal) : undefined;
  const operationName = revision
    ? await findOperation(lookup, deployment, revision, revisionStart, signal)
    : await findOperationApplying(lookup, deployment, ref.gcs, signal);
  const token = applyToken(deploymentId, ref);
  return {
    token: sameSource || operationName ? token : `${REPLACED_TOKEN_PREFIX}${token}`,
    ...(operationName ? { operationName } : {}),
    targetId: deployment.name,
    startedAt: revisionStart ?? deployment.updateTime ?? deployment.createTime ?? new Date().toISOString(),
    kind: ref.create ? 'create' : 'update',
  };
}

/** The finished create/update operation whose deployment ran `gcs`: our apply, after a later one replaced it. */
async function findOperationApplying(
  lookup: OwnApplyLookup,
  deployment: config_v1.Schema$Deployment,
  gcs: string,
  signal: AbortSignal,
): Promise<string | undefined> {
  for await (const { operation, metadata } of operationsOn(lookup, deployment.name ?? '', signal)) {
    if (!operation.done || !(metadata.verb === 'create' || metadata.verb === 'update')) continue;
    const response = (operation.response ?? {}) as config_v1.Schema$Deployment;
    if (response.terraformBlueprint?.gcsSource === gcs) return operation.name;
  }
  return undefined;
}

async function revisionCreateTime(lookup: OwnApplyLookup, revision: string, signal: AbortSignal): Promise<string | undefined> {
  const read = await lookup.caller.call('revisions.get', signal, (o) => lookup.im.projects.locations.deployments.revisions.get({ name: revision }, o));
  return read.createTime ?? undefined;
}

/**
 * The long-running operation of our apply, so monitoring (and Stop) can follow it by name. A
 * done one names our revision in its response; a running one is the only one a busy deployment
 * can have (IM locks it); a failed one started with our revision. None of these: unknown, and
 * monitoring follows the deployment's own state instead.
 */
async function findOperation(
  lookup: OwnApplyLookup,
  deployment: config_v1.Schema$Deployment,
  revision: string,
  revisionStart: string | undefined,
  signal: AbortSignal,
): Promise<string | undefined> {
  const busy = BUSY_STATES.has(deployment.state ?? '');
  const started = revisionStart ? Date.parse(revisionStart) : NaN;
  let nearest: { name: string; distance: number } | undefined;
  for await (const { operation, metadata } of operationsOn(lookup, deployment.name ?? '', signal)) {
    if (!(metadata.verb === 'create' || metadata.verb === 'update')) continue;
    const response = (operation.response ?? {}) as config_v1.Schema$Deployment;
    if (operation.done && response.latestRevision === revision) return operation.name;
    if (!operation.done && busy) return operation.name;
    const distance = Math.abs(Date.parse(metadata.createTime ?? '') - started);
    if (operation.done && operation.error && Number.isFinite(distance) && distance <= SAME_START_MS && (!nearest || distance < nearest.distance))
      nearest = { name: operation.name, distance };
  }
  return nearest?.name;
}
