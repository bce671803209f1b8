// Two middleware instances sharing one REAL redis-server (spawned by ./redis-server.ts on a free loopback port), with
// the fake Genesys upstream: a shared rate limit, one OAuth fetch across both, and Redis restarting mid-run.
import { createLogger } from '../../lib/core/logger';
import { connectRedis, redisRateLimitStore, redisTokenCache, serverOptionsFromEnv, type RedisConnection, type ServerConfig } from '../../lib/server';
import { GENESYS, SECRETS, fakeGenesys, type FakeServer } from './fake-vendors';
import { asUser, call, captureLogs, genesysConfig, headerAuth, startMiddleware, type LogCapture, type Running } from './harness';
import { startRedisServer, type RedisServer } from './redis-server';

/** Per test and hook: a real redis-server starts, stops and restarts, which takes longer than jest's default 5 s. */
const REAL_REDIS_MS = 30_000;

let redis: RedisServer;
let genesys: FakeServer;
const clients: RedisConnection[] = [];
const running: Running[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
}, REAL_REDIS_MS);
afterAll(() => redis?.stop(), REAL_REDIS_MS);
beforeEach(async () => {
  genesys = await fakeGenesys();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
  await Promise.all(clients.splice(0).map((client) => client.quit().catch(() => undefined)));
  await genesys.close();
}, REAL_REDIS_MS);

/** Resolves once the client is connected: ioredis' `ready` event is the signal. */
const ready = (client: RedisConnection) => (client.status === 'ready' ? Promise.resolve() : new Promise<void>((resolve) => client.once('ready', resolve)));

/** Two middleware instances, each with its own Redis connection (as two processes would have), sharing one Redis (keys prefixed per test). */
async function twoInstances(stores: { rateLimit?: boolean; tokens?: boolean }): Promise<{ a: Running; b: Running; logs: LogCapture[] }> {
  const prefix = `spec-${expect.getState().currentTestName ?? ''}:`;
  const start = async () => {
    const logs = captureLogs();
    const logger = createLogger({ level: 'info', sink: logs.sink });
    const client = await connectRedis(redis.url, logger);
    clients.push(client);
    await ready(client);
    const config: ServerConfig = {
      authenticate: headerAuth,
      rateLimit: stores.rateLimit === true ? { max: 30, windowSeconds: 60, store: redisRateLimitStore({ client, logger, prefix }) } : false,
      genesys: genesysConfig(genesys, stores.tokens === true ? { tokenCache: redisTokenCache({ client, logger, prefix }) } : {}),
    };
    const server = await startMiddleware(config, logs);
    running.push(server);
    return server;
  };
  const [a, b] = [await start(), await start()];
  return { a, b, logs: [a.logs, b.logs] };
}

/** `count` concurrent calls of GET /genesys/availability as `user`, alternating between the two instances. */
async function spread(a: Running, b: Running, user: string, count: number): Promise<number[]> {
  const answers = await Promise.all(
    Array.from({ length: count }, (_, i) => call(i % 2 === 0 ? a.url : b.url, '/genesys/availability', { headers: asUser(user) })),
  );
  return answers.map((answer) => answer.status);
}

const tally = (statuses: number[]) => statuses.reduce<Record<number, number>>((out, status) => ({ ...out, [status]: (out[status] ?? 0) + 1 }), {});
const oauthFetches = () => genesys.requests.filter((request) => request.path === '/oauth/token').length;
const lines = (logs: LogCapture[], text: string) => logs.flatMap((capture) => capture.lines).filter(([, message]) => String(message).includes(text));

