/**
 * Incremental reading of DescribeStackEvents, and which of those events are ours.
 *
 * CloudFormation returns events newest first; we page only until the last event we have already
 * seen, so a long stack history is read once, never again on every poll.
 *
 * An event is ours when its ClientRequestToken starts with our operation's token, or when its
 * OperationId is one we know to be ours (learned from our own events, or from the stack's
 * LastOperations). A token-less event is never ours just because it is recent: an endpoint that
 * does not echo tokens, an earlier operation's `*_COMPLETE`, a CREATE change set's
 * REVIEW_IN_PROGRESS would otherwise end (or stall) our deployment. When the events stop
 * explaining the stack, the caller asks DescribeStacks.
 *
 * Someone else can cancel our update (console, CLI): CloudFormation then rolls it back as an
 * operation of theirs, stamped with their token. That rollback is the end of ours, so it is
 * adopted (its token and OperationId), and who cancelled is remembered to be shown.
 */
import * as l10n from '@vscode/l10n';
import type { StackEvent } from '@aws-sdk/client-cloudformation';
import { encodeCursor, cursorField, decodeCursorWith, type CursorFields } from '../pollCursor';
import { ProviderError, type DeploymentEvent, type OperationRef } from '../provider';
import { eventExtras, operationTypeOpenedBy } from './eventFields';
import { resourceStatusOf, stackStatusMeaning } from './statusTables';

export interface EventPage {
  events: StackEvent[];
  nextToken?: string;
}

export type FetchEventPage = (nextToken: string | undefined) => Promise<EventPage>;

/**
 * With a token, the first read stops at our operation's start event; the time cut-off is only a
 * backstop for a start event that never shows, so it is generous: a local clock that runs ahead
 * must not make us drop our own events.
 */
export const TOKEN_LOOKBACK_MS = 60 * 60_000;

/** What one poll carries to the next. Opaque to the machine, persisted with the deployment. */
export interface EventCursor {
  /** Newest EventId already read. */
  lastEventId?: string;
  /** The stack's status after the newest stack-level event of ours read so far. */
  stackStatus?: string;
  stackReason?: string;
  /** Polls that found no stack event of ours yet. */
  unseen?: number;
  /** Polls in a row without any event of ours, since the stack itself was last asked. */
  idle?: number;
  /** CloudFormation OperationIds that are ours: our own, and the rollback that ends it. */
  operationIds?: string[];
  /** Someone else's tokens that act on our operation (their cancel's rollback). */
  adoptedTokens?: string[];
  /** The token of someone else's cancel of our update, when events showed one. */
  cancelledBy?: string;
  /**
   * The last poll ended on a status that explains nothing (phase 'unknown', or a status this
   * build does not know): the next poll asks the stack itself, whatever the events say.
   */
  recheck?: boolean;
  /** Our operations' types as their start events told them ("id=UPDATE_STACK"), for the events' operationType. */
  operationTypes?: string[];
  /** Failure reads (failureDetails.ts): the operations whose failures were found, and the last stage read at. */
  failuresFound?: string[];
  failuresReadAt?: string;
}

const EVENT_CURSOR_FIELDS: CursorFields<EventCursor> = {
  lastEventId: cursorField.text,
  stackStatus: cursorField.text,
  stackReason: cursorField.text,
  unseen: cursorField.count,
  idle: cursorField.count,
  operationIds: cursorField.texts,
  adoptedTokens: cursorField.texts,
  cancelledBy: cursorField.text,
  recheck: cursorField.flag,
  operationTypes: cursorField.texts,
  failuresFound: cursorField.texts,
  failuresReadAt: cursorField.text,
};

export { encodeCursor };

export function decodeCursor(value: string | undefined): EventCursor {
  return decodeCursorWith(value, EVENT_CURSOR_FIELDS);
}

/** The token is this operation's, or one of its own follow-up requests (our cancel): a prefix match. */
export function hasOperationToken(event: StackEvent, operation: Pick<OperationRef, 'token'>): boolean {
  const token = event.ClientRequestToken;
  return operation.token !== undefined && token !== undefined && (token === operation.token || token.startsWith(`${operation.token}-`));
}

export interface NewEvents {
  /** Oldest first: every event since the cursor (or, on the first read, since the operation started). */
  events: StackEvent[];
  pagesRead: number;
  /** Newest event id seen: where the next poll stops. */
  newestEventId?: string;
}

/**
 * Reads back to the cursor (or, on the first read, to the start of the operation). Returns all
 * the new events, ours or not; `attributeEvents` decides. Every event moves the cursor, so none is
 * read twice.
 *
 * There is no page limit: the cursor moves to the newest event, so any page left unread would
 * never be read (and the oldest ones hold the root cause). What bounds a long backlog is the
 * caller's signal (the poll's deadline); a read cut short moves no cursor, and the retry reads the
 * same backlog again. An endpoint handing back a page token it already gave is refused as a
 * transient fault rather than followed round in a circle.
 */
