import { WebSocket } from 'ws';
import { startGenesysSimulator, type GenesysSimulator } from '../../../lib/simulator/genesys';

// The simulator's protocol, spoken by hand over a raw ws client on 127.0.0.1.

interface Guest {
  readonly socket: WebSocket;
  readonly frames: Record<string, unknown>[];
  send(frame: object | string): void;
  next(predicate?: (frame: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

async function guest(url: string): Promise<Guest> {
  const socket = new WebSocket(url);
  const frames: Record<string, unknown>[] = [];
  let read = 0;
  const waiting = new Set<() => void>();
  socket.on('message', (data) => {
    frames.push(JSON.parse(data.toString()) as Record<string, unknown>);
    for (const wake of [...waiting]) wake();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    frames,
    send: (frame) => socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    next(predicate = () => true, timeoutMs = 2_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          while (read < frames.length) {
            const frame = frames[read++] as Record<string, unknown>;
            if (predicate(frame)) {
              waiting.delete(check);
              clearTimeout(timer);
              resolve(frame);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          waiting.delete(check);
          reject(new Error('no such frame'));
        }, timeoutMs);
        waiting.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close();
      }),
  };
}

const byClass = (name: string) => (frame: Record<string, unknown>) => frame.class === name;

let sim: GenesysSimulator;
const guests: Guest[] = [];

async function configured(token = 'token-1'): Promise<Guest> {
  const g = await guest(`${sim.url}?deploymentId=${sim.deploymentId}`);
  guests.push(g);
  g.send({ action: 'configureSession', token, deploymentId: sim.deploymentId, tracingId: 'cfg' });
  await g.next(byClass('SessionResponse'));
  return g;
}

beforeEach(async () => {
  sim = await startGenesysSimulator();
});

afterEach(async () => {
  for (const g of guests.splice(0)) await g.close();
  await sim.close();
});

describe('Genesys Web Messaging simulator', () => {
  it('binds to 127.0.0.1 only', async () => {
    expect(sim.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(sim.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await expect(startGenesysSimulator({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });

  it('configures a new session, then resumes it with the same token', async () => {
    const first = await configured('tok');
    expect(first.frames[0]).toMatchObject({
      type: 'response',
      class: 'SessionResponse',
      code: 200,
      body: { connected: true, newSession: true, readOnly: false },
      tracingId: 'cfg',
    });
    await first.close();
    const second = await configured('tok');
    expect(second.frames[0]).toMatchObject({ body: { connected: true, newSession: false } });
  });

  it('answers echo, getJwt and unknown actions', async () => {
    const g = await configured();
    g.send({ action: 'echo', token: 'token-1', tracingId: 'hc', message: { type: 'Text', text: 'ping' } });
    expect(await g.next((f) => f.tracingId === 'hc')).toMatchObject({ class: 'StructuredMessage', body: { text: 'ping', direction: 'Inbound' } });
    g.send({ action: 'getJwt', token: 'token-1', tracingId: 'j' });
    expect(await g.next(byClass('JwtResponse'))).toMatchObject({ tracingId: 'j', body: { jwt: expect.any(String) } });
    g.send({ action: 'whatever', token: 'token-1', tracingId: 'w' });
    expect(await g.next((f) => f.tracingId === 'w')).toMatchObject({ class: 'string', code: 400 });
    g.send('not json');
    expect(await g.next(byClass('string'))).toMatchObject({ code: 400, body: 'Request failed.' });
  });

  it('refuses frames before a session and a wrong deployment', async () => {
    const g = await guest(sim.url);
    guests.push(g);
    g.send({ action: 'echo', token: 'x', tracingId: 'e' });
    expect(await g.next()).toMatchObject({ class: 'string', code: 4007 });
    g.send({ action: 'configureSession', token: 'x', deploymentId: 'wrong' });
    expect(await g.next()).toMatchObject({ class: 'string', code: 403 });
    sim.rejectDeployment('Deployment is inactive');
    g.send({ action: 'configureSession', token: 'x', deploymentId: sim.deploymentId });
    expect(await g.next()).toMatchObject({ class: 'string', code: 403, body: 'Deployment is inactive' });
  });

  it('echoes guest messages and deduplicates them by tracing id', async () => {
    const g = await configured();
    const seen: string[] = [];
    sim.on('guestMessage', (message) => seen.push(message.text));
    g.send({ action: 'onMessage', token: 'token-1', tracingId: 'm1', message: { type: 'Text', text: 'hello' } });
    const echo = await g.next((f) => f.tracingId === 'm1');
    g.send({ action: 'onMessage', token: 'token-1', tracingId: 'm1', message: { type: 'Text', text: 'hello' } });
    const again = await g.next((f) => f.tracingId === 'm1');
    expect(again).toEqual(echo);
    expect(seen).toEqual(['hello']);
    expect(sim.guestMessages).toHaveLength(1);
  });

  it('sends agent messages, typing, bot messages and the end', async () => {
    const g = await configured();
    const joinId = sim.join('Ann', 'https://example.com/ann.png', 'Hi');
    const join = await g.next((f) => (f.body as { id?: string }).id === joinId);
    expect(join).toMatchObject({
      class: 'StructuredMessage',
      body: { direction: 'Outbound', type: 'Text', text: 'Hi', originatingEntity: 'Human', channel: { from: { nickname: 'Ann', image: 'https://example.com/ann.png' } } },
    });
    sim.typing(300);
    expect(await g.next()).toMatchObject({ body: { type: 'Event', events: [{ eventType: 'Typing', typing: { type: 'On', duration: 300 } }] } });
    sim.bot('flow');
    expect(await g.next()).toMatchObject({ body: { originatingEntity: 'Bot', text: 'flow' } });
    sim.transfer('Bob');
    expect(await g.next()).toMatchObject({ body: { channel: { from: { nickname: 'Bob' } } } });
    sim.end({ readOnly: true });
    expect(await g.next()).toMatchObject({ body: { type: 'Event', metadata: { readOnly: 'true' }, events: [{ eventType: 'Presence', presence: { type: 'Disconnect' } }] } });
    g.send({ action: 'onMessage', token: 'token-1', tracingId: 'late', message: { type: 'Text', text: 'anyone?' } });
    expect(await g.next((f) => f.tracingId === 'late')).toMatchObject({ class: 'string', code: 4000 });
  });

  it('serves the history newest first with paging, only with the session JWT', async () => {
    const g = await configured();
    sim.join('Ann', undefined, 'one');
    sim.say('two');
    sim.say('three');
    g.send({ action: 'getJwt', token: 'token-1', tracingId: 'j' });
    const { body } = (await g.next(byClass('JwtResponse'))) as { body: { jwt: string } };
    const page = async (pageNumber: number) =>
      (await fetch(`${sim.httpUrl}/api/v2/webmessaging/messages?pageSize=2&pageNumber=${pageNumber}`, { headers: { Authorization: `Bearer ${body.jwt}` } })).json();
    expect(await page(1)).toMatchObject({ pageNumber: 1, pageSize: 2, total: 3, pageCount: 2, entities: [{ text: 'three' }, { text: 'two' }] });
    expect(await page(2)).toMatchObject({ entities: [{ text: 'one' }] });
    const refused = await fetch(`${sim.httpUrl}/api/v2/webmessaging/messages`, { headers: { Authorization: 'Bearer nope' } });
    expect(refused.status).toBe(401);
  });

  it('runs the upload flow: presigned URL, PUT with its headers, UploadSuccessEvent, message with the attachment', async () => {
    const g = await configured();
    g.send({ action: 'onAttachment', token: 'token-1', attachmentId: 'a1', fileName: 'a.txt', fileType: 'text/plain', fileSize: 5, errorsAsJson: true, tracingId: 'up' });
    const presigned = (await g.next(byClass('PresignedUrlResponse'))) as { body: { url: string; headers: Record<string, string> } };
    const without = await fetch(presigned.body.url, { method: 'PUT', body: 'hello' });
    expect(without.status).toBe(403);
    const put = await fetch(presigned.body.url, { method: 'PUT', body: 'hello', headers: presigned.body.headers });
    expect(put.status).toBe(200);
    const success = (await g.next(byClass('UploadSuccessEvent'))) as { body: { attachmentId: string; downloadUrl: string } };
    expect(success.body.attachmentId).toBe('a1');
    expect(await (await fetch(success.body.downloadUrl)).text()).toBe('hello');
    g.send({ action: 'onMessage', token: 'token-1', tracingId: 'f', message: { type: 'Text', text: '', content: [{ contentType: 'Attachment', attachment: { id: 'a1' } }] } });
    expect(await g.next((f) => f.tracingId === 'f')).toMatchObject({ body: { content: [{ attachment: { id: 'a1', filename: 'a.txt', url: success.body.downloadUrl } }] } });
    g.send({ action: 'onMessage', token: 'token-1', tracingId: 'g', message: { type: 'Text', text: '', content: [{ contentType: 'Attachment', attachment: { id: 'nope' } }] } });
    expect(await g.next((f) => f.tracingId === 'g')).toMatchObject({ class: 'string', code: 4010 });
  });

  it('refuses disallowed uploads with GenerateUrlError', async () => {
    await sim.close();
    sim = await startGenesysSimulator({ allowedFileTypes: ['image/*'], maxFileSizeKB: 1 });
    const g = await configured();
    g.send({ action: 'onAttachment', token: 'token-1', attachmentId: 'a', fileName: 'a.zip', fileType: 'application/zip', errorsAsJson: true });
    expect(await g.next()).toMatchObject({ class: 'GenerateUrlError', body: { attachmentId: 'a', errorCode: 4001 } });
    g.send({ action: 'onAttachment', token: 'token-1', attachmentId: 'b', fileName: 'b.png', fileType: 'image/png', fileSize: 5000, errorsAsJson: true });
    expect(await g.next()).toMatchObject({ class: 'GenerateUrlError', body: { attachmentId: 'b', errorCode: 4002 } });
  });

  it('reports guest typing, or refuses it when the feature is off', async () => {
    const typed: string[] = [];
    sim.on('guestTyping', ({ token }) => typed.push(token));
    const g = await configured();
    g.send({ action: 'onMessage', token: 'token-1', message: { type: 'Event', events: [{ eventType: 'Typing', typing: { type: 'On' } }] } });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(typed).toEqual(['token-1']);
    await sim.close();
    sim = await startGenesysSimulator({ userTypingEnabled: false });
    const h = await configured();
    h.send({ action: 'onMessage', token: 'token-1', tracingId: 't', message: { type: 'Event', events: [{ eventType: 'Typing', typing: { type: 'On' } }] } });
    expect(await h.next((f) => f.tracingId === 't')).toMatchObject({ class: 'string', code: 403 });
  });

  it('clears a conversation on Presence Clear, or refuses when Clear is off', async () => {
    const g = await configured();
    g.send({ action: 'onMessage', token: 'token-1', tracingId: 'c', message: { type: 'Event', events: [{ eventType: 'Presence', presence: { type: 'Clear' } }] } });
    expect(await g.next()).toMatchObject({ class: 'SessionClearedEvent', tracingId: 'c' });
    expect(await g.next()).toMatchObject({ class: 'ConnectionClosedEvent' });
    await new Promise<void>((resolve) => (g.socket.readyState === WebSocket.CLOSED ? resolve() : g.socket.once('close', () => resolve())));
    const again = await configured();
    expect(again.frames[0]).toMatchObject({ body: { newSession: true } });
    await sim.close();
    sim = await startGenesysSimulator({ clearEnabled: false });
    const h = await configured();
    h.send({ action: 'onMessage', token: 'token-1', tracingId: 'c', message: { type: 'Event', events: [{ eventType: 'Presence', presence: { type: 'Clear' } }] } });
    expect(await h.next((f) => f.tracingId === 'c')).toMatchObject({ class: 'string', code: 403 });
  });

  it('drops, stalls, expires and counts connections', async () => {
    const g = await configured();
    expect(sim.connections).toBe(1);
    sim.stall(100);
    g.send({ action: 'echo', token: 'token-1', tracingId: 's', message: { type: 'Text', text: 'ping' } });
    await expect(g.next((f) => f.tracingId === 's', 50)).rejects.toThrow();
    expect(await g.next((f) => f.tracingId === 's', 1_000)).toMatchObject({ class: 'StructuredMessage' });
    const closed = new Promise<number>((resolve) => g.socket.once('close', (code) => resolve(code)));
    sim.drop();
    expect(await closed).toBe(1006);
    const h = await configured();
    sim.expireSession();
    expect(await h.next()).toMatchObject({ class: 'SessionExpiredEvent' });
    expect(sim.totalConnections).toBe(2);
  });
});
