/**
 * The failure summary with what the provider's failure read adds (PollResult.failureDetails):
 * hook results, request IDs, property paths and operations, merged into the failure of the same
 * resource and status. Pure; the machine, the view model and the history read failures here.
 */
import type { DeploymentEvent } from '../providers/provider';
import { summarizeFailures, type FailureReason, type FailureSummary } from './resources';

/** What a failure summary is built from: a deployment context has all of it. */
export interface FailureSource {
  target: { name: string };
  events: readonly DeploymentEvent[];
  failureDetails?: readonly DeploymentEvent[];
}

/** The deployment's failures, each enriched by the details of the same logicalId and status. */
export function failureSummaryOf(source: FailureSource): FailureSummary {
  const summary = summarizeFailures(source.events, source.target.name);
  // The stream's own events may carry the same fields; the failure read's copies come first.
  const details = [...(source.failureDetails ?? []), ...source.events.filter(carriesDetail)];
  if (details.length === 0) return summary;
  const enrich = (failure: FailureReason) => enrichFailure(failure, details);
  return {
    ...summary,
    ...(summary.rootCause ? { rootCause: enrich(summary.rootCause) } : {}),
    otherFailures: summary.otherFailures.map(enrich),
    cancellations: summary.cancellations.map(enrich),
  };
}

/**
 * The details kept after a poll: a detail read again (the same resource, status and time) replaces
 * its older copy, and only the newest `max` stay. Unchanged (the same array) when none came.
 */
export function mergeFailureDetails(kept: DeploymentEvent[] | undefined, incoming: readonly DeploymentEvent[], max: number): DeploymentEvent[] | undefined {
  if (incoming.length === 0) return kept;
  const keyOf = (d: DeploymentEvent) => JSON.stringify([d.logicalId, d.providerStatus, d.timestamp]);
  const fresh = new Set(incoming.map(keyOf));
  return [...(kept ?? []).filter((d) => !fresh.has(keyOf(d))), ...incoming].slice(-max);
}

function carriesDetail(event: DeploymentEvent): boolean {
  return event.hook !== undefined || event.requestId !== undefined || event.propertyPath !== undefined || event.operationId !== undefined;
}

/** The failure's own reason was empty when the summary fell back on the status word. */
function hasNoReason(failure: FailureReason): boolean {
  return failure.reason.trim() === '' || failure.reason === failure.providerStatus;
}

/**
 * A failure with the fields of the details about it: the same resource and status, the one at the
 * same time first. Fields the failure has already are kept; a better reason only replaces none.
 */
export function enrichFailure(failure: FailureReason, details: readonly DeploymentEvent[]): FailureReason {
  const same = details.filter((d) => d.logicalId === failure.logicalId && d.providerStatus === failure.providerStatus);
  if (same.length === 0) return failure;
  const ordered = [...same.filter((d) => d.timestamp === failure.timestamp), ...same.filter((d) => d.timestamp !== failure.timestamp)];
  const enriched: FailureReason = { ...failure };
  for (const detail of ordered) {
    if (enriched.hook === undefined && detail.hook !== undefined) enriched.hook = detail.hook;
    if (enriched.requestId === undefined && detail.requestId !== undefined) enriched.requestId = detail.requestId;
    if (enriched.propertyPath === undefined && detail.propertyPath !== undefined) enriched.propertyPath = detail.propertyPath;
    if (enriched.operationId === undefined && detail.operationId !== undefined) enriched.operationId = detail.operationId;
    const reason = detail.reason?.trim();
    if (hasNoReason(enriched) && reason) enriched.reason = reason;
  }
  return enriched;
}

/** An event that tells a failure (a target's last failure, say) as the failure list shows one. */
export function failureFromEvent(event: DeploymentEvent, targetName: string): FailureReason {
  const failure: FailureReason = {
    logicalId: event.logicalId,
    resourceType: event.resourceType,
    providerStatus: event.providerStatus,
    reason: event.reason?.trim() || event.providerStatus,
    timestamp: event.timestamp,
  };
  if (event.logicalId === targetName) failure.onTarget = true;
  if (event.hook) failure.hook = event.hook;
  if (event.requestId) failure.requestId = event.requestId;
  if (event.propertyPath) failure.propertyPath = event.propertyPath;
  if (event.operationId) failure.operationId = event.operationId;
  return failure;
}