export async function readNewEvents(fetchPage: FetchEventPage, operation: OperationRef, lastEventId: string | undefined): Promise<NewEvents> {
  const collected: StackEvent[] = [];
  const startedAt = Date.parse(operation.startedAt) - (operation.token ? TOKEN_LOOKBACK_MS : 0);
  let newestEventId: string | undefined;
  let nextToken: string | undefined;
  let pagesRead = 0;
  let reachedKnown = false;
  const tokensSeen = new Set<string>();
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
      collected.push(event);
      if (lastEventId === undefined && isOperationStart(event, operation)) {
        reachedKnown = true;
        break;
      }
    }
    nextToken = page.nextToken;
    if (!reachedKnown && nextToken !== undefined) {
      if (tokensSeen.has(nextToken))
        throw new ProviderError(
          'Transient',
          l10n.t('DescribeStackEvents handed back a page token it had already given; the events are read again on the next poll.'),
        );
      tokensSeen.add(nextToken);
    }
  } while (!reachedKnown && nextToken);
  return { events: collected.reverse(), pagesRead, newestEventId: newestEventId ?? lastEventId };
}

/** Stack statuses that open an operation that moves the stack forward (an execute, a delete). */
const FORWARD_STARTS = new Set(['CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'DELETE_IN_PROGRESS', 'IMPORT_IN_PROGRESS']);
/** Stack statuses that open a rollback: our own (RollbackStack, ContinueUpdateRollback) or one that follows an operation. */
const ROLLBACK_STARTS = new Set(['ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS', 'IMPORT_ROLLBACK_IN_PROGRESS']);

/**
 * The stack event that opens our operation: nothing older is ours.
 *
 * A failed execute is followed by its automatic rollback (our token, a new OperationId), and our
 * own cancel rolls back under our token too. Their start events are boundaries of operations that
 * FOLLOW ours, not ours: stopping there on a first read that comes late (reads failed until the
 * rollback began) would skip the failed resource, the root cause. So a rollback start ends the
 * first read only when the operation is itself a rollback; with an OperationId on both sides,
 * only that exact operation's start does.
 */
function isOperationStart(event: StackEvent, operation: OperationRef): boolean {
  const status = event.ResourceStatus as string | undefined;
  if (!isStackEvent(event) || status === undefined) return false;
  if (!FORWARD_STARTS.has(status) && !ROLLBACK_STARTS.has(status)) return false;
  if (operation.operationId !== undefined && event.OperationId !== undefined) return event.OperationId === operation.operationId;
  if (!hasOperationToken(event, operation)) return false;
  return operation.kind === 'rollback' ? ROLLBACK_STARTS.has(status) : FORWARD_STARTS.has(status);
}

export function isStackEvent(event: StackEvent): boolean {
  return event.ResourceType === 'AWS::CloudFormation::Stack' && event.PhysicalResourceId === event.StackId;
}

/** The part of the cursor attribution reads and writes. */
export type AttributionState = Pick<EventCursor, 'stackStatus' | 'operationIds' | 'adoptedTokens' | 'cancelledBy'>;

export interface Attributed {
  /** Oldest first, only this operation's. */
  ours: StackEvent[];
  /** New events that are not ours (someone else's, or with nothing to tell whose). */
  others: number;
  state: AttributionState;
}

/**
 * Splits new events (oldest first) into ours and the rest, learning our OperationIds as it goes
 * and adopting the rollback of someone else's cancel of our update.
 */
export function attributeEvents(events: readonly StackEvent[], operation: OperationRef, before: AttributionState): Attributed {
  const operationIds = new Set(before.operationIds ?? []);
  if (operation.operationId) operationIds.add(operation.operationId);
  const adoptedTokens = new Set(before.adoptedTokens ?? []);
  let stackStatus = before.stackStatus;
  let cancelledBy = before.cancelledBy;
  const startedAt = Date.parse(operation.startedAt);
  const ours: StackEvent[] = [];
  let others = 0;
  for (const event of events) {
    const token = event.ClientRequestToken;
    const operationId = event.OperationId;
    let mine = false;
    if (isStackEvent(event) && (event.ResourceStatus as string | undefined) === 'REVIEW_IN_PROGRESS') {
      // A CREATE change set's shell, made before any execution: never an operation's progress.
      mine = false;
    } else if (hasOperationToken(event, operation) || (token !== undefined && adoptedTokens.has(token))) {
      mine = true;
    } else if (operationId !== undefined && operationIds.has(operationId)) {
      mine = true;
      if (token !== undefined && isStackEvent(event) && event.ResourceStatus === 'UPDATE_ROLLBACK_IN_PROGRESS' && !hasOperationToken(event, operation)) {
        adoptedTokens.add(token);
        cancelledBy ??= token;
      }
    } else if (isForeignCancel(event, stackStatus)) {
      mine = true;
      if (token !== undefined) adoptedTokens.add(token);
      cancelledBy ??= token ?? 'unknown';
    } else if (token === undefined && operationId === undefined && operation.token === undefined) {
      // Watching an operation we know only by its start time (nothing else to go by).
      mine = event.Timestamp !== undefined && event.Timestamp.getTime() >= startedAt;
    }
    if (!mine) {
      others++;
      continue;
    }
    if (operationId !== undefined) operationIds.add(operationId);
    if (isStackEvent(event) && event.ResourceStatus) stackStatus = event.ResourceStatus;
    ours.push(event);
  }
  return {
    ours,
    others,
    state: { stackStatus, operationIds: [...operationIds], adoptedTokens: adoptedTokens.size > 0 ? [...adoptedTokens] : undefined, cancelledBy },
  };
}

/**
 * Our update was running forward and the stack starts rolling back under a request that is not
 * ours: only CancelUpdateStack does that (a failure's rollback keeps our token). It ends our update.
 */
function isForeignCancel(event: StackEvent, ourStatus: string | undefined): boolean {
  return isStackEvent(event) && event.ResourceStatus === 'UPDATE_ROLLBACK_IN_PROGRESS' && ourStatus === 'UPDATE_IN_PROGRESS';
}

/**
 * Converts events (oldest first) to the port's shape. The stack's own events tell whether it is
 * rolling back, which decides what a resource's DELETE_COMPLETE means, and each operation's start
 * event tells its type (`operationTypes`, "id=TYPE" as the cursor keeps them, learned as it goes).
 */
export function toDeploymentEvents(
  events: readonly StackEvent[],
  stackStatusBefore: string | undefined,
  operationTypesBefore: readonly string[] = [],
): { events: DeploymentEvent[]; stackStatus?: string; stackReason?: string; operationTypes: string[] } {
  const operationTypes = new Map(operationTypesBefore.map((entry) => [entry.slice(0, entry.lastIndexOf('=')), entry.slice(entry.lastIndexOf('=') + 1)]));
  let stackStatus = stackStatusBefore;
  let stackReason: string | undefined;
  const converted: DeploymentEvent[] = [];
  for (const event of events) {
    const providerStatus = event.ResourceStatus ?? 'UNKNOWN';
    if (isStackEvent(event)) {
      stackStatus = providerStatus;
      stackReason = event.ResourceStatusReason;
      const opened = operationTypeOpenedBy(providerStatus);
      if (opened && event.OperationId && !operationTypes.has(event.OperationId)) operationTypes.set(event.OperationId, opened);
    }
    const rollingBack = stackStatus !== undefined && stackStatusMeaning(stackStatus).phase === 'rollingBack';
    const { status, isCancellation } = resourceStatusOf(providerStatus, rollingBack, event.ResourceStatusReason);
    // After a successful update, CloudFormation deletes the old copies of replaced resources.
    const isCleanup = !isStackEvent(event) && stackStatus === 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS';
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
      ...(isCleanup ? { isCleanup } : {}),
      ...eventExtras(event, event.OperationId ? operationTypes.get(event.OperationId) : undefined),
    });
  }
  return { events: converted, stackStatus, stackReason, operationTypes: [...operationTypes].map(([id, type]) => `${id}=${type}`) };
}

