import { marbles } from 'rxjs-marbles/jest';
import type { Observable, SchedulerLike } from 'rxjs';
import { genesysWebMessaging, type GenesysWebMessagingOptions } from '../../../lib/adapters/genesys';
import { readGenesysSession } from '../../../lib/adapters/genesys/port';
import type { AdapterSession, SessionRequest } from '../../../lib/core/adapter';
import type { DomainEvent } from '../../../lib/core/events';
import { ServiceDeskError } from '../../../lib/core/errors';
import { silentLogger } from '../../../lib/core/logger';
import { fakeSocketFactory, trackingScheduler, type FakeWebSocket } from '../../../lib/testing';

// The Web Messaging port on the engine, in virtual time with a fake socket: heartbeat, typing timers, error frames,
// teardown.

const SESSION = { type: 'response', class: 'SessionResponse', code: 200, body: { connected: true, newSession: true } };
const agentSays = (id: string, text: string, nickname = 'Ann') => ({
  type: 'message',
  class: 'StructuredMessage',
  code: 200,
  body: { id, type: 'Text', direction: 'Outbound', text, originatingEntity: 'Human', channel: { from: { nickname } } },
});
const typing = (duration: number) => ({
  type: 'message',
  class: 'StructuredMessage',
  code: 200,
  body: { id: `t${duration}-${Math.random()}`, type: 'Event', direction: 'Outbound', events: [{ eventType: 'Typing', typing: { type: 'On', duration } }] },
});
const echoReply = (tracingId: string) => ({
  type: 'response',
  class: 'StructuredMessage',
  code: 200,
  body: { id: 'e', type: 'Text', text: 'ping', direction: 'Inbound' },
  tracingId,
});

function request(scheduler: SchedulerLike, resume?: unknown): SessionRequest {
  return { summary: ['hello'], hostState: () => ({}), logger: silentLogger, scheduler, ...(resume !== undefined ? { resume } : {}) };
}

function setup(scheduler: SchedulerLike, options: Partial<GenesysWebMessagingOptions> = {}, resume?: unknown) {
  const fake = fakeSocketFactory();
  const timers = trackingScheduler(scheduler);
  let ids = 0;
  const adapter = genesysWebMessaging({
    deploymentId: 'dep-1',
    domain: 'example.com',
    socketFactory: fake.factory,
    heartbeatMs: 10,
    randomId: () => `id-${++ids}`,
    fetch: async () => ({ ok: true, status: 200, json: async () => ({ entities: [], pageSize: 25, pageNumber: 1, total: 0, pageCount: 0 }) }),
    ...options,
  });
  const session = adapter.open(request(timers.scheduler, resume));
  return { fake, timers, session };
}

interface Seen {
  readonly at: number;
  readonly event?: DomainEvent;
  readonly error?: unknown;
}

function record(events$: Observable<DomainEvent>, scheduler: SchedulerLike) {
  const seen: Seen[] = [];
  const subscription = events$.subscribe({
    next: (event) => seen.push({ at: scheduler.now(), event }),
    error: (error: unknown) => seen.push({ at: scheduler.now(), error }),
  });
  return { seen, subscription, types: () => seen.map((entry) => entry.event?.type ?? 'error') };
}

const at = (scheduler: SchedulerLike, time: number, work: () => void) => scheduler.schedule(work, time);
const actions = (socket: FakeWebSocket) => socket.sentFrames().map((frame) => frame.action);

