/**
 * How often a followed stack is read while it works, so that few reads come back empty: each
 * stack's event rate is estimated from its own reads (a moving average over reads, events per
 * second), and it is read again once the next read should bring about EVENTS_PER_READ events.
 * A busy stack is read on every poll; one going quiet is read less often, down to once every
 * MAX_READ_GAP_MS; an empty read halves the estimate, a burst raises it at once.
 *
 * An event that starts something (…_IN_PROGRESS) weighs a quarter: starts come in a burst (all
 * that can begin, begins) and what follows them is the wait for the first to finish, so a burst
 * of starts must not promise more events soon. Endings are what a stack's pace is made of.
 */

import { type Durations, forecast, type Running } from './readForecast';

/** What a read should expect to bring: with fewer, too many reads come back with nothing. */
const EVENTS_PER_READ = 4;
export const MIN_READ_GAP_MS = 1_000;
export const MAX_READ_GAP_MS = 10_000;

/** The wait before the next read at this rate (events per second; none known: read now). */
export function readGapMs(rate: number | undefined): number {
  if (rate === undefined) return 0;
  if (rate <= 0) return MAX_READ_GAP_MS;
  return Math.min(MAX_READ_GAP_MS, Math.max(MIN_READ_GAP_MS, (1000 * EVENTS_PER_READ) / rate));
}

/**
 * Polls come a second or more apart (and further apart while they bring nothing), so a read due
 * within half a second is made now rather than a whole poll late.
 */
const EARLY_MS = 500;

export function isReadDue(readAt: number | undefined, rate: number | undefined, now: number): boolean {
  return readAt === undefined || now - readAt >= readGapMs(rate) - EARLY_MS;
}

/**
 * A followed stack's read is due: on its rate, or sooner at the forecast end of a running
 * resource (readForecast.ts); at the next poll once nothing of it runs (its completion, or the
 * next starts, come next); and never more than TAIL_GAP_MS apart while a running resource has no
 * forecast. The rate alone stretches at a stack's tail, where events are sparse but each one
 * (the last, above all) should be seen fast. A stack too busy to remember, or not read yet, is
 * read on its rate alone.
 */
export function isFollowedReadDue(stack: FollowedReads, durations: Durations, now: number): boolean {
  const { readAt, rate, running } = stack;
  if (readAt === undefined || running === undefined || stack.runningOverflow) return isReadDue(readAt, rate, now);
  if (running.length === 0) return now > readAt;
  const { newsAt, unforecast } = forecast(running, durations, readAt);
  if (newsAt !== undefined && now >= newsAt) return true;
  if (unforecast) return now - readAt >= Math.min(TAIL_GAP_MS, readGapMs(rate)) - EARLY_MS;
  return isReadDue(readAt, rate, now);
}

/** The longest gap between reads of a stack with a running resource that has no forecast. */
export const TAIL_GAP_MS = 2_000;

export interface FollowedReads {
  readAt?: number;
  rate?: number;
  running?: readonly Running[];
  runningOverflow?: true;
}

const START_WEIGHT = 0.25;

/** What a read's events weigh in the rate, given their statuses. */
export function eventWeight(statuses: readonly (string | undefined)[]): number {
  return statuses.reduce((sum, status) => sum + (status?.endsWith('_IN_PROGRESS') ? START_WEIGHT : 1), 0);
}

/** The rate after a read whose events weigh `events` over `elapsedMs` since the one before (undefined: the first read). */
export function nextRate(rate: number | undefined, events: number, elapsedMs: number | undefined): number {
  if (elapsedMs === undefined || rate === undefined) return round(events / (MIN_READ_GAP_MS / 1000));
  const observed = events / Math.max(0.25, elapsedMs / 1000);
  return round((rate + observed) / 2);
}

/** Three decimals are plenty, and keep the persisted cursor short. */
function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
