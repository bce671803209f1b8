import type { VirtualTimeScheduler } from 'rxjs';
import { inMemoryGenesys, type InMemoryGenesys, type InMemoryGenesysOptions } from '../../../lib/testing/genesys';
import type { FetchAnswer } from '../../../lib/adapters/genesys/http';
import { liveTimers, virtualTime } from '../../support/virtual';

// The Web Messaging desk's protocol, spoken by hand over in-memory sockets, in virtual time.

type Frame = Record<string, unknown>;

interface Guest {
  readonly frames: Frame[];
  readonly closes: number[];
  send(frame: object | string): void;
  close(): void;
}

let clock: ReturnType<typeof virtualTime>;
let scheduler: VirtualTimeScheduler;
let genesys: InMemoryGenesys;

function setup(options: InMemoryGenesysOptions = {}): void {
  clock = virtualTime();
  scheduler = clock.scheduler;
  genesys = inMemoryGenesys({ scheduler, ...options });
}

beforeEach(() => setup());

function guest(): Guest {
  const socket = genesys.socketFactory(`${genesys.webSocketUrl}?deploymentId=${genesys.desk.deploymentId}`);
  const frames: Frame[] = [];
  const closes: number[] = [];
  socket.addEventListener('message', (event) => frames.push(JSON.parse(String(event.data)) as Frame));
  socket.addEventListener('close', (event) => closes.push(event.code));
  clock.flush();
  return {
    frames,
    closes,
    send: (frame) => socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    close: () => socket.close(),
  };
}

/** A guest with a configured session; its frames start empty. */
function configured(token = 'token-1'): Guest {
  const g = guest();
  g.send({ action: 'configureSession', token, deploymentId: genesys.desk.deploymentId, tracingId: 'cfg' });
  clock.flush();
  return g;
}

/** Sends, runs the clock, and returns the frames that came back. */
function exchange(g: Guest, frame: object | string): Frame[] {
  const before = g.frames.length;
  g.send(frame);
  clock.flush();
  return g.frames.slice(before);
}

const text = (tracingId: string, body: string) => ({ action: 'onMessage', token: 'token-1', tracingId, message: { type: 'Text', text: body } });
const event = (tracingId: string, events: object[]) => ({ action: 'onMessage', token: 'token-1', tracingId, message: { type: 'Event', events } });
const json = async (answer: PromiseLike<FetchAnswer>) => {
  const response = await answer;
  return { status: response.status, body: await response.json() };
};

