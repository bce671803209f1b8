/**
 * Lifecycle race matrix on both Twilio adapters: endChat at every step of connect (session fetch, client init,
 * channel/conversation get, join, listeners, snapshot, summary send), of an agent join, of a transfer (both orders,
 * inside the grace window) and of a reconnect (connection flap, token refresh, a new client after a failed init);
 * agent-end and user-end at once; startChat twice. Whatever the moment: 0 listeners on every fake (client,
 * channel/conversation, members/participants), 0 live timers of the chat, every client shut down once, and no host
 * call after the end.
 */
import type { VirtualTimeScheduler } from 'rxjs';
import { settleAfter, trackingScheduler, type TrackingScheduler } from '../../lib/testing';
import { CONNECT, kitDesk, type KitDesk, type KitOptions, type TwilioKit } from '../adapters/twilio-common/kit';
import { TWILIO_KITS } from '../adapters/twilio-common/kits';
import { virtualTime } from '../support/virtual';

/** Every SDK call takes this long, and so do the middleware's answers. */
const LATENCY = 2;

interface Race extends KitDesk {
  readonly clock: ReturnType<typeof virtualTime>;
  readonly timers: TrackingScheduler;
  readonly agents: ReturnType<KitDesk['world']['agent']>[];
  /** Everything that happened, as `[frame, what]`: SDK calls, new clients, middleware calls, host calls. */
  trace(): [number, string][];
}

function setup(kit: TwilioKit, options: KitOptions = {}, world: { init?: 'manual' } = {}): Race {
  const clock = virtualTime();
  const scheduler: VirtualTimeScheduler = clock.scheduler;
  const timers = trackingScheduler(scheduler);
  const events: [number, string][] = [];
  const log = (what: string) => events.push([scheduler.now(), what]);
  const holder: { s?: KitDesk } = {};
  const s = kitDesk(
    clock,
    kit,
    {
      getSession: () => {
        log('getSession');
        return settleAfter({ scheduler, latencyMs: LATENCY }, () => holder.s!.world.session());
      },
      getToken: () => {
        log('getToken');
        return settleAfter({ scheduler, latencyMs: LATENCY }, () => ({ token: `fresh-${events.filter(([, what]) => what === 'getToken').length}` }));
      },
      transferGraceMs: 20,
      ...options,
    },
    { latencyMs: LATENCY, status: 'notParticipating', ...world },
    { scheduler: timers.scheduler },
  );
  holder.s = s;
  const agents = [s.world.agent('Ann'), s.world.agent('Bob'), s.world.agent('Cy')];
  // Poll once per frame, after that frame's actions: new calls on the fakes and new host calls.
  const seen = new Map<object, number>();
  const listening = new Map<object, boolean>();
  const poll = () => {
    const named = [
      ...s.world.clients.map((client, i) => [`client${i + 1}`, client] as const),
      ['target', s.world.target] as const,
      ...agents.map((agent) => ['agent', agent] as const),
    ];
    for (const [who, object] of named) {
      if (!seen.has(object) && who.startsWith('client')) events.push([scheduler.now(), `${who}.created`]);
      const from = seen.get(object) ?? 0;
      for (const call of object.calls.slice(from)) events.push([scheduler.now(), `${who}.${call.method}`]);
      seen.set(object, object.calls.length);
      const now = object.listenerCount() > 0;
      if (who !== 'agent' && now !== (listening.get(object) ?? false)) events.push([scheduler.now(), `${who}.${now ? 'listened' : 'unlistened'}`]);
      listening.set(object, now);
    }
    const hostFrom = seen.get(s.host) ?? 0;
    for (const call of s.host.calls.slice(hostFrom)) {
      if (call.method !== 'updatePersistedState' && call.method !== 'updateCapabilities') events.push([call.at, `host.${call.method}`]);
    }
    seen.set(s.host, s.host.calls.length);
  };
  for (let frame = 0; frame <= 150; frame += 1) clock.at(frame, () => clock.scheduler.schedule(poll, 0));
  return {
    ...s,
    clock,
    timers,
    agents,
    trace: () => [...events].sort((a, b) => a[0] - b[0]),
  };
}

/**
 * The main script. Connect: session 0-2, client 2-4 (init), get 4-6, join 6-8, listeners at 8, members 8-10, history
 * 10-12, summary 12-14. Ann joins at 20 (profile 20-22) and speaks at 26. Transfer, old agent first: Ann leaves at 30,
 * Bob joins at 36 (profile 36-38). Transfer, new agent first: Cy joins at 44 (profile 44-46), Bob leaves at 48. The
 * connection drops at 52 (shown at 57) and is back at 64 (history read again 64-66). The token is about to expire at 70
 * (token 70-72, update 72-74), then expires at 80: the server closes the socket (disconnecting at 80, disconnected at
 * 82, as twilsock does), a fresh token 82-84, update 84-86 connects again (the user was told at 85), so history is read
 * again 86-88. The agent closes the chat at 92.
 */
