import type { IncomingMessage } from 'node:http';
import { SignJWT } from 'jose';
import { bearerJwtAuthenticator, visitorIds } from '../../lib/server';

const SECRET = 'app-session-secret-0123456789abcdef';
const request = (authorization?: string) => ({ headers: authorization === undefined ? {} : { authorization } }) as IncomingMessage;
const sign = (claims: Record<string, unknown>, options: { exp?: number; aud?: string; secret?: string } = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('https://shop.example.com')
    .setAudience(options.aud ?? 'service-desk')
    .setIssuedAt()
    .setExpirationTime(options.exp ?? Math.floor(Date.now() / 1000) + 300)
    .sign(new TextEncoder().encode(options.secret ?? SECRET));

describe('bearerJwtAuthenticator', () => {
  const authenticate = bearerJwtAuthenticator({ secret: SECRET, issuer: 'https://shop.example.com', audience: 'service-desk' });

  it('takes the identity from sub and the name from name', async () => {
    const token = await sign({ sub: 'user-42', name: 'Ada Lovelace' });
    expect(await authenticate(request(`Bearer ${token}`))).toStrictEqual({ id: 'user-42', name: 'Ada Lovelace' });
  });

  it('rejects expired, foreign-audience and badly signed tokens, and requests without one', async () => {
    await expect(authenticate(request(`Bearer ${await sign({ sub: 'u' }, { exp: 1_000 })}`))).rejects.toThrow();
    await expect(authenticate(request(`Bearer ${await sign({ sub: 'u' }, { aud: 'other' })}`))).rejects.toThrow();
    await expect(authenticate(request(`Bearer ${await sign({ sub: 'u' }, { secret: 'x'.repeat(40) })}`))).rejects.toThrow();
    expect(await authenticate(request())).toBeNull();
    expect(await authenticate(request('Basic dTpw'))).toBeNull();
  });

  it('refuses an identity it cannot pass on safely', async () => {
    expect(await authenticate(request(`Bearer ${await sign({ sub: 'has spaces' })}`))).toBeNull();
    expect(await authenticate(request(`Bearer ${await sign({})}`))).toBeNull();
  });

  it('needs exactly one key source', () => {
    expect(() => bearerJwtAuthenticator({})).toThrow('exactly one');
  });
});

describe('visitorIds', () => {
  const visitors = visitorIds({ secret: 'visitor-secret-0123456789abcdef0123456789', maxAgeSeconds: 60 });

  it('verifies its own ids until they expire', () => {
    const { id, token } = visitors.issue(1_000_000);
    expect(visitors.verify(token, 1_000_000 + 59_000)).toBe(id);
    expect(visitors.verify(token, 1_000_000 + 61_000)).toBeNull();
  });

  it('refuses tampered ids and ids signed with another secret', () => {
    const { token } = visitors.issue(1_000_000);
    const [, issued, signature] = token.split('.');
    expect(visitors.verify(`visitor-admin.${issued}.${signature}`, 1_000_000)).toBeNull();
    const other = visitorIds({ secret: 'another-secret-0123456789abcdef0123456789' }).issue(1_000_000);
    expect(visitors.verify(other.token, 1_000_000)).toBeNull();
    expect(visitors.verify('garbage', 1_000_000)).toBeNull();
  });
});
