import { randomUUID } from 'node:crypto';
import { createLogger, type Logger } from '../core/logger.js';
import { HttpError } from './errors.js';
import { memoryRateLimitStore, type RateLimitStore } from './rate-limit.js';
import { memoryTokenCache, type CachedToken, type TokenCache } from './token-cache.js';

/**
 * The one command the Redis stores send: `EVAL`, so that each step is atomic and one round trip. An `ioredis` client
 * fits (`new Redis(url)`); see {@link connectRedis} for the settings that make it fail fast.
 */
export interface RedisClient {
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

/** A client made by {@link connectRedis}: the `ioredis` client itself. */
export interface RedisConnection extends RedisClient {
  /** `'ready'` once connected; `'reconnecting'`, `'connecting'` while Redis is away. */
  readonly status: string;
  once(event: 'ready', listener: () => void): unknown;
  quit(): Promise<unknown>;
}

/** What both Redis stores take. */
export interface RedisStoreOptions {
  readonly client: RedisClient;
  /** Prefix of every key. Default `rx-service-desk:`. */
  readonly prefix?: string;
  /** A Redis call slower than this counts as failed (the request goes on with the fallback). Default 500. */
  readonly timeoutMs?: number;
  /** Where "Redis is unavailable" and "Redis is back" go. Default `createLogger({ level: 'info' })`. */
  readonly logger?: Logger;
}

/**
 * Connects to Redis with `ioredis` (an optional peer dependency: `npm install ioredis`), set to fail fast: no offline
 * queue and no retries of a command, so that while Redis is away every call fails at once and the stores fall back,
 * while the client reconnects in the background. Resolves once connected, or at the first connection error (the
 * client keeps trying). `rediss://` URLs use TLS.
 *
 * @example
 * const redis = await connectRedis(process.env.REDIS_URL!);
 * createMiddleware({ ..., rateLimit: { store: redisRateLimitStore({ client: redis }) } });
 */
export async function connectRedis(url: string, logger: Logger = createLogger({ level: 'info' })): Promise<RedisConnection> {
  let Redis: typeof import('ioredis').Redis;
  try {
    ({ Redis } = await import('ioredis'));
  } catch {
    throw new Error('REDIS_URL needs the "ioredis" package: npm install ioredis');
  }
  const client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  client.on('error', (error: Error) => logger.debug('Redis connection error', { error }));
  await new Promise<void>((resolve) => {
    const settle = () => {
      client.off('ready', settle).off('error', settle);
      resolve();
    };
    client.once('ready', settle).once('error', settle);
  });
  return client;
}

/**
 * A {@link RedisClient} that connects on first use (for configuration read synchronously, such as
 * `serverOptionsFromEnv`). `quit` closes the connection if one was made.
 *
 * @example
 * const redis = lazyRedis(process.env.REDIS_URL!, logger);
 */
export function lazyRedis(url: string, logger?: Logger): RedisClient & { quit(): Promise<void> } {
  let connection: Promise<RedisConnection> | undefined;
  return {
    eval: async (script, numKeys, ...args) => (await (connection ??= connectRedis(url, logger))).eval(script, numKeys, ...args),
    quit: async () => {
      if (connection !== undefined) await (await connection).quit();
    },
  };
}

/** Runs Redis calls with a deadline, and says once when Redis goes away and once when it is back. */
function guarded(options: RedisStoreOptions, what: string) {
  const logger = options.logger ?? createLogger({ level: 'info' });
  const timeoutMs = options.timeoutMs ?? 500;
  let down = false;
  return async <T>(call: () => Promise<T>, fallback: () => T | Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = await Promise.race([
        call(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      if (down) {
        down = false;
        logger.info(`Redis is available again: the ${what} is shared again`);
      }
      return result;
    } catch (error) {
      if (!down) {
        down = true;
        logger.warn(`Redis is unavailable: the ${what} falls back to this instance's memory until it is back`, { error });
      }
      return fallback();
    } finally {
      clearTimeout(timer);
    }
  };
}

/** `INCR` the window's counter, start its expiry on the first hit, answer `[count, ms left]`. */
const HIT = `local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

/**
 * A {@link RateLimitStore} on Redis: one fixed-window counter per key shared by every instance (`INCR` and
 * `PEXPIRE` in one script). While Redis is unavailable (or slower than `timeoutMs`), each instance counts in its own
 * memory (`fallback`), so the limit holds per instance instead of across all, and requests are never refused or held
 * up because of Redis.
 *
 * @example
 * const redis = await connectRedis(process.env.REDIS_URL!);
 * createMiddleware({ ..., rateLimit: { max: 30, windowSeconds: 60, store: redisRateLimitStore({ client: redis }) } });
 */
export function redisRateLimitStore(options: RedisStoreOptions & { readonly fallback?: RateLimitStore }): RateLimitStore {
  const prefix = `${options.prefix ?? 'rx-service-desk:'}rate:`;
  const fallback = options.fallback ?? memoryRateLimitStore();
  const guard = guarded(options, 'rate limit');
  return {
    hit: (key, windowMs, now) =>
      guard(
        async () => {
          const [count, ttl] = (await options.client.eval(HIT, 1, `${prefix}${key}`, windowMs)) as [number, number];
          return { count, resetAt: now + ttl };
        },
        () => fallback.hit(key, windowMs, now),
      ),
  };
}

const GET = `return redis.call('GET', KEYS[1])`;
const SET = `return redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])`;
const DEL = `return redis.call('DEL', KEYS[1])`;
const LOCK = `return redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])`;
/** Deletes the lock only while it still holds our fencing value (not one a later holder set after ours expired). */
const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Options of {@link redisTokenCache}. */
export interface RedisTokenCacheOptions extends RedisStoreOptions {
  /** Used while Redis is unavailable; keeps a copy of every token this instance stored or read. Default in memory. */
  readonly fallback?: TokenCache;
  /** How long one instance may hold the fetch lock: longer than one token fetch may take. Default 10 000. */
  readonly lockTtlMs?: number;
  /** How often an instance waiting for another's fetch looks for the token. Default 25. */
  readonly pollMs?: number;
}

/**
 * A {@link TokenCache} on Redis (`SET key value PX ttl`), with a lock across instances (`SET lock fence NX PX ttl`,
 * released only by its holder) so that one instance fetches a new token while the others wait for it. While Redis is
 * unavailable each instance uses its own memory and fetches its own token (at most one fetch at a time per instance).
 * The token is stored in Redis as it is: keep Redis private (network, `requirepass`/ACL, `rediss://`).
 *
 * @example
 * const redis = await connectRedis(process.env.REDIS_URL!);
 * createMiddleware({ ..., genesys: { ..., tokenCache: redisTokenCache({ client: redis }) } });
 */
