/**
 * Lifecycle race matrix on the Genesys Web Messaging adapter: endChat at every step of connect, agent join (with a
 * profile lookup in flight), transfer and reconnect (drop, backoff, resume, JWT, history fetch in flight, queue
 * flush); agent-end and user-end at once; startChat twice. Whatever the moment: no host call after the end, every
 * socket closed with 0 listeners, 0 live timers, and late vendor events (a lookup or a history fetch that answers
 * after the end, a frame on an old socket) change nothing.
 *
 * Part one runs in virtual time on fake sockets, step by step; part two runs the same moments that a server can
 * see on the in-memory Web Messaging desk, which reports the connections on its side, also in virtual time.
 */
import { genesysWebMessaging } from '../../lib/adapters/genesys';
import type { WmStructuredMessage } from '../../lib/adapters/genesys/protocol';
import { CHECKLIST, VirtualPromise, fakeSocketFactory, hostLog, settleAfter, trackingScheduler, type FakeWebSocket } from '../../lib/testing';
import type { FetchAnswer } from '../../lib/adapters/genesys/http';
import { after, handoff, makeDesk, until, world, type TestDesk, type World } from '../adapters/genesys/helpers';
import { connectMessage, deskOn, liveTimers, virtualTime } from '../support/virtual';

// --- part one: fake sockets, virtual time -----------------------------------------------------------------------

const SESSION_NEW = { type: 'response', class: 'SessionResponse', code: 200, body: { connected: true, newSession: true } };
const SESSION_RESUMED = { type: 'response', class: 'SessionResponse', code: 200, body: { connected: true, newSession: false } };
const outbound = (id: string, fields: Partial<WmStructuredMessage>): WmStructuredMessage => ({
  id,
  type: 'Text',
  direction: 'Outbound',
  channel: { time: new Date(Date.UTC(2024, 0, 1, 0, 0, Number(id.replace(/\D/g, '')) || 0)).toISOString() },
  ...fields,
});
const says = (id: string, text: string, nickname: string) =>
  outbound(id, { text, originatingEntity: 'Human', channel: { time: new Date(Date.UTC(2024, 0, 1, 0, 0, Number(id.slice(1)))).toISOString(), from: { nickname } } });
const typing = (id: string) => outbound(id, { type: 'Event', events: [{ eventType: 'Typing', typing: { type: 'On', duration: 5_000 } }] });
const message = (body: WmStructuredMessage) => ({ type: 'message', class: 'StructuredMessage', code: 200, body });
const echo = (tracingId: string, text: string) => ({
  type: 'message',
  class: 'StructuredMessage',
  code: 200,
  tracingId,
  body: { id: `in-${tracingId}`, type: 'Text', direction: 'Inbound', text },
});

/** Runs the virtual clock forward by `ms`. */
function advance(scheduler: ReturnType<typeof virtualTime>['scheduler'], ms: number): void {
  const limit = scheduler.maxFrames;
  scheduler.maxFrames = scheduler.now() + ms;
  scheduler.flush();
  scheduler.maxFrames = limit;
}