describe('redis-backed stores, two instances on one Redis', () => {
  it('share one rate limit: 30 per window across both, not 60', async () => {
    const { a, b } = await twoInstances({ rateLimit: true });
    expect(tally(await spread(a, b, 'shared-limit', 60))).toStrictEqual({ 200: 30, 429: 30 });
  }, REAL_REDIS_MS);

  it('fetch one OAuth token for 50 concurrent requests spread over both', async () => {
    const { a, b } = await twoInstances({ tokens: true });
    expect(tally(await spread(a, b, 'shared-token', 50))).toStrictEqual({ 200: 50 });
    expect(oauthFetches()).toBe(1);
  }, REAL_REDIS_MS);

  it('keep answering while Redis restarts (per-instance fallback), and share again once it is back', async () => {
    const { a, b, logs } = await twoInstances({ rateLimit: true, tokens: true });
    expect(tally(await spread(a, b, 'before', 10))).toStrictEqual({ 200: 10 });
    expect(oauthFetches()).toBe(1);

    // Redis stops while 20 requests are in flight: each is answered, counted in Redis or, once it is gone, in memory.
    const [inFlight] = await Promise.all([spread(a, b, 'stopping', 20), redis.stop()]);
    expect(tally(inFlight)).toStrictEqual({ 200: 20 });
    // Redis is gone: each instance counts on its own (40 requests, 20 each, limit 30 each) and keeps its token copy.
    expect(tally(await spread(a, b, 'during', 40))).toStrictEqual({ 200: 40 });
    expect(oauthFetches()).toBe(1);
    const fallback = (what: string) => `warn [rx-service-desk] Redis is unavailable: the ${what} falls back to this instance's memory until it is back`;
    expect(lines(logs, 'Redis is unavailable').map(([level, message]) => `${String(level)} ${String(message)}`).sort()).toStrictEqual(
      [fallback('rate limit'), fallback('rate limit'), fallback('token cache'), fallback('token cache')],
    );

    await redis.start();
    await Promise.all(clients.map(ready));
    // Back, and empty (nothing persisted): the limit is shared again and one instance fetches the token for both.
    expect(tally(await spread(a, b, 'after', 40))).toStrictEqual({ 200: 30, 429: 10 });
    expect(oauthFetches()).toBe(2);
    expect(lines(logs, 'Redis is available again')).toHaveLength(4);
  }, REAL_REDIS_MS);

  it('are what REDIS_URL selects in the environment configuration', async () => {
    const fromEnv = () => {
      const options = serverOptionsFromEnv(
        {
          REDIS_URL: redis.url,
          ALLOW_ANONYMOUS: 'true',
          VISITOR_SECRET: SECRETS.visitorSecret,
          RATE_LIMIT_MAX: '5',
          GENESYS_CLIENT_ID: GENESYS.clientId,
          GENESYS_CLIENT_SECRET: SECRETS.genesysClientSecret,
          GENESYS_QUEUE_ID: GENESYS.queueId,
          GENESYS_LOGIN_URL: genesys.url,
          GENESYS_API_URL: genesys.url,
        },
        captureLogs().sink,
      );
      return options;
    };
    const [first, second] = [fromEnv(), fromEnv()];
    try {
      const a = await startMiddleware(first.config);
      const b = await startMiddleware(second.config);
      running.push(a, b);
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => call(i % 2 === 0 ? a.url : b.url, '/genesys/availability')));
      expect(tally(answers.map((answer) => answer.status))).toStrictEqual({ 200: 5, 429: 7 });
      expect(oauthFetches()).toBe(1);
    } finally {
      await first.redis?.quit();
      await second.redis?.quit();
    }
  }, REAL_REDIS_MS);
});

describe('redisTokenCache fetch lock', () => {
  /**
   * Starts a single flight on `cache` whose fetch stays open until `finish()`: resolves once the fetch has started
   * (so this cache holds the lock).
   */
  const heldFlight = async (cache: ReturnType<typeof redisTokenCache>, value: string) => {
    let started!: () => void;
    let finish!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const done = new Promise<void>((resolve) => (finish = resolve));
    const flight = cache.singleFlight?.(
      'genesys',
      async () => {
        started();
        await done;
        return { value, expiresAt: Date.now() + 3_600_000 };
      },
      () => false,
    );
    await running;
    return { flight, finish };
  };

  it('is released only by its holder: a holder whose lock expired does not delete the next holder\'s lock', async () => {
    const [a, b, probe] = [await connectRedis(redis.url), await connectRedis(redis.url), await connectRedis(redis.url)];
    clients.push(a, b, probe);
    await Promise.all([a, b, probe].map(ready));
    const prefix = 'spec-fence:';
    const fence = () => probe.eval(`return redis.call('GET', KEYS[1])`, 1, `${prefix}token:lock:genesys`);

    const first = await heldFlight(redisTokenCache({ client: a, prefix }), 'first');
    const firstFence = await fence();
    expect(typeof firstFence).toBe('string');
    // The first holder's lock runs out (as if its fetch took longer than lockTtlMs): the second instance takes it.
    await probe.eval(`return redis.call('DEL', KEYS[1])`, 1, `${prefix}token:lock:genesys`);
    const second = await heldFlight(redisTokenCache({ client: b, prefix }), 'second');
    const secondFence = await fence();
    expect(secondFence).not.toBe(firstFence);

    first.finish();
    expect((await first.flight)?.value).toBe('first');
    expect(await fence()).toBe(secondFence);
    second.finish();
    expect((await second.flight)?.value).toBe('second');
    expect(await fence()).toBeNull();
  }, REAL_REDIS_MS);
});
