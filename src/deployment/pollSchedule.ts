/**
 * When to poll a running operation next: a pure function of the local time, what the polls so far
 * measured (PollTiming) and when events are expected (from the learned durations, see
 * durations/expectations.ts). It replaces a fixed interval that backed off whenever events were
 * sparse, which made a change that came after a quiet spell wait for a long interval.
 *
 * A change is seen one poll after it happens, so the question each time is how long the events
 * that may have happened since the last poll have been kept waiting. The choices, in order:
 * - An expected event comes in its window: its expected moment ± its spread, shifted by MARGIN_MS
 *   (the provider lists an event a moment after it happens), at least MIN_WINDOW_MS wide; the
 *   closer to the expected moment, the likelier (a triangle: the estimate is a median, and the
 *   spread a range). A poll that found nothing leaves the rest of the window, as likely as before
 *   relative to each other, until little of it is left: then the event counts as overdue. Overdue
 *   events count as one event due any moment (overdueCost).
 * - The waiting cost at a moment is what those events, had they come, would have waited by then
 *   in total (the sum over them of the chance of having come, integrated over time). The next
 *   poll is when it reaches the threshold. An event certain at T is polled at T plus MARGIN_MS
 *   plus the threshold; a wide window is first polled well inside it, and again as the cost builds up;
 *   several events expected together are polled sooner than one alone. A completion is where the
 *   next changes start too (dependents start right after), so one poll catches both.
 * - The threshold is WAITED_MS while the budget is well stocked, and doubles for every poll the
 *   budget is below BUDGET_COMFORT: polls get dearer as the budget runs down, so a busy stretch
 *   spreads its polls evenly instead of spending them all at its start and starving its end.
 * - Right after the execute, before the first changes have shown, poll every FIRST_WAVE_MS for
 *   up to FIRST_WAVE_LIMIT_MS: the first wave's in-progress events come within a second or two.
 * - Whatever is expected, poll about every BASELINE_MS; after a long quiet spell, every quarter
 *   of the quiet time so far (at most IDLE_POLL_CAP_MS): the longer nothing happened, the less
 *   likely a surprise now. Quiet is measured in time since the last news, not in empty polls,
 *   because polls that find nothing yet are no sign the operation is idle. Such a poll waits
 *   until the budget holds BASELINE_BUDGET polls: the expected events come first.
 * - No two polls closer than MIN_GAP_MS: a poll's answer has to come back before the next one
 *   says anything new.
 * - A budget: at most one poll per POLL_BUDGET_REFILL_MS in the long run (a token bucket charged
 *   one per page read, starting with POLL_BUDGET_START and saving up to POLL_BUDGET_BURST for
 *   busy moments). The refill is the CDK's monitoring pace, all its reads counted: its events
 *   every 2 s plus its stack read every 5 s (0.7 reads a second, one per 1.43 s), so a long
 *   operation is never read more often than the CDK reads it; the gain is in where they land.
 * - Nobody watching (the panel closed): the expectations are skipped and the older, gentler
 *   backoff holds (UNWATCHED_FLOOR_MS growing by half per empty poll, up to
 *   UNWATCHED_POLL_CAP_MS), within the same budget.
 */

export const MIN_GAP_MS = 300;
export const MARGIN_MS = 100;
export const MIN_WINDOW_MS = 100;
export const OVERDUE_WINDOW_MS = 1_500;
export const WAITED_MS = 200;
export const BUDGET_COMFORT = 3;
/** A poll on no expectation waits for this much budget (see the module's comment). */
export const BASELINE_BUDGET = 4;
export const FIRST_WAVE_MS = 400;
export const FIRST_WAVE_LIMIT_MS = 10_000;
export const BASELINE_MS = 1_000;
/** The baseline interval as a share of the quiet time so far (see the module's comment). */
export const QUIET_SHARE = 0.25;
export const IDLE_POLL_CAP_MS = 10_000;
export const UNWATCHED_FLOOR_MS = 2_000;
export const UNWATCHED_POLL_CAP_MS = 20_000;
const UNWATCHED_GROWTH = 1.5;
export const POLL_BUDGET_REFILL_MS = 1_430;
export const POLL_BUDGET_BURST = 6;
export const POLL_BUDGET_START = POLL_BUDGET_BURST;
/** The most polls a read can leave the budget owing (see notePoll). */
export const MAX_DEBT = 1;

