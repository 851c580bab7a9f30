/**
 * Stack events as CloudFormation writes them: every status change of the stack or of a resource
 * is both recorded on the object and appended to the stack's event log.
 */
import { randomUUID } from 'node:crypto';
import type { Resolved } from './intrinsics';
import type { HookInvocation } from './hooks';
import type { SimResource, Stack } from './model';
import type { SimEventRecord } from './types';

/** What an event needs from the operation that caused it. */
export interface EventSource {
  token?: string;
  operationId: string;
}

export function stackEvent(stack: Stack, status: string, reason: string | undefined, at: number, op?: EventSource): void {
  stack.status = status;
  stack.reason = reason;
  stack.events.push({
    eventId: randomUUID(),
    logicalId: stack.name,
    physicalId: stack.id,
    resourceType: 'AWS::CloudFormation::Stack',
    timestamp: at,
    status,
    reason,
    token: op?.token,
    operationId: op?.operationId,
  });
  stack.statusListener?.(status, reason, at);
}

export interface ResourceEventOptions {
  reason?: string;
  /** The physical ID to report when it is not the resource's current one (cleanup of a replaced resource). */
  physicalId?: string | null;
  /** False for events about an old or new physical resource that do not change the logical resource's status. */
  record?: boolean;
  properties?: Record<string, Resolved>;
  detailedStatus?: string;
  hook?: HookInvocation;
}

export function resourceEvent(stack: Stack, op: EventSource, resource: SimResource, status: string, at: number, options: ResourceEventOptions = {}): void {
  if (options.record !== false) {
    resource.status = status;
    resource.reason = options.reason;
    resource.timestamp = at;
  }
  const physicalId = options.physicalId === null ? undefined : (options.physicalId ?? resource.physicalId);
  stack.events.push({
    eventId: `${resource.logicalId}-${status}-${new Date(at).toISOString()}-${randomUUID().slice(0, 8)}`,
    logicalId: resource.logicalId,
    physicalId,
    resourceType: resource.type,
    timestamp: at,
    status,
    reason: options.reason,
    token: op.token,
    operationId: op.operationId,
    properties: options.properties === undefined ? undefined : JSON.stringify(options.properties),
    detailedStatus: options.detailedStatus,
    hook: options.hook,
  });
}

/** Every stack's events, per stack oldest first, as the public event log. */
export function eventLogOf(stacks: readonly Stack[]): SimEventRecord[] {
  return stacks.flatMap((stack) =>
    stack.events.map((e) => ({
      stackName: stack.name,
      stackId: stack.id,
      eventId: e.eventId,
      logicalId: e.logicalId,
      resourceType: e.resourceType,
      status: e.status,
      at: e.timestamp,
    })),
  );
}
