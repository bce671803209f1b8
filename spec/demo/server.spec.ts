import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { startDemoServer, type DemoServer } from '../../demo/server/server';
import { simulatedVendor } from '../../demo/server/vendors/simulated';

const dir = mkdtempSync(join(tmpdir(), 'demo-server-'));
const publicDir = join(dir, 'public');
mkdirSync(join(publicDir, 'files'), { recursive: true });
writeFileSync(join(publicDir, 'index.html'), '<p>chat</p>');
writeFileSync(join(publicDir, 'console.html'), '<p>console</p>');
writeFileSync(join(publicDir, 'carbon0.html'), '<p>carbon 0.3.3</p>');
writeFileSync(join(dir, 'secret.txt'), 'not for the browser');

let server: DemoServer;

beforeEach(async () => {
  server = await startDemoServer({ port: 0, vendors: { simulated: simulatedVendor() }, publicDir, assetsDir: join(dir, 'assets') });
});

afterEach(() => server.close());

type Frame = { t: string; [key: string]: unknown };

/** Opens a WebSocket and collects its JSON messages; `next(t)` is the first of type `t`, received or awaited. */
function connect(path: string) {
  const socket = new WebSocket(`${server.origin.replace('http', 'ws')}${path}`);
  const received: Frame[] = [];
  socket.on('message', (data) => received.push(JSON.parse(String(data))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  const opened = new Promise<void>((resolve, reject) => socket.once('open', () => resolve()).once('error', reject));
  const next = (t: string) =>
    new Promise<Frame>((resolve, reject) => {
      const found = received.find((message) => message.t === t);
      if (found) return resolve(found);
      const stop = () => {
        socket.off('message', onMessage);
        socket.off('close', onClose);
      };
      // Registered after the collecting listener above, so the frame is already in `received`.
      const onMessage = () => {
        const last = received.at(-1);
        if (last?.t !== t) return;
        stop();
        resolve(last);
      };
      const onClose = () => {
        stop();
        reject(new Error(`no "${t}" message before the socket closed; got ${JSON.stringify(received)}`));
      };
      socket.on('message', onMessage);
      socket.on('close', onClose);
    });
  return { socket, opened, closed, next };
}

describe('demo server', () => {
  it('serves the pages with a Content-Security-Policy, and only below its folders', async () => {
    const page = await fetch(`${server.origin}/`);
    expect(await page.text()).toBe('<p>chat</p>');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await fetch(`${server.origin}/console`)).status).toBe(200);
    const carbon0 = await fetch(`${server.origin}/carbon0`);
    expect(await carbon0.text()).toBe('<p>carbon 0.3.3</p>');
    expect(carbon0.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await fetch(`${server.origin}/files/..%2F..%2Fsecret.txt`)).status).toBe(404);
    expect(await (await fetch(`${server.origin}/config.json`)).json()).toEqual({ defaultVendor: 'simulated', vendors: { simulated: { deskPath: '/ws/desk' } } });
  });

  it('refuses requests for another host name', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number | undefined>((resolve, reject) =>
      request(`${server.origin}/`, { headers: { host: 'evil.example:80' } }, (response) => resolve(response.statusCode)).on('error', reject).end(),
    );
    expect(status).toBe(421);
  });

  it('bridges a chat socket to the desk and refuses malformed frames without failing', async () => {
    const chat = connect('/ws/desk');
    await chat.opened;
    chat.socket.send('not json');
    expect(await chat.next('error')).toMatchObject({ code: 'BAD_FRAME' });
    chat.socket.send(JSON.stringify({ t: 'start', summary: ['help me'] }));
    expect(await chat.next('session')).toMatchObject({ resumed: false });
    expect(await chat.next('queue')).toMatchObject({ position: 2 });

    const agent = connect('/ws/console');
    await agent.opened;
    const hello = await agent.next('hello');
    const [conversation] = hello.conversations as { id: string }[];
    agent.socket.send(JSON.stringify({ op: 'join', id: conversation?.id }));
    expect(await chat.next('join')).toMatchObject({ agent: { nickname: 'Ann' } });
    agent.socket.send(JSON.stringify({ op: 'say', id: 'conv-404', text: 'hi' }));
    expect(await agent.next('refused')).toMatchObject({ reason: 'no conversation "conv-404"' });

    agent.socket.send(JSON.stringify({ op: 'drop', id: conversation?.id }));
    expect(await chat.closed).toEqual({ code: 4000, reason: 'connection dropped' });
    agent.socket.close();
  });

  it('answers 400, not 500, to a path with malformed percent-encoding', async () => {
    for (const path of ['/assets/%E0%A4%A', '/files/%ZZ', '/assets/%']) {
      const response = await fetch(`${server.origin}${path}`);
      expect([path, response.status, await response.json()]).toEqual([
        path,
        400,
        { error: { code: 'BAD_PATH', message: 'The path is not valid percent-encoding.' } },
      ]);
    }
  });

  describe('console API from another site (CSRF)', () => {
    /** Starts a chat and returns its conversation id and a reader of its queue position. */
    const queuedChat = async () => {
      const chat = connect('/ws/desk');
      await chat.opened;
      chat.socket.send(JSON.stringify({ t: 'start', summary: ['help me'] }));
      await chat.next('queue');
      const list = async () =>
        ((await (await fetch(`${server.origin}/api/conversations`)).json()) as { conversations: { id: string; position: number }[] }).conversations;
      const [conversation] = await list();
      const id = conversation?.id ?? '';
      return { chat, id, position: async () => (await list()).find((entry) => entry.id === id)?.position };
    };
    const moveTo7 = (id: string, headers: Record<string, string>) =>
      fetch(`${server.origin}/api/console`, { method: 'POST', headers, body: JSON.stringify({ op: 'queue', id, position: 7 }) });

    it.each([
      ['a text/plain POST from another origin', { 'content-type': 'text/plain', origin: 'https://evil.example' }],
      ['a text/plain POST with Origin: null', { 'content-type': 'text/plain', origin: 'null' }],
      ['a JSON POST from another origin', { 'content-type': 'application/json', origin: 'https://evil.example' }],
      ['a JSON POST from another port on the same host', { 'content-type': 'application/json', origin: 'http://127.0.0.1:1' }],
      ['a text/plain POST without Origin', { 'content-type': 'text/plain' }],
    ])('refuses %s with 403 before running the command', async (_, headers) => {
      const { chat, id, position } = await queuedChat();
      const response = await moveTo7(id, headers);
      expect([response.status, (await response.json()).error.code]).toEqual([403, 'CROSS_SITE']);
      expect(await position()).not.toBe(7);
      chat.socket.close();
    });

    it('runs a JSON command from its own page', async () => {
      const { chat, id, position } = await queuedChat();
      const response = await moveTo7(id, { 'content-type': 'application/json', origin: server.origin });
      expect(response.status).toBe(200);
      expect(await position()).toBe(7);
      chat.socket.close();
    });
  });

  it('closes its sockets when it stops', async () => {
    const agent = connect('/ws/console');
    await agent.opened;
    await server.close();
    expect((await agent.closed).code).toBe(1001);
  });
});
