import { decodeProtectedHeader, jwtVerify } from 'jose';
import { mintTwilioToken } from '../../lib/server';
import { validateTwilioConfig } from '../../lib/server/twilio';
import { NEVER, SECRETS, SIDS, deadUrl, fakeTwilio, type FakeServer } from './fake-vendors';
import { asUser, call, headerAuth, startMiddleware, twilioConfig, type Running } from './harness';

const key = new TextEncoder().encode(SECRETS.twilioApiKeySecret);

describe('mintTwilioToken', () => {
  it('lays out the claims like the twilio helper and signs with the API key secret', async () => {
    const now = 1_700_000_000_000;
    const { token, expiresAt } = await mintTwilioToken({
      accountSid: SIDS.account,
      apiKeySid: SIDS.apiKey,
      apiKeySecret: SECRETS.twilioApiKeySecret,
      serviceSid: SIDS.chatService,
      identity: 'user-42',
      ttlSeconds: 900,
      now,
    });
    expect(decodeProtectedHeader(token)).toStrictEqual({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' });
    const { payload } = await jwtVerify(token, key, { currentDate: new Date(now) });
    expect(payload).toStrictEqual({
      jti: `${SIDS.apiKey}-1700000000`,
      iss: SIDS.apiKey,
      sub: SIDS.account,
      iat: 1_700_000_000,
      exp: 1_700_000_900,
      grants: { identity: 'user-42', chat: { service_sid: SIDS.chatService } },
    });
    expect(expiresAt).toBe(1_700_000_900_000);
    await expect(jwtVerify(token, new TextEncoder().encode('another-secret-0123456789'), { currentDate: new Date(now) })).rejects.toThrow();
  });
});

describe('validateTwilioConfig', () => {
  const base = {
    accountSid: SIDS.account,
    apiKeySid: SIDS.apiKey,
    apiKeySecret: SECRETS.twilioApiKeySecret,
    conversations: { serviceSid: SIDS.conversationsService, addressSid: SIDS.address },
  };

  it('accepts a TTL from 3 minutes to 24 hours', () => {
    expect(validateTwilioConfig({ ...base, tokenTtlSeconds: 180 })).toStrictEqual([]);
    expect(validateTwilioConfig({ ...base, tokenTtlSeconds: 86_400 })).toStrictEqual([]);
    expect(validateTwilioConfig({ ...base, tokenTtlSeconds: 179 })).toEqual([expect.stringContaining('tokenTtlSeconds')]);
    expect(validateTwilioConfig({ ...base, tokenTtlSeconds: 86_401 })).toEqual([expect.stringContaining('tokenTtlSeconds')]);
  });

  it('names malformed SIDs and a missing chat flavour', () => {
    expect(validateTwilioConfig({ ...base, accountSid: 'SK123', conversations: undefined })).toEqual([
      expect.stringContaining('twilio.accountSid'),
      expect.stringContaining('"chat" or "conversations"'),
    ]);
  });
});

describe('Twilio endpoints', () => {
  let twilio: FakeServer;
  let server: Running;

  beforeEach(async () => {
    twilio = await fakeTwilio();
    server = await startMiddleware({ authenticate: headerAuth, twilio: twilioConfig(twilio) });
  });
  afterEach(async () => {
    await server.close();
    await twilio.close();
  });

  it('POST /twilio/token mints a token for the authenticated identity with the configured TTL', async () => {
    const before = Math.floor(Date.now() / 1000);
    const res = await call(server.url, '/twilio/token', { headers: asUser('user-7'), body: { kind: 'conversations' } });
    expect(res.status).toBe(200);
    const { payload } = await jwtVerify(res.json.token, key);
    expect(payload.grants).toStrictEqual({ identity: 'user-7', chat: { service_sid: SIDS.conversationsService } });
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(res.json).toStrictEqual({ token: res.json.token, identity: 'user-7', expiresAt: payload.exp! * 1000 });
    expect(twilio.requests).toHaveLength(0);
  });

  it('POST /twilio/session (chat) creates a Flex channel for the identity and returns channel and token', async () => {
    const res = await call(server.url, '/twilio/session', {
      headers: asUser('user-7'),
      body: { kind: 'chat', friendlyName: 'Someone Else', preEngagement: { topic: 'billing' } },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ identity: 'user-7', channelSid: 'CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', taskSid: SIDS.task });
    const { payload } = await jwtVerify(res.json.token, key);
    expect(payload.grants).toStrictEqual({ identity: 'user-7', chat: { service_sid: SIDS.chatService } });
    const [request] = twilio.requests;
    expect(request?.path).toBe('/v1/Channels');
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from(`${SIDS.account}:${SECRETS.twilioAuthToken}`).toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toStrictEqual({
      FlexFlowSid: SIDS.flexFlow,
      Identity: 'user-7',
      ChatUserFriendlyName: 'Ada Lovelace',
      ChatFriendlyName: 'Chat with Ada Lovelace',
      PreEngagementData: '{"topic":"billing"}',
    });
  });

  it('POST /twilio/session (conversations) creates a Flex web chat and returns the conversation', async () => {
    const res = await call(server.url, '/twilio/session', { headers: asUser('user-8'), body: { kind: 'conversations' } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ identity: 'user-8', conversationSid: 'CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' });
    expect(Object.fromEntries(new URLSearchParams(twilio.requests[0]?.body))).toStrictEqual({
      AddressSid: SIDS.address,
      ChatFriendlyName: 'Chat with Ada Lovelace',
      CustomerFriendlyName: 'Ada Lovelace',
      Identity: 'user-8',
    });
  });

  it('refuses a web chat that Flex created for another identity', async () => {
    twilio.routes.set('POST /v2/WebChats', () => ({ status: 201, json: { conversation_sid: `CH${'b'.repeat(32)}`, identity: 'seinfeld' } }));
    const res = await call(server.url, '/twilio/session', { headers: asUser('user-8'), body: { kind: 'conversations' } });
    expect(res.status).toBe(502);
    expect(res.json.error.code).toBe('UPSTREAM_ERROR');
  });

  it('GET /twilio/availability maps TaskRouter queue statistics and the caller position', async () => {
    const res = await call(server.url, `/twilio/availability?taskSid=${SIDS.task}`, { headers: asUser() });
    expect(res.status).toBe(200);
    expect(res.json).toStrictEqual({ online: true, agentsAvailable: 2, position: 2, waitMinutes: 3 });
    const tasks = twilio.requests.find((r) => r.path.endsWith('/Tasks'));
    expect(Object.fromEntries(tasks?.query ?? [])).toStrictEqual({
      TaskQueueSid: SIDS.queue,
      AssignmentStatus: 'pending',
      Ordering: 'DateCreated:asc',
      PageSize: '200',
    });
  });

  it('answers offline without position when nobody is available and the task is unknown', async () => {
    twilio.routes.set(`GET /v1/Workspaces/${SIDS.workspace}/TaskQueues/${SIDS.queue}/RealTimeStatistics`, () => ({ json: { total_available_workers: 0 } }));
    twilio.routes.set(`GET /v1/Workspaces/${SIDS.workspace}/TaskQueues/${SIDS.queue}/CumulativeStatistics`, () => ({ json: { avg_task_acceptance_time: 0, reservations_accepted: 0 } }));
    const res = await call(server.url, '/twilio/availability', { headers: asUser() });
    expect(res.json).toStrictEqual({ online: false, agentsAvailable: 0 });
    expect(twilio.requests.some((r) => r.path.endsWith('/Tasks'))).toBe(false);
  });

  it('validates input with clear 400s', async () => {
    const cases: [string, unknown, string][] = [
      ['/twilio/session', { kind: 'video' }, '"kind" must be "chat" or "conversations".'],
      ['/twilio/session', { kind: 'chat', identity: 'admin' }, 'Unknown field(s): "identity".'],
      ['/twilio/session', { kind: 'chat', friendlyName: 'a\u0000b' }, '"friendlyName" must be text of 1 to 100 printable characters.'],
      ['/twilio/session', { kind: 'chat', preEngagement: [1] }, '"preEngagement" must be a JSON object.'],
      ['/twilio/session', { kind: 'chat', preEngagement: { form: { 'bad key': 1 } } }, '"preEngagement" has a key name that is not allowed: "bad key" (letters, digits, _ . - and at most 64 characters, starting with a letter or _).'],
      ['/twilio/session', { kind: 'chat', preEngagement: JSON.parse('{"__proto__": {"admin": true}}') as unknown }, '"preEngagement" has a key name that is not allowed: "__proto__" (letters, digits, _ . - and at most 64 characters, starting with a letter or _).'],
      ['/twilio/token', [], 'The request body must be a JSON object.'],
    ];
    for (const [path, body, message] of cases) {
      const res = await call(server.url, path, { headers: asUser(), body });
      expect([res.status, res.json]).toStrictEqual([400, { error: { code: 'BAD_REQUEST', message } }]);
    }
    const query = await call(server.url, '/twilio/availability?taskSid=nope', { headers: asUser() });
    expect(query.status).toBe(400);
    expect(twilio.requests).toHaveLength(0);
  });

  it('answers 400, not 500, to a deeply nested or very wide preEngagement, within the default limits', async () => {
    const deep = `{"kind":"chat","preEngagement":{"a":${'['.repeat(5000)}${']'.repeat(5000)}}}`;
    const wide = JSON.stringify({ kind: 'chat', preEngagement: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, 0])) });
    expect(Buffer.byteLength(deep)).toBeLessThan(16_384);
    for (const [raw, message] of [
      [deep, '"preEngagement" must nest at most 8 levels deep.'],
      [wide, '"preEngagement" must have at most 256 keys and values in all.'],
    ]) {
      const res = await call(server.url, '/twilio/session', { headers: { ...asUser(), 'Content-Type': 'application/json' }, raw });
      expect([res.status, res.json]).toStrictEqual([400, { error: { code: 'BAD_REQUEST', message } }]);
    }
    const nested = await call(server.url, '/twilio/session', { headers: asUser(), body: { kind: 'chat', preEngagement: { form: { answers: [{ q: 'topic', a: 'billing' }] } } } });
    expect(nested.status).toBe(200);
    expect(twilio.requests).toHaveLength(1);
  });
});

