/**
 * What *Delete and recreate* would destroy, shown in the consent before the person answers.
 *
 * Infrastructure Manager plans a delete with a preview in DELETE mode (`previewMode: DELETE`,
 * `deployment` set; https://cloud.google.com/infrastructure-manager/docs/preview-deployment-deletion):
 * "Before you delete a deployment, you can use a preview to verify the resources that are planned
 * to be deleted." Such a preview runs Terraform in Cloud Build and locks the deployment while it
 * runs (steps LOCKING_DEPLOYMENT … UNLOCKING_DEPLOYMENT), so it takes minutes and cannot run on a
 * locked or busy deployment. Until it is ready, or when it cannot run, the list comes from the
 * latest revision's resources (`revisions.resources.list`): the Terraform state a destroy destroys,
 * as far as that record is right ("Metadata about these resources are in the Terraform state
 * file"; changes made outside Infrastructure Manager are not in it:
 * https://cloud.google.com/infrastructure-manager/docs/view-resources). Each answer says which.
 *
 * The preview is ours: named from the deploymentId alone, so a retried call or a restarted window
 * adopts it instead of making another, and `discard` removes it once the consent is answered.
 * The service removes a preview only when its deployment is updated or deleted
 * (https://cloud.google.com/infrastructure-manager/docs/delete-preview), so after No nobody else
 * would: discard cancels one still planning (its operation found again after a reload) and
 * deletes it.
 *
 * An empty list is never "nothing to destroy" unless a delete preview planned it: a revision may
 * record no resources because the service did not report them, so an empty record, a deployment
 * without a revision, or one not found, is "could not be listed" (`unavailable`, with the reason).
 */
import { createHash } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import type { config_v1 } from 'googleapis/build/src/apis/config';
import { abortableDelay } from '../abortableDelay';
import { ProviderError, type Change, type DescribeRecoveryResult } from '../provider';
import type { ApiResponse, CallOptions, GcpCaller } from './calls';
import { toChange } from './changes';
import { failureReason } from './failures';
import { deploymentResourceName, idSafe, parentName, requestId, type Location } from './names';
import { findPlanningOperation } from './previewOperation';
import { readDeployment, readPreview } from './reads';
import { serviceAccountName } from './settings';

export interface DeletePreviewDeps {
  caller: GcpCaller;
  im: config_v1.Config;
  where: Location;
  /** stackwatch.gcp.serviceAccount: used when the deployment names none. */
  serviceAccount: string;
  /** Pause between looks at a delete preview still planning before it can be removed (default 2 s). */
  waitMs?: number;
}

/** Looks at a planning preview within one discard call before the machine's backoff takes over. */
const PLANNING_LOOKS = 10;
const PLANNING_WAIT_MS = 2_000;
/** Bounds the paging through a revision's resources and a preview's changes. */
const MAX_PAGES = 20;
/** A lock (or a lock being taken or released) that a delete preview's own lock would collide with. */
const LOCK_IN_THE_WAY = new Set(['LOCKED', 'LOCKING', 'UNLOCKING', 'LOCK_FAILED', 'UNLOCK_FAILED']);
const RUN_IN_THE_WAY = new Set(['CREATING', 'UPDATING', 'DELETING']);
/** Marks the preview as Stackwatch's, for whoever lists previews in the console. */
const PURPOSE_ANNOTATION = 'stackwatch.dev/purpose';
const DEPLOYMENT_ID_ANNOTATION = 'stackwatch.dev/deployment-id';

/**
 * The delete preview of one Stackwatch deployment: one per deploymentId, so every call of it (a
 * retry, a restarted window) names the same preview. At most 3 + 40 + 5 + 8 = 56 characters.
 */
export function deletePreviewId(deploymentId: string): string {
  return `sw-${idSafe(deploymentId, 40) || 'staged'}-del-${createHash('sha256').update(deploymentId).digest('hex').slice(0, 8)}`;
}

/** Why a delete preview cannot run on the deployment as it is, or undefined when it can be tried. */
export function whyNoDeletePreview(deployment: config_v1.Schema$Deployment): string | undefined {
  const lockState = deployment.lockState ?? '';
  if (LOCK_IN_THE_WAY.has(lockState))
    return l10n.t("The deployment's Terraform state is locked ({0}), so a delete preview, which must lock it, cannot run.", lockState);
  const state = deployment.state ?? '';
  if (RUN_IN_THE_WAY.has(state)) return l10n.t('The deployment is {0}, so a delete preview cannot run.', state);
  return undefined;
}

