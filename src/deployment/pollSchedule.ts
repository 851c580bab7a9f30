/**
 * When to poll a running operation next: a pure function of the local time, what the polls so far
 * measured (PollTiming) and when events are expected (from the learned durations, see
 * durations/expectations.ts). It replaces a fixed interval that backed off whenever events were
 * sparse, which made a change that came after a quiet spell wait for a long interval.
 *
 * A change is seen one poll after it happens, so a poll just after an expected event is worth
 * several polls at random moments. The choices, in order:
 * - An expected event has a window: its expected moment ± its spread. Inside the window the
 *   polls are on a grid through the expected moment plus MARGIN_MS (so one lands just after the
 *   most likely moment, with time for the provider to list it), and the window's far end is
 *   polled once more in case nothing came. The grid's step is WINDOW_STEP_MS, or half the spread
 *   when that is longer: an event is worth about five polls whatever its spread, so a wide
 *   default window (a database's minutes) is not polled as densely as a narrow learned one. A completion is where
 *   the next changes start too (dependents start right after), so one poll catches both.
 * - Expected events whose polls fall within MERGE_MS of each other share one poll, the latest of
 *   them: a few hundred ms later for the first is cheaper than a poll of its own.
 * - Right after the execute, before the first changes have shown, poll every FIRST_WAVE_MS for
 *   up to FIRST_WAVE_LIMIT_MS: the first wave's in-progress events come within a second or two.
 * - When nothing is expected, poll every BASELINE_MS; after a long quiet spell, every quarter of
 *   the quiet time so far (at most IDLE_POLL_CAP_MS): the longer nothing happened, the less
 *   likely a surprise now. Quiet is measured in time since the last news, not in empty polls,
 *   because polls inside a window that find nothing yet are no sign the operation is idle.
 * - No two polls closer than MIN_GAP_MS: a poll's answer has to come back before the next one
 *   says anything new.
 * - A budget: at most one poll per POLL_BUDGET_REFILL_MS in the long run (a token bucket charged
 *   one per page read, starting with POLL_BUDGET_START and saving up to POLL_BUDGET_BURST for
 *   busy moments). The refill is the CDK's monitoring pace, all its reads counted: its events
 *   every 2 s plus its stack read every 5 s (0.7 reads a second, one per 1.43 s), so a long
 *   operation is never read more often than the CDK reads it; the gain is in where they land. The sparse
 *   baseline saves budget; the windows spend it where events are expected.
 * - When the budget is short, the most likely moments come first: a window's expected moment and
 *   its far end (and the first wave) always count; its other grid points and the baseline wait
 *   until WINDOW_RESERVE polls would be left for them.
 * - Nobody watching (the panel closed): the windows are skipped and the older, gentler backoff
 *   holds (UNWATCHED_FLOOR_MS growing by half per empty poll, up to UNWATCHED_POLL_CAP_MS), within
 *   the same budget.
 */

export const MIN_GAP_MS = 300;
export const MARGIN_MS = 150;
export const WINDOW_STEP_MS = 500;
export const MERGE_MS = 250;
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
export const WINDOW_RESERVE = 1;
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

/** A poll a window asks for; `likeliest`: its expected moment or its far end (see the module's comment). */
export interface WindowPoll {
  at: number;
  likeliest: boolean;
}

/** The first poll an expectation's window asks for after `after` (see the module's comment), if any. */
export function windowPoll(expected: Expectation, after: number): WindowPoll | undefined {
  const anchor = expected.at + MARGIN_MS;
  const spread = Math.max(0, expected.spreadMs);
  const end = anchor + spread;
  if (end <= after) return undefined;
  const step = Math.max(WINDOW_STEP_MS, spread / 2);
  const from = Math.max(anchor - spread, after + 1);
  const onGrid = anchor + Math.ceil((from - anchor) / step) * step;
  const at = Math.min(onGrid, end);
  return { at, likeliest: at === anchor || at === end };
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

/** The local epoch ms of the next poll. */
export function nextPollAt(now: number, state: ScheduleState): number {
  const timing = state.timing;
  const last = timing?.lastPollAt ?? now;
  const earliest = Math.max(last + MIN_GAP_MS, timing ? budgetReadyAt(timing) : last);
  if (!state.watched) return Math.max(last + unwatchedDelay(state.idleStreak), earliest);
  // Polls at less likely moments leave WINDOW_RESERVE in the budget for the likeliest ones.
  const spareAt = timing ? Math.max(earliest, timing.lastPollAt + Math.max(0, (1 + WINDOW_RESERVE - timing.budget) * POLL_BUDGET_REFILL_MS)) : earliest;
  const wanted: number[] = [];
  if (state.awaitingFirstWave) wanted.push(last + FIRST_WAVE_MS);
  for (const expected of state.expected) {
    const poll = windowPoll(expected, last);
    if (poll === undefined) continue;
    if (poll.likeliest || poll.at >= spareAt) wanted.push(poll.at);
  }
  let next = Math.max(last + baselineDelay(timing), spareAt);
  if (wanted.length > 0) {
    // A poll wanted sooner than the floor or the budget allow is still wanted: at the first moment they do.
    const feasible = wanted.map((at) => Math.max(at, earliest));
    const first = Math.min(...feasible);
    const merged = Math.max(...feasible.filter((at) => at <= first + MERGE_MS));
    next = Math.min(next, merged);
  }
  return Math.max(next, earliest);
}

/** How long to wait from `now` before the next poll. */
export function nextPollDelay(now: number, state: ScheduleState): number {
  return Math.max(0, Math.round(nextPollAt(now, state) - now));
}
