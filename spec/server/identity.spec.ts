import type { IncomingMessage } from 'node:http';
import { SignJWT } from 'jose';
import { createLogger } from '../../lib/core/logger';
import { bearerJwtAuthenticator, visitorIds } from '../../lib/server';
import { captureLogs } from './harness';

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

  it('accepts the scheme in any case', async () => {
    const token = await sign({ sub: 'user-42' });
    for (const scheme of ['bearer', 'BEARER', 'bEaReR']) expect(await authenticate(request(`${scheme} ${token}`))).toStrictEqual({ id: 'user-42' });
  });

  it('refuses a token without exp, or older than the maximum age (default an hour) even when exp is far away', async () => {
    const key = new TextEncoder().encode(SECRET);
    const now = Math.floor(Date.now() / 1000);
    const claims = () => new SignJWT({ sub: 'u' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('https://shop.example.com').setAudience('service-desk');
    const noExp = await claims().setIssuedAt(now).sign(key);
    await expect(authenticate(request(`Bearer ${noExp}`))).rejects.toThrow(/"exp" claim/);
    const old = await claims().setIssuedAt(now - 3601).setExpirationTime(now + 86_400).sign(key);
    await expect(authenticate(request(`Bearer ${old}`))).rejects.toThrow(/"iat" claim timestamp check failed/);
    const lenient = bearerJwtAuthenticator({ secret: SECRET, issuer: 'https://shop.example.com', audience: 'service-desk', maxTokenAgeSeconds: 7200 });
    expect(await lenient(request(`Bearer ${old}`))).toStrictEqual({ id: 'u' });
  });

  it('refuses to start without issuer and audience unless told to accept any, and then warns', () => {
    expect(() => bearerJwtAuthenticator({ secret: SECRET })).toThrow('bearerJwtAuthenticator needs "issuer" and "audience"');
    expect(() => bearerJwtAuthenticator({ secret: SECRET, issuer: 'https://shop.example.com' })).toThrow('needs "issuer" and "audience"');
    const logs = captureLogs();
    bearerJwtAuthenticator({ secret: SECRET, anyIssuerAndAudience: true, logger: createLogger({ level: 'info', sink: logs.sink }) });
    expect(logs.lines).toStrictEqual([
      ['warn', '[rx-service-desk] bearerJwtAuthenticator accepts tokens of any issuer and audience: a token your identity provider issued for another application passes. Set issuer and audience.'],
    ]);
  });

  it('needs exactly one key source', () => {
    expect(() => bearerJwtAuthenticator({ issuer: 'i', audience: 'a' })).toThrow('exactly one');
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
