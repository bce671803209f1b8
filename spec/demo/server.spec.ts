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
writeFileSync(join(dir, 'secret.txt'), 'not for the browser');

let server: DemoServer;

beforeEach(async () => {
  server = await startDemoServer({ port: 0, vendors: { simulated: simulatedVendor() }, publicDir, assetsDir: join(dir, 'assets') });
});

afterEach(() => server.close());

/** Opens a WebSocket and collects its JSON messages. */
function connect(path: string) {
  const socket = new WebSocket(`${server.origin.replace('http', 'ws')}${path}`);
  const received: { t: string; [key: string]: unknown }[] = [];
  socket.on('message', (data) => received.push(JSON.parse(String(data))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  const opened = new Promise<void>((resolve, reject) => socket.once('open', () => resolve()).once('error', reject));
  const next = async (t: string) => {
    for (let tries = 0; tries < 200; tries += 1) {
      const found = received.find((message) => message.t === t);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`no "${t}" message; got ${JSON.stringify(received)}`);
  };
  return { socket, opened, closed, next };
}

describe('demo server', () => {
  it('serves the pages with a Content-Security-Policy, and only below its folders', async () => {
    const page = await fetch(`${server.origin}/`);
    expect(await page.text()).toBe('<p>chat</p>');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await fetch(`${server.origin}/console`)).status).toBe(200);
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

  it('closes its sockets when it stops', async () => {
    const agent = connect('/ws/console');
    await agent.opened;
    await server.close();
    expect((await agent.closed).code).toBe(1001);
  });
});