describe('Twilio upstream failures', () => {
  let server: Running | undefined;
  let twilio: FakeServer | undefined;
  afterEach(async () => {
    await server?.close();
    await twilio?.close();
  });

  it('answers 502 when Twilio is down', async () => {
    const url = await deadUrl();
    twilio = await fakeTwilio();
    server = await startMiddleware({ authenticate: headerAuth, twilio: twilioConfig(twilio, { flexApiUrl: url }) });
    const res = await call(server.url, '/twilio/session', { headers: asUser(), body: { kind: 'chat' } });
    expect([res.status, res.json.error.code]).toStrictEqual([502, 'UPSTREAM_ERROR']);
  });

  it('answers 504 when Twilio is slower than the upstream timeout', async () => {
    twilio = await fakeTwilio();
    twilio.routes.set('POST /v1/Channels', () => ({ status: 201, json: {}, after: NEVER }));
    server = await startMiddleware({ authenticate: headerAuth, upstreamTimeoutMs: 100, twilio: twilioConfig(twilio) });
    const res = await call(server.url, '/twilio/session', { headers: asUser(), body: { kind: 'chat' } });
    expect([res.status, res.json.error.code]).toStrictEqual([504, 'UPSTREAM_TIMEOUT']);
  });

  it('answers 502 on a Twilio error status and 503 with Retry-After when Twilio rate limits', async () => {
    twilio = await fakeTwilio();
    server = await startMiddleware({ authenticate: headerAuth, twilio: twilioConfig(twilio) });
    twilio.routes.set('POST /v1/Channels', () => ({ status: 401, json: { code: 20003, message: 'Authenticate' } }));
    const denied = await call(server.url, '/twilio/session', { headers: asUser(), body: { kind: 'chat' } });
    expect([denied.status, denied.json.error.code]).toStrictEqual([502, 'UPSTREAM_ERROR']);
    twilio.routes.set('POST /v1/Channels', () => ({ status: 429, json: { code: 20429 }, headers: { 'Retry-After': '7' } }));
    const busy = await call(server.url, '/twilio/session', { headers: asUser(), body: { kind: 'chat' } });
    expect([busy.status, busy.json.error.code, busy.headers.get('retry-after')]).toStrictEqual([503, 'UPSTREAM_BUSY', '7']);
    expect(server.logs.text()).toContain('20003');
  });
});
