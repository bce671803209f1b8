import type { HostAgentProfile, HostMessageResponse } from '../../../lib/host/types';
import { ServiceDeskError } from '../../../lib/core/errors';
import { CHECKLIST, hostLog, settleAfter } from '../../../lib/testing';
import { after, handoff, makeDesk, shownTexts, world, type TestDesk, type World } from './helpers';

// Genesys-only scenarios, beyond what the conformance suite (conformance.spec.ts) covers on every adapter: the
// options (lookupProfile, botMessages, endAction, getAuthCode, history bounds), the heartbeat, the summary's exactly
// once, read-only ends and resumes. Through createServiceDesk + recordingCallback, against the in-memory Web Messaging
// desk in virtual time (1 ms each way on the wire).

let w: World;
let open: { test: TestDesk; on: World }[] = [];

beforeEach(() => {
  w = world();
  open = [];
});

afterEach(async () => {
  for (const { test, on } of open) await after(on, 2_000, test.desk.endChat());
});

function track(test: TestDesk, on: World = w): TestDesk {
  open.push({ test, on });
  return test;
}

async function connected(options: Parameters<typeof makeDesk>[1] = {}, on: World = w): Promise<TestDesk> {
  const test = track(makeDesk(on, options), on);
  await after(on, 50, test.desk.startChat(handoff()));
  return test;
}

/** Ends the chat and proves that nothing is left: no socket on either side, no listener, no timer. */
async function endAndCheck(test: TestDesk, on: World = w): Promise<void> {
  await after(on, 2_000, test.desk.endChat());
  expect(on.sim.connections).toBe(0);
  expect(on.genesys.listenerCount()).toBe(0);
  expect(test.timers.live).toBe(0);
}

/** The id of the last message the persisted state says was shown. */
const markerOf = (persisted: unknown) => (persisted as { resume?: { last?: { id?: string } } } | undefined)?.resume?.last?.id;

const profiles = (test: TestDesk) => test.host.callsOf('agentJoined').map((call) => call.args[0] as HostAgentProfile);

