/** A bearer token and when it stops working (epoch ms). */
export interface CachedToken {
  readonly value: string;
  readonly expiresAt: number;
}

/**
 * Where OAuth tokens are kept between requests. The default keeps them in this process's memory; a shared store
 * (`redisTokenCache`) lets several instances reuse one token (see docs/server.md).
 */
export interface TokenCache {
  get(key: string): CachedToken | undefined | Promise<CachedToken | undefined>;
  set(key: string, token: CachedToken): void | Promise<void>;
  delete(key: string): void | Promise<void>;
  /**
   * Optional, for caches shared by several instances: runs `fetch` (which stores the token it gets) on one instance at
   * a time, while the others wait for a token that is `fresh`. Without it every instance fetches its own.
   */
  singleFlight?(key: string, fetch: () => Promise<CachedToken>, fresh: (token: CachedToken) => boolean): Promise<CachedToken>;
}

/**
 * An in-process {@link TokenCache}.
 *
 * @example
 * createMiddleware({ ..., genesys: { ..., tokenCache: memoryTokenCache() } });
 */
export function memoryTokenCache(): TokenCache {
  const tokens = new Map<string, CachedToken>();
  return {
    get: (key) => tokens.get(key),
    set: (key, token) => {
      tokens.set(key, token);
    },
    delete: (key) => {
      tokens.delete(key);
    },
  };
}

/** Options of {@link createTokenProvider}. */
export interface TokenProviderOptions {
  readonly cache: TokenCache;
  /** The cache key (e.g. the OAuth client id; never the secret). */
  readonly key: string;
  /** Fetches a fresh token from the vendor. */
  readonly fetchToken: () => Promise<CachedToken>;
  /** A token is renewed this long before it expires. Default 60 000. */
  readonly refreshMarginMs?: number;
  /** Default `Date.now`. */
  readonly clock?: () => number;
}

/** Hands out a valid token, fetching a new one at most once at a time. */
export interface TokenProvider {
  /** A token valid for at least the refresh margin. Concurrent callers share one fetch (single flight). */
  get(): Promise<string>;
  /** Drops `token` (e.g. after the vendor answered 401 to it) so that the next `get` fetches a new one. */
  invalidate(token: string): Promise<void>;
}

/**
 * Caches a bearer token until shortly before it expires and refreshes it once even under concurrent requests: every
 * caller that arrives while a fetch is in flight waits for that fetch, and with a shared cache that has
 * `singleFlight` (e.g. `redisTokenCache`) callers on other instances wait too. A failed fetch is not cached.
 *
 * @example
 * const tokens = createTokenProvider({ cache: memoryTokenCache(), key: clientId, fetchToken: () => oauth() });
 * const bearer = await tokens.get();
 */
export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  const margin = options.refreshMarginMs ?? 60_000;
  const clock = options.clock ?? Date.now;
  let inFlight: Promise<string> | undefined;
  const fresh = (token: CachedToken | undefined): token is CachedToken =>
    token !== undefined && clock() < token.expiresAt - margin;
  const refresh = () => {
    inFlight ??= (async () => {
      try {
        const again = await options.cache.get(options.key);
        if (fresh(again)) return again.value;
        const load = async () => {
          const token = await options.fetchToken();
          await options.cache.set(options.key, token);
          return token;
        };
        const token = options.cache.singleFlight === undefined ? await load() : await options.cache.singleFlight(options.key, load, fresh);
        return token.value;
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  };
  return {
    async get() {
      if (inFlight !== undefined) return inFlight;
      const cached = await options.cache.get(options.key);
      return fresh(cached) ? cached.value : refresh();
    },
    async invalidate(token) {
      const cached = await options.cache.get(options.key);
      if (cached?.value === token) await options.cache.delete(options.key);
    },
  };
}