describe('the Genesys port on the engine (virtual time, fake socket)', () => {
  it('opens nothing before events$ is subscribed, then configures with the deployment and a fresh token', marbles((m) => {
    const { fake, session } = setup(m.scheduler);
    expect(fake.sockets).toHaveLength(0);
    const run = record(session.events$, m.scheduler);
    expect(fake.latest().url).toBe('wss://webmessaging.example.com/v1?deploymentId=dep-1&application=rx-service-desk');
    at(m.scheduler, 1, () => fake.latest().open());
    at(m.scheduler, 2, () => fake.latest().receive(SESSION));
    m.scheduler.schedule(() => run.subscription.unsubscribe(), 5);
    m.flush();
    expect(fake.latest().sentFrames()[0]).toEqual({ action: 'configureSession', token: 'id-1', deploymentId: 'dep-1' });
    expect(run.types()).toEqual(['persist', 'connected']);
    expect(run.seen[0]?.event).toEqual({ type: 'persist', state: { v: 1, session: { deploymentId: 'dep-1', token: 'id-1' } } });
    expect(fake.latest().sentFrames()[1]).toEqual({
      action: 'onMessage',
      token: 'id-1',
      message: { type: 'Text', text: 'hello' },
      tracingId: 'rx-summary-id-1',
    });
  }));

  it('sends the chat\'s routing context as custom attributes under the configured ones (issue 12 item 1)', marbles((m) => {
    const fake = fakeSocketFactory();
    const adapter = genesysWebMessaging({
      deploymentId: 'dep-1',
      domain: 'example.com',
      socketFactory: fake.factory,
      heartbeatMs: 10_000,
      randomId: () => 'id-1',
      summary: false,
      autostart: true,
      customAttributes: { channel: 'web', queue: 'configured' },
      fetch: async () => ({ ok: true, status: 200, json: async () => ({}) }),
    });
    const context = { attributes: { queue: 'billing', plan: 'gold' } };
    const session = adapter.open({ ...request(m.scheduler), context });
    const run = record(session.events$, m.scheduler);
    at(m.scheduler, 1, () => fake.latest().open());
    at(m.scheduler, 2, () => fake.latest().receive(SESSION));
    // Unanswered when the socket closes at 5: the send then fails (retryably), which is not what this spec is about.
    at(m.scheduler, 3, () => session.sendMessage({ id: 'host-1', text: 'hi' }).subscribe({ error: () => undefined }));
    at(m.scheduler, 5, () => run.subscription.unsubscribe());
    m.flush();
    const custom = fake
      .latest()
      .sentFrames()
      .filter((frame) => frame.action === 'onMessage')
      .map((frame) => (frame.message as { channel?: { metadata?: { customAttributes?: unknown } } }).channel?.metadata?.customAttributes);
    expect(custom).toEqual([
      { plan: 'gold', queue: 'configured', channel: 'web' },
      { plan: 'gold', queue: 'configured', channel: 'web' },
    ]);
  }));

  it('sends an echo every heartbeat period and reconnects (retryable error) when one goes unanswered', marbles((m) => {
    const { fake, session, timers } = setup(m.scheduler);
    const run = record(session.events$, m.scheduler);
    const socket = fake.latest();
    socket.onSend = (frame) => {
      if (frame.action === 'echo' && m.scheduler.now() < 30) at(m.scheduler, 1, () => socket.receive(echoReply(String(frame.tracingId))));
    };
    at(m.scheduler, 1, () => socket.open());
    at(m.scheduler, 2, () => socket.receive(SESSION));
    m.flush();
    const echoes = socket.sentFrames().filter((frame) => frame.action === 'echo');
    // echoes at 12 and 22 are answered; the one at 32 is not, which the tick at 42 finds
    expect(echoes).toHaveLength(3);
    const failure = run.seen.at(-1);
    expect(failure?.at).toBe(42);
    expect(failure?.error).toBeInstanceOf(ServiceDeskError);
    expect(failure?.error).toMatchObject({ code: 'CONNECTION_LOST', retryable: true });
    expect(socket.listenerCount()).toBe(0);
    expect(socket.closedWith).toBe(1000);
    expect(timers.live).toBe(0);
  }));

  it('shows agent typing for its duration; a new On restarts it and a message ends it', marbles((m) => {
    const { fake, session } = setup(m.scheduler, { heartbeatMs: 1_000 });
    const run = record(session.events$, m.scheduler);
    const socket = fake.latest();
    at(m.scheduler, 1, () => socket.open());
    at(m.scheduler, 2, () => socket.receive(SESSION));
    at(m.scheduler, 3, () => socket.receive(agentSays('m1', 'hi')));
    at(m.scheduler, 10, () => socket.receive(typing(50))); // false at 60
    at(m.scheduler, 100, () => socket.receive(typing(50)));
    at(m.scheduler, 120, () => socket.receive(typing(50))); // restarts: false at 170
    at(m.scheduler, 200, () => socket.receive(typing(50)));
    at(m.scheduler, 210, () => socket.receive(agentSays('m2', 'done'))); // ends it, no late false
    at(m.scheduler, 400, () => run.subscription.unsubscribe());
    m.flush();
    const typingAt = run.seen.filter((entry) => entry.event?.type === 'agentTyping').map((entry) => [entry.at, (entry.event as { isTyping: boolean }).isTyping]);
    expect(typingAt).toEqual([
      [10, true],
      [60, false],
      [100, true],
      [120, true],
      [170, false],
      [200, true],
    ]);
    expect(run.types().filter((type) => type !== 'agentTyping' && type !== 'persist')).toEqual(['connected', 'agentJoined', 'agentMessage', 'agentMessage']);
  }));

  it('ends cleanly on unsubscribe: socket closed, no listener, no timer', marbles((m) => {
    const { fake, session, timers } = setup(m.scheduler);
    const run = record(session.events$, m.scheduler);
    const socket = fake.latest();
    at(m.scheduler, 1, () => socket.open());
    at(m.scheduler, 2, () => socket.receive(SESSION));
    at(m.scheduler, 3, () => socket.receive(typing(5_000)));
    at(m.scheduler, 15, () => run.subscription.unsubscribe());
    m.flush();
    expect(socket.closedWith).toBe(1000);
    expect(socket.listenerCount()).toBe(0);
    expect(timers.live).toBe(0);
  }));

  it('fails without retrying when the server refuses the configuration', marbles((m) => {
    const { fake, session } = setup(m.scheduler);
    const run = record(session.events$, m.scheduler);
    at(m.scheduler, 1, () => fake.latest().open());
    at(m.scheduler, 2, () => fake.latest().receive({ type: 'response', class: 'string', code: 403, body: 'Deployment not found' }));
    m.flush();
    expect(run.seen).toHaveLength(1);
    expect(run.seen[0]?.error).toMatchObject({ code: 'CONNECT_FAILED', retryable: false });
  }));

  it('treats a socket close before the session as retryable', marbles((m) => {
    const { fake, session } = setup(m.scheduler);
    const run = record(session.events$, m.scheduler);
    at(m.scheduler, 1, () => fake.latest().drop());
    m.flush();
    expect(run.seen[0]?.error).toMatchObject({ code: 'CONNECTION_LOST', retryable: true, context: { closeCode: 1006 } });
  }));

  it('ends the session on SessionExpiredEvent, 4006 and ConnectionClosedEvent, and not on other running errors', marbles((m) => {
    const cases: [object, string | undefined][] = [
      [{ type: 'response', class: 'SessionExpiredEvent', code: 200, body: {} }, 'SESSION_EXPIRED'],
      [{ type: 'response', class: 'string', code: 4006, body: 'expired' }, 'SESSION_EXPIRED'],
      [{ type: 'message', class: 'ConnectionClosedEvent', code: 200, body: { reason: 'signedIn' } }, 'SESSION_EXPIRED'],
      [{ type: 'message', class: 'LogoutEvent', code: 200, body: {} }, 'AUTH_FAILED'],
      [{ type: 'response', class: 'string', code: 400, body: 'Request failed.' }, undefined],
    ];
    const runs = cases.map(([frame]) => {
      const { fake, session } = setup(m.scheduler);
      const run = record(session.events$, m.scheduler);
      at(m.scheduler, 1, () => fake.latest().open());
      at(m.scheduler, 2, () => fake.latest().receive(SESSION));
      at(m.scheduler, 3, () => fake.latest().receive(frame));
      at(m.scheduler, 5, () => run.subscription.unsubscribe());
      return run;
    });
    m.flush();
    runs.forEach((run, index) => {
      const error = run.seen.find((entry) => entry.error)?.error;
      const expected = cases[index]?.[1];
      if (expected) expect(error).toMatchObject({ code: expected, retryable: false });
      else expect(error).toBeUndefined();
    });
  }));

  it('starts a new conversation when a new chat meets a read-only session', marbles((m) => {
    const { fake, session } = setup(m.scheduler);
    const run = record(session.events$, m.scheduler);
    const socket = fake.latest();
    at(m.scheduler, 1, () => socket.open());
    at(m.scheduler, 2, () => socket.receive({ ...SESSION, body: { connected: true, newSession: false, readOnly: true } }));
    at(m.scheduler, 3, () => socket.receive(SESSION));
    at(m.scheduler, 5, () => run.subscription.unsubscribe());
    m.flush();
    expect(socket.sentFrames().slice(0, 2).map((frame) => [frame.action, frame.startNew])).toEqual([
      ['configureSession', undefined],
      ['configureSession', true],
    ]);
    expect(run.types()).toEqual(['persist', 'connected']);
  }));

  it('sends a message with the host id as tracingId and completes on its echo; typing sends Typing On, and nothing to stop', marbles((m) => {
    const { fake, session } = setup(m.scheduler, { summary: false, heartbeatMs: 10_000 });
    const run = record(session.events$, m.scheduler);
    const socket = fake.latest();
    at(m.scheduler, 1, () => socket.open());
    at(m.scheduler, 2, () => socket.receive(SESSION));
    const done: number[] = [];
    at(m.scheduler, 3, () => {
      (session as AdapterSession).sendMessage({ id: 'host-1', text: 'hi' }).subscribe({ complete: () => done.push(m.scheduler.now()) });
    });
    at(m.scheduler, 8, () => socket.receive({ ...echoReply('host-1'), type: 'message', body: { id: 'in-1', type: 'Text', text: 'hi', direction: 'Inbound' } }));
    for (const time of [4, 50, 110, 120]) at(m.scheduler, time, () => session.sendTyping?.(true).subscribe());
    at(m.scheduler, 130, () => session.sendTyping?.(false).subscribe());
    at(m.scheduler, 200, () => run.subscription.unsubscribe());
    m.flush();
    expect(done).toEqual([8]);
    expect(actions(socket).filter((action) => action !== 'echo')).toEqual(['configureSession', 'onMessage', 'onMessage', 'onMessage', 'onMessage', 'onMessage']);
    expect(socket.sentFrames()[1]).toEqual({ action: 'onMessage', token: 'id-1', message: { type: 'Text', text: 'hi' }, tracingId: 'host-1' });
    const typingFrames = socket.sentFrames().filter((frame) => (frame.message as { type?: string } | undefined)?.type === 'Event');
    expect(typingFrames).toHaveLength(4);
  }));

  it('fails a message retryably when its socket drops before the echo, and does not send it on the next socket', marbles((m) => {
    const { fake, session } = setup(m.scheduler, { summary: false, heartbeatMs: 10_000 });
    const run = record(session.events$, m.scheduler);
    const first = fake.latest();
    at(m.scheduler, 1, () => first.open());
    at(m.scheduler, 2, () => first.receive(SESSION));
    const errors: unknown[] = [];
    at(m.scheduler, 3, () => session.sendMessage({ id: 'host-1', text: 'hi' }).subscribe({ error: (error: unknown) => errors.push(error) }));
    at(m.scheduler, 4, () => first.drop());
    // The session reconnects: a second subscription, a second socket.
    let again: ReturnType<typeof record> | undefined;
    at(m.scheduler, 10, () => (again = record(session.events$, m.scheduler)));
    at(m.scheduler, 11, () => fake.latest().open());
    at(m.scheduler, 12, () => fake.latest().receive(SESSION));
    at(m.scheduler, 100, () => again?.subscription.unsubscribe());
    m.flush();
    expect(run.seen.some((entry) => entry.error)).toBe(true);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'CONNECTION_LOST', retryable: true });
    expect(fake.sockets).toHaveLength(2);
    expect(fake.sockets.map((socket) => socket.sentFrames().filter((frame) => frame.tracingId === 'host-1').length)).toEqual([1, 0]);
  }));

  it('fails a message whose error frame carries its tracing id', marbles((m) => {
    const { fake, session } = setup(m.scheduler, { summary: false });
    const run = record(session.events$, m.scheduler);
    const socket = fake.latest();
    at(m.scheduler, 1, () => socket.open());
    at(m.scheduler, 2, () => socket.receive(SESSION));
    const errors: unknown[] = [];
    at(m.scheduler, 3, () => session.sendMessage({ id: 'long', text: 'x'.repeat(5000) }).subscribe({ error: (error: unknown) => errors.push(error) }));
    at(m.scheduler, 4, () => socket.receive({ type: 'response', class: 'string', code: 4011, body: 'message too long', tracingId: 'long' }));
    at(m.scheduler, 10, () => run.subscription.unsubscribe());
    m.flush();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'SEND_FAILED', retryable: false });
    expect(run.seen.some((entry) => entry.error)).toBe(false);
  }));
});

describe('readGenesysSession', () => {
  it('accepts a session of this deployment and nothing else', () => {
    expect(readGenesysSession({ deploymentId: 'd', token: 't' }, 'd')).toEqual({ deploymentId: 'd', token: 't' });
    expect(readGenesysSession({ deploymentId: 'other', token: 't' }, 'd')).toBeUndefined();
    for (const bad of [undefined, null, 'garbage', [], { token: 't' }, { deploymentId: 'd', token: '' }, { deploymentId: 'd', token: 42 }]) {
      expect(readGenesysSession(bad, 'd')).toBeUndefined();
    }
  });

  it('resumes with the saved token and does not send the summary again', marbles((m) => {
    const { fake, session } = setup(m.scheduler, {}, { v: 1, session: { deploymentId: 'dep-1', token: 'saved' }, last: { id: 'm0' } });
    const run = record(session.events$, m.scheduler);
    at(m.scheduler, 1, () => fake.latest().open());
    at(m.scheduler, 5, () => run.subscription.unsubscribe());
    m.flush();
    expect(fake.latest().sentFrames()).toEqual([{ action: 'configureSession', token: 'saved', deploymentId: 'dep-1' }]);
  }));
});
