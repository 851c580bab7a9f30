/**
 * Nested stacks, the reading half: one poll's reads of the nested stacks the root's events opened,
 * deeper ones as their parents' events open them, and whether the root itself needs reading.
 *
 * A page read with nothing new is waste, so nothing is read on a timer alone:
 * - a nested stack is read while its resource in the parent is in progress and its own events
 *   have not yet reached its settled status, and once more if its resource settled first;
 * - while everything the root runs is a nested stack being followed, the root has nothing to say
 *   until one of them settles (or rolls back): it is read then, when one of its own resources is
 *   in progress or has just finished (a dependent may start), when a nested stack's ARN is not
 *   known yet, and otherwise at most every ROOT_QUIET_READ_MS as a safety net.
 */
import type { StackEvent } from '@aws-sdk/client-cloudformation';
import { ProviderError, type DeploymentEvent } from '../provider';
import type { AwsContext } from './context';
import { addHookResults } from './failureDetails';
import { MAX_BUSY, type FollowedStack, type NestedCursor } from './nestedCursor';
import { childRows, isInProgressStatus, isNestedStackResource, mergeByTime, needsRead, noteParentEvents, pruneFollowed } from './nestedStacks';
import { eventWeight, isFollowedReadDue, isReadDue, nextRate } from './readCadence';
import { type Durations, noteRunning } from './readForecast';
import { isStackEvent, readNewEvents, type EventCursor } from './stackEvents';
import { isSettled } from './stackVerdict';
import { stackStatusMeaning } from './statusTables';

/** The longest the root goes unread while only its nested stacks are working. */
export const ROOT_QUIET_READ_MS = 30_000;

/** Whether this poll reads the root's events (always, unless only followed nested stacks are working). */
export function mustReadRoot(previous: EventCursor, nested: NestedCursor, now: number): boolean {
  const followed = nested.nested ?? [];
  if (followed.length === 0) return true;
  if (previous.stackStatus === undefined || isSettled(previous.stackStatus) || previous.recheck || previous.unseen) return true;
  if (nested.rootDue || nested.busyOverflow) return true;
  // Its own resources at work: read as often as its events come (readCadence.ts).
  if ((nested.busy?.length ?? 0) > 0) return isReadDue(nested.rootReadAt, nested.rootRate, now);
  if (nested.rootReadAt === undefined || now - nested.rootReadAt >= ROOT_QUIET_READ_MS) return true;
  const topLevel = followed.filter((f) => !f.key.includes('/'));
  // Its ARN comes with the parent's next event; a settled one's end comes with the parent's next event too.
  if (topLevel.some((f) => isInProgressStatus(f.parentStatus) && (!f.stackId || (f.status !== undefined && isSettled(f.status))))) return true;
  return !followed.some(needsRead);
}

export interface NestedPoll {
  /** The root's own events of ours this poll (oldest first), and the same as rows. */
  rootEvents: readonly StackEvent[];
  rootRows: readonly DeploymentEvent[];
  rootRead: boolean;
  /** The root's events are read for the first time: the root resources in progress are all among them. */
  firstRead: boolean;
  previous: NestedCursor;
  now: number;
  signal: AbortSignal;
}

export interface NestedPollResult {
  /** The root's rows and the nested stacks' rows, oldest first. */
  events: DeploymentEvent[];
  /** Nested stacks' rows only: whether they brought anything. */
  nestedNews: number;
  pagesRead: number;
  cursor: NestedCursor;
  /** A top-level nested stack settled or began rolling back: the root's resource for it moves right after. */
  rootMoves: boolean;
}

