/**
 * The demo's Amazon Connect vendor over real loopback sockets: the StartChatContact role of the demo server, and the
 * console protocol driving the participant simulator. The customer is played with the participant REST API (what
 * amazon-connect-chatjs sends); the browser half is covered by the `?vendor=amazon-connect` e2e test.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { CONNECT_EVENT } from '../../lib/adapters/amazon-connect/protocol';
import type { ConsoleConversation, ConsoleUpdate } from '../../demo/shared/console-protocol';
import { startDemoServer, type DemoServer } from '../../demo/server/server';
import { amazonConnectVendor } from '../../demo/server/vendors/amazon-connect';

const dir = mkdtempSync(join(tmpdir(), 'demo-connect-'));
const publicDir = join(dir, 'public');
mkdirSync(join(publicDir, 'files'), { recursive: true });
writeFileSync(join(publicDir, 'index.html'), '<p>chat</p>');
writeFileSync(join(publicDir, 'console.html'), '<p>console</p>');

let server: DemoServer;
let endpoint: string;

beforeEach(async () => {
  server = await startDemoServer({ port: 0, vendors: { 'amazon-connect': amazonConnectVendor() }, publicDir, assetsDir: join(dir, 'assets') });
  const config = (await (await fetch(`${server.origin}/config.json`)).json()) as { vendors: Record<string, { endpoint: string }> };
  endpoint = config.vendors['amazon-connect']?.endpoint ?? '';
});

afterEach(() => server.close());

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** Starts a chat as the chat page does, and opens its participant connection as chatjs does. */
async function startChat(initialMessage: string) {
  const answer = (await (await post(`${server.origin}/amazon-connect/chat`, { initialMessage })).json()) as Record<string, string>;
  const created = await post(`${endpoint}/participant/connection`, { Type: ['CONNECTION_CREDENTIALS'] }, { 'x-amz-bearer': answer.participantToken ?? '' });
  const connection = ((await created.json()) as { ConnectionCredentials: { ConnectionToken: string } }).ConnectionCredentials.ConnectionToken;
  return { answer, customer: (operation: string, body: unknown) => post(`${endpoint}/participant/${operation}`, body, { 'x-amz-bearer': connection }) };
}

/** The console's view of every Connect chat now: the `hello` of a new console socket. */
async function consoleView(): Promise<ConsoleConversation[]> {
  const socket = new WebSocket(`${server.origin.replace('http', 'ws')}/ws/console/amazon-connect`);
  const hello = await new Promise<ConsoleUpdate>((resolve, reject) => socket.once('message', (data) => resolve(JSON.parse(String(data)) as ConsoleUpdate)).once('error', reject));
  socket.close();
  if (hello.t !== 'hello') throw new Error(`expected hello, got ${hello.t}`);
  return [...hello.conversations];
}

/** Sends one console command over HTTP; resolves with the status and the refusal, if any. */
async function command(body: unknown): Promise<{ status: number; reason?: string }> {
  const response = await post(`${server.origin}/api/console/amazon-connect`, body);
  const answer = (await response.json()) as { error?: { message: string } };
  return { status: response.status, ...(answer.error ? { reason: answer.error.message } : {}) };
}

