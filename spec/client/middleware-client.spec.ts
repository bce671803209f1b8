import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { middlewareClient } from '../../lib/client';
import { ServiceDeskError } from '../../lib/core/errors';
import { GENESYS, SECRETS, deadUrl, fakeGenesys, fakeTwilio, type FakeServer } from '../server/fake-vendors';
import { genesysConfig, headerAuth, startMiddleware, twilioConfig, type Running } from '../server/harness';

describe('middlewareClient against the middleware', () => {
  let twilio: FakeServer;
  let genesys: FakeServer;
  let server: Running;
  beforeAll(async () => {
    twilio = await fakeTwilio();
    genesys = await fakeGenesys();
    server = await startMiddleware({
      authenticate: headerAuth,
      anonymous: { secret: SECRETS.visitorSecret },
      twilio: twilioConfig(twilio),
      genesys: genesysConfig(genesys),
    });
  });
  afterAll(async () => {
    await server.close();
    await twilio.close();
    await genesys.close();
  });

  const signedIn = () => middlewareClient({ baseUrl: `${server.url}/`, headers: () => ({ Authorization: 'User user-42' }) });

  it('calls every endpoint of the contract', async () => {
    const desk = signedIn();
    const chat = await desk.twilioSession('chat', { preEngagement: { topic: 'billing' } });
    expect(chat).toMatchObject({ identity: 'user-42', channelSid: expect.stringMatching(/^CH/), taskSid: expect.stringMatching(/^WT/) });
    const conversation = await desk.twilioSession('conversations', { friendlyName: 'Ada' });
    expect(conversation).toMatchObject({ identity: 'user-42', conversationSid: expect.stringMatching(/^CH/) });
    expect(await desk.twilioToken('chat')).toMatchObject({ identity: 'user-42', token: expect.any(String), expiresAt: expect.any(Number) });
    expect(await desk.twilioAvailability({ taskSid: chat.taskSid })).toStrictEqual({ online: true, agentsAvailable: 2, position: 2, waitMinutes: 3 });
    expect(await desk.genesysAvailability()).toStrictEqual({ online: true, agentsOnQueue: 4, waiting: 2, waitMinutes: 3 });
    expect(await desk.genesysAgentProfile(GENESYS.messageId)).toMatchObject({ id: GENESYS.userId, nickname: 'John Doe' });
    expect(await desk.genesysAgentProfile('00000000-0000-4000-8000-00000000ffff')).toBeNull();
    expect(await desk.genesysAuthCode()).toStrictEqual({ code: expect.any(String) });
  });

  it('keeps an anonymous visitor identity, across reloads with visitorStorage', async () => {
    const storage = new Map<string, string>();
    const visitorStorage = { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) };
    const first = await middlewareClient({ baseUrl: server.url, visitorStorage }).twilioToken('chat');
    const second = await middlewareClient({ baseUrl: server.url, visitorStorage }).twilioToken('chat');
    expect(first.identity).toMatch(/^visitor-/);
    expect(second.identity).toBe(first.identity);
    const stranger = await middlewareClient({ baseUrl: server.url }).twilioToken('chat');
    expect(stranger.identity).not.toBe(first.identity);
  });

  it('rejects anonymous visitors asking for a signed identity with AUTH_FAILED', async () => {
    await expect(middlewareClient({ baseUrl: server.url }).genesysAuthCode()).rejects.toMatchObject({ code: 'AUTH_FAILED', retryable: false });
  });
});

describe('middlewareClient error semantics', () => {
  let stub: Server;
  let url: string;
  let reply: { status: number; body: string; headers?: Record<string, string>; hang?: boolean };
  beforeAll(async () => {
    stub = createServer((_req, res) => {
      if (reply.hang === true) return;
      res.writeHead(reply.status, { 'Content-Type': 'application/json', ...reply.headers });
      res.end(reply.body);
    });
    await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    stub.closeAllConnections();
    await new Promise<void>((resolve) => stub.close(() => resolve()));
  });

  const failure = async (next: typeof reply, timeoutMs = 5000): Promise<ServiceDeskError> => {
    reply = next;
    const error = await middlewareClient({ baseUrl: url, timeoutMs }).twilioToken('chat').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ServiceDeskError);
    return error as ServiceDeskError;
  };
  const body = (code: string, message: string) => JSON.stringify({ error: { code, message } });

  it('maps 401 and 403 to AUTH_FAILED, not retryable', async () => {
    const unauthenticated = await failure({ status: 401, body: body('UNAUTHENTICATED', 'Sign in to chat with an agent.') });
    expect([unauthenticated.code, unauthenticated.retryable]).toStrictEqual(['AUTH_FAILED', false]);
    expect(unauthenticated.message).toMatch(/sign the user in/i);
    const forbidden = await failure({ status: 403, body: body('ORIGIN_NOT_ALLOWED', 'No.') });
    expect([forbidden.code, forbidden.retryable]).toStrictEqual(['AUTH_FAILED', false]);
  });

  it('maps 429 and 5xx to retryable CONNECT_FAILED, keeping Retry-After', async () => {
    const limited = await failure({ status: 429, body: body('RATE_LIMITED', 'Too many requests.'), headers: { 'Retry-After': '12' } });
    expect([limited.code, limited.retryable, limited.context?.retryAfterSeconds]).toStrictEqual(['CONNECT_FAILED', true, 12]);
    const down = await failure({ status: 502, body: body('UPSTREAM_ERROR', 'Twilio could not be reached.') });
    expect([down.code, down.retryable, down.context?.serverCode]).toStrictEqual(['CONNECT_FAILED', true, 'UPSTREAM_ERROR']);
    const html = await failure({ status: 503, body: '<html>maintenance</html>' });
    expect([html.code, html.retryable]).toStrictEqual(['CONNECT_FAILED', true]);
  });

  it('maps other 4xx to CONFIG with the server message, not retryable', async () => {
    const bad = await failure({ status: 400, body: body('BAD_REQUEST', '"kind" must be "chat" or "conversations".') });
    expect([bad.code, bad.retryable, bad.message]).toStrictEqual(['CONFIG', false, '"kind" must be "chat" or "conversations".']);
  });

  it('maps a timeout and an unreachable middleware to retryable CONNECT_FAILED', async () => {
    const slow = await failure({ status: 200, body: '{}', hang: true }, 50);
    expect([slow.code, slow.retryable]).toStrictEqual(['CONNECT_FAILED', true]);
    expect(slow.message).toContain('within 50 ms');
    const error = await middlewareClient({ baseUrl: await deadUrl() }).genesysAvailability().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONNECT_FAILED', retryable: true });
  });

  it('refuses a 200 that is not JSON (baseUrl pointing at a web page)', async () => {
    const page = await failure({ status: 200, body: '<!doctype html>' });
    expect([page.code, page.retryable]).toStrictEqual(['CONFIG', false]);
  });
});
