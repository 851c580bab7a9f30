/** A wait between reads that ends at once, as a cancellation, when its signal fires. */
import { ProviderError } from './provider';

/** Resolves after `ms`; rejects with an Aborted ProviderError saying `cancelledMessage` if `signal` fires first. */
export function abortableDelay(ms: number, signal: AbortSignal, cancelledMessage: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new ProviderError('Aborted', cancelledMessage));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new ProviderError('Aborted', cancelledMessage));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