/** A resource of the last revision as a 'Remove'; undefined for one the revision never made or already deleted. */
export function recordedRemoval(resource: config_v1.Schema$Resource): Change | undefined {
  if (resource.state === 'DELETED') return undefined;
  // Planned to be created and never reached: not in the Terraform state, so a destroy does not touch it.
  if (resource.state === 'PLANNED' && resource.intent === 'CREATE') return undefined;
  const info = resource.terraformInfo;
  const address = info?.address ?? resource.name?.split('/').pop();
  if (!address) return undefined;
  const change: Change = { logicalId: address, action: 'Remove', resourceType: info?.type ?? 'Unknown' };
  if (info?.id) change.physicalId = info.id;
  return change;
}

/** The recorded state as a list of removals, or why there is none to show. */
type RecordedList = { removals: Change[] } | { unavailable: string };

export class DeletePreviews {
  /** The create operation of each delete preview this window started: cancelled when the preview is removed early. */
  private readonly operations = new Map<string, string>();

  constructor(private readonly deps: DeletePreviewDeps) {}

  private call<T>(operation: string, signal: AbortSignal, send: (options: CallOptions) => Promise<ApiResponse<T>>): Promise<T> {
    return this.deps.caller.call(operation, signal, send);
  }

  previewName(deploymentId: string): string {
    return `${parentName(this.deps.where)}/previews/${deletePreviewId(deploymentId)}`;
  }

  async describe(target: string, deploymentId: string, signal: AbortSignal): Promise<DescribeRecoveryResult> {
    const deployment = await this.getDeployment(deploymentResourceName(this.deps.where, target), signal);
    if (!deployment || deployment.state === 'DELETED') {
      return {
        destroys: [],
        basis: 'lastRecordedState',
        planning: false,
        unavailable: l10n.t('{0} was not found, so there is no record of what it holds.', target),
      };
    }
    const name = this.previewName(deploymentId);
    let preview = await this.getPreview(name, signal);
    let note: string | undefined;
    if (!preview) {
      note = whyNoDeletePreview(deployment) ?? (await this.create(name, deployment, deploymentId, signal));
      if (note === undefined) preview = await this.getPreview(name, signal);
    }
    if (preview?.state === 'SUCCEEDED') return { destroys: await this.plannedRemovals(name, signal), basis: 'plannedDelete', planning: false };
    const planning = preview?.state === 'CREATING';
    if (preview && !planning) {
      const reason = failureReason(preview) ?? l10n.t('no reason given');
      note = preview.state
        ? l10n.t('The delete preview ended {0}: {1}.', preview.state, reason)
        : l10n.t('The delete preview ended in an unknown state: {0}.', reason);
    }
    const recorded = await this.recordedRemovals(deployment.latestRevision ?? undefined, signal);
    const listed = 'removals' in recorded ? { destroys: recorded.removals } : { destroys: [], unavailable: recorded.unavailable };
    return { ...listed, basis: 'lastRecordedState', planning, ...(note ? { note } : {}) };
  }

  /**
   * Removes this deployment's delete preview; one already gone is success. One still planning is
   * cancelled (its operation found again after a reload) and deleted at once; only when the
   * service refuses to delete a preview that still plans is it waited for, a bounded while.
   */
  async discard(deploymentId: string, signal: AbortSignal): Promise<void> {
    const name = this.previewName(deploymentId);
    const preview = await this.getPreview(name, signal);
    if (!preview) return this.forget(name);
    if (preview.state === 'CREATING') await this.cancelPlanning(name, signal);
    for (let look = 1; ; look++) {
      if (await this.deleteUnlessPlanning(name, signal)) return this.forget(name);
      if (look >= PLANNING_LOOKS) {
        throw new ProviderError('Transient', l10n.t('The delete preview is still planning; it is removed once it has stopped.'), { providerCode: 'CREATING' });
      }
      await abortableDelay(this.deps.waitMs ?? PLANNING_WAIT_MS, signal, l10n.t('Waiting for the delete preview to stop before removing it: cancelled.'));
      const again = await this.getPreview(name, signal);
      if (!again) return this.forget(name);
    }
  }

  /** Deletes the preview (already gone counts); false when the service refuses because it still plans. */
  private async deleteUnlessPlanning(name: string, signal: AbortSignal): Promise<boolean> {
    try {
      await this.call('previews.delete', signal, (o) => this.deps.im.projects.locations.previews.delete({ name }, o));
      return true;
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      if (error.code === 'NotFound') return true;
      if (error.code !== 'Conflict') throw error;
      // Refused (FAILED_PRECONDITION): only a preview still planning is waited for; anything else is the error it is.
      const now = await this.getPreview(name, signal);
      if (!now) return true;
      if (now.state === 'CREATING') return false;
      throw error;
    }
  }