export async function followNestedStacks(ctx: AwsContext, poll: NestedPoll): Promise<NestedPollResult> {
  // The root's busy resources are tracked only while nested stacks are followed (a plain stack's
  // cursor carries nothing of this); taken up later than the first read, what is busy is unknown.
  const tracked = poll.firstRead || (poll.previous.nested?.length ?? 0) > 0;
  const overflowBefore = poll.previous.busyOverflow === true || !tracked;
  const root = poll.rootRead ? rootBookkeeping(poll.previous.busy ?? [], overflowBefore, poll.rootEvents) : undefined;
  let followed = noteParentEvents(poll.previous.nested ?? [], undefined, poll.rootEvents, poll.rootRows);
  const rows: DeploymentEvent[] = [];
  let pagesRead = 0;
  let topLevelMoved = false;
  // A nested stack whose resource the parent just moved is read now, whatever its cadence says.
  const moved = new Set(poll.rootEvents.filter(isNestedStackResource).map((e) => e.LogicalResourceId ?? ''));
  // Rounds: the nested stacks due now, side by side; then the deeper ones their events opened.
  const readThisPoll = new Set<string>();
  let durations = poll.previous.durations ?? {};
  // A poll that would read nothing waits (briefly) for a read about to fall due instead: an empty
  // poll stretches the wait for the next, and the news would be seen a whole poll late.
  let readTime = poll.now;
  if (!poll.rootRead) {
    const wait = waitForDue(followed, (at) => followed.some((entry) => isDue(entry, moved, durations, at)), poll.now);
    if (wait > 0) readTime = await pause(wait, poll.signal, poll.now);
  }
  for (;;) {
    const due = followed.filter((entry) => !readThisPoll.has(entry.key) && isDue(entry, moved, durations, readTime));
    if (due.length === 0) break;
    for (const entry of due) readThisPoll.add(entry.key);
    const reads = await inBatches(due, PARALLEL_READS, (entry) => readChild(ctx, entry, poll.signal));
    const roundRaw: StackEvent[] = [];
    const roundRows: DeploymentEvent[] = [];
    due.forEach(({ key }, index) => {
      // Looked up again: each parent's events replace the list with an updated copy.
      const entry = followed.find((f) => f.key === key);
      const read = reads[index];
      if (!entry) return;
      if (!isInProgressStatus(entry.parentStatus)) entry.finalRead = true;
      if (!read) {
        // Gone altogether: nothing more to read of it.
        entry.status = 'DELETE_COMPLETE';
        return;
      }
      pagesRead += read.pagesRead;
      const firstRead = entry.lastEventId === undefined;
      entry.lastEventId = read.newestEventId;
      const before = entry.status;
      const child = childRows(entry, read.events, firstRead);
      if (child.status !== undefined) entry.status = child.status;
      entry.rate = nextRate(entry.rate, eventWeight(read.events.map((e) => e.ResourceStatus)), elapsedSince(entry.readAt, readTime));
      entry.readAt = readTime;
      const running = noteRunning(entry.running ?? [], durations, child.raw);
      durations = running.durations;
      entry.running = running.running;
      if (running.overflow || entry.runningOverflow) entry.runningOverflow = true;
      if (!entry.key.includes('/') && entry.status !== before && entry.status !== undefined && tellsTheRoot(entry.status)) topLevelMoved = true;
      rows.push(...child.events);
      roundRaw.push(...child.raw);
      roundRows.push(...child.events);
      for (const event of child.raw) if (isNestedStackResource(event)) moved.add(`${entry.key}/${event.LogicalResourceId ?? ''}`);
      followed = noteParentEvents(followed, entry.key, child.raw, child.events);
    });
    // A hook that failed a resource inside a nested stack: its GetHookResult annotations too.
    await addHookResults(ctx, roundRaw, roundRows, poll.signal);
  }
  followed = pruneFollowed(followed);
  const cursor: NestedCursor = {
    nested: followed,
    busy: root ? root.busy : poll.previous.busy,
    busyOverflow: root ? root.overflow || undefined : poll.previous.busyOverflow,
    rootDue: (root?.finished ?? false) || topLevelMoved || undefined,
    rootReadAt: poll.rootRead ? poll.now : poll.previous.rootReadAt,
    rootRate: poll.rootRead
      ? nextRate(poll.previous.rootRate, eventWeight(poll.rootEvents.map((e) => e.ResourceStatus)), elapsedSince(poll.previous.rootReadAt, poll.now))
      : poll.previous.rootRate,
    durations: Object.keys(durations).length > 0 ? durations : undefined,
  };
  return { events: mergeByTime([...poll.rootRows], rows), nestedNews: rows.length, pagesRead, cursor, rootMoves: topLevelMoved };
}

