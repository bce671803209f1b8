import type { HostAgentProfile, HostMessageResponse } from '../../../lib/host/types';
import { ServiceDeskError } from '../../../lib/core/errors';
import { CHECKLIST, hostLog } from '../../../lib/testing';
import { middlewareClient } from '../../../lib/client';
import { startGenesysSimulator, type GenesysSimulator } from '../../../lib/simulator/genesys';
import { handoff, makeDesk, settle, shownTexts, waitFor, type TestDesk } from './helpers';

// The scenario checklist, through createServiceDesk + recordingCallback, against the Web Messaging simulator over
// real sockets on 127.0.0.1.

let sim: GenesysSimulator;
let open: TestDesk[] = [];

beforeEach(async () => {
  sim = await startGenesysSimulator();
  open = [];
});

afterEach(async () => {
  for (const { desk } of open) await desk.endChat();
  await sim.close();
});

function track(desk: TestDesk): TestDesk {
  open.push(desk);
  return desk;
}

async function connected(options: Parameters<typeof makeDesk>[1] = {}): Promise<TestDesk> {
  const test = track(makeDesk(sim, options));
  await test.desk.startChat(handoff());
  return test;
}

/** Ends the chat and proves that nothing is left: no socket on either side, no timer. */
async function endAndCheck(test: TestDesk): Promise<void> {
  await test.desk.endChat();
  await waitFor(() => sim.connections === 0, 'the server to see the socket closed');
  await settle(20);
  expect(sim.connections).toBe(0);
  expect(test.timers.live).toBe(0);
}

/** The id of the last message the persisted state says was shown. */
const markerOf = (persisted: unknown) => (persisted as { resume?: { marker?: { id?: string } } } | undefined)?.resume?.marker?.id;

const profiles = (test: TestDesk) => test.host.callsOf('agentJoined').map((call) => call.args[0] as HostAgentProfile);

