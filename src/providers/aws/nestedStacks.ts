/**
 * Nested stacks, the pure half: which nested stacks a parent's events open (and when they settle),
 * which to read, and their events as rows keyed "Parent/Child".
 *
 * A nested stack is an AWS::CloudFormation::Stack resource of its parent; its PhysicalResourceId
 * (once "Resource creation Initiated") is the nested stack's ARN. Its own events are in its own
 * DescribeStackEvents, with its own OperationId, and a ClientRequestToken that is not the one we
 * sent: so what is ours is told by time and by the parent's resource lifecycle. Our operation's
 * part of a nested stack starts at the parent's in-progress event for its resource; every event
 * of the nested stack from then on belongs to this operation (including the rollback the parent
 * drives), and nothing older does.
 */
import type { StackEvent } from '@aws-sdk/client-cloudformation';
import type { DeploymentEvent } from '../provider';
import { MAX_FOLLOWED, type FollowedStack } from './nestedCursor';
import { isStackEvent, toDeploymentEvents } from './stackEvents';
import { isSettled } from './stackVerdict';

const NESTED_STACK_TYPE = 'AWS::CloudFormation::Stack';
/** What a rolling-back stack reads as, for a nested stack its parent rolls back. */
const ROLLING_BACK = 'UPDATE_ROLLBACK_IN_PROGRESS';

/** A parent's event about one of its nested stacks (not the parent's own stack event). */
export function isNestedStackResource(event: StackEvent): boolean {
  return event.ResourceType === NESTED_STACK_TYPE && !isStackEvent(event);
}

export function isInProgressStatus(status: string | undefined): boolean {
  return status !== undefined && status.endsWith('_IN_PROGRESS');
}

/** A nested stack's ARN, as its resource names it; an empty or non-ARN physical ID names none yet. */
function stackArnOf(event: StackEvent): string | undefined {
  const id = event.PhysicalResourceId;
  return id && id.startsWith('arn:') && id.includes(':stack/') ? id : undefined;
}

/** The row key of a resource inside a nested stack (or of the nested stack inside its parent). */
export function childKey(parentKey: string | undefined, logicalId: string): string {
  return parentKey ? `${parentKey}/${logicalId}` : logicalId;
}

/**
 * Updates the followed list from a parent's events of ours (oldest first; `converted` are the
 * same events as rows, index for index). A nested stack's resource going in progress after being
 * settled (or first seen) opens a new phase: its stack is read from that event's time on.
 */
export function noteParentEvents(
  followed: readonly FollowedStack[],
  parentKey: string | undefined,
  raw: readonly StackEvent[],
  converted: readonly DeploymentEvent[],
): FollowedStack[] {
  const next = followed.map((f) => ({ ...f }));
  raw.forEach((event, index) => {
    if (!isNestedStackResource(event) || !event.LogicalResourceId) return;
    const key = childKey(parentKey, event.LogicalResourceId);
    const status = event.ResourceStatus ?? '';
    const row = converted[index];
    const rowStatus = row?.status;
    const rollback = rowStatus === 'rollingBack' || rowStatus === 'rolledBack';
    const at = event.Timestamp?.getTime() ?? Date.now();
    let entry = next.find((f) => f.key === key);
    if (!entry) {
      // A settled nested stack seen first (a late first read) still has its events of this operation to read.
      if (next.length >= MAX_FOLLOWED) return;
      entry = { key, since: at, parentStatus: status };
      next.push(entry);
    } else if (isInProgressStatus(status) && !isInProgressStatus(entry.parentStatus)) {
      // A new phase (the parent rolls it back, or updates it again): its own status anew. Events
      // still unread from the phase before are read all the same: the time cut-off is for a first read.
      if (entry.lastEventId === undefined) entry.since = Math.min(entry.since, at);
      delete entry.status;
      delete entry.finalRead;
      // What ran in the phase before says nothing of when this one's resources end.
      delete entry.running;
      delete entry.runningOverflow;
    }
    entry.parentStatus = status;
    const stackId = stackArnOf(event);
    if (stackId) entry.stackId = stackId;
    if (row?.operationId) entry.operationId = row.operationId;
    if (row?.operationType) entry.operationType = row.operationType;
    if (!rollback) delete entry.rollbackFrom;
    else entry.rollbackFrom ??= at;
  });
  return next;
}