function script(r: Race): void {
  const [ann, bob, cy] = r.agents as [Race['agents'][0], Race['agents'][0], Race['agents'][0]];
  const target = r.world.target;
  void r.desk.startChat(CONNECT);
  r.clock.at(20, () => target.add(ann));
  r.clock.at(26, () => target.deliver(target.createMessage('ann', 'hello')));
  r.clock.at(30, () => target.remove(ann));
  r.clock.at(36, () => target.add(bob));
  r.clock.at(44, () => target.add(cy));
  r.clock.at(48, () => target.remove(bob));
  r.clock.at(52, () => r.world.client?.setConnectionState('connecting'));
  r.clock.at(64, () => r.world.client?.setConnectionState('connected'));
  r.clock.at(70, () => r.world.client?.tokenAboutToExpire());
  r.clock.at(80, () => r.world.client?.tokenExpired());
  r.clock.at(92, () => target.setState('closed'));
}

/**
 * Ends the chat at `frame` (before or after that frame's other actions) and checks that nothing is left once the
 * chat has left the channel/conversation (one SDK call): no listener, no live timer, `shutdown()` called on every
 * client; and that nothing happens to the host after the end.
 */
async function endAt(r: Race, frame: number, order: 'before' | 'after'): Promise<void> {
  let callsAtEnd = -1;
  let ended: Promise<void> | undefined;
  let left: { listeners: number; timers: number; shutdowns: number[] } | undefined;
  const end = () => {
    callsAtEnd = r.host.calls.length;
    ended = r.desk.endChat();
    r.clock.at(frame + LATENCY + 1, () => {
      left = { listeners: r.world.listenerCount(), timers: r.timers.live, shutdowns: r.world.clients.map((client) => client.callsOf('shutdown').length) };
    });
  };
  if (order === 'before') r.clock.at(frame, end);
  else r.clock.at(frame, () => r.clock.scheduler.schedule(end, 0));
  r.clock.flush();
  await ended;
  expect(r.host.calls.length).toBe(callsAtEnd);
  expect(left).toEqual({ listeners: 0, timers: 0, shutdowns: r.world.clients.map(() => 1) });
  expect(r.world.listenerCount()).toBe(0);
  expect(r.world.clients.map((client) => client.shutdowns)).toEqual(r.world.clients.map(() => 1));
}

const FRAMES = Array.from({ length: 100 }, (_, frame) => frame);

