/**
 * Incremental reading of DescribeStackEvents. CloudFormation returns events newest first;
 * we page only until the last event we have already seen, so a long stack history is read
 * once, never again on every poll.
 */
import type { StackEvent } from '@aws-sdk/client-cloudformation';
import type { DeploymentEvent, OperationRef } from '../provider';
import { resourceStatusOf, stackStatusMeaning } from './statusTables';

export interface EventPage {
  events: StackEvent[];
  nextToken?: string;
}

export type FetchEventPage = (nextToken: string | undefined) => Promise<EventPage>;

/** Events without a token are compared with our own clock; allow for skew between the two. */
export const CLOCK_SKEW_MS = 5 * 60_000;
/**
 * With a token, the first read stops at our operation's start event; the time cut-off is only a
 * backstop for a start event that never shows, so it is generous: a local clock that runs ahead
 * must not make us drop our own events.
 */
export const TOKEN_LOOKBACK_MS = 60 * 60_000;
/** A stack with a very long history: never page further back than this on one poll. */
export const MAX_PAGES_PER_POLL = 50;

/** What one poll carries to the next. Opaque to the machine. */
export interface EventCursor {
  /** Newest EventId already read. */
  lastEventId?: string;
  /** The stack's status after the newest stack-level event read so far. */
  stackStatus?: string;
  stackReason?: string;
  /** Polls that found no stack event of ours yet. */
  unseen?: number;
}

export function encodeCursor(cursor: EventCursor): string {
  return JSON.stringify(cursor);
}

export function decodeCursor(value: string | undefined): EventCursor {
  if (!value) return {};
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== 'object' || parsed === null) return {};
    const { lastEventId, stackStatus, stackReason, unseen } = parsed as Record<string, unknown>;
    return {
      lastEventId: typeof lastEventId === 'string' ? lastEventId : undefined,
      stackStatus: typeof stackStatus === 'string' ? stackStatus : undefined,
      stackReason: typeof stackReason === 'string' ? stackReason : undefined,
      unseen: typeof unseen === 'number' ? unseen : undefined,
    };
  } catch {
    return {};
  }
}

/** Every request of one deployment carries a token starting with the operation's token. */
export function belongsTo(event: StackEvent, operation: OperationRef): boolean {
  const token = event.ClientRequestToken;
  if (operation.token && token) return token === operation.token || token.startsWith(`${operation.token}-`);
  // Someone else's operation (or a reattach with no token): fall back to time.
  return event.Timestamp !== undefined && event.Timestamp.getTime() >= Date.parse(operation.startedAt) - (operation.token ? CLOCK_SKEW_MS : 0);
}

export interface NewEvents {
  /** Oldest first, only this operation's. */
  events: StackEvent[];
  pagesRead: number;
  /** Newest event id seen, ours or not: where the next poll stops. */
  newestEventId?: string;
}

/**
 * Reads back to the cursor (or, on the first read, to the start of the operation). Events from
 * other operations are skipped but still move the cursor, so they are never read twice.
 */
export async function readNewEvents(fetchPage: FetchEventPage, operation: OperationRef, lastEventId: string | undefined): Promise<NewEvents> {
  const collected: StackEvent[] = [];
  const startedAt = Date.parse(operation.startedAt) - (operation.token ? TOKEN_LOOKBACK_MS : 0);
  let newestEventId: string | undefined;
  let nextToken: string | undefined;
  let pagesRead = 0;
  let reachedKnown = false;
  do {
    const page = await fetchPage(nextToken);
    pagesRead++;
    for (const event of page.events) {
      newestEventId ??= event.EventId;
      if (lastEventId !== undefined && event.EventId === lastEventId) {
        reachedKnown = true;
        break;
      }
      // First read: everything older than the operation belongs to history.
      if (lastEventId === undefined && event.Timestamp && event.Timestamp.getTime() < startedAt) {
        reachedKnown = true;
        break;
      }
      if (belongsTo(event, operation)) collected.push(event);
      if (lastEventId === undefined && isOperationStart(event, operation)) {
        reachedKnown = true;
        break;
      }
    }
    nextToken = page.nextToken;
  } while (!reachedKnown && nextToken && pagesRead < MAX_PAGES_PER_POLL);
  return { events: collected.reverse(), pagesRead, newestEventId: newestEventId ?? lastEventId };
}

const OPERATION_STARTS = new Set(['CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'DELETE_IN_PROGRESS', 'IMPORT_IN_PROGRESS']);

/** The "User Initiated" stack event that opens our operation: nothing older is ours. */
function isOperationStart(event: StackEvent, operation: OperationRef): boolean {
  return (
    operation.token !== undefined &&
    event.PhysicalResourceId === event.StackId &&
    event.ResourceStatus !== undefined &&
    OPERATION_STARTS.has(event.ResourceStatus) &&
    belongsTo(event, operation) &&
    event.ClientRequestToken !== undefined
  );
}

export function isStackEvent(event: StackEvent): boolean {
  return event.ResourceType === 'AWS::CloudFormation::Stack' && event.PhysicalResourceId === event.StackId;
}

/**
 * Converts events (oldest first) to the port's shape. The stack's own events tell whether it is
 * rolling back, which decides what a resource's DELETE_COMPLETE means.
 */
export function toDeploymentEvents(events: readonly StackEvent[], stackStatusBefore: string | undefined): { events: DeploymentEvent[]; stackStatus?: string; stackReason?: string } {
  let stackStatus = stackStatusBefore;
  let stackReason: string | undefined;
  const converted: DeploymentEvent[] = [];
  for (const event of events) {
    const providerStatus = event.ResourceStatus ?? 'UNKNOWN';
    if (isStackEvent(event)) {
      stackStatus = providerStatus;
      stackReason = event.ResourceStatusReason;
    }
    const rollingBack = stackStatus !== undefined && stackStatusMeaning(stackStatus).phase === 'rollingBack';
    const { status, isCancellation } = resourceStatusOf(providerStatus, rollingBack, event.ResourceStatusReason);
    converted.push({
      id: event.EventId ?? `${event.LogicalResourceId}-${event.Timestamp?.toISOString()}-${providerStatus}`,
      timestamp: (event.Timestamp ?? new Date()).toISOString(),
      logicalId: event.LogicalResourceId ?? '',
      resourceType: event.ResourceType ?? '',
      physicalId: event.PhysicalResourceId || undefined,
      providerStatus,
      status,
      reason: event.ResourceStatusReason,
      isCancellation,
    });
  }
  return { events: converted, stackStatus, stackReason };
}
