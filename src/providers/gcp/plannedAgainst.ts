/**
 * What a preview was planned against (a create, or a patch of one revision), and, when the
 * deployment is not that any more, why the preview no longer describes what an apply would do.
 */
import * as l10n from '@vscode/l10n';
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
    ? l10n.t('it was planned as a create, when {0} did not exist, and it has been created by someone else since', deploymentName)
    : now.create
      ? l10n.t('it was planned against revision {0}, and {1} has been deleted since', revisionOf(planned.rev), deploymentName)
      : l10n.t('it was planned against revision {0}, and {1} is at {2} now', revisionOf(planned.rev), deploymentName, revisionOf(now.rev));
  throw new ProviderError(
    'Conflict',
    l10n.t('The preview of {0} no longer describes what an apply would do: {1}. Nothing was applied.', deploymentName, what),
    {
      hint: l10n.t('Deploy again: Stackwatch will preview the deployment as it is now.'),
      providerCode: 'STALE',
    },
  );
}

/**
 * How the deployment moved since the preview was planned, in words; undefined when it did not.
 * `deployment` undefined means it does not exist.
 */
export function movedReason(ref: StagedRef, deployment: config_v1.Schema$Deployment | undefined, deploymentName: string): string | undefined {
  const exists = deployment !== undefined && deployment.state !== 'DELETED';
  if (ref.create && exists) return l10n.t('{0} was created by someone else after the preview was planned.', deploymentName);
  if (!ref.create && !exists) return l10n.t('{0} was deleted after the preview was planned.', deploymentName);
  const now = deployment?.latestRevision ?? undefined;
  if (!ref.create && now !== ref.rev)
    return l10n.t('{0} moved from revision {1} to {2} after the preview was planned.', deploymentName, revisionOf(ref.rev), revisionOf(now));
  return undefined;
}

/** Why the preview is gone after this deployment applied it: the service deletes an update's preview, and the clean-up a create's. */
export function appliedReason(ref: StagedRef, deploymentName: string): string {
  return ref.create
    ? l10n.t(
        'This preview was applied by this deployment (it created {0}); the preview itself is removed once applied, so there is nothing left to review.',
        deploymentName,
      )
    : l10n.t(
        'This preview was applied by this deployment (it updated {0}); the preview itself is removed once applied, so there is nothing left to review.',
        deploymentName,
      );
}

/** Why a preview is no longer there: the service removes it when its deployment changes. */
export function goneReason(ref: StagedRef, deployment: config_v1.Schema$Deployment | undefined, deploymentName: string): string {
  const moved = movedReason(ref, deployment, deploymentName);
  return moved
    ? l10n.t(
        "superseded: {0} Infrastructure Manager deletes a deployment's previews when the deployment is updated or deleted, so the preview you reviewed is gone and nothing of it was applied.",
        moved,
      )
    : l10n.t('The preview of {0} was deleted outside this deployment before it was applied; nothing of it was applied.', deploymentName);
}

/** A revision's short name, or "(none)". */
function revisionOf(name: string | null | undefined): string {
  return lastPart(name, l10n.t({ message: '(none)', comment: ['In place of a revision name, when there is no revision.'] }));
}