/** Whether a followed nested stack has events to read: known, and not read to its settled status yet. */
export function needsRead(entry: FollowedStack): boolean {
  if (!entry.stackId) return false;
  if (entry.status !== undefined && isSettled(entry.status)) return false;
  // Its resource settled in the parent before its own events said so: one last read, then only if it still runs.
  if (!isInProgressStatus(entry.parentStatus) && entry.finalRead) return isInProgressStatus(entry.status);
  return true;
}

/**
 * Drops what no longer needs following: its resource in the parent settled and its own events
 * were read to the end (or there is no stack to read). A nested entry whose parent left goes too.
 */
export function pruneFollowed(followed: readonly FollowedStack[]): FollowedStack[] {
  const kept: FollowedStack[] = [];
  for (const entry of followed) {
    const parentKey = entry.key.includes('/') ? entry.key.slice(0, entry.key.lastIndexOf('/')) : undefined;
    if (parentKey !== undefined && !kept.some((k) => k.key === parentKey)) continue;
    if (isInProgressStatus(entry.parentStatus) || needsRead(entry)) kept.push(entry);
  }
  return kept;
}

export interface ChildRows {
  /** The nested stack's resource events as rows keyed under it, oldest first. */
  events: DeploymentEvent[];
  /** The same events as read, index for index (for the nested stacks they open in turn). */
  raw: StackEvent[];
  /** Its own stack status after these events. */
  status?: string;
}

/**
 * A nested stack's new events as rows: its resources keyed "Parent/Child"; its own stack events
 * only move its status (its parent's row already tells it). A nested stack its parent rolls back
 * reads as rolling back, so its resources' deletes count as rolled back, not as done.
 */
export function childRows(entry: FollowedStack, events: readonly StackEvent[], firstRead: boolean): ChildRows {
  let status = entry.status;
  const rows: DeploymentEvent[] = [];
  const raw: StackEvent[] = [];
  for (const event of events) {
    const at = event.Timestamp?.getTime();
    // On a first read, what is older than this operation's part of the nested stack is history.
    if (firstRead && at !== undefined && at < entry.since) continue;
    if (isStackEvent(event)) {
      // The shell a change set makes before execution is never this operation's progress.
      const stackStatus = event.ResourceStatus as string | undefined;
      if (stackStatus && stackStatus !== 'REVIEW_IN_PROGRESS') status = stackStatus;
      continue;
    }
    const rolledBackByParent = entry.rollbackFrom !== undefined && (at === undefined || at >= entry.rollbackFrom);
    const context = rolledBackByParent ? ROLLING_BACK : status;
    const [row] = toDeploymentEvents([event], context).events;
    if (!row) continue;
    const operation = entry.operationId ? { operationId: entry.operationId, operationType: entry.operationType } : {};
    rows.push({ ...row, logicalId: childKey(entry.key, row.logicalId), ...operation });
    raw.push(event);
  }
  return { events: rows, raw, status };
}

/** Events from several stacks, oldest first; a stable merge keeps each stack's own order. */
export function mergeByTime(...lists: DeploymentEvent[][]): DeploymentEvent[] {
  // An unreadable time sorts last rather than breaking the order of the rest.
  const all = lists.flat().map((event, order) => ({ event, order, at: Date.parse(event.timestamp) || Number.MAX_SAFE_INTEGER }));
  all.sort((a, b) => a.at - b.at || a.order - b.order);
  return all.map((e) => e.event);
}
