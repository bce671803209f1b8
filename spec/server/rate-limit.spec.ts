import { createRateLimiter, memoryRateLimitStore } from '../../lib/server';

describe('createRateLimiter', () => {
  it('allows max requests per key and window, then says when to retry', async () => {
    let now = 0;
    const limit = createRateLimiter({ max: 2, windowMs: 10_000, clock: () => now });
    expect(await limit('a')).toStrictEqual({ allowed: true, retryAfterSeconds: 10 });
    expect((await limit('a')).allowed).toBe(true);
    now = 2_500;
    expect(await limit('a')).toStrictEqual({ allowed: false, retryAfterSeconds: 8 });
    expect((await limit('b')).allowed).toBe(true);
    now = 10_000;
    expect((await limit('a')).allowed).toBe(true);
  });

  it('bounds the memory store by dropping expired, then oldest keys', () => {
    const store = memoryRateLimitStore({ maxKeys: 2 });
    store.hit('a', 1000, 0);
    store.hit('b', 1000, 500);
    store.hit('c', 1000, 1200);
    expect(store.hit('b', 1000, 1300)).toStrictEqual({ count: 2, resetAt: 1500 });
    store.hit('d', 1000, 1400);
    expect(store.hit('c', 1000, 1450)).toStrictEqual({ count: 2, resetAt: 2200 });
    expect(store.hit('b', 1000, 1460)).toStrictEqual({ count: 1, resetAt: 2460 });
  });
});