/** The longest a poll waits for a read about to fall due, and the steps it looks ahead in. */
export const MAX_POLL_WAIT_MS = 1_000;
const WAIT_STEP_MS = 125;

/** How long until a followed stack's read falls due, within MAX_POLL_WAIT_MS (0: none is, or one is due now). */
function waitForDue(followed: readonly FollowedStack[], anyDueAt: (at: number) => boolean, now: number): number {
  if (followed.length === 0 || anyDueAt(now)) return 0;
  for (let ahead = WAIT_STEP_MS; ahead <= MAX_POLL_WAIT_MS; ahead += WAIT_STEP_MS) if (anyDueAt(now + ahead)) return ahead;
  return 0;
}

/** Waits `ms` (a cancelled poll stops waiting) and says the time the reads are made at. */
async function pause(ms: number, signal: AbortSignal, now: number): Promise<number> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
  return now + ms;
}

function elapsedSince(at: number | undefined, now: number): number | undefined {
  return at === undefined ? undefined : now - at;
}

/** A nested stack's status its parent reacts to: it settled, or it is rolling back. */
function tellsTheRoot(status: string): boolean {
  return isSettled(status) || stackStatusMeaning(status).phase === 'rollingBack';
}

/** The root's own resources in progress (nested stacks aside), and whether one just finished. */
function rootBookkeeping(
  before: readonly string[],
  overflowBefore: boolean,
  events: readonly StackEvent[],
): { busy: string[]; overflow: boolean; finished: boolean } {
  const busy = new Set(before);
  let overflow = overflowBefore;
  let finished = false;
  for (const event of events) {
    const id = event.LogicalResourceId;
    if (!id || isStackEvent(event) || isNestedStackResource(event)) continue;
    if (isInProgressStatus(event.ResourceStatus)) {
      if (busy.size < MAX_BUSY) busy.add(id);
      else overflow = true;
    } else {
      const wasBusy = busy.delete(id);
      if (wasBusy || overflow) finished = true;
    }
  }
  // The last of its own resources finished: something waiting on it may start now.
  return { busy: [...busy], overflow, finished: finished && busy.size === 0 };
}

/** Nested stacks read side by side in one round: DescribeStackEvents is throttled per account, so a few at a time. */
const PARALLEL_READS = 4;

/** A nested stack to read in this round: readable, and due by its cadence unless its parent just moved it or settled. */
function isDue(entry: FollowedStack, moved: ReadonlySet<string>, durations: Durations, now: number): boolean {
  if (!needsRead(entry)) return false;
  const urgent = moved.has(entry.key) || !isInProgressStatus(entry.parentStatus);
  return urgent || isFollowedReadDue(entry, durations, now);
}

async function inBatches<T, R>(items: readonly T[], size: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) results.push(...(await Promise.all(items.slice(start, start + size).map(run))));
  return results;
}

type NewEventsRead = Awaited<ReturnType<typeof readNewEvents>>;

/** A nested stack's new events of this operation, or undefined when CloudFormation no longer knows it. */
async function readChild(ctx: AwsContext, entry: FollowedStack, signal: AbortSignal): Promise<NewEventsRead | undefined> {
  const stackId = entry.stackId;
  if (!stackId) return undefined;
  // No token of ours is on a nested stack's events: its share of our operation starts at the parent's event.
  const phase = { startedAt: new Date(entry.since).toISOString(), kind: 'unknown' as const };
  try {
    return await readNewEvents(ctx.eventPages(stackId, signal), phase, entry.lastEventId);
  } catch (error) {
    if (error instanceof ProviderError && error.code === 'NotFound') return undefined;
    throw error;
  }
}
