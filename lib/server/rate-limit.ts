/** One counted request: how many requests the key made in the current window, and when the window ends (epoch ms). */
export interface RateLimitHit {
  readonly count: number;
  readonly resetAt: number;
}

/**
 * Where request counts live. The default keeps them in this process's memory; `redisRateLimitStore` shares one limit
 * across several instances (see docs/server.md).
 */
export interface RateLimitStore {
  /** Counts one request for `key` in a fixed window of `windowMs` that started at or before `now`. */
  hit(key: string, windowMs: number, now: number): RateLimitHit | Promise<RateLimitHit>;
}

/** Options of {@link memoryRateLimitStore}. */
export interface MemoryRateLimitStoreOptions {
  /** At most this many keys are tracked; the oldest windows are dropped first. Default 10 000. */
  readonly maxKeys?: number;
}

/**
 * An in-process fixed-window counter. Per instance: behind a load balancer each instance counts on its own.
 *
 * @example
 * const store = memoryRateLimitStore({ maxKeys: 50_000 });
 * createMiddleware({ ..., rateLimit: { max: 30, windowSeconds: 60, store } });
 */
export function memoryRateLimitStore(options: MemoryRateLimitStoreOptions = {}): RateLimitStore {
  const maxKeys = options.maxKeys ?? 10_000;
  const windows = new Map<string, { count: number; resetAt: number }>();
  const sweep = (now: number) => {
    for (const [key, entry] of windows) if (entry.resetAt <= now) windows.delete(key);
    for (const key of windows.keys()) {
      if (windows.size < maxKeys) break;
      windows.delete(key);
    }
  };
  return {
    hit(key, windowMs, now) {
      let entry = windows.get(key);
      if (entry === undefined || entry.resetAt <= now) {
        if (entry !== undefined) windows.delete(key);
        if (windows.size >= maxKeys) sweep(now);
        entry = { count: 0, resetAt: now + windowMs };
        windows.set(key, entry);
      }
      entry.count += 1;
      return { count: entry.count, resetAt: entry.resetAt };
    },
  };
}

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** Requests allowed per key and window. */
  readonly max: number;
  readonly windowMs: number;
  /** Default {@link memoryRateLimitStore}. */
  readonly store?: RateLimitStore;
  /** Default `Date.now`. */
  readonly clock?: () => number;
}

/** The verdict for one request. */
export interface RateLimitVerdict {
  readonly allowed: boolean;
  /** Whole seconds until the window resets (at least 1): the `Retry-After` value. */
  readonly retryAfterSeconds: number;
}

/**
 * A fixed-window rate limiter over a {@link RateLimitStore}.
 *
 * @example
 * const limit = createRateLimiter({ max: 30, windowMs: 60_000 });
 * const { allowed, retryAfterSeconds } = await limit('id:alice');
 */
export function createRateLimiter(options: RateLimiterOptions): (key: string) => Promise<RateLimitVerdict> {
  const store = options.store ?? memoryRateLimitStore();
  const clock = options.clock ?? Date.now;
  return async (key) => {
    const now = clock();
    const hit = await store.hit(key, options.windowMs, now);
    return { allowed: hit.count <= options.max, retryAfterSeconds: Math.max(1, Math.ceil((hit.resetAt - now) / 1000)) };
  };
}
