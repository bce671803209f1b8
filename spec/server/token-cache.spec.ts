import { createTokenProvider, memoryTokenCache, type CachedToken } from '../../lib/server';

describe('createTokenProvider', () => {
  const setup = () => {
    let now = 1_000_000;
    let fetched = 0;
    const provider = createTokenProvider({
      cache: memoryTokenCache(),
      key: 'k',
      refreshMarginMs: 60_000,
      clock: () => now,
      fetchToken: async (): Promise<CachedToken> => {
        fetched += 1;
        return { value: `token-${fetched}`, expiresAt: now + 3_600_000 };
      },
    });
    return { provider, advance: (ms: number) => (now += ms), fetched: () => fetched };
  };

  it('keeps a token until the refresh margin before expiry', async () => {
    const { provider, advance, fetched } = setup();
    expect(await provider.get()).toBe('token-1');
    advance(3_600_000 - 60_001);
    expect(await provider.get()).toBe('token-1');
    advance(2);
    expect(await provider.get()).toBe('token-2');
    expect(fetched()).toBe(2);
  });

  it('shares one fetch between concurrent callers', async () => {
    const { provider, fetched } = setup();
    const tokens = await Promise.all(Array.from({ length: 50 }, () => provider.get()));
    expect(new Set(tokens)).toStrictEqual(new Set(['token-1']));
    expect(fetched()).toBe(1);
  });

  it('forgets an invalidated token but not a newer one', async () => {
    const { provider, fetched } = setup();
    await provider.get();
    await provider.invalidate('token-0');
    expect(await provider.get()).toBe('token-1');
    await provider.invalidate('token-1');
    expect(await provider.get()).toBe('token-2');
    expect(fetched()).toBe(2);
  });

  it('does not cache a failed fetch', async () => {
    let attempts = 0;
    const provider = createTokenProvider({
      cache: memoryTokenCache(),
      key: 'k',
      fetchToken: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('down');
        return { value: 'ok', expiresAt: Date.now() + 3_600_000 };
      },
    });
    await expect(provider.get()).rejects.toThrow('down');
    await expect(provider.get()).resolves.toBe('ok');
  });
});
