/** Exponential backoff with full jitter: a random wait in [0, min(cap, base·2^attempt)). */
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_CAP_MS = 30_000;
/** A deployment fails after this much backing off without one successful call. */
export const RETRY_BUDGET_MS = 10 * 60_000;
/**
 * Before any call has succeeded, a refused connection or bad endpoint is almost always a
 * setting, not a blip: give up after a few tries so the user sees the real problem quickly.
 */
export const FIRST_CONTACT_ATTEMPTS = 3;

export function backoffCeiling(attempt: number): number {
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt));
}

export function fullJitterDelay(attempt: number, random: () => number): number {
  // Never zero, so a retry loop can't spin without yielding.
  return Math.max(50, Math.floor(random() * backoffCeiling(attempt)));
}