describe('Genesys Web Messaging scenarios beyond the conformance suite (in-memory desk, virtual time)', () => {
  it('uses lookupProfile for a better name and avatar (the agent keeps the id Genesys gives)', async () => {
    const lookups: string[] = [];
    const test = await connected({
      adapter: {
        lookupProfile: ({ messageId, nickname }) => {
          lookups.push(messageId);
          return settleAfter({ scheduler: w.clock.scheduler, latencyMs: 20 }, () => ({ id: `user-${nickname}`, nickname: `${nickname} Smith`, avatarUrl: 'https://example.com/p.png' }));
        },
      },
    });
    const first = w.sim.join('Ann');
    w.sim.say('second message, no new lookup');
    w.clock.advance(30);
    expect(shownTexts(test.host)).toHaveLength(2);
    expect(lookups).toEqual([first]);
    expect(profiles(test)).toEqual([{ id: 'Ann', nickname: 'Ann Smith', user_type: 'human', profile_picture_url: 'https://example.com/p.png' }]);
  });

  it('a lookupProfile that never answers times out and the sender is used', async () => {
    const test = await connected({ adapter: { lookupProfile: () => new Promise(() => undefined), profileTimeoutMs: 500 } });
    w.sim.join('Ann');
    w.clock.advance(499);
    expect(shownTexts(test.host)).toEqual([]);
    w.clock.advance(2);
    expect(profiles(test)).toEqual([{ id: 'Ann', nickname: 'Ann', user_type: 'human' }]);
  });

  it('typing: agent typing shows for its duration and stops on a message; the user typing sends Typing On, none to stop', async () => {
    const test = await connected({ adapter: { typingIntervalMs: 60_000 }, desk: { typingThrottleMs: 10 } });
    w.sim.join('Ann');
    w.clock.advance(10);
    w.sim.typing(80);
    w.clock.advance(80);
    expect(test.host.callsOf('agentTyping').map((call) => call.args[0])).toEqual([true]);
    w.clock.advance(2);
    expect(hostLog(test.host).filter((line) => line.startsWith('agentTyping'))).toEqual(CHECKLIST.typing());
    // flap: on, on again (one "true"), then a message stops it before the duration ends
    w.sim.typing(5_000);
    w.sim.typing(5_000);
    w.sim.say('done typing');
    w.clock.advance(10);
    expect(shownTexts(test.host)).toHaveLength(2);
    expect(test.host.callsOf('agentTyping').map((call) => call.args[0])).toEqual([true, false, true, false]);
    const typed: string[] = [];
    w.sim.on('guestTyping', ({ token }) => typed.push(token));
    await after(w, 5, test.desk.userTyping(true));
    await after(w, 5, test.desk.userTyping(false));
    await after(w, 5, test.desk.userTyping(true));
    w.clock.advance(100);
    // Web Messaging has no Typing Off: the stop sends nothing, each start (throttled by the desk) one Typing On.
    expect(typed).toHaveLength(2);
    await endAndCheck(test);
  });

  it('bot messages before the join are shown without an agent; agent messages after carry the agent', async () => {
    const test = await connected();
    w.sim.bot('You are number 2 in the queue.');
    w.clock.advance(10);
    expect(test.host.callsOf('sendMessageToUser')[0]?.args).toHaveLength(1);
    w.sim.join('Ann');
    w.clock.advance(10);
    expect(test.host.callsOf('sendMessageToUser')[1]?.args[1]).toBe('Ann');
  });

  it('drops bot messages when botMessages is "drop"', async () => {
    const test = await connected({ adapter: { botMessages: 'drop' } });
    w.sim.bot('flow message');
    w.sim.join('Ann');
    w.clock.advance(10);
    expect(shownTexts(test.host)).toEqual(['Hello, this is Ann. How can I help?']);
  });

  it('a gap longer than the history read is reported in the log (the older missed messages cannot be shown)', async () => {
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, warn: (message: string) => void warnings.push(message), error() {} };
    const test = await connected({ adapter: { summary: false, historyPageSize: 2, historyMaxPages: 1 }, desk: { logger } });
    w.sim.join('Ann');
    w.clock.advance(10);
    w.sim.drop();
    for (const n of [1, 2, 3, 4]) w.sim.say(`while down ${n}`);
    w.clock.advance(200);
    w.sim.say('after');
    w.clock.advance(10);
    // One page of two entries holds "while down 3" and "while down 4": 1 and 2 are beyond the read.
    expect(shownTexts(test.host)).toEqual(['Hello, this is Ann. How can I help?', 'while down 3', 'while down 4', 'after']);
    expect(warnings.filter((line) => line.includes('longer than the history read'))).toHaveLength(1);
    await endAndCheck(test);
  });

  it('a stalled socket is detected by the heartbeat and replaced', async () => {
    const test = await connected({ adapter: { heartbeatMs: 100, summary: false } });
    w.sim.join('Ann');
    w.clock.advance(10);
    w.sim.stall(1_000);
    w.sim.say('said during the stall');
    // Two unanswered heartbeats (200 ms), then the backoff and a new socket, which the stall holds until it ends.
    w.clock.advance(1_100);
    expect(w.sim.totalConnections).toBe(2);
    expect(shownTexts(test.host)).toEqual(['Hello, this is Ann. How can I help?', 'said during the stall']);
    w.clock.advance(1_100);
    expect(shownTexts(test.host)).toHaveLength(2);
    await endAndCheck(test);
  });

  it('keeps an idle socket alive with echo frames', async () => {
    const echoes: unknown[] = [];
    w.sim.on('frame', ({ frame }) => {
      if ((frame as { action?: string }).action === 'echo') echoes.push(frame);
    });
    const test = await connected({ adapter: { heartbeatMs: 40 } });
    expect(echoes).toHaveLength(1);
    w.clock.advance(120);
    expect(echoes).toHaveLength(4);
    expect(w.sim.totalConnections).toBe(1);
    await endAndCheck(test);
    const sent = echoes.length;
    w.clock.advance(150);
    expect(echoes).toHaveLength(sent);
  });

  it('session expiry after the join ends the chat with a notice', async () => {
    const test = await connected();
    w.sim.join('Ann');
    w.clock.advance(10);
    w.sim.expireSession();
    w.clock.advance(10);
    expect(test.host.methods()).toContain('agentEndedChat');
    expect(hostLog(test.host).filter((line) => line.startsWith('notice'))).toHaveLength(1);
    expect(w.sim.connections).toBe(0);
    expect(w.genesys.listenerCount()).toBe(0);
    expect(test.timers.live).toBe(0);
  });

  it('user ends on a deployment without Conversation Clear: the refusal is tolerated and the socket closed', async () => {
    const without = world({ clearEnabled: false });
    const test = await connected({}, without);
    await endAndCheck(test, without);
  });

  it('resends the summary after a drop that lost its echo, and Genesys gets it once', async () => {
    const summaries: unknown[] = [];
    w.sim.on('frame', ({ frame }) => String((frame as { tracingId?: string }).tracingId).startsWith('rx-summary-') && summaries.push(frame));
    w.sim.dropBeforeNextEcho();
    const test = await connected();
    w.clock.advance(200);
    expect(summaries).toHaveLength(2);
    expect(w.sim.totalConnections).toBe(2);
    expect(w.sim.guestMessages.map((message) => message.text)).toEqual(['User needs help with a refund']);
    await after(w, 10, test.desk.sendMessageToAgent({ input: { text: 'next' } }, 'u-next'));
    expect(w.sim.guestMessages.map((message) => message.text)).toEqual(['User needs help with a refund', 'next']);
  });

  it('a message whose echo was lost is not sent again when the history has it (messageIdAttribute)', async () => {
    const sends: number[] = [];
    w.sim.on('frame', ({ frame }) => (frame as { tracingId?: string }).tracingId === 'u-1' && sends.push(w.sim.totalConnections));
    const test = await connected({ adapter: { summary: false, messageIdAttribute: 'rxMessageId' } });
    w.sim.dropBeforeNextEcho();
    await after(w, 5_000, test.desk.sendMessageToAgent({ input: { text: 'hello' } }, 'u-1'));
    expect(w.sim.totalConnections).toBe(2);
    expect(sends).toEqual([1]);
    expect(w.sim.guestMessages.map((message) => message.text)).toEqual(['hello']);
  });

  it('user ends with endAction "close": the socket closes and the conversation stays', async () => {
    const cleared: string[] = [];
    w.sim.on('cleared', ({ token }) => cleared.push(token));
    const test = await connected({ adapter: { endAction: 'close' } });
    await endAndCheck(test);
    expect(cleared).toEqual([]);
  });

  it('the server rejecting the deployment id fails the start clearly, without retrying', async () => {
    w.sim.rejectDeployment('Deployment not found');
    const test = track(makeDesk(w));
    const error = await after(
      w,
      100,
      test.desk.startChat(handoff()).then(
        () => undefined,
        (failure: unknown) => failure,
      ),
    );
    expect(error).toBeInstanceOf(ServiceDeskError);
    expect(error).toMatchObject({ code: 'CONNECT_FAILED', retryable: false });
    expect((error as Error).message).toMatch(/deploymentId/);
    expect(w.sim.totalConnections).toBe(1);
    expect(w.sim.connections).toBe(0);
    expect(test.timers.live).toBe(0);
  });

  it('attachments both ways: upload URL, PUT, send, setFileUploadStatus; agent files shown as file cards and images', async () => {
    const test = await connected({ adapter: { summary: false } });
    w.sim.join('Ann');
    w.clock.advance(10);
    const file = Object.assign(new Blob(['%PDF-1.4 receipt'], { type: 'application/pdf' }), { name: 'receipt.pdf' });
    await after(w, 50, test.desk.sendMessageToAgent({ input: { text: 'here is the receipt' } }, 'u-file', { filesToUpload: [{ id: 'f1', file }] }));
    w.clock.advance(50);
    expect(test.host.callsOf('setFileUploadStatus').map((call) => call.args)).toEqual([['f1']]);
    expect(w.sim.guestMessages.map((m) => m.text)).toEqual(['here is the receipt', '']);
    const uploaded = w.sim.guestMessages[1]?.attachments[0];
    expect(uploaded).toMatchObject({ filename: 'receipt.pdf', mime: 'application/pdf', fileSize: 16 });
    const stored = w.sim.http({ method: 'GET', path: new URL(uploaded?.url ?? '').pathname, headers: {} }).file?.data as Blob;
    expect(await stored.text()).toBe('%PDF-1.4 receipt');

    w.sim.attach({ name: 'label.pdf', type: 'application/pdf', data: 'label', text: 'Your label' });
    w.sim.attach({ name: 'photo.png', type: 'image/png', data: 'png' });
    w.clock.advance(10);
    const [, label, photo] = test.host.callsOf('sendMessageToUser').map((call) => (call.args[0] as HostMessageResponse).output.generic ?? []);
    expect(label?.[0]).toEqual({ response_type: 'text', text: 'Your label' });
    expect(label?.[1]).toMatchObject({ response_type: 'button', button_type: 'url', kind: 'link', label: 'label.pdf', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1\/files\/[\w-]+\/label\.pdf$/) });
    expect(photo?.[0]).toMatchObject({ response_type: 'image', title: 'photo.png', alt_text: 'photo.png' });
  });

  it('a refused file type fails that file only', async () => {
    const pngOnly = world({ allowedFileTypes: ['image/png'] });
    const test = await connected({ adapter: { summary: false } }, pngOnly);
    expect(test.host.callsOf('updateCapabilities').at(-1)?.args[0]).toEqual({
      allowFileUploads: true,
      allowMultipleFileUploads: true,
      allowedFileUploadTypes: 'image/png',
    });
    const file = Object.assign(new Blob(['x'], { type: 'application/zip' }), { name: 'a.zip' });
    test.desk.filesSelectedForUpload([{ id: 'f1', file }]);
    pngOnly.clock.advance(10);
    expect(test.host.callsOf('setFileUploadStatus').map((call) => call.args.slice(0, 2))).toEqual([['f1', true]]);
  });

  it('the capabilities option wins over the allowedMedia Genesys reports: uploads stay off', async () => {
    const test = await connected({ adapter: { capabilities: { allowFileUploads: false }, summary: false } });
    const calls = test.host.callsOf('updateCapabilities').map((call) => call.args[0]);
    expect(calls.length).toBeGreaterThan(1);
    for (const capabilities of calls) expect(capabilities).toMatchObject({ allowFileUploads: false });
  });

  it('page reload after the agent ended: the resumed chat shows the end', async () => {
    const first = await connected({ adapter: { endAction: 'close' } });
    const greeting = w.sim.join('Ann');
    w.clock.advance(10);
    expect(markerOf(first.host.persisted)).toBe(greeting);
    const persisted = first.host.persisted;
    await after(w, 100, first.desk.endChat());
    w.sim.say('bye');
    w.sim.end({ readOnly: true });
    const second = track(makeDesk(w, { persistedState: persisted }));
    await expect(after(w, 100, second.desk.reconnect!())).resolves.toBe(true);
    expect(second.host.methods()).toContain('agentEndedChat');
    expect(shownTexts(second.host)).toEqual(['bye']);
    expect(w.sim.connections).toBe(0);
  });

  it('reconnect() answers false when Genesys no longer knows the session', async () => {
    const first = await connected({ adapter: { endAction: 'close' } });
    const persisted = first.host.persisted;
    expect(persisted).toBeDefined();
    await after(w, 100, first.desk.endChat());
    w.sim.expireSession();
    const second = track(makeDesk(w, { persistedState: persisted }));
    await expect(after(w, 100, second.desk.reconnect!())).resolves.toBe(false);
    expect(w.sim.connections).toBe(0);
  });

  it('authenticated sessions use configureAuthenticatedSession with the code from getAuthCode', async () => {
    const auth = world({ acceptAuthCode: (code) => code === 'good-code' });
    const actions: string[] = [];
    auth.sim.on('frame', ({ frame }) => actions.push(String((frame as { action?: string }).action)));
    await connected({ adapter: { getAuthCode: () => settleAfter({}, () => 'good-code') } }, auth);
    expect(actions[0]).toBe('configureAuthenticatedSession');

    const refused = track(makeDesk(auth, { adapter: { getAuthCode: () => settleAfter({}, () => 'bad-code') } }), auth);
    await expect(after(auth, 100, refused.desk.startChat(handoff()))).rejects.toMatchObject({ code: 'AUTH_FAILED' });
  });

  it('areAnyAgentsOnline asks checkAvailability', async () => {
    const online = makeDesk(w, { adapter: { checkAvailability: async () => ({ online: true, agentsOnQueue: 3, waiting: 1 }) } });
    const offline = makeDesk(w, { adapter: { checkAvailability: async () => ({ online: false, agentsOnQueue: 0, waiting: 0 }) } });
    await expect(online.desk.areAnyAgentsOnline(handoff())).resolves.toBe(true);
    await expect(offline.desk.areAnyAgentsOnline(handoff())).resolves.toBe(false);
  });

  it('works with watsonx web chat callbacks too', async () => {
    const test = await connected({ host: 'watsonx' });
    w.sim.join('Ann');
    w.clock.advance(10);
    expect(hostLog(test.host)).toEqual([...CHECKLIST.firstJoin('Ann'), 'sendMessageToUser(Hello, this is Ann. How can I help?)']);
    await endAndCheck(test);
  });
});
