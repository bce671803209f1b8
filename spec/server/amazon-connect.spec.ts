import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { amazonConnectFromEnv, validateAmazonConnectConfig, type AmazonConnectConfig } from '../../lib/server/amazon-connect';
import { serverOptionsFromEnv, validateServerConfig } from '../../lib/server';
import { connectSimulatorCore } from '../../lib/simulator/amazon-connect';
import { asUser, call, headerAuth, startMiddleware, type Running } from './harness';

const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

interface Seen {
  readonly method?: string;
  readonly url?: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Record<string, unknown>;
}

/** A `GetCurrentMetricData` answer as the API reference shows it. */
function currentMetricData(figures: Record<string, number> | undefined) {
  const MetricResults = figures
    ? [{ Dimensions: { Queue: { Id: 'queue-1', Arn: 'arn:aws:connect:us-east-1:1:instance/inst-1/queue/queue-1' }, Channel: 'CHAT' }, Collections: Object.entries(figures).map(([Name, Value]) => ({ Metric: { Name, Unit: 'COUNT' }, Value })) }]
    : [];
  return { MetricResults, DataSnapshotTime: 1_700_000_000, ApproximateTotalCount: MetricResults.length };
}

/** A local server speaking the Connect API's StartChatContact and GetCurrentMetricData JSON (restJson1: `x-amzn-ErrorType` on errors). */
async function fakeConnectApi() {
  const core = connectSimulatorCore();
  const seen: Seen[] = [];
  let failWith: { status: number; type: string } | undefined;
  /** `GetCurrentMetricData` figures, per metric name (the API leaves a queue with no figures out of MetricResults). */
  let metrics: Record<string, number> | undefined = { AGENTS_ONLINE: 3, AGENTS_AVAILABLE: 1, CONTACTS_IN_QUEUE: 4 };
  const server: Server = createHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      seen.push({ method: request.method, url: request.url, headers: request.headers, body });
      const result = failWith
        ? { status: failWith.status, body: { message: 'no' }, headers: { 'x-amzn-ErrorType': failWith.type } }
        : request.url?.startsWith('/metrics/current/')
          ? { status: 200, body: currentMetricData(metrics), headers: {} }
          : core.startChatContact(body);
      response.writeHead(result.status, { 'Content-Type': 'application/json', ...result.headers });
      response.end(JSON.stringify(result.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    fail: (status: number, type: string) => {
      failWith = { status, type };
    },
    setMetrics: (figures: Record<string, number> | undefined) => {
      metrics = figures;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('Amazon Connect endpoint', () => {
  let api: Awaited<ReturnType<typeof fakeConnectApi>>;
  let server: Running;
  const saved = { ...process.env };
  const config = (): AmazonConnectConfig => ({
    region: 'us-east-1',
    instanceId: 'inst-1',
    contactFlowId: 'flow-1',
    attributes: ['topic'],
    endpoint: api.url,
    queueId: 'queue-1',
  });

  beforeAll(() => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = SECRET_KEY;
  });
  afterAll(() => {
    process.env = saved;
  });
  beforeEach(async () => {
    api = await fakeConnectApi();
    server = await startMiddleware({ authenticate: headerAuth, rateLimit: false, upstreamTimeoutMs: 5_000, amazonConnect: config() });
  });
  afterEach(async () => {
    await server.close();
    await api.close();
  });

  it('calls StartChatContact with SigV4 and answers only the participant token and ids', async () => {
    const res = await call(server.url, '/amazon-connect/chat', { headers: asUser(), body: { initialMessage: 'Refund for order 7', attributes: { topic: 'refund' } } });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toStrictEqual(['contactId', 'participantId', 'participantToken']);
    const [request] = api.seen;
    expect(request).toMatchObject({ method: 'PUT', url: '/contact/chat' });
    expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/connect\/aws4_request/);
    expect(request.body).toMatchObject({
      InstanceId: 'inst-1',
      ContactFlowId: 'flow-1',
      ParticipantDetails: { DisplayName: 'Ada Lovelace' },
      Attributes: { topic: 'refund', customerId: 'user-42' },
      InitialMessage: { ContentType: 'text/plain', Content: 'Refund for order 7' },
    });
    expect(JSON.stringify(res.json) + server.logs.text()).not.toContain(SECRET_KEY);
  });

  it('refuses attributes not on the allowlist, a bad initial message and unknown fields with a 400', async () => {
    for (const body of [{ attributes: { queue: 'vip' } }, { attributes: { topic: 7 } }, { initialMessage: 'x'.repeat(1025) }, { contactFlowId: 'other' }]) {
      const res = await call(server.url, '/amazon-connect/chat', { headers: asUser(), body });
      expect([res.status, res.json.error.code]).toStrictEqual([400, 'BAD_REQUEST']);
    }
    expect(api.seen).toHaveLength(0);
  });

  it('applies identity, CORS and rate limits like every endpoint', async () => {
    expect((await call(server.url, '/amazon-connect/chat', { body: {} })).status).toBe(401);
    expect((await call(server.url, '/amazon-connect/chat', { headers: { ...asUser(), Origin: 'https://evil.example' }, body: {} })).status).toBe(403);
    const limited = await startMiddleware({ authenticate: headerAuth, rateLimit: { max: 1 }, amazonConnect: config() });
    try {
      expect((await call(limited.url, '/amazon-connect/chat', { headers: asUser(), body: {} })).status).toBe(200);
      expect((await call(limited.url, '/amazon-connect/chat', { headers: asUser(), body: {} })).status).toBe(429);
    } finally {
      await limited.close();
    }
  });

  it('maps Connect errors to 502 and throttling to 503, without the upstream body', async () => {
    api.fail(403, 'AccessDeniedException');
    const denied = await call(server.url, '/amazon-connect/chat', { headers: asUser(), body: {} });
    expect([denied.status, denied.json.error]).toStrictEqual([502, { code: 'UPSTREAM_ERROR', message: 'Amazon Connect answered with an error (AccessDeniedException).' }]);
    api.fail(429, 'ThrottlingException');
    const busy = await call(server.url, '/amazon-connect/chat', { headers: asUser(), body: {} });
    expect([busy.status, busy.json.error.code, busy.headers.get('retry-after')]).toStrictEqual([503, 'UPSTREAM_BUSY', '5']);
  });

  it('GET /amazon-connect/availability reads the queue\'s current chat metrics', async () => {
    const res = await call(server.url, '/amazon-connect/availability', { headers: asUser() });
    expect([res.status, res.json]).toStrictEqual([200, { online: true, agentsOnline: 3, agentsAvailable: 1, waiting: 4 }]);
    const [request] = api.seen;
    expect(request).toMatchObject({ method: 'POST', url: '/metrics/current/inst-1' });
    expect(request.body).toStrictEqual({
      Filters: { Queues: ['queue-1'], Channels: ['CHAT'] },
      CurrentMetrics: [
        { Name: 'AGENTS_ONLINE', Unit: 'COUNT' },
        { Name: 'AGENTS_AVAILABLE', Unit: 'COUNT' },
        { Name: 'CONTACTS_IN_QUEUE', Unit: 'COUNT' },
      ],
    });
    api.setMetrics(undefined);
    expect((await call(server.url, '/amazon-connect/availability', { headers: asUser() })).json).toStrictEqual({ online: false, agentsOnline: 0, agentsAvailable: 0, waiting: 0 });
    expect((await call(server.url, '/amazon-connect/availability?queue=other', { headers: asUser() })).status).toBe(400);
  });

  it('is a 404 when not configured', async () => {
    const bare = await startMiddleware({ authenticate: headerAuth, rateLimit: false });
    try {
      expect((await call(bare.url, '/amazon-connect/chat', { headers: asUser(), body: {} })).json.error.code).toBe('NOT_FOUND');
      expect((await call(bare.url, '/amazon-connect/availability', { headers: asUser() })).json.error.code).toBe('NOT_FOUND');
    } finally {
      await bare.close();
    }
  });
});

describe('Amazon Connect configuration', () => {
  it('lists every bad field', () => {
    expect(validateAmazonConnectConfig({ region: 'mars', instanceId: '', contactFlowId: 'f', attributes: ['bad name'], chatDurationMinutes: 5, endpoint: 'ftp://x', queueId: 'a b' })).toHaveLength(6);
    expect(() => validateServerConfig({ authenticate: headerAuth, amazonConnect: { region: 'us-east-1', instanceId: 'i', contactFlowId: '' } })).toThrow('amazonConnect.contactFlowId');
  });

  it('reads AMAZON_CONNECT_* from the environment, and nothing when the instance id is unset', () => {
    const env = { AMAZON_CONNECT_INSTANCE_ID: 'inst-1', AMAZON_CONNECT_CONTACT_FLOW_ID: 'flow-1', AWS_REGION: 'eu-west-2', AMAZON_CONNECT_ATTRIBUTES: 'topic, product' };
    expect(amazonConnectFromEnv((name) => env[name as keyof typeof env])).toStrictEqual({ region: 'eu-west-2', instanceId: 'inst-1', contactFlowId: 'flow-1', attributes: ['topic', 'product'] });
    expect(serverOptionsFromEnv({ ...env, ALLOW_ANONYMOUS: '1', VISITOR_SECRET: 'x'.repeat(32) }).config.amazonConnect?.instanceId).toBe('inst-1');
    expect(amazonConnectFromEnv(() => undefined)).toBeUndefined();
  });
});