export function redisTokenCache(options: RedisTokenCacheOptions): TokenCache {
  const prefix = `${options.prefix ?? 'rx-service-desk:'}token:`;
  const fallback = options.fallback ?? memoryTokenCache();
  const lockTtlMs = options.lockTtlMs ?? 10_000;
  const pollMs = options.pollMs ?? 25;
  const guard = guarded(options, 'token cache');
  const redis = (script: string, key: string, ...args: (string | number)[]) => options.client.eval(script, 1, key, ...args);
  const parse = (text: unknown): CachedToken | undefined => {
    if (typeof text !== 'string') return undefined;
    const token = JSON.parse(text) as Partial<CachedToken>;
    return typeof token.value === 'string' && typeof token.expiresAt === 'number' ? { value: token.value, expiresAt: token.expiresAt } : undefined;
  };
  const cache: TokenCache = {
    get: (key) =>
      guard(
        async () => {
          const token = parse(await redis(GET, `${prefix}${key}`));
          if (token !== undefined) await fallback.set(key, token);
          return token;
        },
        () => fallback.get(key),
      ),
    async set(key, token) {
      await fallback.set(key, token);
      const ttl = token.expiresAt - Date.now();
      if (ttl > 0) await guard(async () => void (await redis(SET, `${prefix}${key}`, JSON.stringify(token), ttl)), () => undefined);
    },
    async delete(key) {
      await fallback.delete(key);
      await guard(async () => void (await redis(DEL, `${prefix}${key}`)), () => undefined);
    },
    async singleFlight(key, fetch, fresh) {
      const lock = `${prefix}lock:${key}`;
      const fence = randomUUID();
      const deadline = Date.now() + 2 * lockTtlMs;
      while (Date.now() < deadline) {
        const acquired = await guard<boolean | undefined>(async () => (await redis(LOCK, lock, fence, lockTtlMs)) === 'OK', () => undefined);
        if (acquired === undefined) return fetch();
        if (acquired) {
          try {
            const current = await cache.get(key);
            return current !== undefined && fresh(current) ? current : await fetch();
          } finally {
            await guard(async () => void (await redis(UNLOCK, lock, fence)), () => undefined);
          }
        }
        await new Promise((resolve) => setTimeout(resolve, pollMs));
        const current = await cache.get(key);
        if (current !== undefined && fresh(current)) return current;
      }
      throw new HttpError(504, 'UPSTREAM_TIMEOUT', 'Timed out waiting for the vendor token.');
    },
  };
  return cache;
}
