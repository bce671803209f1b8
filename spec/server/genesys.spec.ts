import { generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader, importSPKI, jwtVerify } from 'jose';
import type { Authenticate } from '../../lib/server';
import { GENESYS, NEVER, SECRETS, deadUrl, fakeGenesys, gate, type FakeServer } from './fake-vendors';
import { asUser, call, genesysConfig, headerAuth, startMiddleware, type Running } from './harness';

describe('Genesys endpoints', () => {
  let genesys: FakeServer;
  let server: Running;

  beforeEach(async () => {
    genesys = await fakeGenesys();
    server = await startMiddleware({ authenticate: headerAuth, rateLimit: false, genesys: genesysConfig(genesys) });
  });
  afterEach(async () => {
    await server.close();
    await genesys.close();
  });

  const tokenRequests = () => genesys.requests.filter((r) => r.path === '/oauth/token');

  it('fetches the OAuth token with client credentials', async () => {
    await call(server.url, '/genesys/availability', { headers: asUser() });
    const [oauth] = tokenRequests();
    expect(oauth?.headers.authorization).toBe(`Basic ${Buffer.from(`${GENESYS.clientId}:${SECRETS.genesysClientSecret}`).toString('base64')}`);
    expect(oauth?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(oauth?.body).toBe('grant_type=client_credentials');
    const api = genesys.requests.filter((r) => r.path.startsWith('/api/'));
    expect(api.map((r) => r.headers.authorization)).toStrictEqual(api.map(() => `Bearer ${SECRETS.genesysAccessToken}`));
  });

  it('refreshes the OAuth token exactly once under 50 concurrent requests, then reuses it', async () => {
    // The token answer is held until all 50 requests are past authenticate(), so each of them finds the fetch in flight.
    const allIn = gate();
    let arrived = 0;
    const countingAuth: Authenticate = (req) => {
      arrived += 1;
      if (arrived === 50) allIn.release();
      return headerAuth(req);
    };
    await server.close();
    server = await startMiddleware({ authenticate: countingAuth, rateLimit: false, genesys: genesysConfig(genesys) });
    genesys.routes.set('POST /oauth/token', () => ({ json: { access_token: SECRETS.genesysAccessToken, expires_in: 3600 }, after: allIn.promise }));
    const answers = await Promise.all(Array.from({ length: 50 }, () => call(server.url, '/genesys/availability', { headers: asUser() })));
    expect(answers.map((a) => a.status)).toStrictEqual(answers.map(() => 200));
    expect(tokenRequests()).toHaveLength(1);
    await call(server.url, '/genesys/availability', { headers: asUser() });
    expect(tokenRequests()).toHaveLength(1);
  });

  it('drops a token Genesys rejects and fetches a new one once', async () => {
    let rejected = false;
    genesys.routes.set('POST /api/v2/analytics/queues/observations/query', () => {
      if (!rejected) {
        rejected = true;
        return { status: 401, json: { code: 'bad.credentials' } };
      }
      return { json: { results: [] } };
    });
    const res = await call(server.url, '/genesys/availability', { headers: asUser() });
    expect(res.status).toBe(200);
    expect(tokenRequests()).toHaveLength(2);
  });

  it('GET /genesys/availability sums on-queue agents and waiting conversations and adds the wait estimate', async () => {
    const res = await call(server.url, '/genesys/availability', { headers: asUser() });
    expect(res.status).toBe(200);
    expect(res.json).toStrictEqual({ online: true, agentsOnQueue: 4, waiting: 2, waitMinutes: 3 });
    const query = genesys.requests.find((r) => r.path === '/api/v2/analytics/queues/observations/query');
    expect(JSON.parse(query?.body ?? '')).toStrictEqual({
      filter: { type: 'and', predicates: [{ type: 'dimension', dimension: 'queueId', operator: 'matches', value: GENESYS.queueId }] },
      metrics: ['oOnQueueUsers', 'oWaiting'],
    });
  });

  it('answers availability without waitMinutes when Genesys has no estimate', async () => {
    genesys.routes.set(`GET /api/v2/routing/queues/${GENESYS.queueId}/estimatedwaittime`, () => ({ status: 400, json: { code: 'bad.request' } }));
    genesys.routes.set('POST /api/v2/analytics/queues/observations/query', () => ({ json: { results: [] } }));
    const res = await call(server.url, '/genesys/availability', { headers: asUser() });
    expect(res.json).toStrictEqual({ online: false, agentsOnQueue: 0, waiting: 0 });
  });

  it('GET /genesys/agent-profile finds the agent who sent the message and the largest https avatar', async () => {
    const res = await call(server.url, `/genesys/agent-profile?messageId=${GENESYS.messageId}`, { headers: asUser() });
    expect(res.status).toBe(200);
    expect(res.json).toStrictEqual({
      id: GENESYS.userId,
      nickname: 'John Doe',
      avatarUrl: 'https://prod-apse2-inin-directory-service-profile.s3-ap-southeast-2.amazonaws.com/7fac0a12/4643/4d0e/86f3/2467894311b5.jpg',
    });
    const user = genesys.requests.find((r) => r.path.startsWith('/api/v2/users/'));
    expect(user?.query.get('expand')).toBe('images');
  });

  it('takes the sender from the message details when Genesys names it', async () => {
    genesys.routes.set(`GET /api/v2/conversations/messages/${GENESYS.messageId}/details`, () => ({
      json: { id: GENESYS.messageId, conversationId: GENESYS.conversationId, createdBy: { id: GENESYS.userId } },
    }));
    const res = await call(server.url, `/genesys/agent-profile?messageId=${GENESYS.messageId}`, { headers: asUser() });
    expect(res.json.id).toBe(GENESYS.userId);
    expect(genesys.requests.some((r) => r.path === `/api/v2/conversations/messages/${GENESYS.conversationId}`)).toBe(false);
  });

  it('answers 404 for an unknown message and 400 for a malformed id', async () => {
    const unknown = await call(server.url, '/genesys/agent-profile?messageId=00000000-dead-beef-0000-000000000000', { headers: asUser() });
    expect([unknown.status, unknown.json.error.code]).toStrictEqual([404, 'NOT_FOUND']);
    const malformed = await call(server.url, '/genesys/agent-profile?messageId=../../users/me', { headers: asUser() });
    expect([malformed.status, malformed.json.error.code]).toStrictEqual([400, 'BAD_REQUEST']);
    const missing = await call(server.url, '/genesys/agent-profile', { headers: asUser() });
    expect(missing.status).toBe(400);
  });

  it('POST /genesys/auth-code signs a short-lived identity JWT (HS256)', async () => {
    const res = await call(server.url, '/genesys/auth-code', { method: 'POST', headers: asUser('user-9') });
    expect(res.status).toBe(200);
    const { payload, protectedHeader } = await jwtVerify(res.json.code, new TextEncoder().encode(SECRETS.authCodeSecret), {
      issuer: 'https://shop.example.com',
      audience: 'genesys-web-messaging',
    });
    expect(protectedHeader).toStrictEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toMatchObject({ sub: 'user-9', name: 'Ada Lovelace' });
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(typeof payload.jti).toBe('string');
  });
});

describe('Genesys configuration variants and failures', () => {
  let server: Running | undefined;
  let genesys: FakeServer | undefined;
  afterEach(async () => {
    await server?.close();
    await genesys?.close();
  });

  it('signs auth codes with RS256 and a key id', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    genesys = await fakeGenesys();
    server = await startMiddleware({
      authenticate: headerAuth,
      genesys: genesysConfig(genesys, {
        authCode: {
          privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
          keyId: 'key-1',
          issuer: 'https://shop.example.com',
          audience: 'genesys',
          ttlSeconds: 120,
        },
      }),
    });
    const res = await call(server.url, '/genesys/auth-code', { method: 'POST', headers: asUser('user-9') });
    expect(decodeProtectedHeader(res.json.code)).toStrictEqual({ alg: 'RS256', typ: 'JWT', kid: 'key-1' });
    const spki = await importSPKI(publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'RS256');
    const { payload } = await jwtVerify(res.json.code, spki, { issuer: 'https://shop.example.com', audience: 'genesys' });
    expect(payload.exp! - payload.iat!).toBe(120);
  });

  it('restricts figures to the configured media type', async () => {
    genesys = await fakeGenesys();
    genesys.routes.set(`GET /api/v2/routing/queues/${GENESYS.queueId}/mediatypes/message/estimatedwaittime`, () => ({
      json: { results: [{ estimatedWaitTimeSeconds: 61 }] },
    }));
    genesys.routes.set('POST /api/v2/analytics/queues/observations/query', () => ({
      json: {
        results: [
          { group: { queueId: GENESYS.queueId }, data: [{ metric: 'oOnQueueUsers', qualifier: 'IDLE', stats: { count: 1 } }] },
          { group: { queueId: GENESYS.queueId, mediaType: 'message' }, data: [{ metric: 'oWaiting', stats: { count: 5 } }] },
          { group: { queueId: GENESYS.queueId, mediaType: 'voice' }, data: [{ metric: 'oWaiting', stats: { count: 9 } }] },
        ],
      },
    }));
    server = await startMiddleware({ authenticate: headerAuth, genesys: genesysConfig(genesys, { mediaType: 'message' }) });
    const res = await call(server.url, '/genesys/availability', { headers: asUser() });
    expect(res.json).toStrictEqual({ online: true, agentsOnQueue: 1, waiting: 5, waitMinutes: 2 });
  });

  it('answers 502 when the Genesys login is down', async () => {
    genesys = await fakeGenesys();
    server = await startMiddleware({ authenticate: headerAuth, genesys: genesysConfig(genesys, { loginUrl: await deadUrl() }) });
    const res = await call(server.url, '/genesys/availability', { headers: asUser() });
    expect([res.status, res.json.error.code]).toStrictEqual([502, 'UPSTREAM_ERROR']);
  });

  it('answers 502 when Genesys rejects the client credentials', async () => {
    genesys = await fakeGenesys();
    genesys.routes.set('POST /oauth/token', () => ({ status: 401, json: { error: 'invalid_client' } }));
    server = await startMiddleware({ authenticate: headerAuth, genesys: genesysConfig(genesys) });
    const res = await call(server.url, '/genesys/availability', { headers: asUser() });
    expect([res.status, res.json.error.code]).toStrictEqual([502, 'UPSTREAM_ERROR']);
    expect(server.logs.text()).toContain('check the server configuration');
  });

  it('answers 504 when the Genesys API is slow', async () => {
    genesys = await fakeGenesys();
    genesys.routes.set('POST /api/v2/analytics/queues/observations/query', () => ({ json: {}, after: NEVER }));
    server = await startMiddleware({ authenticate: headerAuth, upstreamTimeoutMs: 100, genesys: genesysConfig(genesys) });
    const res = await call(server.url, '/genesys/availability', { headers: asUser() });
    expect([res.status, res.json.error.code]).toStrictEqual([504, 'UPSTREAM_TIMEOUT']);
  });

  it('gives anonymous visitors no signed identity', async () => {
    genesys = await fakeGenesys();
    server = await startMiddleware({ anonymous: { secret: SECRETS.visitorSecret }, genesys: genesysConfig(genesys) });
    const res = await call(server.url, '/genesys/auth-code', { method: 'POST' });
    expect([res.status, res.json.error.code]).toStrictEqual([401, 'UNAUTHENTICATED']);
  });
});
