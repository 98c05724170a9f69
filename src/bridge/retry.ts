/**
 * Retries an operation with exponential backoff and full jitter until it succeeds or the signal aborts.
 * The bridge uses it for Kafka production: an outage holds the partition (and its checkpoint) back instead of
 * dropping or skipping events.
 */

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** called before each wait; `attempt` counts failures so far (1 = the first failure) */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  random?: () => number;
}

/** The error `retryUntilAborted` throws when the signal aborted before the operation succeeded. */
export class RetryAbortedError extends Error {
  constructor(readonly lastError: unknown) {
    super('stopped while retrying', { cause: lastError });
    this.name = 'RetryAbortedError';
  }
}

export function backoffDelay(attempt: number, options: Pick<BackoffOptions, 'initialMs' | 'maxMs' | 'random'>): number {
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(attempt - 1, 30));
  const random = options.random ?? Math.random;
  // full jitter, but never below half the ceiling so a flapping service is not hammered
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export async function retryUntilAborted<T>(operation: () => Promise<T>, signal: AbortSignal, options: BackoffOptions): Promise<T> {
  let lastError: unknown;
  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) throw new RetryAbortedError(lastError);
    try {
      return await operation();
    } catch (err) {
      lastError = err;
      if (signal.aborted) throw new RetryAbortedError(err);
      const delay = backoffDelay(attempt, options);
      options.onRetry?.(err, attempt, delay);
      await sleep(delay, signal);
    }
  }
}
