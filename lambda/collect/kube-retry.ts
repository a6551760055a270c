/**
 * Bounded retries for Kubernetes API requests: throttling (honouring `Retry-After`), server errors, timeouts and
 * lost connections are retried with exponential backoff and jitter; anything else fails at once. The attempt is
 * re-run from the start, so a refreshing token provider is asked again for every attempt.
 */
import { classifyKubeError, isRetryable, type KubeFailure } from './kube-errors.js';

/** How many times and how patiently to retry. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  sleep: (ms: number) => Promise<void>;
  /** Once aborted, a failed attempt is not retried. */
  signal?: AbortSignal;
}

/** A request that failed for good: the last failure and how many attempts were made. */
export class KubeRequestError extends Error {
  override readonly name = 'KubeRequestError';

  constructor(
    readonly failure: KubeFailure,
    readonly attempts: number,
  ) {
    super(`${failure.type}: ${failure.detail} (after ${attempts} attempt${attempts === 1 ? '' : 's'})`);
  }
}

const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 8_000;

/**
 * The wait before retry number `retry` (0 for the first retry): exponential from {@link BASE_DELAY_MS}, capped, with
 * "equal jitter" (half fixed, half random) so that many clients throttled together do not come back together.
 */
function backoffDelay(retry: number): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** retry);
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/**
 * Runs `attempt` until it succeeds, fails in a way not worth retrying, or has been retried `maxRetries` times;
 * then throws a {@link KubeRequestError}. A server's `Retry-After` replaces the computed backoff.
 */
export async function withRetries<T>(attempt: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let attempts = 1; ; attempts += 1) {
    try {
      return await attempt();
    } catch (error) {
      const failure = classifyKubeError(error);
      if (!isRetryable(failure) || attempts > policy.maxRetries || policy.signal?.aborted) throw new KubeRequestError(failure, attempts);
      await policy.sleep(failure.retryAfterMs ?? backoffDelay(attempts - 1));
    }
  }
}
