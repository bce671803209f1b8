import { request as httpRequest } from 'node:http';
import { jwtVerify } from 'jose';
import { createMiddleware, createHandlers, type ServerConfig } from '../../lib/server';
import { createServer as createNodeServer, type RequestListener } from 'node:http';
import { silentLogger } from '../../lib/core/logger';
import type { AddressInfo } from 'node:net';
import { GENESYS, SECRETS, SIDS, fakeGenesys, fakeTwilio, type FakeServer } from './fake-vendors';
import { asUser, call, captureLogs, genesysConfig, headerAuth, startMiddleware, twilioConfig, type Running } from './harness';

const SHOP = 'https://shop.example.com';

describe('middleware protection', () => {
  let twilio: FakeServer;
  let server: Running;
  const start = async (config: Partial<ServerConfig> = {}) => {
    server = await startMiddleware({ authenticate: headerAuth, cors: { origins: [SHOP] }, twilio: twilioConfig(twilio), ...config });
  };

  beforeEach(async () => {
    twilio = await fakeTwilio();
  });
  afterEach(async () => {
    await server.close();
    await twilio.close();
  });

  it('answers GET /healthz without identity', async () => {
    await start();
    const res = await call(server.url, '/healthz');
    expect([res.status, res.json]).toStrictEqual([200, { status: 'ok' }]);
  });

  it('answers 401 to a request without identity and calls no vendor', async () => {
    await start();
    const res = await call(server.url, '/twilio/session', { body: { kind: 'chat' } });
    expect([res.status, res.json]).toStrictEqual([401, { error: { code: 'UNAUTHENTICATED', message: 'Sign in to chat with an agent.' } }]);
    expect(twilio.requests).toHaveLength(0);
  });

  it('treats a throwing authenticate hook as signed out, and an invalid identity as a server bug', async () => {
    await start({
      authenticate: (req) => {
        if (req.headers.authorization === 'throw') throw new Error('session store down');
        return { id: 'has spaces' };
      },
    });
    expect((await call(server.url, '/twilio/token', { headers: { Authorization: 'throw' }, body: { kind: 'chat' } })).status).toBe(401);
    const invalid = await call(server.url, '/twilio/token', { body: { kind: 'chat' } });
    expect([invalid.status, invalid.json.error.code]).toStrictEqual([500, 'INTERNAL']);
  });

  it('allows a CORS preflight from a listed origin', async () => {
    await start();
    const res = await call(server.url, '/twilio/session', {
      method: 'OPTIONS',
      headers: { Origin: SHOP, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(res.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS');
    expect(res.headers.get('access-control-allow-headers')).toContain('Content-Type');
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('vary')).toBe('Origin');
    const real = await call(server.url, '/twilio/token', { headers: { Origin: SHOP, ...asUser() }, body: { kind: 'chat' } });
    expect(real.status).toBe(200);
    expect(real.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(real.headers.get('vary')).toBe('Origin');
    expect((await call(server.url, '/twilio/token', { headers: asUser(), body: { kind: 'chat' } })).headers.get('vary')).toBe('Origin');
  });

  it('refuses a CORS preflight and a request from another origin', async () => {
    await start();
    const preflight = await call(server.url, '/twilio/session', {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect([preflight.status, preflight.json.error.code]).toStrictEqual([403, 'ORIGIN_NOT_ALLOWED']);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const post = await call(server.url, '/twilio/session', { headers: { Origin: 'https://evil.example', ...asUser() }, body: { kind: 'chat' } });
    expect(post.status).toBe(403);
    expect(twilio.requests).toHaveLength(0);
  });

  describe('same-origin fallback', () => {
    /** A POST with the exact Origin and Host headers given (fetch would not let us set Host). */
    const rawPost = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const { port } = new URL(server.url);
        const body = JSON.stringify({ kind: 'chat' });
        const req = httpRequest(
          { host: '127.0.0.1', port, path: '/twilio/token', method: 'POST', headers: { ...asUser(), 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end(body);
      });

    it('compares scheme, host and port, and only for Host headers on the allowlist (DNS rebinding)', async () => {
      await start({ cors: { origins: [SHOP], sameOriginHosts: ['desk.example.com:8080'] } });
      const own = new URL(server.url).host;
      expect(await rawPost({ Host: 'desk.example.com:8080', Origin: 'http://desk.example.com:8080' })).toBe(200);
      expect(await rawPost({ Host: 'desk.example.com:8080', Origin: 'https://desk.example.com:8080' })).toBe(403);
      expect(await rawPost({ Host: 'desk.example.com:8080', Origin: 'ftp://desk.example.com:8080' })).toBe(403);
      expect(await rawPost({ Host: 'desk.example.com:8080', Origin: 'http://desk.example.com:8081' })).toBe(403);
      expect(await rawPost({ Host: own, Origin: `ftp://${own}` })).toBe(403);
      expect(await rawPost({ Host: own, Origin: `http://${own}` })).toBe(403);
      expect(await rawPost({ Host: 'rebound.example:80', Origin: 'http://rebound.example' })).toBe(403);
    });

    it('is off without an allowlist of Host headers', async () => {
      await start();
      const own = new URL(server.url).host;
      expect(await rawPost({ Host: own, Origin: `ftp://${own}` })).toBe(403);
      expect(await rawPost({ Host: own, Origin: `http://${own}` })).toBe(403);
      expect(await rawPost({ Host: own, Origin: SHOP })).toBe(200);
      expect(await rawPost({ Host: own })).toBe(200);
    });
  });

  it('answers 429 with Retry-After once an identity passes the limit, and counts identities apart', async () => {
    await start({ rateLimit: { max: 3, windowSeconds: 60 } });
    for (let i = 0; i < 3; i += 1) expect((await call(server.url, '/twilio/availability', { headers: asUser('a') })).status).toBe(200);
    const limited = await call(server.url, '/twilio/availability', { headers: asUser('a') });
    expect([limited.status, limited.json.error.code]).toStrictEqual([429, 'RATE_LIMITED']);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect((await call(server.url, '/twilio/availability', { headers: asUser('b') })).status).toBe(200);
  });

  it('rate limits unauthenticated callers by address', async () => {
    await start({ rateLimit: { max: 2, windowSeconds: 60 } });
    expect((await call(server.url, '/twilio/availability')).status).toBe(401);
    expect((await call(server.url, '/twilio/availability')).status).toBe(401);
    expect((await call(server.url, '/twilio/availability')).status).toBe(429);
  });

  it('warns once when proxies are trusted but a request arrives without X-Forwarded-For (clients reach it directly)', async () => {
    await start({ trustProxyHops: 1 });
    const warnings = () => server.logs.lines.filter(([level, message]) => level === 'warn' && String(message).includes('X-Forwarded-For'));
    expect((await call(server.url, '/twilio/availability', { headers: { ...asUser(), 'X-Forwarded-For': '203.0.113.7' } })).status).toBe(200);
    expect(warnings()).toStrictEqual([]);
    await call(server.url, '/twilio/availability', { headers: asUser() });
    await call(server.url, '/twilio/availability', { headers: asUser() });
    expect(warnings()).toStrictEqual([
      [
        'warn',
        '[rx-service-desk] trustProxyHops is 1 but a request arrived with 0 X-Forwarded-For entries: clients can reach this service without the proxy, and can then forge X-Forwarded-For to get a fresh rate limit per request. Let only the proxy connect, or set trustProxyHops to 0.',
        { socketAddress: '127.0.0.1' },
      ],
    ]);
  });

  it('answers 413 to a body over the limit, declared or streamed', async () => {
    await start({ bodyLimitBytes: 1024 });
    const big = JSON.stringify({ kind: 'chat', preEngagement: { pad: 'x'.repeat(4096) } });
    const declared = await call(server.url, '/twilio/session', { headers: { ...asUser(), 'Content-Type': 'application/json' }, raw: big });
    expect([declared.status, declared.json.error.code]).toStrictEqual([413, 'PAYLOAD_TOO_LARGE']);
    const streamed = await new Promise<number>((resolve, reject) => {
      const { port } = new URL(server.url);
      const req = httpRequest({ host: '127.0.0.1', port, path: '/twilio/session', method: 'POST', headers: { ...asUser(), 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(big.slice(0, 2048));
      req.end(big.slice(2048));
    });
    expect(streamed).toBe(413);
    expect(twilio.requests).toHaveLength(0);
  });

  it('answers 400 to malformed JSON and 415 to a body that is not JSON', async () => {
    await start();
    const malformed = await call(server.url, '/twilio/session', { headers: { ...asUser(), 'Content-Type': 'application/json' }, raw: '{"kind": "chat",' });
    expect([malformed.status, malformed.json]).toStrictEqual([400, { error: { code: 'BAD_REQUEST', message: 'The request body is not valid JSON.' } }]);
    const form = await call(server.url, '/twilio/session', { headers: { ...asUser(), 'Content-Type': 'application/x-www-form-urlencoded' }, raw: 'kind=chat' });
    expect([form.status, form.json.error.code]).toStrictEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const empty = await call(server.url, '/twilio/token', { method: 'POST', headers: asUser() });
    expect([empty.status, empty.json.error.message]).toStrictEqual([400, 'Send a JSON object body with "kind".']);
  });

  it('answers 405 to a wrong method and 404 to an unknown path or an unconfigured vendor', async () => {
    await start();
    const wrong = await call(server.url, '/twilio/session', { headers: asUser() });
    expect([wrong.status, wrong.headers.get('allow')]).toStrictEqual([405, 'POST, OPTIONS']);
    expect((await call(server.url, '/admin', { headers: asUser() })).status).toBe(404);
    const genesys = await call(server.url, '/genesys/availability', { headers: asUser() });
    expect([genesys.status, genesys.json.error.message]).toStrictEqual([404, 'Genesys is not configured on this server.']);
  });
});

describe('anonymous visitors', () => {
  let twilio: FakeServer;
  let server: Running;
  beforeEach(async () => {
    twilio = await fakeTwilio();
    server = await startMiddleware({ anonymous: { secret: SECRETS.visitorSecret }, twilio: twilioConfig(twilio) });
  });
  afterEach(async () => {
    await server.close();
    await twilio.close();
  });

  it('gives a new visitor a random signed id and keeps it while the browser sends it back', async () => {
    const first = await call(server.url, '/twilio/token', { body: { kind: 'chat' } });
    const visitor = first.headers.get('x-visitor-token');
    expect(first.json.identity).toMatch(/^visitor-[A-Za-z0-9_-]{22}$/);
    expect(visitor?.startsWith(`${first.json.identity}.`)).toBe(true);
    const again = await call(server.url, '/twilio/token', { headers: { 'X-Visitor-Token': visitor ?? '' }, body: { kind: 'chat' } });
    expect(again.json.identity).toBe(first.json.identity);
    expect(again.headers.get('x-visitor-token')).toBeNull();
    const other = await call(server.url, '/twilio/token', { body: { kind: 'chat' } });
    expect(other.json.identity).not.toBe(first.json.identity);
  });

  it('never lets a visitor pick an identity: a forged token gets a fresh id', async () => {
    const forged = `visitor-admin.${Math.floor(Date.now() / 1000)}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;
    const res = await call(server.url, '/twilio/token', { headers: { 'X-Visitor-Token': forged }, body: { kind: 'chat' } });
    expect(res.json.identity).not.toBe('visitor-admin');
    const { payload } = await jwtVerify(res.json.token, new TextEncoder().encode(SECRETS.twilioApiKeySecret));
    expect((payload.grants as { identity: string }).identity).toBe(res.json.identity);
  });
});

describe('no secret in logs', () => {
  it('keeps every secret and minted token out of all log output, at debug level, across successes and failures', async () => {
    const twilio = await fakeTwilio();
    const genesys = await fakeGenesys();
    const logs = captureLogs();
    const server = await startMiddleware(
      {
        authenticate: headerAuth,
        anonymous: { secret: SECRETS.visitorSecret },
        cors: { origins: [SHOP] },
        twilio: twilioConfig(twilio),
        genesys: genesysConfig(genesys),
      },
      logs,
    );
    const answers = [
      await call(server.url, '/twilio/session', { headers: asUser(), body: { kind: 'chat' } }),
      await call(server.url, '/twilio/session', { body: { kind: 'conversations' } }),
      await call(server.url, '/twilio/token', { headers: asUser(), body: { kind: 'chat' } }),
      await call(server.url, '/twilio/availability', { headers: asUser() }),
      await call(server.url, '/genesys/availability', { headers: asUser() }),
      await call(server.url, `/genesys/agent-profile?messageId=${GENESYS.messageId}`, { headers: asUser() }),
      await call(server.url, '/genesys/auth-code', { method: 'POST', headers: asUser() }),
    ];
    twilio.routes.set('POST /v1/Channels', () => ({ status: 401, json: { code: 20003, message: `bad ${SECRETS.twilioAuthToken}` } }));
    genesys.routes.set('POST /api/v2/analytics/queues/observations/query', () => ({ status: 500, json: { message: SECRETS.genesysAccessToken } }));
    answers.push(
      await call(server.url, '/twilio/session', { headers: asUser(), body: { kind: 'chat' } }),
      await call(server.url, '/genesys/availability', { headers: asUser() }),
      await call(server.url, '/twilio/token', { headers: { Origin: 'https://evil.example' }, body: { kind: 'chat' } }),
    );
    await server.close();
    await twilio.close();
    await genesys.close();
    expect(answers.map((a) => a.status)).toStrictEqual([200, 200, 200, 200, 200, 200, 200, 502, 502, 403]);
    const minted = answers.flatMap((a) => [a.json?.token, a.json?.code, a.headers.get('x-visitor-token')]).filter((v): v is string => typeof v === 'string');
    expect(minted.length).toBeGreaterThanOrEqual(5);
    const text = logs.text();
    expect(logs.lines.length).toBeGreaterThan(10);
    for (const secret of [...Object.values(SECRETS), ...minted, Buffer.from(`${SIDS.account}:${SECRETS.twilioAuthToken}`).toString('base64')]) {
      expect(text).not.toContain(secret);
    }
    const bodies = answers.map((a) => JSON.stringify(a.json)).join('\n');
    for (const secret of Object.values(SECRETS).filter((s) => s !== SECRETS.genesysAccessToken)) expect(bodies).not.toContain(secret);
    expect(bodies).not.toContain(SECRETS.genesysAccessToken);
  });
});

describe('mounting', () => {
  const listen = async (handler: RequestListener) => {
    const server = createNodeServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  };
  const base: ServerConfig = { authenticate: headerAuth, logger: silentLogger };

  it('serves below basePath and passes other paths to next()', async () => {
    const middleware = createMiddleware({ ...base, basePath: '/desk'});
    const { server, url } = await listen((req, res) => {
      void middleware(req, res, () => {
        res.statusCode = 418;
        res.end('next');
      });
    });
    expect((await call(url, '/desk/healthz')).json).toStrictEqual({ status: 'ok' });
    expect((await fetch(`${url}/healthz`)).status).toBe(418);
    expect((await fetch(`${url}/desktop/healthz`)).status).toBe(418);
    server.close();
  });

  it('hands out one handler per endpoint for a router of your own, using a body a framework parsed', async () => {
    const twilio = await fakeTwilio();
    const handlers = createHandlers({ ...base, twilio: twilioConfig(twilio)});
    const { server, url } = await listen((req, res) => {
      Object.assign(req, { body: { kind: 'conversations' } });
      req.resume();
      void handlers.twilioToken(req, res);
    });
    const res = await call(url, '/any/path/you/like', { method: 'POST', headers: asUser('u1') });
    expect([res.status, res.json.identity]).toStrictEqual([200, 'u1']);
    server.close();
    await twilio.close();
  });

  it('refuses an invalid configuration with every problem named', () => {
    expect(() => createMiddleware({ anonymous: { secret: 'short' }, cors: { origins: ['*'], sameOriginHosts: ['https://x'] }, bodyLimitBytes: 0 })).toThrow(
      /anonymous\.secret must be at least 32 characters\. cors\.origins: .*wildcard.* cors\.sameOriginHosts: "https:\/\/x" is not a host\[:port\]\. bodyLimitBytes must be/,
    );
    expect(() => createMiddleware({})).toThrow(/Give "authenticate"/);
  });
});