  private forget(name: string): void {
    this.operations.delete(name);
  }

  /** Starts the delete preview; a refusal is returned as the reason there is none (the list falls back). */
  private async create(name: string, deployment: config_v1.Schema$Deployment, deploymentId: string, signal: AbortSignal): Promise<string | undefined> {
    const deploymentRef = deployment.name ?? '';
    try {
      const operation = await this.call('previews.create', signal, (o) =>
        this.deps.im.projects.locations.previews.create(
          {
            parent: parentName(this.deps.where),
            previewId: name.split('/').pop(),
            // The same for every call about this deployment incarnation: the service runs it once.
            requestId: requestId(deploymentId, 'deletePreview', deploymentRef, deployment.createTime ?? ''),
            requestBody: {
              previewMode: 'DELETE',
              deployment: deploymentRef,
              // The identity that manages the deployment's state plans its destruction.
              serviceAccount: deployment.serviceAccount || serviceAccountName(this.deps.serviceAccount, this.deps.where.project),
              annotations: { [PURPOSE_ANNOTATION]: 'delete-plan-for-consent', [DEPLOYMENT_ID_ANNOTATION]: deploymentId },
            },
          },
          o,
        ),
      );
      if (operation.name) this.operations.set(name, operation.name);
      return undefined;
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      // An earlier call of ours (its answer lost) made it: adopt it.
      if (error.code === 'Conflict' && error.details.providerCode === 'ALREADY_EXISTS') return undefined;
      // The service will not plan a delete of this deployment now: say why, and list the recorded state.
      if (error.code === 'Conflict' || error.code === 'Validation' || error.code === 'Unsupported')
        return l10n.t('Infrastructure Manager did not start a delete preview: {0}', error.message);
      throw error;
    }
  }

  /**
   * Best effort: a cancel that is refused or unknown (or an operation that cannot be found) leaves
   * the preview to finish; the delete that follows decides.
   */
  private async cancelPlanning(name: string, signal: AbortSignal): Promise<void> {
    try {
      const operation =
        this.operations.get(name) ??
        (await findPlanningOperation({ caller: this.deps.caller, im: this.deps.im, parent: parentName(this.deps.where) }, name, signal));
      if (!operation) return;
      await this.call('operations.cancel', signal, (o) => this.deps.im.projects.locations.operations.cancel({ name: operation, requestBody: {} }, o));
    } catch (error) {
      if (!(error instanceof ProviderError) || error.code === 'Aborted') throw error;
    }
  }

  private async plannedRemovals(preview: string, signal: AbortSignal): Promise<Change[]> {
    const removals: Change[] = [];
    let pageToken: string | undefined;
    for (let pages = 0; pages < MAX_PAGES; pages++) {
      const page = await this.call('previews.resourceChanges.list', signal, (o) =>
        this.deps.im.projects.locations.previews.resourceChanges.list({ parent: preview, pageToken }, o),
      );
      for (const change of page.resourceChanges ?? []) {
        const removal = toChange(change);
        if (removal?.action === 'Remove') removals.push(removal);
      }
      pageToken = page.nextPageToken || undefined;
      if (!pageToken) break;
    }
    return removals;
  }

  private async recordedRemovals(revision: string | undefined, signal: AbortSignal): Promise<RecordedList> {
    if (!revision) return { unavailable: l10n.t('The deployment has no revision, so there is no recorded state to list.') };
    const removals: Change[] = [];
    let pageToken: string | undefined;
    for (let pages = 0; pages < MAX_PAGES; pages++) {
      const page = await this.call('revisions.resources.list', signal, (o) =>
        this.deps.im.projects.locations.deployments.revisions.resources.list({ parent: revision, pageToken }, o),
      );
      for (const resource of page.resources ?? []) {
        const removal = recordedRemoval(resource);
        if (removal) removals.push(removal);
      }
      pageToken = page.nextPageToken || undefined;
      if (!pageToken) break;
    }
    if (removals.length === 0) {
      const id = revision.split('/').pop() ?? revision;
      return {
        unavailable: l10n.t(
          'The latest revision ({0}) records no resources; Infrastructure Manager may not have reported them, so what the delete destroys is not known.',
          id,
        ),
      };
    }
    return { removals };
  }

  private getDeployment(name: string, signal: AbortSignal): Promise<config_v1.Schema$Deployment | undefined> {
    return readDeployment(this.deps, name, signal);
  }

  private getPreview(name: string, signal: AbortSignal): Promise<config_v1.Schema$Preview | undefined> {
    return readPreview(this.deps, name, signal);
  }
}