/**
 * Scans a stack's events, newest first, for the ones a request token stamped (our execute, our
 * cancel), back to `notBefore`: the oldest match is where that operation started.
 *
 * There is no page limit, as in readNewEvents: a cap would stop short of the operation's start
 * on a long history (or a small page size) and report a later event as its beginning, or miss
 * the operation altogether. What bounds the read is `notBefore` and the caller's signal; a page
 * token handed back twice is refused as a transient fault rather than followed round in a circle.
 */
export async function findTokenEvents(fetchPage: FetchEventPage, matches: (token: string) => boolean, notBefore: number | undefined): Promise<StackEvent[]> {
  const found: StackEvent[] = [];
  const tokensSeen = new Set<string>();
  let nextToken: string | undefined;
  do {
    const page = await fetchPage(nextToken);
    for (const event of page.events) {
      if (notBefore !== undefined && event.Timestamp && event.Timestamp.getTime() < notBefore) return found;
      if (event.ClientRequestToken !== undefined && matches(event.ClientRequestToken)) found.push(event);
    }
    nextToken = page.nextToken;
    if (nextToken !== undefined) {
      if (tokensSeen.has(nextToken))
        throw new ProviderError('Transient', l10n.t('DescribeStackEvents handed back a page token it had already given; the events are read again.'));
      tokensSeen.add(nextToken);
    }
  } while (nextToken);
  return found;
}
