/**
 * The demo's console API attacked from another site open in the same browser: a page on a second origin (another
 * port on 127.0.0.1) sends the simple requests a browser lets any page send without a preflight (a `text/plain`
 * fetch, a `text/plain` form). The demo must refuse them (403) without running the command, while its own console
 * page can still send the same command as JSON.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { WebSocket } from 'ws';
import { launchChromium } from './support/browser';
import { startDemo, type DemoProcess } from './support/demo-process';

let demo: DemoProcess;
let browser: Browser;
let attacker: Server;
let attackerOrigin: string;

/**
 * A page on the second origin that sends `command` to the demo's console API both ways as soon as it loads: a
 * no-cors `text/plain` fetch, and a `text/plain` form whose `name=value` line is crafted to be the same JSON.
 */
function attackPage(target: string, command: string): string {
  const json = JSON.stringify(command);
  return `<!doctype html><title>elsewhere</title>
<form id="form" method="POST" action="${target}/api/console" enctype="text/plain" target="sink"><input name='${command.slice(0, -1)},"x":"' value='"}'></form>
<iframe name="sink"></iframe>
<script>
fetch(${JSON.stringify(`${target}/api/console`)}, { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: ${json} }).catch(() => {});
document.getElementById('form').submit();
</script>`;
}

beforeAll(async () => {
  demo = await startDemo();
  browser = await launchChromium();
  attacker = createServer((request, response) => {
    const command = new URL(request.url ?? '/', 'http://127.0.0.1').searchParams.get('command') ?? '{}';
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(attackPage(demo.origin, command));
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => attacker?.close(resolve));
  await demo?.stop();
});

/** Starts a chat over the desk socket (as the chat page would) and returns its conversation id and queue position. */
async function queuedChat(): Promise<{ socket: WebSocket; id: string; position: () => Promise<number | undefined> }> {
  const socket = new WebSocket(`${demo.origin.replace('http', 'ws')}/ws/desk`, { origin: demo.origin });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const queued = new Promise<void>((resolve) => socket.on('message', (data) => String(data).includes('"queue"') && resolve()));
  socket.send(JSON.stringify({ t: 'start', summary: ['cross-origin test'] }));
  await queued;
  const list = async () =>
    ((await (await fetch(`${demo.origin}/api/conversations`)).json()) as { conversations: { id: string; position: number; status: string }[] })
      .conversations;
  const id = (await list()).filter((entry) => entry.status === 'queued').at(-1)?.id ?? '';
  return { socket, id, position: async () => (await list()).find((entry) => entry.id === id)?.position };
}

describe('the console API from a second origin in the browser', () => {
  it('refuses the simple requests another site can send, and runs the same command from its own page', async () => {
    const { socket, id, position } = await queuedChat();
    const command = JSON.stringify({ op: 'queue', id, position: 7 });
    const context = await browser.newContext();
    const page = await context.newPage();
    const answers: number[] = [];
    page.on('response', (response) => {
      if (response.url() === `${demo.origin}/api/console`) answers.push(response.status());
    });
    const both = new Promise<void>((resolve) => page.on('response', () => answers.length === 2 && resolve()));
    await page.goto(`${attackerOrigin}/?command=${encodeURIComponent(command)}`);
    await both;
    expect(answers.sort()).toEqual([403, 403]);
    expect(await position()).not.toBe(7);

    const own = await context.newPage();
    await own.goto(`${demo.origin}/console`);
    const status = await own.evaluate(
      async (body) => (await fetch('/api/console', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })).status,
      command,
    );
    expect(status).toBe(200);
    expect(await position()).toBe(7);
    await context.close();
    socket.close();
  });
});