/** What the polls so far measured; kept in the deployment's context (plain numbers, persisted). */
export interface PollTiming {
  /**
   * Local clock minus the provider's (ms): the smallest "seen locally − event timestamp" over the
   * polls so far. Each is the offset plus how late that event was seen, so the smallest is the
   * closest; it errs late by the quickest sighting, never by a whole clock skew.
   */
  clockOffsetMs?: number;
  /** Local epoch ms the last poll's answer came. */
  lastPollAt: number;
  /** Local epoch ms of the last poll that brought events. */
  lastNewsAt: number;
  /** Polls the budget allows right after the last one; may be below zero after a many-page read. */
  budget: number;
}

/** An event expected at `at` (local epoch ms), give or take `spreadMs`. */
export interface Expectation {
  at: number;
  spreadMs: number;
}

export interface ScheduleState {
  watched: boolean;
  /** Polls in a row with no events (the unwatched backoff). */
  idleStreak: number;
  /** Absent before the first poll of this operation. */
  timing?: PollTiming;
  expected: readonly Expectation[];
  /** The execute is done and no change has shown yet (see FIRST_WAVE_*). */
  awaitingFirstWave: boolean;
}

/** The timing after a poll answered at `now` with events at `eventTimestamps` (the provider's ISO times). */
export function notePoll(previous: PollTiming | undefined, now: number, answer: { eventTimestamps: readonly string[]; pagesRead: number }): PollTiming {
  let clockOffsetMs = previous?.clockOffsetMs;
  for (const timestamp of answer.eventTimestamps) {
    const at = Date.parse(timestamp);
    if (Number.isFinite(at)) clockOffsetMs = clockOffsetMs === undefined ? now - at : Math.min(clockOffsetMs, now - at);
  }
  const saved = previous ? budgetAt(previous, now) : POLL_BUDGET_START;
  const timing: PollTiming = {
    lastPollAt: now,
    lastNewsAt: answer.eventTimestamps.length > 0 ? now : (previous?.lastNewsAt ?? now),
    // A catch-up read of many pages (a reattach, a large nested deployment) is charged, but never so
    // much that the next polls wait tens of seconds while events are expected: at most MAX_DEBT.
    budget: Math.max(-MAX_DEBT, saved - Math.max(1, answer.pagesRead)),
  };
  if (clockOffsetMs !== undefined) timing.clockOffsetMs = clockOffsetMs;
  return timing;
}

/** The polls the budget allows at `at` after the last one. */
function budgetAt(timing: PollTiming, at: number): number {
  return Math.min(POLL_BUDGET_BURST, timing.budget + Math.max(0, at - timing.lastPollAt) / POLL_BUDGET_REFILL_MS);
}

/** Below this share of an event's chance left in its window, the rest counts as overdue (see waitingCost). */
const LEFT_SHARE_FLOOR = 0.25;

/** A triangular chance over [mode − half, mode + half]: its cumulative share by `at`. */
function triangleShare(mode: number, half: number, at: number): number {
  const d = at - (mode - half);
  if (d <= 0) return 0;
  if (at >= mode + half) return 1;
  const rest = mode + half - at;
  return at <= mode ? (d * d) / (2 * half * half) : 1 - (rest * rest) / (2 * half * half);
}

/** The integral of triangleShare from the window's start to `at` (ms). */
function triangleWaited(mode: number, half: number, at: number): number {
  const d = at - (mode - half);
  if (d <= 0) return 0;
  if (at <= mode) return (d * d * d) / (6 * half * half);
  if (at >= mode + half) return half + (at - mode - half);
  const rest = mode + half - at;
  return half / 6 + (at - mode) - (half ** 3 - rest ** 3) / (6 * half * half);
}

/**
 * What the events of `expected` would have waited in total by `at` (ms), had each come at a
 * moment its window makes likely, counting only events that had not come by `last` and only
 * time after it (see the module's comment).
 *
 * Of an event not seen by `last`, the chance left in its window counts there, renormalized, but
 * never as more than 1 / LEFT_SHARE_FLOOR of itself: once most of the window has gone by, the
 * estimate was likely off, and the rest of the event's chance moves past the window's end, where
 * it is overdue (overdueCost). So an event weighs the same whether the last poll came just before
 * its window's end or just after.
 */