describe.each(TWILIO_KITS)('race matrix $name', (kit) => {
  it('the script hits every step at the frames the matrix is built on', () => {
    const r = setup(kit);
    script(r);
    r.clock.flush();
    const create = kit.membersMethod === 'getMembers' ? 'client1.getChannelBySid' : 'client1.getConversationBySid';
    expect(r.trace()).toEqual([
      [0, 'getSession'],
      [2, 'client1.created'],
      [2, 'client1.listened'],
      [4, create],
      [6, 'target.join'],
      [8, `target.${kit.membersMethod}`],
      [8, 'target.listened'],
      [10, 'target.getMessages'],
      [12, 'target.sendMessage'],
      [20, 'agent.getUser'],
      [22, 'host.agentJoined'],
      [26, 'host.sendMessageToUser'],
      [36, 'agent.getUser'],
      [38, 'host.beginTransferToAnotherAgent'],
      [38, 'host.agentJoined'],
      [44, 'agent.getUser'],
      [46, 'host.beginTransferToAnotherAgent'],
      [46, 'host.agentJoined'],
      [57, 'host.sendMessageToUser'],
      [64, 'target.getMessages'],
      [64, 'host.sendMessageToUser'],
      [70, 'getToken'],
      [72, 'client1.updateToken'],
      [82, 'getToken'],
      [84, 'client1.updateToken'],
      [85, 'host.sendMessageToUser'],
      [86, 'target.getMessages'],
      [86, 'host.sendMessageToUser'],
      [92, 'client1.shutdown'],
      [92, 'client1.unlistened'],
      [92, 'target.unlistened'],
      [92, 'host.agentEndedChat'],
    ]);
    expect(r.world.clients).toHaveLength(1);
    expect(r.world.client!.shutdowns).toBe(1);
    expect(r.world.listenerCount()).toBe(0);
    expect(r.timers.live).toBe(0);
  });

  describe('endChat at every frame of connect, join, transfers, reconnect and token refresh', () => {
    it.each(FRAMES)('at frame %i, before that frame\'s events', async (frame) => {
      const r = setup(kit);
      script(r);
      await endAt(r, frame, 'before');
    });

    it.each(FRAMES)('at frame %i, after that frame\'s events', async (frame) => {
      const r = setup(kit);
      script(r);
      await endAt(r, frame, 'after');
    });
  });

  describe('endChat during a reconnect with a new client (init failed, backoff, second client)', () => {
    // Session 0-2, client 1 at 2 fails to init at 5, backoff 10, client 2 at 15 initialises at 18, then connects.
    const setupRetry = () => {
      const r = setup(kit, {}, { init: 'manual' });
      void r.desk.startChat(CONNECT);
      r.clock.at(5, () => r.world.clients[0]?.failInit());
      r.clock.at(18, () => r.world.clients[1]?.initialize());
      return r;
    };

    it('the retry happens as described', () => {
      const r = setupRetry();
      r.clock.flush();
      expect(r.world.clients).toHaveLength(2);
      expect(r.world.clients[0]!.shutdowns).toBe(1);
      expect(r.world.target.sent).toEqual(['help me\norder 42 is late']);
    });

    it.each(Array.from({ length: 34 }, (_, frame) => frame))('at frame %i', async (frame) => {
      const r = setupRetry();
      await endAt(r, frame, 'after');
      // A client that was never created cannot be left behind; every one that was is shut down.
      expect(r.world.clients.length).toBeGreaterThanOrEqual(frame >= 2 ? 1 : 0);
    });
  });

  describe('simultaneous ends', () => {
    it.each(['agent first', 'user first'] as const)('the agent and the user end at the same moment (%s)', async (order) => {
      const r = setup(kit);
      r.clock.at(20, () => r.world.target.add(r.agents[0]!));
      void r.desk.startChat(CONNECT);
      let ended: Promise<void> | undefined;
      r.clock.at(30, () => {
        if (order === 'agent first') kit.nativeEnd.send(r.world);
        ended = r.desk.endChat();
        if (order === 'user first') kit.nativeEnd.send(r.world);
      });
      r.clock.flush();
      await ended;
      // The chat ends once: the host hears the agent's end only when it came first, nothing after the user's end.
      expect(r.host.methods().filter((method) => method === 'agentEndedChat').length).toBe(order === 'agent first' ? 1 : 0);
      expect(r.world.listenerCount()).toBe(0);
      expect(r.timers.live).toBe(0);
      expect(r.world.client!.shutdowns).toBe(1);
    });

    it('the user ends one frame after the agent: the end is shown once, nothing is left', async () => {
      const r = setup(kit);
      r.clock.at(20, () => r.world.target.add(r.agents[0]!));
      void r.desk.startChat(CONNECT);
      r.clock.at(30, () => kit.nativeEnd.send(r.world));
      let ended: Promise<void> | undefined;
      r.clock.at(31, () => (ended = r.desk.endChat()));
      r.clock.flush();
      await ended;
      expect(r.host.methods().filter((method) => method === 'agentEndedChat')).toHaveLength(1);
      expect(r.world.listenerCount()).toBe(0);
      expect(r.timers.live).toBe(0);
      expect(r.world.client!.shutdowns).toBe(1);
    });
  });

  describe('startChat twice', () => {
    it.each([1, 5, 9, 13, 30])('a second startChat at frame %i: the first chat is torn down, one chat lives on', async (frame) => {
      const r = setup(kit);
      r.clock.at(20, () => r.world.target.add(r.agents[0]!));
      void r.desk.startChat(CONNECT);
      let second: Promise<void> | undefined;
      let before = -1;
      r.clock.at(frame, () => {
        before = r.world.clients.length;
        second = r.desk.startChat(CONNECT);
      });
      r.clock.flush();
      await second;
      // The first chat's clients (none yet if its session was still being fetched) are shut down with no listener
      // left, and it makes none after; the second chat has its own client, connected.
      const firstChat = r.world.clients.slice(0, before);
      const secondChat = r.world.clients.slice(before);
      expect(firstChat.map((client) => [client.shutdowns, client.listenerCount()])).toEqual(firstChat.map(() => [1, 0]));
      expect(secondChat.map((client) => client.shutdowns)).toEqual([0]);
      expect(r.world.target.listenerCount()).toBeGreaterThan(0);
      let ended: Promise<void> | undefined;
      r.clock.at(r.clock.scheduler.now() + 1, () => (ended = r.desk.endChat()));
      r.clock.flush();
      await ended;
      expect(r.world.listenerCount()).toBe(0);
      expect(r.timers.live).toBe(0);
      expect(r.world.clients.map((client) => client.shutdowns)).toEqual(r.world.clients.map(() => 1));
    });
  });
});
