import { WebSocket } from 'ws';
import { startGenesysSimulator, type GenesysSimulator } from '../../../lib/simulator/genesys';

// The ws + HTTP shell over the desk, on real sockets on 127.0.0.1: loopback only, bounded frames, Origin checks, and
// the REST side over real HTTP. The protocol itself is specified in virtual time in spec/testing/genesys/desk.spec.ts.
// Every wait here waits for an event of the socket, never for time.

let sim: GenesysSimulator;
const open: WebSocket[] = [];

beforeEach(async () => {
  sim = await startGenesysSimulator();
});

afterEach(async () => {
  for (const socket of open.splice(0)) socket.terminate();
  await sim.close();
});

/** The first thing that happens to the socket: opened, refused (with the HTTP status) or closed (with the code). */
function outcome(socket: WebSocket): Promise<string> {
  return new Promise((resolve) => {
    socket.once('open', () => resolve('open'));
    socket.once('unexpected-response', (_request, response) => resolve(`refused ${response.statusCode}`));
    socket.once('close', (code) => resolve(`closed ${code}`));
    socket.once('error', () => undefined);
  });
}

/** The next frame or the close, whichever comes first. */
function nextEvent(socket: WebSocket): Promise<string> {
  return new Promise((resolve) => {
    socket.once('message', (data) => resolve(`message ${data.toString()}`));
    socket.once('close', (code) => resolve(`closed ${code}`));
  });
}

function connect(options: { origin?: string } = {}): WebSocket {
  const socket = new WebSocket(`${sim.url}?deploymentId=${sim.deploymentId}`, options);
  open.push(socket);
  return socket;
}

async function configured(): Promise<WebSocket> {
  const socket = connect();
  expect(await outcome(socket)).toBe('open');
  socket.send(JSON.stringify({ action: 'configureSession', token: 'token-1', deploymentId: sim.deploymentId, tracingId: 'cfg' }));
  expect(await nextEvent(socket)).toMatch(/^message .*"SessionResponse"/);
  return socket;
}

describe('Genesys Web Messaging simulator (ws shell)', () => {
  it('binds to 127.0.0.1 only', async () => {
    expect(sim.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(sim.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await expect(startGenesysSimulator({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });

  it('rejects when its port is taken, instead of throwing an uncaught EADDRINUSE', async () => {
    const port = Number(new URL(sim.httpUrl).port);
    await expect(startGenesysSimulator({ port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('closes a socket that sends a frame above 256 KB with 1009, and takes one just under it', async () => {
    const socket = await configured();
    const echo = (text: string) => JSON.stringify({ action: 'echo', token: 'token-1', tracingId: 'e', message: { type: 'Text', text } });
    const fits = echo('x'.repeat(256 * 1024 - echo('').length));
    socket.send(fits);
    expect(await nextEvent(socket)).toMatch(/^message .*"tracingId":"e"/);
    const serverSide = new Promise<number>((resolve) => sim.on('disconnection', ({ connections }) => resolve(connections)));
    socket.send(echo('x'.repeat(256 * 1024)));
    expect(await nextEvent(socket)).toBe('closed 1009');
    expect(await serverSide).toBe(0);
  });

  it('takes a smaller bound from maxFrameBytes', async () => {
    await sim.close();
    sim = await startGenesysSimulator({ maxFrameBytes: 1_024 });
    const socket = await configured();
    socket.send('x'.repeat(1_025));
    expect(await nextEvent(socket)).toBe('closed 1009');
  });

  it('refuses a browser page from another origin at the handshake, and takes loopback pages and non-browser clients', async () => {
    expect(await outcome(connect({ origin: 'https://evil.example' }))).toBe('refused 403');
    expect(await outcome(connect({ origin: 'null' }))).toBe('refused 403');
    expect(await outcome(connect({ origin: 'http://127.0.0.1.evil.example:5173' }))).toBe('refused 403');
    expect(await outcome(connect({ origin: 'http://127.0.0.1:5173' }))).toBe('open');
    expect(await outcome(connect({ origin: 'http://localhost:8080' }))).toBe('open');
    expect(await outcome(connect())).toBe('open');
    expect(sim.totalConnections).toBe(3);
  });

  it('takes the allowed origins from allowedOrigins', async () => {
    await sim.close();
    sim = await startGenesysSimulator({ allowedOrigins: ['https://shop.example.com'] });
    expect(await outcome(connect({ origin: 'https://shop.example.com' }))).toBe('open');
    expect(await outcome(connect({ origin: 'http://127.0.0.1:5173' }))).toBe('refused 403');
  });

  it('serves history, uploads and files over HTTP, to loopback pages only', async () => {
    const socket = await configured();
    socket.send(JSON.stringify({ action: 'getJwt', token: 'token-1', tracingId: 'j' }));
    const { body } = JSON.parse((await nextEvent(socket)).slice('message '.length)) as { body: { jwt: string } };
    sim.join('Ann', undefined, 'one');
    const history = await fetch(`${sim.httpUrl}/api/v2/webmessaging/messages?pageSize=2`, { headers: { Authorization: `Bearer ${body.jwt}` } });
    expect(await history.json()).toMatchObject({ total: 1, entities: [{ text: 'one' }] });
    const page = { Authorization: `Bearer ${body.jwt}` };
    const elsewhere = await fetch(`${sim.httpUrl}/api/v2/webmessaging/messages`, { headers: { ...page, Origin: 'https://evil.example' } });
    expect(elsewhere.status).toBe(403);
    const loopback = await fetch(`${sim.httpUrl}/api/v2/webmessaging/messages`, { headers: { ...page, Origin: 'http://127.0.0.1:5173' } });
    expect(loopback.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');

    socket.send(JSON.stringify({ action: 'onAttachment', token: 'token-1', attachmentId: 'a1', fileName: 'a.txt', fileType: 'text/plain', fileSize: 5, tracingId: 'up' }));
    const presigned = JSON.parse((await nextEvent(socket)).slice('message '.length)) as { body: { url: string; headers: Record<string, string> } };
    const success = nextEvent(socket);
    expect((await fetch(presigned.body.url, { method: 'PUT', body: 'hello', headers: presigned.body.headers })).status).toBe(200);
    const { body: uploaded } = JSON.parse((await success).slice('message '.length)) as { body: { downloadUrl: string } };
    expect(await (await fetch(uploaded.downloadUrl)).text()).toBe('hello');
  });

  it('answers 413 with its JSON body to an upload over maxFileSizeKB (the rest of the body is read and dropped, not reset)', async () => {
    await sim.close();
    sim = await startGenesysSimulator({ maxFileSizeKB: 1 });
    const response = await fetch(`${sim.httpUrl}/uploads/too-large`, { method: 'PUT', body: 'x'.repeat(200 * 1024) });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ message: 'The file is larger than 1024 bytes.' });
  });
});