function setup() {
  const clock = virtualTime();
  const timers = trackingScheduler(clock.scheduler);
  const fake = fakeSocketFactory();
  const lookups: (() => void)[] = [];
  const fetches: (() => void)[] = [];
  const history = [says('m1', 'Hi, I am Ann', 'Ann'), says('m2', 'Bob here', 'Bob'), says('m3', 'Sent while you were away', 'Bob')];
  let ids = 0;
  const adapter = genesysWebMessaging({
    deploymentId: 'dep-1',
    domain: 'example.com',
    summary: false,
    randomId: () => `id-${++ids}`,
    socketFactory: (url) => {
      const socket = fake.factory(url) as FakeWebSocket;
      // The server side of Presence Clear (the user leaves): the conversation is cleared a moment later.
      socket.onSend = (frame) => {
        const events = (frame.message as { events?: { presence?: { type?: string } }[] } | undefined)?.events;
        if (events?.[0]?.presence?.type === 'Clear') {
          clock.scheduler.schedule(() => socket.receive({ type: 'message', class: 'SessionClearedEvent', code: 200, body: {}, tracingId: frame.tracingId }), 1);
        }
      };
      return socket;
    },
    // Answers in virtual time: each settles when the script says so.
    lookupProfile: ({ nickname }) => {
      const answer = new VirtualPromise<{ id: string; nickname: string }>();
      lookups.push(() => answer.resolve({ id: `user-${nickname}`, nickname }));
      return answer;
    },
    fetch: () => {
      const answer = new VirtualPromise<FetchAnswer>();
      const page = { entities: [...history].reverse(), pageSize: 25, pageNumber: 1, total: history.length, pageCount: 1 };
      fetches.push(() => answer.resolve({ ok: true, status: 200, json: () => settleAfter({}, () => page) }));
      return answer;
    },
  });
  const { desk, host } = deskOn(adapter, clock.scheduler, { scheduler: timers.scheduler, retry: { initialDelayMs: 100, jitter: 0, maxRetries: 5 } });
  const socket = (index: number) => {
    const found = fake.sockets[index];
    if (!found) throw new Error(`socket ${index} was not opened`);
    return found;
  };
  const sentOn = (index: number, action: string) => socket(index).sentFrames().find((frame) => frame.action === action);
  return { ...clock, timers, fake, lookups, fetches, desk, host, socket, sentOn };
}

type Setup = ReturnType<typeof setup>;

const noop = () => undefined;

/** The chat, step by step: connect, join, transfer, reconnect. */
const STEPS: readonly [string, (s: Setup) => void | Promise<void>][] = [
  ['startChat (socket connecting)', (s) => void s.desk.startChat(connectMessage()).catch(noop)],
  ['the socket opens (configureSession sent)', (s) => s.socket(0).open()],
  ['the session is configured', (s) => s.socket(0).receive(SESSION_NEW)],
  ['agent typing before anyone joined', (s) => s.socket(0).receive(message(typing('t1')))],
  ["Ann's first message (profile lookup in flight)", (s) => s.socket(0).receive(message(says('m1', 'Hi, I am Ann', 'Ann')))],
  ['the lookup answers: Ann joins', (s) => s.lookups.shift()?.()],
  ['the user sends a message', (s) => void s.desk.sendMessageToAgent({ input: { text: 'u1' } }, 'u1').catch(noop)],
  ['its echo', (s) => s.socket(0).receive(echo('u1', 'u1'))],
  ["Bob's first message (a transfer; lookup in flight)", (s) => s.socket(0).receive(message(says('m2', 'Bob here', 'Bob')))],
  ['the lookup answers: Bob takes over', (s) => s.lookups.shift()?.()],
  ['the socket drops', (s) => s.socket(0).drop()],
  ['the user types while disconnected', (s) => void s.desk.sendMessageToAgent({ input: { text: 'u2' } }, 'u2').catch(noop)],
  ['the backoff passes: a new socket', (s) => advance(s.scheduler, 100)],
  ['the new socket opens', (s) => s.socket(1).open()],
  ['the session resumes (getJwt sent)', (s) => s.socket(1).receive(SESSION_RESUMED)],
  ['the JWT arrives (history fetch in flight)', (s) => s.socket(1).receive({ type: 'response', class: 'JwtResponse', code: 200, body: { jwt: 'jwt', exp: 0 }, tracingId: s.sentOn(1, 'getJwt')?.tracingId })],
  ['the history arrives: gap filled, queue flushed', (s) => s.fetches.shift()?.()],
  ['the echo of the queued message', (s) => s.socket(1).receive(echo('u2', 'u2'))],
  ['Bob types', (s) => s.socket(1).receive(message(typing('t2')))],
];

/** What may still happen after the end: late answers, late frames, time. None of it may reach the host. */
async function lateEvents(s: Setup): Promise<void> {
  for (const answer of [...s.lookups.splice(0), ...s.fetches.splice(0)]) answer();
  for (const socket of s.fake.sockets) socket.receive(message(says('m9', 'too late', 'Carol')));
  advance(s.scheduler, 10_000);
  s.flush();
}