describe('demo: the Amazon Connect vendor', () => {
  it('answers POST /amazon-connect/chat with the ids and token only, and 400 to a bad body', async () => {
    const good = await post(`${server.origin}/amazon-connect/chat`, { initialMessage: 'Refund for order 7' });
    expect(good.status).toBe(200);
    expect(Object.keys((await good.json()) as object).sort()).toEqual(['contactId', 'participantId', 'participantToken']);
    for (const body of [[], { initialMessage: 5 }, { initialMessage: '' }, { initialMessage: 'x'.repeat(1025) }]) {
      const bad = await post(`${server.origin}/amazon-connect/chat`, body);
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
    }
    expect(await consoleView()).toHaveLength(1);
  });

  it("lets the page's CSP reach the simulator, and nothing else", async () => {
    const policy = (await fetch(`${server.origin}/`)).headers.get('content-security-policy') ?? '';
    expect(policy).toContain(`connect-src 'self' ${endpoint} ${endpoint.replace('http', 'ws')};`);
  });

  it('shows a chat to the console and drives it: join, say, typing, read, transfer, end', async () => {
    const { customer } = await startChat('Refund for order 7');
    const [waiting] = await consoleView();
    expect(waiting).toMatchObject({ vendor: 'amazon-connect', id: 'connect-1', status: 'queued', auto: false, connected: false });
    expect(waiting?.transcript).toEqual([expect.objectContaining({ from: 'system', text: 'Summary: Refund for order 7' })]);

    expect(await command({ op: 'say', id: 'connect-1', text: 'too early' })).toEqual({ status: 400, reason: 'No agent in the chat: call join(name) first.' });
    expect(await command({ op: 'join', id: 'connect-1', agentId: 'agent-ann' })).toEqual({ status: 200 });
    expect(await command({ op: 'join', id: 'connect-1' })).toEqual({ status: 400, reason: 'Ann is already in this chat' });
    expect(await command({ op: 'say', id: 'connect-1', text: 'Hello, I am Ann' })).toEqual({ status: 200 });
    await customer('message', { ContentType: 'text/plain', Content: 'Hi Ann', ClientToken: 'c-1' });
    await customer('event', { ContentType: CONNECT_EVENT.typing });
    await customer('event', { ContentType: CONNECT_EVENT.read, Content: '{}' });
    const [active] = await consoleView();
    expect(active).toMatchObject({ status: 'active', agent: { nickname: 'Ann' }, userTyping: true, userRead: true });
    expect(active?.transcript.slice(1).map(({ from, text }) => `${from}: ${text}`)).toEqual(['system: Ann joined.', 'agent: Hello, I am Ann', 'user: Hi Ann']);

    expect(await command({ op: 'read', id: 'connect-1' })).toEqual({ status: 200 });
    expect(await command({ op: 'transfer', id: 'connect-1' })).toEqual({ status: 200 });
    expect((await consoleView())[0]).toMatchObject({ status: 'active', agent: { nickname: 'Bob' } });
    // After the transfer the contact id changed: the customer's messages still reach the same conversation.
    await customer('message', { ContentType: 'text/plain', Content: 'Hi Bob', ClientToken: 'c-2' });
    expect((await consoleView())[0]?.transcript.at(-1)).toMatchObject({ from: 'user', text: 'Hi Bob' });

    expect(await command({ op: 'end', id: 'connect-1' })).toEqual({ status: 200 });
    const [ended] = await consoleView();
    expect(ended).toMatchObject({ status: 'ended', connected: false });
    expect(ended?.transcript.slice(-2).map(({ text }) => text)).toEqual(['Bob left.', 'The chat ended.']);
  });

  it('refuses what a Connect chat cannot do, unknown chats and malformed commands, with a reason', async () => {
    await startChat('Help');
    expect(await command({ op: 'queue', id: 'connect-1', position: 1 })).toMatchObject({ status: 400, reason: expect.stringContaining('contact flow') });
    expect(await command({ op: 'auto', id: 'connect-1', on: true })).toMatchObject({ status: 400, reason: expect.stringContaining('no scripted agent') });
    expect(await command({ op: 'rich', id: 'connect-1', kind: 'file' })).toMatchObject({ status: 400, reason: expect.stringContaining('not available for Amazon Connect chats') });
    expect(await command({ op: 'share', id: 'connect-1', on: true })).toMatchObject({ status: 400, reason: expect.stringContaining('not available for Amazon Connect chats') });
    expect(await command({ op: 'join', id: 'connect-9' })).toEqual({ status: 400, reason: 'no conversation "connect-9"' });
    expect(await command({ op: 'join', id: 'connect-1', agentId: 'agent-zed' })).toEqual({ status: 400, reason: 'no agent "agent-zed"' });
    expect((await command({ op: 'dance', id: 'connect-1' })).status).toBe(400);
  });
});
