import { WebSocket } from 'ws';
import { startConnectSimulator, type ConnectSimulator } from '../../../lib/simulator/amazon-connect/index.js';

/** The loopback shell's own rules (Origin, body and frame bounds); the protocol itself is core.spec.ts. */
describe('Amazon Connect simulator shell', () => {
  let sim: ConnectSimulator;
  beforeAll(async () => {
    sim = await startConnectSimulator({ allowedOrigins: ['http://127.0.0.1:3000'], maxFrameBytes: 1_024 });
  });
  afterAll(() => sim.close());

  const start = (headers: Record<string, string> = {}, body: unknown = { ParticipantDetails: { DisplayName: 'Ada' } }) =>
    fetch(`${sim.endpoint}/contact/chat`, { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('binds to 127.0.0.1 and answers StartChatContact over HTTP', async () => {
    expect(sim.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await start();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ContactId: expect.any(String), ParticipantId: expect.any(String), ParticipantToken: expect.any(String) });
  });

  it('refuses a browser origin it does not know, and answers CORS for one it knows', async () => {
    expect((await start({ origin: 'https://evil.example' })).status).toBe(403);
    const allowed = await start({ origin: 'http://127.0.0.1:3000' });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3000');
  });

  it('answers 413 to a body over the bound and 400 to a body that is not JSON', async () => {
    expect((await start({}, { ParticipantDetails: { DisplayName: 'x'.repeat(2_000) } })).status).toBe(413);
    const response = await fetch(`${sim.endpoint}/participant/message`, { method: 'POST', body: '{' });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('ValidationException');
  });

  it('refuses a socket from a foreign origin or with a bad token, and closes one that sends an oversized frame', async () => {
    const refused = (socket: WebSocket) => new Promise<number>((resolve) => socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0)));
    const url = `${sim.endpoint.replace('http', 'ws')}/connect?token=x`;
    expect(await refused(new WebSocket(url, { origin: 'https://evil.example' }))).toBe(401);
    const badToken = new WebSocket(url);
    expect(await new Promise((resolve) => badToken.on('close', resolve))).toBe(4003);

    const { ParticipantToken } = (await (await start()).json()) as { ParticipantToken: string };
    const created = await fetch(`${sim.endpoint}/participant/connection`, { method: 'POST', headers: { 'x-amz-bearer': ParticipantToken }, body: JSON.stringify({ Type: ['WEBSOCKET'] }) });
    const { Websocket } = (await created.json()) as { Websocket: { Url: string } };
    const socket = new WebSocket(Websocket.Url);
    await new Promise((resolve) => socket.on('open', resolve));
    socket.send('x'.repeat(2_000));
    expect(await new Promise((resolve) => socket.on('close', resolve))).toBe(1009);
  });

  it('rejects when its port is taken, instead of throwing an uncaught EADDRINUSE', async () => {
    const port = Number(new URL(sim.endpoint).port);
    await expect(startConnectSimulator({ port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
