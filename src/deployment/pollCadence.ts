/**
 * The waits between reads outside a running operation. Following a running operation has its own
 * schedule (pollSchedule.ts), driven by when events are expected.
 */

/**
 * Staged changes usually settle within two to five seconds, and the person is waiting to review
 * them: every half second for the first BRISK_STAGE_CHECKS checks (changes ready at 2 s are
 * seen by 2.5 s, not at the 3 s a growing wait lands on), then easing off by half a second per
 * check up to 5 s, for the large ones that take minutes.
 */
const BRISK_STAGE_CHECKS = 8;
const STAGE_POLL_MS = 500;
const STAGE_POLL_CAP_MS = 5_000;

export function nextStagePollDelay(checks: number): number {
  return Math.min(STAGE_POLL_CAP_MS, STAGE_POLL_MS * Math.max(1, checks - BRISK_STAGE_CHECKS + 2));
}

export const RECOVERY_POLL_MS = 3_000;
