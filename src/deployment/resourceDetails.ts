/**
 * What a resource's row tells beyond its status: when this deployment's operation started on it
 * and when it settled, whether it is configured and stabilizing, and the failure details its
 * events carry (hook, request ID, property, operation). Pure, applied event by event.
 */
import type { DeploymentEvent, HookFailure, ResourceStatus } from '../providers/provider';

export interface ResourceDetails {
  /** The first in-progress event of this deployment's operation for it (ISO). */
  startedAt?: string;
  /** When it reached succeeded, failed, rolled back or cancelled (ISO); absent while it runs. */
  settledAt?: string;
  /** The newest event says it is configured and still stabilizing. */
  stabilizing?: boolean;
  /** The operation of its newest event, and that operation's kind in the provider's words. */
  operationId?: string;
  operationType?: string;
  /** From a failure event, kept while the status stays the same (like the reason). */
  hook?: HookFailure;
  requestId?: string;
  propertyPath?: string;
}

const SETTLED: ReadonlySet<ResourceStatus> = new Set(['succeeded', 'failed', 'rolledBack', 'cancelled']);

/** The details after `event`, given the resource's details and status before it. */
export function nextDetails(previous: (ResourceDetails & { status: ResourceStatus }) | undefined, event: DeploymentEvent): ResourceDetails {
  const details: ResourceDetails = {};
  const startedAt = previous?.startedAt ?? (event.status === 'inProgress' ? event.timestamp : undefined);
  if (startedAt !== undefined) details.startedAt = startedAt;
  if (SETTLED.has(event.status)) details.settledAt = previous?.status === event.status && previous.settledAt ? previous.settledAt : event.timestamp;
  if (event.stabilizing === true && event.status === 'inProgress') details.stabilizing = true;
  const operationId = event.operationId ?? previous?.operationId;
  if (operationId !== undefined) details.operationId = operationId;
  const operationType = event.operationType ?? previous?.operationType;
  if (operationType !== undefined) details.operationType = operationType;
  // Like the reason: a failure's details stay until the resource moves on.
  const same = previous !== undefined && previous.status === event.status;
  const hook = event.hook ?? (same ? previous.hook : undefined);
  if (hook !== undefined) details.hook = hook;
  const requestId = event.requestId ?? (same ? previous.requestId : undefined);
  if (requestId !== undefined) details.requestId = requestId;
  const propertyPath = event.propertyPath ?? (same ? previous.propertyPath : undefined);
  if (propertyPath !== undefined) details.propertyPath = propertyPath;
  return details;
}