function expectNothingLeft(s: Setup): void {
  for (const socket of s.fake.sockets) {
    expect(socket.listenerCount()).toBe(0);
    expect(socket.readyState).toBe(3);
  }
  expect(s.timers.live).toBe(0);
  expect(liveTimers(s.scheduler)).toBe(0);
}

describe('race matrix (fake sockets, virtual time)', () => {
  it('the whole script, without an end, does what each step says', async () => {
    const s = setup();
    for (const [, step] of STEPS) await step(s);
    expect(hostLog(s.host)).toEqual([
      'agentJoined(Ann)',
      'sendMessageToUser(Hi, I am Ann)',
      'beginTransferToAnotherAgent(Bob)',
      'agentJoined(Bob)',
      'sendMessageToUser(Bob here)',
      ...CHECKLIST.reconnect(),
      'sendMessageToUser(Sent while you were away)',
      'agentTyping(true)',
    ]);
    expect(s.fake.sockets).toHaveLength(2);
    expect(s.socket(1).sentFrames().filter((frame) => frame.tracingId === 'u2')).toHaveLength(1);
    const ended = s.desk.endChat();
    advance(s.scheduler, 10);
    await ended;
    // The user left politely: Presence Clear, answered by the (fake) server.
    expect(s.socket(1).sentFrames().some((frame) => (frame.message as { events?: { presence?: { type?: string } }[] } | undefined)?.events?.[0]?.presence?.type === 'Clear')).toBe(true);
    expectNothingLeft(s);
  });

  it.each(STEPS.map(([name], index) => [index, name] as const))('endChat after step %i (%s) leaves nothing behind', async (index) => {
    const s = setup();
    for (const [, step] of STEPS.slice(0, index + 1)) await step(s);
    const callsAtEnd = s.host.calls.length;
    const ended = s.desk.endChat();
    await lateEvents(s);
    await ended;
    expect(s.host.calls.slice(callsAtEnd).map((call) => call.method)).toEqual([]);
    expectNothingLeft(s);
  });

  it('the agent ends the chat and the user ends it in the same tick (agent first): one agentEndedChat', async () => {
    const s = setup();
    for (const [, step] of STEPS.slice(0, 6)) await step(s);
    s.socket(0).receive(message(outbound('d1', { type: 'Event', events: [{ eventType: 'Presence', presence: { type: 'Disconnect' } }] })));
    const ended = s.desk.endChat();
    await lateEvents(s);
    await ended;
    expect(hostLog(s.host).filter((line) => line === 'agentEndedChat')).toHaveLength(1);
    expectNothingLeft(s);
  });

  it('the user ends the chat and the agent ends it in the same tick (user first): no agentEndedChat', async () => {
    const s = setup();
    for (const [, step] of STEPS.slice(0, 6)) await step(s);
    const ended = s.desk.endChat();
    s.socket(0).receive(message(outbound('d1', { type: 'Event', events: [{ eventType: 'Presence', presence: { type: 'Disconnect' } }] })));
    await lateEvents(s);
    await ended;
    expect(hostLog(s.host)).not.toContain('agentEndedChat');
    expectNothingLeft(s);
  });

  it('startChat twice: the first socket is closed at once, the second chat runs, and ends clean', async () => {
    const s = setup();
    void s.desk.startChat(connectMessage());
    s.socket(0).open();
    const second = s.desk.startChat(connectMessage());
    expect(s.socket(0).listenerCount()).toBe(0);
    expect(s.socket(0).readyState).toBe(3);
    s.socket(1).open();
    s.socket(1).receive(SESSION_NEW);
    await expect(second).resolves.toBeUndefined();
    s.socket(0).receive(message(says('m1', 'to the old socket', 'Ann')));
    expect(hostLog(s.host)).toEqual([]);
    const ended = s.desk.endChat();
    await lateEvents(s);
    await ended;
    expectNothingLeft(s);
  });
});

// --- part two: the in-memory desk, whose side sees the sockets -------------------------------------------------

type Moment = (w: World, test: TestDesk, end: () => void) => void;