describe('Genesys Web Messaging scenarios (simulator, real sockets)', () => {
  it('agent never joins: connects, sends the summary, shows queue updates, and leaves nothing behind', async () => {
    let polls = 0;
    const test = await connected({
      adapter: { getQueueStatus: async () => ({ waitMinutes: 3 + polls++ }), queuePollMs: 30 },
    });
    const summary = await sim.nextGuestMessage().catch(() => sim.guestMessages[0]);
    expect(summary?.text).toBe('User needs help with a refund');
    await waitFor(() => test.host.callsOf('updateAgentAvailability').length >= 2, 'two queue updates');
    expect(test.host.callsOf('updateAgentAvailability')[0]?.args[0]).toEqual({ estimatedWaitTime: 3 });
    expect(test.host.methods()).not.toContain('agentJoined');
    await endAndCheck(test);
  });

  it('first join: the first human message is the join, with nickname and image', async () => {
    const test = await connected();
    sim.join('Ann', 'https://example.com/ann.png', 'Hi, I am Ann.');
    await waitFor(() => shownTexts(test.host).length >= 1, 'the greeting');
    expect(profiles(test)).toEqual([{ id: 'Ann', nickname: 'Ann', user_type: 'human', profile_picture_url: 'https://example.com/ann.png' }]);
    expect(hostLog(test.host)).toEqual([...CHECKLIST.firstJoin('Ann'), 'sendMessageToUser(Hi, I am Ann.)']);
    expect(test.host.callsOf('sendMessageToUser')[0]?.args[1]).toBe('Ann');
  });

  it('uses lookupProfile for a better name and avatar', async () => {
    const lookups: string[] = [];
    const test = await connected({
      adapter: {
        lookupProfile: async ({ messageId, nickname }) => {
          lookups.push(messageId);
          return { id: `user-${nickname}`, nickname: `${nickname} Smith`, avatarUrl: 'https://example.com/p.png' };
        },
      },
    });
    const first = sim.join('Ann');
    sim.say('second message, no new lookup');
    await waitFor(() => shownTexts(test.host).length >= 2, 'two messages');
    expect(lookups).toEqual([first]);
    expect(profiles(test)).toEqual([{ id: 'user-Ann', nickname: 'Ann Smith', user_type: 'human', profile_picture_url: 'https://example.com/p.png' }]);
  });

  it('transfer: a different human sender is a transfer; a transfer-first message is just a join', async () => {
    const test = await connected();
    sim.transfer('Bob');
    await waitFor(() => shownTexts(test.host).length >= 1, 'Bob');
    expect(test.host.methods()).not.toContain('beginTransferToAnotherAgent');
    sim.transfer('Carol', 'https://example.com/carol.png', 'Carol here.');
    sim.say('Carol again');
    await waitFor(() => shownTexts(test.host).length >= 3, 'Carol');
    expect(hostLog(test.host)).toEqual([
      ...CHECKLIST.firstJoin('Bob'),
      'sendMessageToUser(Hi, Bob here. I have taken over your chat.)',
      ...CHECKLIST.transfer('Carol'),
      'sendMessageToUser(Carol here.)',
      'sendMessageToUser(Carol again)',
    ]);
    expect(test.host.callsOf('sendMessageToUser').map((call) => call.args[1])).toEqual(['Bob', 'Carol', 'Carol']);
  });

  it('typing: agent typing shows for its duration, stops on a message, and user typing is throttled', async () => {
    const test = await connected({ adapter: { typingCooldownMs: 60_000 }, desk: { typingThrottleMs: 10 } });
    sim.join('Ann');
    await waitFor(() => shownTexts(test.host).length >= 1, 'join');
    sim.typing(80);
    await waitFor(() => test.host.callsOf('agentTyping').length === 2, 'typing on then off after the duration');
    expect(hostLog(test.host).filter((line) => line.startsWith('agentTyping'))).toEqual(CHECKLIST.typing());
    // flap: on, on again (one "true"), then a message stops it before the duration ends
    sim.typing(5_000);
    sim.typing(5_000);
    sim.say('done typing');
    await waitFor(() => shownTexts(test.host).length >= 2, 'the message');
    expect(test.host.callsOf('agentTyping').map((call) => call.args[0])).toEqual([true, false, true, false]);
    const typed: string[] = [];
    sim.on('guestTyping', ({ token }) => typed.push(token));
    await test.desk.userTyping(true);
    await test.desk.userTyping(false);
    await test.desk.userTyping(true);
    await waitFor(() => typed.length === 1, 'one typing event');
    await settle(50);
    expect(typed).toHaveLength(1);
    await endAndCheck(test);
  });

  it('bot messages before the join are shown without an agent; agent messages after carry the agent', async () => {
    const test = await connected();
    sim.bot('You are number 2 in the queue.');
    await waitFor(() => shownTexts(test.host).length >= 1, 'bot message');
    expect(test.host.callsOf('sendMessageToUser')[0]?.args).toHaveLength(1);
    sim.join('Ann');
    await waitFor(() => shownTexts(test.host).length >= 2, 'agent message');
    expect(test.host.callsOf('sendMessageToUser')[1]?.args[1]).toBe('Ann');
  });

  it('drops bot messages when botMessages is "drop"', async () => {
    const test = await connected({ adapter: { botMessages: 'drop' } });
    sim.bot('flow message');
    sim.join('Ann');
    await waitFor(() => shownTexts(test.host).length >= 1, 'agent message');
    expect(shownTexts(test.host)).toEqual(['Hello, this is Ann. How can I help?']);
  });

  it('user messages reach Genesys once each, in order, with the host id as tracingId', async () => {
    const test = await connected({ adapter: { summary: false } });
    await Promise.all([
      test.desk.sendMessageToAgent({ input: { text: 'one' } }, 'u1'),
      test.desk.sendMessageToAgent({ input: { text: 'two' } }, 'u2'),
    ]);
    expect(sim.guestMessages.map((m) => [m.text, m.tracingId])).toEqual([
      ['one', 'u1'],
      ['two', 'u2'],
    ]);
  });

  it('malformed frames (non-JSON, unknown class, missing fields) are skipped and the session lives on', async () => {
    const test = await connected();
    sim.join('Ann');
    await waitFor(() => shownTexts(test.host).length >= 1, 'join');
    sim.sendRaw('this is not json');
    sim.sendRaw({ type: 'message', class: 'SomethingNew', code: 200, body: {} });
    sim.sendRaw({ type: 'message', class: 'StructuredMessage', code: 200, body: { type: 'Text', direction: 'Outbound', text: 'no id' } });
    sim.sendRaw({ type: 'message', class: 'StructuredMessage', code: 200 });
    sim.sendRaw({ class: 'SessionResponse', body: {} });
    sim.sendRaw('[1,2,3]');
    sim.say('still here');
    await waitFor(() => shownTexts(test.host).length >= 2, 'the next message');
    expect(shownTexts(test.host)).toEqual(['Hello, this is Ann. How can I help?', 'still here']);
    expect(sim.totalConnections).toBe(1);
    expect(test.host.methods()).not.toContain('setErrorStatus');
    await endAndCheck(test);
  });

  it('disconnect -> retry -> recover: messages both ways while down are neither lost nor duplicated', async () => {
    const test = await connected({ adapter: { summary: false } });
    sim.join('Ann');
    await waitFor(() => shownTexts(test.host).length >= 1, 'join');
    sim.drop();
    sim.say('while down 1');
    sim.say('while down 2');
    const sent = test.desk.sendMessageToAgent({ input: { text: 'sent while down' } }, 'u-down');
    await sent;
    sim.say('after');
    await waitFor(() => shownTexts(test.host).length >= 4, 'all messages');
    expect(shownTexts(test.host)).toEqual(['Hello, this is Ann. How can I help?', 'while down 1', 'while down 2', 'after']);
    expect(sim.guestMessages.map((m) => m.text)).toEqual(['sent while down']);
    expect(hostLog(test.host).filter((line) => line.startsWith('notice'))).toEqual(CHECKLIST.reconnect());
    expect(profiles(test)).toHaveLength(1);
    expect(sim.totalConnections).toBe(2);
    await endAndCheck(test);
  });

  it('a gap longer than the history read is reported in the log (the older missed messages cannot be shown)', async () => {
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, warn: (message: string) => void warnings.push(message), error() {} };
    const test = await connected({ adapter: { summary: false, historyPageSize: 2, historyMaxPages: 1 }, desk: { logger } });
    sim.join('Ann');
    await waitFor(() => shownTexts(test.host).length >= 1, 'join');
    sim.drop();
    for (const n of [1, 2, 3, 4]) sim.say(`while down ${n}`);
    sim.say('after');
    await waitFor(() => shownTexts(test.host).includes('after'), 'the live message');
    // One page of two entries holds "while down 4" and "after" is live: 1 to 3 are beyond the read.
    expect(shownTexts(test.host)).not.toContain('while down 1');
    expect(warnings.filter((line) => line.includes('longer than the history read'))).toHaveLength(1);
    await endAndCheck(test);
  });

  it('a stalled socket is detected by the heartbeat and replaced', async () => {
    const test = await connected({ adapter: { heartbeatMs: 100, summary: false } });
    sim.join('Ann');
    await waitFor(() => shownTexts(test.host).length >= 1, 'join');
    sim.stall(1_000);
    sim.say('said during the stall');
    await waitFor(() => shownTexts(test.host).length >= 2, 'the message after the new socket', 4_000);
    expect(sim.totalConnections).toBe(2);
    expect(shownTexts(test.host)[1]).toBe('said during the stall');
    await settle(1_100);
    expect(shownTexts(test.host)).toHaveLength(2);
    await endAndCheck(test);
  });

  it('keeps an idle socket alive with echo frames', async () => {
    const echoes: unknown[] = [];
    sim.on('frame', ({ frame }) => {
      if ((frame as { action?: string }).action === 'echo') echoes.push(frame);
    });
    const test = await connected({ adapter: { heartbeatMs: 40 } });
    await waitFor(() => echoes.length >= 3, 'three echoes');
    expect(sim.totalConnections).toBe(1);
    await endAndCheck(test);
    const after = echoes.length;
    await settle(150);
    expect(echoes.length).toBe(after);
  });

  it('session expiry after the join ends the chat with a notice', async () => {
    const test = await connected();
    sim.join('Ann');
    await waitFor(() => shownTexts(test.host).length >= 1, 'join');
    sim.expireSession();
    await waitFor(() => test.host.methods().includes('agentEndedChat'), 'the end');
    expect(hostLog(test.host).filter((line) => line.startsWith('notice'))).toHaveLength(1);
    await waitFor(() => sim.connections === 0, 'socket closed');
    expect(test.timers.live).toBe(0);
  });

  it('endChat during connect leaves no socket and no timer', async () => {
    const test = track(makeDesk(sim));
    sim.stall(2_000);
    const started = test.desk.startChat(handoff());
    await waitFor(() => sim.connections === 1, 'the socket');
    await test.desk.endChat();
    await started;
    await waitFor(() => sim.connections === 0, 'the socket to close');
    await settle(20);
    expect(test.timers.live).toBe(0);
    expect(hostLog(test.host)).toEqual([]);
  });

  it('endChat during a transfer leaves no socket and no timer', async () => {
    const test = await connected();
    sim.join('Ann');
    sim.transfer('Bob');
    await waitFor(() => test.host.methods().includes('beginTransferToAnotherAgent'), 'the transfer');
    await endAndCheck(test);
  });

  it('user ends: the conversation is cleared, the socket closed and the heartbeat timer gone', async () => {
    const cleared: string[] = [];
    sim.on('cleared', ({ token }) => cleared.push(token));
    const test = await connected({ adapter: { heartbeatMs: 30 } });
    sim.join('Ann');
    await waitFor(() => shownTexts(test.host).length >= 1, 'join');
    await endAndCheck(test);
    expect(cleared).toEqual([sim.activeToken]);
    expect(test.host.methods()).not.toContain('agentEndedChat');
  });

  it('user ends on a deployment without Conversation Clear: the refusal is tolerated and the socket closed', async () => {
    await sim.close();
    sim = await startGenesysSimulator({ clearEnabled: false });
    const test = await connected();
    await endAndCheck(test);
  });

  it('resends the summary after a drop that lost its echo, and Genesys gets it once', async () => {
    const summaries: unknown[] = [];
    sim.on('frame', ({ frame }) => String((frame as { tracingId?: string }).tracingId).startsWith('rx-summary-') && summaries.push(frame));
    sim.dropBeforeNextEcho();
    const test = await connected();
    await waitFor(() => summaries.length === 2, 'the summary sent again on the new socket');
    await settle(50);
    expect(sim.totalConnections).toBe(2);
    expect(sim.guestMessages.map((message) => message.text)).toEqual(['User needs help with a refund']);
    await test.desk.sendMessageToAgent({ input: { text: 'next' } }, 'u-next');
    expect(sim.guestMessages.map((message) => message.text)).toEqual(['User needs help with a refund', 'next']);
  });

  it('user ends with endAction "close": the socket closes and the conversation stays', async () => {
    const cleared: string[] = [];
    sim.on('cleared', ({ token }) => cleared.push(token));
    const test = await connected({ adapter: { endAction: 'close' } });
    await endAndCheck(test);
    expect(cleared).toEqual([]);
  });

  it('agent ends the chat (read-only): agentEndedChat, then everything is closed', async () => {
    const test = await connected();
    sim.join('Ann');
    await waitFor(() => shownTexts(test.host).length >= 1, 'join');
    sim.end({ readOnly: true });
    await waitFor(() => test.host.methods().includes('agentEndedChat'), 'the end');
    await waitFor(() => sim.connections === 0, 'socket closed');
    await settle(20);
    expect(test.timers.live).toBe(0);
    expect(hostLog(test.host)).toEqual([...CHECKLIST.firstJoin('Ann'), 'sendMessageToUser(Hello, this is Ann. How can I help?)', ...CHECKLIST.agentEnds()]);
  });

  it('the server rejecting the deployment id fails the start clearly, without retrying', async () => {
    sim.rejectDeployment('Deployment not found');
    const test = track(makeDesk(sim));
    const error = await test.desk.startChat(handoff()).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(ServiceDeskError);
    expect(error).toMatchObject({ code: 'CONNECT_FAILED', retryable: false });
    expect((error as Error).message).toMatch(/deploymentId/);
    expect(sim.totalConnections).toBe(1);
    await waitFor(() => sim.connections === 0, 'socket closed');
    expect(test.timers.live).toBe(0);
  });

  it('attachments both ways: upload URL, PUT, send, setFileUploadStatus; agent files shown as links', async () => {
    const test = await connected({ adapter: { summary: false } });
    sim.join('Ann');
    await waitFor(() => shownTexts(test.host).length >= 1, 'join');
    const file = Object.assign(new Blob(['%PDF-1.4 receipt'], { type: 'application/pdf' }), { name: 'receipt.pdf' });
    await test.desk.sendMessageToAgent({ input: { text: 'here is the receipt' } }, 'u-file', { filesToUpload: [{ id: 'f1', file }] });
    await waitFor(() => test.host.callsOf('setFileUploadStatus').length === 1, 'the upload status');
    expect(test.host.callsOf('setFileUploadStatus')[0]?.args).toEqual(['f1']);
    expect(sim.guestMessages.map((m) => m.text)).toEqual(['here is the receipt', '']);
    const uploaded = sim.guestMessages[1]?.attachments[0];
    expect(uploaded).toMatchObject({ filename: 'receipt.pdf', mime: 'application/pdf' });
    const body = await (await fetch(uploaded?.url ?? '')).text();
    expect(body).toBe('%PDF-1.4 receipt');

    sim.attach({ name: 'label.pdf', type: 'application/pdf', data: 'label', text: 'Your label' });
    sim.attach({ name: 'photo.png', type: 'image/png', data: 'png' });
    await waitFor(() => shownTexts(test.host).length >= 3, 'the agent files');
    const [, label, photo] = test.host.callsOf('sendMessageToUser').map((call) => (call.args[0] as HostMessageResponse).output.generic ?? []);
    expect(label?.[0]).toEqual({ response_type: 'text', text: 'Your label' });
    expect(label?.[1]?.text).toMatch(/^\[label\\?\.pdf\]\(http:\/\/127\.0\.0\.1:\d+\/files\/\w+\/label\.pdf\)$/);
    expect(photo?.[0]).toMatchObject({ response_type: 'image', title: 'photo.png' });
  });

  it('a refused file type fails that file only', async () => {
    await sim.close();
    sim = await startGenesysSimulator({ allowedFileTypes: ['image/png'] });
    const test = await connected({ adapter: { summary: false } });
    await waitFor(() => test.host.callsOf('updateCapabilities').length > 0, 'capabilities');
    expect(test.host.callsOf('updateCapabilities').at(-1)?.args[0]).toEqual({
      allowFileUploads: true,
      allowMultipleFileUploads: true,
      allowedFileUploadTypes: 'image/png',
    });
    const file = Object.assign(new Blob(['x'], { type: 'application/zip' }), { name: 'a.zip' });
    test.desk.filesSelectedForUpload([{ id: 'f1', file }]);
    await waitFor(() => test.host.callsOf('setFileUploadStatus').length === 1, 'the refusal');
    expect(test.host.callsOf('setFileUploadStatus')[0]?.args.slice(0, 2)).toEqual(['f1', true]);
  });

  it('page reload: reconnect() resumes the same conversation from persisted state, without repeats', async () => {
    const first = await connected({ adapter: { endAction: 'close' } });
    sim.join('Ann');
    const last = sim.say('before reload');
    // The host persists the position after it has shown the message (shown twice beats never shown).
    const persisted = await waitFor(() => markerOf(first.host.persisted) === last && first.host.persisted, 'the persisted position');
    const token = sim.activeToken;
    // The page goes away: the socket closes without clearing the conversation.
    await first.desk.endChat();
    await waitFor(() => sim.connections === 0, 'socket closed');
    sim.say('while reloading 1');
    sim.say('while reloading 2');

    const second = track(makeDesk(sim, { persistedState: persisted }));
    await expect(second.desk.reconnect!()).resolves.toBe(true);
    expect(sim.activeToken).toBe(token);
    await waitFor(() => shownTexts(second.host).length >= 2, 'the missed messages');
    sim.say('after reload');
    await waitFor(() => shownTexts(second.host).length >= 3, 'the next message');
    expect(shownTexts(second.host)).toEqual(['while reloading 1', 'while reloading 2', 'after reload']);
    expect(second.host.methods()).not.toContain('agentJoined');
    expect(second.host.methods()).not.toContain('beginTransferToAnotherAgent');
    await second.desk.sendMessageToAgent({ input: { text: 'back again' } }, 'u-back');
    expect(sim.guestMessages.at(-1)).toMatchObject({ text: 'back again', token });
  });

  it('page reload after the agent ended: the resumed chat shows the end', async () => {
    const first = await connected({ adapter: { endAction: 'close' } });
    const greeting = sim.join('Ann');
    const persisted = await waitFor(() => markerOf(first.host.persisted) === greeting && first.host.persisted, 'the persisted position');
    await first.desk.endChat();
    await waitFor(() => sim.connections === 0, 'socket closed');
    sim.say('bye');
    sim.end({ readOnly: true });
    const second = track(makeDesk(sim, { persistedState: persisted }));
    await expect(second.desk.reconnect!()).resolves.toBe(true);
    await waitFor(() => second.host.methods().includes('agentEndedChat'), 'the end');
    expect(shownTexts(second.host)).toEqual(['bye']);
    await waitFor(() => sim.connections === 0, 'socket closed');
  });

  it('reconnect() answers false when Genesys no longer knows the session', async () => {
    const first = await connected({ adapter: { endAction: 'close' } });
    const persisted = await waitFor(() => first.host.persisted, 'the persisted session');
    await first.desk.endChat();
    sim.expireSession();
    const second = track(makeDesk(sim, { persistedState: persisted }));
    await expect(second.desk.reconnect!()).resolves.toBe(false);
    await waitFor(() => sim.connections === 0, 'socket closed');
  });

  it('authenticated sessions use configureAuthenticatedSession with the code from getAuthCode', async () => {
    await sim.close();
    sim = await startGenesysSimulator({ acceptAuthCode: (code) => code === 'good-code' });
    const actions: string[] = [];
    sim.on('frame', ({ frame }) => actions.push(String((frame as { action?: string }).action)));
    await connected({ adapter: { getAuthCode: async () => 'good-code' } });
    expect(actions[0]).toBe('configureAuthenticatedSession');

    const refused = track(makeDesk(sim, { adapter: { getAuthCode: async () => 'bad-code' } }));
    await expect(refused.desk.startChat(handoff())).rejects.toMatchObject({ code: 'AUTH_FAILED' });
  });

  it('areAnyAgentsOnline asks checkAvailability', async () => {
    const online = makeDesk(sim, { adapter: { checkAvailability: async () => ({ online: true, agentsOnQueue: 3, waiting: 1 }) } });
    const offline = makeDesk(sim, { adapter: { checkAvailability: async () => ({ online: false, agentsOnQueue: 0, waiting: 0 }) } });
    await expect(online.desk.areAnyAgentsOnline(handoff())).resolves.toBe(true);
    await expect(offline.desk.areAnyAgentsOnline(handoff())).resolves.toBe(false);
  });

  it('works with watsonx web chat callbacks too', async () => {
    const test = await connected({ host: 'watsonx' });
    sim.join('Ann');
    await waitFor(() => shownTexts(test.host).length >= 1, 'join');
    expect(hostLog(test.host)).toEqual([...CHECKLIST.firstJoin('Ann'), 'sendMessageToUser(Hello, this is Ann. How can I help?)']);
    await endAndCheck(test);
  });
});

