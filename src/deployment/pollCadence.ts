/**
 * The waits between reads outside a running operation. Following a running operation has its own
 * schedule (pollSchedule.ts), driven by when events are expected.
 */

/** Staged changes usually settle in a few seconds; poll briskly, then ease off. */
export function nextStagePollDelay(checks: number): number {
  return Math.min(5_000, 500 + 500 * checks);
}

export const RECOVERY_POLL_MS = 3_000;