/** Moments the server can see, each calling `end` exactly there. */
const MOMENTS: readonly [string, Moment][] = [
  ['the socket connected, not configured yet', (w, _test, end) => void w.sim.on('connection', () => end())],
  ['the session was just configured', (w, _test, end) => void w.sim.on('session', () => end())],
  ['the agent just joined', (w, _test, end) => {
    until(w, () => w.sim.activeToken !== undefined, 'the session');
    w.sim.join('Ann', undefined, 'Hi');
    end();
  }],
  ['a transfer is under way', (w, test, end) => {
    until(w, () => w.sim.activeToken !== undefined, 'the session');
    w.sim.join('Ann', undefined, 'Hi');
    until(w, () => test.host.callsOf('agentJoined').length === 1, 'Ann');
    w.sim.transfer('Bob');
    end();
  }],
  ['the socket just dropped (reconnect pending)', (w, test, end) => {
    until(w, () => w.sim.activeToken !== undefined, 'the session');
    w.sim.join('Ann', undefined, 'Hi');
    until(w, () => test.host.callsOf('agentJoined').length === 1, 'Ann');
    w.sim.drop();
    until(w, () => hostLog(test.host).includes(CHECKLIST.reconnect()[0] as string), 'the lost notice');
    end();
  }],
  ['the session is being resumed (history JWT requested)', (w, test, end) => {
    until(w, () => w.sim.activeToken !== undefined, 'the session');
    w.sim.join('Ann', undefined, 'Hi');
    until(w, () => test.host.callsOf('agentJoined').length === 1, 'Ann');
    w.sim.on('frame', ({ frame }) => (frame as { action?: string }).action === 'getJwt' && end());
    w.sim.drop();
  }],
  ['a user message is waiting for its echo', (w, test, end) => {
    until(w, () => w.sim.activeToken !== undefined, 'the session');
    w.sim.on('guestMessage', () => end());
    void test.desk.sendMessageToAgent({ input: { text: 'hello' } }, 'u1').catch(noop);
  }],
];

/** Both sides closed, no listener, no timer. */
function expectBothSidesClosed(w: World, test: TestDesk): void {
  expect(w.sim.connections).toBe(0);
  expect(w.genesys.listenerCount()).toBe(0);
  expect(test.timers.live).toBe(0);
}

describe('race matrix (in-memory desk, virtual time)', () => {
  it.each(MOMENTS.map(([name, moment]) => [name, moment] as const))('endChat when %s: both sides closed, no timer', async (_name, moment) => {
    const w = world();
    const test = makeDesk(w, { adapter: { summary: false, heartbeatMs: 1_000 } });
    let ended: Promise<void> | undefined;
    let callsAtEnd = -1;
    const end = () => {
      if (ended) return;
      callsAtEnd = test.host.calls.length;
      ended = test.desk.endChat();
    };
    const started = test.desk.startChat(handoff()).catch(noop);
    moment(w, test, end);
    until(w, () => ended !== undefined, 'the moment');
    await after(w, 10_000, Promise.all([ended, started]));
    expect(test.host.calls.length).toBe(callsAtEnd);
    expectBothSidesClosed(w, test);
  });

  it('agent-end and user-end at once: at most one agentEndedChat, both sides closed', async () => {
    const w = world();
    const test = makeDesk(w, { adapter: { summary: false } });
    await after(w, 50, test.desk.startChat(handoff()));
    w.sim.join('Ann', undefined, 'Hi');
    until(w, () => test.host.callsOf('agentJoined').length === 1, 'Ann');
    w.sim.end();
    await after(w, 2_000, test.desk.endChat());
    expect(test.host.callsOf('agentEndedChat').length).toBeLessThanOrEqual(1);
    expectBothSidesClosed(w, test);
  });

  it('startChat twice: the server sees one socket, then none', async () => {
    const w = world();
    const test = makeDesk(w, { adapter: { summary: false } });
    void test.desk.startChat(handoff()).catch(noop);
    await after(w, 50, test.desk.startChat(handoff()));
    expect(w.sim.connections).toBe(1);
    expect(w.sim.totalConnections).toBeLessThanOrEqual(2);
    await after(w, 2_000, test.desk.endChat());
    expectBothSidesClosed(w, test);
  });
});
