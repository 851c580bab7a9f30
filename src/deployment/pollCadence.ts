/**
 * How long to wait before the next poll. About 1 s while resources change, stretching out
 * while nothing happens, and further when nobody is watching the monitor.
 */
export const ACTIVE_POLL_MS = 1_000;
export const IDLE_POLL_CAP_MS = 10_000;
export const UNWATCHED_POLL_CAP_MS = 20_000;
const IDLE_GROWTH = 1.5;

export function nextPollDelay(idleStreak: number, watched: boolean): number {
  const cap = watched ? IDLE_POLL_CAP_MS : UNWATCHED_POLL_CAP_MS;
  const floor = watched ? ACTIVE_POLL_MS : 2 * ACTIVE_POLL_MS;
  return Math.min(cap, Math.round(floor * IDLE_GROWTH ** idleStreak));
}

/** Staged changes usually settle in a few seconds; poll briskly, then ease off. */
export function nextStagePollDelay(checks: number): number {
  return Math.min(5_000, 500 + 500 * checks);
}

export const RECOVERY_POLL_MS = 3_000;
