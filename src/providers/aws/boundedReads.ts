/**
 * The failure reads are extras: they must never hold up what they explain. Each runs under its own
 * time bound, well inside the caller's deadline, and one that did not finish in this window (the
 * caller's deadline passed first, so the caller is asked again) is not begun again in it: the
 * retried call answers without the extra instead of stalling on it.
 */
import * as l10n from '@vscode/l10n';
import type { AwsContext } from './context';

/** One failure read's own bound (all its pages and hook results), well inside a read deadline. */
export const FAILURE_READ_MS = 8_000;

const begunByContext = new WeakMap<AwsContext, Set<string>>();

/** True the first time `key` is begun in this context; false ever after, finished or not. */
export function begin(ctx: AwsContext, key: string): boolean {
  let begun = begunByContext.get(ctx);
  if (!begun) begunByContext.set(ctx, (begun = new Set()));
  if (begun.has(key)) return false;
  begun.add(key);
  return true;
}

/**
 * Runs `read` with the caller's signal bounded by FAILURE_READ_MS. A plain timer, not
 * AbortSignal.timeout: see the note on Deadline in providers/gcp/calls.ts.
 */
export async function within<T>(signal: AbortSignal, read: (bounded: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(signal.reason);
  const timer = setTimeout(() => controller.abort(new DOMException(l10n.t('No answer within {0} ms', FAILURE_READ_MS), 'TimeoutError')), FAILURE_READ_MS);
  if (signal.aborted) controller.abort(signal.reason);
  else signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await read(controller.signal);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}
