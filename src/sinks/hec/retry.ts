/**
 * Backoff for HEC retries: exponential with full jitter (a random wait between 0 and min(max, base * 2^attempt)),
 * and an abortable sleep.
 */

export interface BackoffSettings {
  baseMs: number;
  maxMs: number;
  jitter: boolean;
}

export function backoffDelayMs(attempt: number, s: BackoffSettings, random: () => number = Math.random): number {
  const step = Math.min(s.maxMs, s.baseMs * 2 ** Math.min(attempt, 30));
  return s.jitter ? Math.floor(random() * step) : step;
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