describe('Genesys Web Messaging desk (in memory, virtual time)', () => {
  it('configures a new session, then resumes it with the same token', () => {
    const first = configured('tok');
    expect(first.frames[0]).toMatchObject({
      type: 'response',
      class: 'SessionResponse',
      code: 200,
      body: { connected: true, newSession: true, readOnly: false },
      tracingId: 'cfg',
    });
    first.close();
    clock.flush();
    expect(genesys.desk.connections).toBe(0);
    const second = configured('tok');
    expect(second.frames[0]).toMatchObject({ body: { connected: true, newSession: false } });
  });

  it('delivers every frame on the scheduler, after the latency, never inside the call', () => {
    setup({ latencyMs: 7 });
    const g = guest();
    g.send({ action: 'configureSession', token: 't', deploymentId: genesys.desk.deploymentId });
    expect(g.frames).toEqual([]);
    clock.flush();
    expect(g.frames).toHaveLength(1);
    expect(scheduler.now()).toBe(21);
  });

  it('answers echo, getJwt and unknown actions', () => {
    const g = configured();
    expect(exchange(g, { action: 'echo', token: 'token-1', tracingId: 'hc', message: { type: 'Text', text: 'ping' } })).toMatchObject([
      { class: 'StructuredMessage', tracingId: 'hc', body: { text: 'ping', direction: 'Inbound' } },
    ]);
    expect(exchange(g, { action: 'getJwt', token: 'token-1', tracingId: 'j' })).toMatchObject([{ class: 'JwtResponse', tracingId: 'j', body: { jwt: expect.any(String) } }]);
    expect(exchange(g, { action: 'whatever', token: 'token-1', tracingId: 'w' })).toMatchObject([{ class: 'string', code: 400, tracingId: 'w' }]);
    expect(exchange(g, 'not json')).toMatchObject([{ class: 'string', code: 400, body: 'Request failed.' }]);
  });

  it('refuses frames before a session and a wrong deployment', () => {
    const g = guest();
    expect(exchange(g, { action: 'echo', token: 'x', tracingId: 'e' })).toMatchObject([{ class: 'string', code: 4007 }]);
    expect(exchange(g, { action: 'configureSession', token: 'x', deploymentId: 'wrong' })).toMatchObject([{ class: 'string', code: 403 }]);
    genesys.desk.rejectDeployment('Deployment is inactive');
    expect(exchange(g, { action: 'configureSession', token: 'x', deploymentId: genesys.desk.deploymentId })).toMatchObject([
      { class: 'string', code: 403, body: 'Deployment is inactive' },
    ]);
    genesys.desk.acceptDeployment();
    expect(exchange(g, { action: 'configureSession', token: 'x', deploymentId: genesys.desk.deploymentId })).toMatchObject([{ class: 'SessionResponse' }]);
  });

  it('checks the code of an authenticated session', () => {
    setup({ acceptAuthCode: (code) => code === 'good' });
    const g = guest();
    const auth = (code: string) => ({ action: 'configureAuthenticatedSession', token: 't', deploymentId: genesys.desk.deploymentId, data: { code } });
    expect(exchange(g, auth('bad'))).toMatchObject([{ class: 'string', code: 401 }]);
    expect(exchange(g, auth('good'))).toMatchObject([{ class: 'SessionResponse' }]);
  });

  it('echoes guest messages and deduplicates them by tracing id', () => {
    const g = configured();
    const seen: string[] = [];
    genesys.desk.on('guestMessage', (message) => seen.push(message.text));
    const [echo] = exchange(g, text('m1', 'hello'));
    expect(exchange(g, text('m1', 'hello'))).toEqual([echo]);
    expect(seen).toEqual(['hello']);
    expect(genesys.desk.guestMessages).toHaveLength(1);
    expect(exchange(g, text('long', 'x'.repeat(4001)))).toMatchObject([{ class: 'string', code: 4011 }]);
    expect(exchange(g, text('empty', ''))).toMatchObject([{ class: 'string', code: 4020 }]);
  });

  it('sends agent messages, typing, bot messages, a transfer and a read-only end', () => {
    const g = configured();
    const joinId = genesys.desk.join('Ann', 'https://example.com/ann.png', 'Hi');
    genesys.desk.typing(300);
    genesys.desk.bot('flow');
    genesys.desk.transfer('Bob');
    genesys.desk.end({ readOnly: true });
    clock.flush();
    expect(g.frames.slice(1)).toMatchObject([
      {
        class: 'StructuredMessage',
        body: { id: joinId, direction: 'Outbound', type: 'Text', text: 'Hi', originatingEntity: 'Human', channel: { from: { nickname: 'Ann', image: 'https://example.com/ann.png' } } },
      },
      { body: { type: 'Event', events: [{ eventType: 'Typing', typing: { type: 'On', duration: 300 } }] } },
      { body: { originatingEntity: 'Bot', text: 'flow' } },
      { body: { channel: { from: { nickname: 'Bob' } } } },
      { body: { type: 'Event', metadata: { readOnly: 'true' }, events: [{ eventType: 'Presence', presence: { type: 'Disconnect' } }] } },
    ]);
    expect(exchange(g, text('late', 'anyone?'))).toMatchObject([{ class: 'string', code: 4000 }]);
    expect(() => genesys.desk.say('no agent')).toThrow(/join/);
  });

  it('serves the history newest first with paging, only with the session JWT', async () => {
    const g = configured();
    genesys.desk.join('Ann', undefined, 'one');
    genesys.desk.say('two');
    genesys.desk.say('three');
    clock.flush();
    const [{ body }] = exchange(g, { action: 'getJwt', token: 'token-1', tracingId: 'j' }) as [{ body: { jwt: string } }];
    const page = (pageNumber: number, jwt = body.jwt) => {
      const answer = json(genesys.fetch(`${genesys.apiUrl}/api/v2/webmessaging/messages?pageSize=2&pageNumber=${pageNumber}`, { headers: { Authorization: `Bearer ${jwt}` } }));
      clock.flush();
      return answer;
    };
    expect(await page(1)).toMatchObject({ status: 200, body: { pageNumber: 1, pageSize: 2, total: 3, pageCount: 2, entities: [{ text: 'three' }, { text: 'two' }] } });
    expect(await page(2)).toMatchObject({ body: { entities: [{ text: 'one' }] } });
    expect(await page(1, 'nope')).toMatchObject({ status: 401 });
  });

  it('runs the upload flow: presigned URL, PUT with its headers, UploadSuccessEvent, message with the attachment', async () => {
    const g = configured();
    const [presigned] = exchange(g, { action: 'onAttachment', token: 'token-1', attachmentId: 'a1', fileName: 'a.txt', fileType: 'text/plain', fileSize: 5, tracingId: 'up' }) as [
      { class: string; body: { url: string; headers: Record<string, string> } },
    ];
    expect(presigned.class).toBe('PresignedUrlResponse');
    const put = (headers: Record<string, string>) => {
      const answer = genesys.fetch(presigned.body.url, { method: 'PUT', headers, body: new Blob(['hello']) });
      clock.flush();
      return answer;
    };
    expect((await put({})).status).toBe(403);
    expect((await put(presigned.body.headers)).status).toBe(200);
    const success = g.frames.at(-1) as { class: string; body: { attachmentId: string; downloadUrl: string } };
    expect(success).toMatchObject({ class: 'UploadSuccessEvent', body: { attachmentId: 'a1' } });
    const file = genesys.desk.http({ method: 'GET', path: new URL(success.body.downloadUrl).pathname, headers: {} });
    expect(file).toMatchObject({ status: 200, file: { type: 'text/plain' } });
    const attach = (tracingId: string, id: string) => ({
      action: 'onMessage',
      token: 'token-1',
      tracingId,
      message: { type: 'Text', text: '', content: [{ contentType: 'Attachment', attachment: { id } }] },
    });
    expect(exchange(g, attach('f', 'a1'))).toMatchObject([{ body: { content: [{ attachment: { id: 'a1', filename: 'a.txt', fileSize: 5, url: success.body.downloadUrl } }] } }]);
    expect(exchange(g, attach('g', 'nope'))).toMatchObject([{ class: 'string', code: 4010 }]);
  });

  it('refuses disallowed uploads with GenerateUrlError', () => {
    setup({ allowedFileTypes: ['image/*'], maxFileSizeKB: 1 });
    const g = configured();
    const upload = (attachmentId: string, fileName: string, fileType: string, fileSize: number) =>
      exchange(g, { action: 'onAttachment', token: 'token-1', attachmentId, fileName, fileType, fileSize });
    expect(upload('a', 'a.zip', 'application/zip', 1)).toMatchObject([{ class: 'GenerateUrlError', body: { attachmentId: 'a', errorCode: 4001 } }]);
    expect(upload('b', 'b.png', 'image/png', 5_000)).toMatchObject([{ class: 'GenerateUrlError', body: { attachmentId: 'b', errorCode: 4002 } }]);
  });

  it('reports guest typing, or refuses it when the feature is off', () => {
    const typed: string[] = [];
    genesys.desk.on('guestTyping', ({ token }) => typed.push(token));
    expect(exchange(configured(), event('t', [{ eventType: 'Typing', typing: { type: 'On' } }]))).toEqual([]);
    expect(typed).toEqual(['token-1']);
    setup({ userTypingEnabled: false });
    expect(exchange(configured(), event('t', [{ eventType: 'Typing', typing: { type: 'On' } }]))).toMatchObject([{ class: 'string', code: 403 }]);
  });

  it('answers an autostart Presence Join with its inbound event', () => {
    expect(exchange(configured(), event('j', [{ eventType: 'Presence', presence: { type: 'Join' } }]))).toMatchObject([
      { class: 'StructuredMessage', tracingId: 'j', body: { direction: 'Inbound', events: [{ presence: { type: 'Join' } }] } },
    ]);
  });

  it('clears a conversation on Presence Clear, or refuses when Clear is off', () => {
    const g = configured();
    expect(exchange(g, event('c', [{ eventType: 'Presence', presence: { type: 'Clear' } }]))).toMatchObject([
      { class: 'SessionClearedEvent', tracingId: 'c' },
      { class: 'ConnectionClosedEvent' },
    ]);
    expect(g.closes).toEqual([1000]);
    expect(configured().frames[0]).toMatchObject({ body: { newSession: true } });
    setup({ clearEnabled: false });
    expect(exchange(configured(), event('c', [{ eventType: 'Presence', presence: { type: 'Clear' } }]))).toMatchObject([{ class: 'string', code: 403 }]);
  });

  it('closes on closeSession', () => {
    const g = configured();
    expect(exchange(g, { action: 'closeSession', token: 'token-1' })).toMatchObject([{ class: 'ConnectionClosedEvent' }]);
    expect(g.closes).toEqual([1000]);
  });

  it('stalls (holding frames both ways), drops, expires and counts connections', () => {
    const g = configured();
    expect(genesys.desk.connections).toBe(1);
    genesys.desk.stall(100);
    g.send({ action: 'echo', token: 'token-1', tracingId: 's', message: { type: 'Text', text: 'ping' } });
    clock.at(99, () => expect(g.frames).toHaveLength(1));
    clock.flush();
    expect(g.frames[1]).toMatchObject({ class: 'StructuredMessage', tracingId: 's' });
    expect(scheduler.now()).toBe(100);
    genesys.desk.drop();
    clock.flush();
    expect(g.closes).toEqual([1006]);
    const h = configured();
    genesys.desk.expireSession();
    clock.flush();
    expect(h.frames.at(-1)).toMatchObject({ class: 'SessionExpiredEvent' });
    expect(genesys.desk.totalConnections).toBe(2);
  });

  it('loses the echo of the next guest message: the message is stored, the sockets drop', () => {
    const g = configured();
    genesys.desk.dropBeforeNextEcho();
    expect(exchange(g, text('m1', 'hello'))).toEqual([]);
    expect(g.closes).toEqual([1006]);
    expect(genesys.desk.guestMessages.map((message) => message.text)).toEqual(['hello']);
  });

  it('closes a socket that sends a frame above 256 KB with 1009, like ws with maxPayload', () => {
    const g = configured();
    expect(exchange(g, 'x'.repeat(256 * 1024))).toMatchObject([{ class: 'string', code: 400 }]);
    expect(exchange(g, 'x'.repeat(256 * 1024 + 1))).toEqual([]);
    expect(g.closes).toEqual([1009]);
    expect(genesys.desk.connections).toBe(0);
  });

  it('refuses browser pages from other origins (error, then close 1006), and takes loopback ones', () => {
    const refusedWith = (origin: string) => {
      setup({ origin });
      const g = guest();
      return { closes: g.closes, connections: genesys.desk.totalConnections };
    };
    expect(refusedWith('https://evil.example')).toEqual({ closes: [1006], connections: 0 });
    expect(refusedWith('null')).toEqual({ closes: [1006], connections: 0 });
    expect(refusedWith('http://127.0.0.1:5173')).toEqual({ closes: [], connections: 1 });
    setup({ origin: 'https://shop.example.com', allowedOrigins: ['https://shop.example.com'] });
    guest();
    expect(genesys.desk.totalConnections).toBe(1);
  });

  it('a guest that gives up while the desk accepts it (CONNECTING): error, close 1006, and the desk sees it go', () => {
    const closes: number[] = [];
    const errors: string[] = [];
    genesys.desk.on('connection', () => socket.close());
    const socket = genesys.socketFactory(genesys.webSocketUrl);
    socket.addEventListener('error', () => errors.push('error'));
    socket.addEventListener('close', (event) => closes.push(event.code));
    clock.flush();
    expect({ errors, closes, readyState: socket.readyState, connections: genesys.desk.connections }).toEqual({
      errors: ['error'],
      closes: [1006],
      readyState: 3,
      connections: 0,
    });
    expect(() => socket.send('late')).not.toThrow();
  });

  it('times nextGuestMessage out in scheduler time', async () => {
    const g = configured();
    const next = genesys.desk.nextGuestMessage(50);
    g.send(text('m1', 'hi'));
    clock.flush();
    await expect(next).resolves.toMatchObject({ text: 'hi' });
    const none = genesys.desk.nextGuestMessage(50);
    clock.flush();
    await expect(none).rejects.toThrow(/50 ms/);
  });

  it('dispose drops the sockets and cancels its timers', () => {
    configured();
    genesys.desk.stall(1_000);
    genesys.desk.dispose();
    clock.flush();
    expect(genesys.desk.connections).toBe(0);
    expect(liveTimers(scheduler)).toBe(0);
    expect(genesys.listenerCount()).toBe(2);
  });
});