export function waitingCost(expected: readonly Expectation[], last: number, at: number): number {
  if (at <= last) return 0;
  let cost = 0;
  let overdue = 0;
  for (const event of expected) {
    // A broken expectation says nothing; it must not silence the others.
    if (!Number.isFinite(event.at) || !Number.isFinite(event.spreadMs)) continue;
    const half = Math.max(event.spreadMs, MIN_WINDOW_MS / 2);
    const mode = event.at + MARGIN_MS;
    const end = mode + half;
    const left = 1 - triangleShare(mode, half, last);
    const inWindow = left > 0 ? left / Math.max(left, LEFT_SHARE_FLOOR) : 0;
    if (left > 0) {
      const waited = triangleWaited(mode, half, at) - triangleWaited(mode, half, last) - (1 - left) * (at - last);
      cost += (waited / left) * inWindow;
    }
    if (at > end && inWindow < 1) overdue = Math.max(overdue, (1 - inWindow) * overdueCost(Math.max(0, last - end), at - Math.max(last, end)));
  }
  return cost + overdue;
}

/**
 * Events past their windows count as one (the largest of their costs), due any moment: equally
 * likely over the next OVERDUE_WINDOW_MS, or over as long as it is overdue already. Late together
 * means a slow operation rather than many events about to come, and the longer one is late the
 * less a poll right now is likely to find it.
 */
function overdueCost(overdueBy: number, elapsed: number): number {
  const width = Math.max(OVERDUE_WINDOW_MS, overdueBy);
  const within = Math.min(elapsed, width);
  return (within * within) / (2 * width) + Math.max(0, elapsed - width);
}

/** The waiting a poll is worth when the budget holds `budget` polls (see the module's comment). */
export function waitedThreshold(budget: number): number {
  return WAITED_MS * 2 ** Math.max(0, BUDGET_COMFORT - budget);
}

/** Poll-time precision of the search below: far finer than a poll's round trip. */
const SEARCH_STEP_MS = 10;

/**
 * The first moment in (from, to] at which the waiting cost reaches the threshold, if any. The
 * cost only grows with time and the threshold only falls (the budget refills), so a bisection
 * finds it.
 */
function whenWaitedEnough(expected: readonly Expectation[], timing: PollTiming | undefined, from: number, to: number): number | undefined {
  const enough = (at: number) => waitingCost(expected, from, at) >= waitedThreshold(timing ? budgetAt(timing, at) : POLL_BUDGET_START);
  if (!enough(to)) return undefined;
  let low = from;
  let high = to;
  while (high - low > SEARCH_STEP_MS) {
    const middle = (low + high) / 2;
    if (enough(middle)) high = middle;
    else low = middle;
  }
  return Math.ceil(high);
}

function unwatchedDelay(idleStreak: number): number {
  return Math.min(UNWATCHED_POLL_CAP_MS, Math.round(UNWATCHED_FLOOR_MS * UNWATCHED_GROWTH ** idleStreak));
}

/** The baseline while nothing is expected: longer the longer it has been quiet. */
export function baselineDelay(timing: PollTiming | undefined): number {
  const quiet = timing ? timing.lastPollAt - timing.lastNewsAt : 0;
  return Math.min(IDLE_POLL_CAP_MS, Math.max(BASELINE_MS, Math.round(quiet * QUIET_SHARE)));
}

/** When the budget has a whole poll again after the last one. */
function budgetReadyAt(timing: PollTiming): number {
  return timing.lastPollAt + Math.max(0, (1 - timing.budget) * POLL_BUDGET_REFILL_MS);
}

/** When the budget holds BASELINE_BUDGET polls again after the last one. */
function budgetComfortableAt(timing: PollTiming): number {
  return timing.lastPollAt + Math.max(0, (BASELINE_BUDGET - timing.budget) * POLL_BUDGET_REFILL_MS);
}

/** The local epoch ms of the next poll. */
export function nextPollAt(now: number, state: ScheduleState): number {
  const timing = state.timing;
  const last = timing?.lastPollAt ?? now;
  const earliest = Math.max(last + MIN_GAP_MS, timing ? budgetReadyAt(timing) : last);
  if (!state.watched) return Math.max(last + unwatchedDelay(state.idleStreak), earliest);
  // The baseline poll waits for a well-stocked budget: polls on no expectation must not leave
  // the expected events short (see the module's comment).
  let next = Math.max(last + baselineDelay(timing), timing ? budgetComfortableAt(timing) : last);
  if (state.awaitingFirstWave) next = Math.min(next, last + FIRST_WAVE_MS);
  if (state.expected.length > 0) next = whenWaitedEnough(state.expected, timing, last, next) ?? next;
  return Math.max(next, earliest);
}

/** How long to wait from `now` before the next poll. */
export function nextPollDelay(now: number, state: ScheduleState): number {
  return Math.max(0, Math.round(nextPollAt(now, state) - now));
}
