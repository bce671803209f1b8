/** How the library retries a connection. */
export interface RetryPolicy {
  /** Attempts after the first failure before giving up. Default 5. */
  maxRetries: number;
  /** Delay before the first retry, in ms. Default 500. */
  initialDelayMs: number;
  /** Upper bound of one delay, in ms. Default 10 000. */
  maxDelayMs: number;
  /** Growth factor between retries. Default 2. */
  factor: number;
  /** Share of each delay that is randomised, 0 to 1. Default 0.5 (a delay of 1 s becomes 0.5 to 1 s). */
  jitter: number;
}

/** The default {@link RetryPolicy}: 6 attempts in about 15 s at most. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  maxRetries: 5,
  initialDelayMs: 500,
  maxDelayMs: 10_000,
  factor: 2,
  jitter: 0.5,
};

/**
 * The delay before retry number `retry` (1-based): exponential, capped, with jitter taken off the top so that the
 * delay never exceeds the cap.
 *
 * @example
 * backoffDelay(3, DEFAULT_RETRY_POLICY, () => 0); // 2000
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** Math.max(0, retry - 1));
  return Math.round(exponential * (1 - policy.jitter * random()));
}
