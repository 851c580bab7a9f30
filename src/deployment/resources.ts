/**
 * Per-resource state, progress and failure reasons, all derived from the provider's events.
 * Pure functions: the machine stores events, everything else is computed from them.
 */
import type { Change, DeploymentEvent, HookFailure, ResourceStatus } from '../providers/provider';
import { blameInsideNestedTargets } from './nestedFailures';
import { nextDetails, type ResourceDetails } from './resourceDetails';

export interface ResourceState extends ResourceDetails {
  logicalId: string;
  resourceType: string;
  status: ResourceStatus;
  providerStatus: string;
  physicalId?: string;
  reason?: string;
  updatedAt: string;
}

export type ResourceMap = Readonly<Record<string, ResourceState>>;

/** Events about the stack (or deployment) itself carry its name as the logical ID. */
export function isTargetEvent(event: DeploymentEvent, targetName: string): boolean {
  return event.logicalId === targetName;
}

export function applyEvents(resources: ResourceMap, events: readonly DeploymentEvent[], targetName: string): ResourceMap {
  if (events.length === 0) return resources;
  const next: Record<string, ResourceState> = { ...resources };
  for (const event of events) {
    if (isTargetEvent(event, targetName)) continue;
    const previous = next[event.logicalId];
    // The operation succeeded and the provider removes an old copy (of a replaced resource): the
    // resource keeps its outcome and its new ID, so progress does not go backwards.
    if (event.isCleanup && previous?.status === 'succeeded') continue;
    // A cancellation or failure reason stays visible until the resource moves on.
    const reason = event.reason ?? (previous && previous.status === event.status ? previous.reason : undefined);
    next[event.logicalId] = {
      logicalId: event.logicalId,
      resourceType: event.resourceType,
      status: event.status,
      providerStatus: event.providerStatus,
      physicalId: event.physicalId ?? previous?.physicalId,
      reason,
      updatedAt: event.timestamp,
      ...nextDetails(previous, event),
    };
  }
  return next;
}

export interface Progress {
  /** Resources whose change was made (succeeded) or that failed: a rolled-back or cancelled change is not done. */
  done: number;
  total: number;
  failed: number;
  inProgress: number;
  /** Resources being rolled back or already rolled back. */
  rolledBack: number;
  /** Resources whose change was cancelled before it was made. */
  cancelled: number;
}

/**
 * N/M over the change list. Reattaching to someone else's deployment has no change list,
 * so the resources seen in its events stand in for it.
 */
export function progressOf(changes: readonly Change[], resources: ResourceMap): Progress {
  const keys = changes.length > 0 ? changes.map((c) => c.logicalId) : Object.keys(resources);
  let done = 0;
  let failed = 0;
  let inProgress = 0;
  let rolledBack = 0;
  let cancelled = 0;
  for (const key of keys) {
    const state = resources[key];
    if (!state) continue;
    if (state.status === 'succeeded' || state.status === 'failed') done++;
    if (state.status === 'failed') failed++;
    if (state.status === 'inProgress' || state.status === 'rollingBack') inProgress++;
    if (state.status === 'rollingBack' || state.status === 'rolledBack') rolledBack++;
    if (state.status === 'cancelled') cancelled++;
  }
  return { done, total: keys.length, failed, inProgress, rolledBack, cancelled };
}

export interface FailureReason {
  logicalId: string;
  resourceType: string;
  providerStatus: string;
  reason: string;
  timestamp: string;
  /**
   * The failure is the target's own (the stack's or deployment's event), with no failed resource
   * behind it: parameter validation, a missing export, a timeout.
   */
  onTarget?: boolean;
  /** A hook failed it: the hook's type, status, reason and annotations. */
  hook?: HookFailure;
  /** The request ID the provider's failure names. */
  requestId?: string;
  /** The property the failure names ("Properties.BucketName"). */
  propertyPath?: string;
  /** The provider's operation it happened in. */
  operationId?: string;
}

export interface FailureSummary {
  /**
   * What actually went wrong: the first resource failure that was not a cancellation or, when no
   * resource failed, the failure the target itself reported.
   */
  rootCause?: FailureReason;
  /** Further independent failures, in the order they happened. */
  otherFailures: FailureReason[];
  /** "Resource creation cancelled" and friends: consequences, shown greyed under the root cause. */
  cancellations: FailureReason[];
  /** What the stack itself said, e.g. "The following resource(s) failed to create: [Queue]". */
  targetReason?: string;
}

/**
 * A provider may end a rollback's reason with this whatever caused it ("Parameter validation
 * failed: …. Rollback requested by user."). After a real failure it misleads: nobody asked.
 */
const ROLLBACK_BOILERPLATE = /\s*Rollback requested by user\.?\s*$/i;
/** The reason a target carries when a person started the operation or cancelled it. */
const PERSON_INITIATED = /^User Initiated\.?$/i;

/**
 * The failure a target event reports, if it reports one: a failed target, or one that starts
 * rolling back, with a reason that is more than "a person asked for this".
 */
function targetFailure(event: DeploymentEvent): FailureReason | undefined {
  if (event.status !== 'failed' && event.status !== 'rollingBack') return undefined;
  if (event.isCancellation) return undefined;
  const reason = event.reason?.trim().replace(ROLLBACK_BOILERPLATE, '');
  if (!reason || PERSON_INITIATED.test(reason)) return undefined;
  return {
    logicalId: event.logicalId,
    resourceType: event.resourceType,
    providerStatus: event.providerStatus,
    reason,
    timestamp: event.timestamp,
    onTarget: true,
  };
}

export function summarizeFailures(events: readonly DeploymentEvent[], targetName: string): FailureSummary {
  const summary: FailureSummary = { otherFailures: [], cancellations: [] };
  let targetRootCause: FailureReason | undefined;
  for (const event of events) {
    if (isTargetEvent(event, targetName)) {
      const failure = targetFailure(event);
      if (failure) {
        summary.targetReason ??= failure.reason;
        targetRootCause ??= failure;
      } else if (event.status === 'failed' || event.status === 'cancelled' || event.isCancellation) {
        summary.targetReason ??= event.reason;
      }
      continue;
    }
    if (event.status !== 'failed' && event.status !== 'cancelled' && !event.isCancellation) continue;
    const failure: FailureReason = {
      logicalId: event.logicalId,
      resourceType: event.resourceType,
      providerStatus: event.providerStatus,
      reason: event.reason ?? event.providerStatus,
      timestamp: event.timestamp,
    };
    if (event.isCancellation || event.status === 'cancelled') summary.cancellations.push(failure);
    else if (!summary.rootCause) summary.rootCause = failure;
    else summary.otherFailures.push(failure);
  }
  // A resource that failed explains the target's failure; only without one is the target's own reason the cause.
  summary.rootCause ??= targetRootCause;
  // A nested target that failed because something inside it failed is a consequence, not the cause.
  return blameInsideNestedTargets(summary);
}
