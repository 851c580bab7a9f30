/**
 * What a preview was planned against (a create, or a patch of one revision), and, when the
 * deployment is not that any more, why the preview no longer describes what an apply would do.
 */
import type { config_v1 } from 'googleapis/build/src/apis/config';
import { ProviderError } from '../provider';
import { lastPart, type StagedRef } from './names';

/** Annotations on our previews: whether the plan is a create, and the revision it was planned against. */
export const CREATE_ANNOTATION = 'stackwatch.dev/create';
export const BASE_REVISION_ANNOTATION = 'stackwatch.dev/base-revision';

/** The deployment a plan was made against: absent (a create) or at revision `rev`. */
export interface PlannedBase {
  create: boolean;
  rev?: string;
}

/**
 * What an adopted preview was planned against, refused when the deployment is not that any more
 * (created, deleted or moved since): applying it would do something other than the plan shows.
 * A preview without our annotations (made by an earlier version) is taken as planned against now.
 */
export function plannedBase(preview: config_v1.Schema$Preview, now: PlannedBase, deploymentName: string): PlannedBase {
  const recorded = preview.annotations?.[CREATE_ANNOTATION];
  if (recorded !== 'true' && recorded !== 'false') return now;
  const planned: PlannedBase = { create: recorded === 'true', rev: preview.annotations?.[BASE_REVISION_ANNOTATION] || undefined };
  if (planned.create === now.create && (planned.create || planned.rev === now.rev)) return planned;
  const what = planned.create
    ? `it was planned as a create, when ${deploymentName} did not exist, and it has been created by someone else since`
    : now.create
      ? `it was planned against revision ${lastPart(planned.rev, '(none)')}, and ${deploymentName} has been deleted since`
      : `it was planned against revision ${lastPart(planned.rev, '(none)')}, and ${deploymentName} is at ${lastPart(now.rev, '(none)')} now`;
  throw new ProviderError('Conflict', `The preview of ${deploymentName} no longer describes what an apply would do: ${what}. Nothing was applied.`, {
    hint: 'Deploy again: Stackwatch will preview the deployment as it is now.',
    providerCode: 'STALE',
  });
}

/**
 * How the deployment moved since the preview was planned, in words; undefined when it did not.
 * `deployment` undefined means it does not exist.
 */
export function movedReason(ref: StagedRef, deployment: config_v1.Schema$Deployment | undefined, deploymentName: string): string | undefined {
  const exists = deployment !== undefined && deployment.state !== 'DELETED';
  if (ref.create && exists) return `${deploymentName} was created by someone else after the preview was planned.`;
  if (!ref.create && !exists) return `${deploymentName} was deleted after the preview was planned.`;
  const now = deployment?.latestRevision ?? undefined;
  if (!ref.create && now !== ref.rev)
    return `${deploymentName} moved from revision ${lastPart(ref.rev, '(none)')} to ${lastPart(now, '(none)')} after the preview was planned.`;
  return undefined;
}

/** Why the preview is gone after this deployment applied it: the service deletes an update's preview, and the clean-up a create's. */
export function appliedReason(ref: StagedRef, deploymentName: string): string {
  return `This preview was applied by this deployment (${ref.create ? `it created ${deploymentName}` : `it updated ${deploymentName}`}); the preview itself is removed once applied, so there is nothing left to review.`;
}

/** Why a preview is no longer there: the service removes it when its deployment changes. */
export function goneReason(ref: StagedRef, deployment: config_v1.Schema$Deployment | undefined, deploymentName: string): string {
  const moved = movedReason(ref, deployment, deploymentName);
  return moved
    ? `superseded: ${moved} Infrastructure Manager deletes a deployment's previews when the deployment is updated or deleted, so the preview you reviewed is gone and nothing of it was applied.`
    : `The preview of ${deploymentName} was deleted outside this deployment before it was applied; nothing of it was applied.`;
}