describe('with the middleware client (rx-service-desk/client)', () => {
  let server: GenesysSimulator;

  beforeEach(async () => {
    server = await startGenesysSimulator();
  });

  afterEach(async () => {
    await server.close();
  });

  it('plugs the client answers straight into the adapter options', async () => {
    const paths: string[] = [];
    const answers: Record<string, unknown> = {
      '/genesys/availability': { online: true, agentsOnQueue: 2, waiting: 5, waitMinutes: 4 },
      '/genesys/auth-code': { code: 'signed-identity' },
    };
    const fakeFetch = (async (input: string | URL | Request) => {
      const url = new URL(String(input));
      paths.push(url.pathname);
      const body = url.pathname === '/genesys/agent-profile' ? { id: 'u-7', nickname: 'Ann Smith', avatarUrl: 'https://example.com/ann.png' } : answers[url.pathname];
      return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
    }) as typeof fetch;
    const api = middlewareClient({ baseUrl: 'https://middleware.example', fetch: fakeFetch });
    const test = makeDesk(server, {
      adapter: {
        checkAvailability: () => api.genesysAvailability(),
        getQueueStatus: () => api.genesysAvailability(),
        queuePollMs: 1_000,
        lookupProfile: ({ messageId }) => api.genesysAgentProfile(messageId),
        getAuthCode: async () => (await api.genesysAuthCode()).code,
      },
    });
    await expect(test.desk.areAnyAgentsOnline(handoff())).resolves.toBe(true);
    await test.desk.startChat(handoff());
    await waitFor(() => test.host.callsOf('updateAgentAvailability').length > 0, 'a queue update');
    server.join('Ann');
    await waitFor(() => shownTexts(test.host).length >= 1, 'the join');
    expect(hostLog(test.host).slice(0, 2)).toEqual(['updateAgentAvailability({"estimatedWaitTime":4})', ...CHECKLIST.firstJoin('Ann Smith')]);
    expect(profiles(test)[0]).toMatchObject({ id: 'u-7', profile_picture_url: 'https://example.com/ann.png' });
    expect(paths).toEqual(expect.arrayContaining(['/genesys/availability', '/genesys/auth-code', '/genesys/agent-profile']));
    await test.desk.endChat();
  });
});
