import type { ConversationChange, DeskFrame, TransportHandlers } from '../../lib/simulator';
import { SimulatedDeskEngine, engineTransport, simulatedDesk } from '../../lib/simulator';
import { CHAT_CONTEXT_LIMITS } from '../../lib/host/context';
import { connectMessage, deskOn, liveTimers, virtualTime } from '../support/virtual';

function client(engine: SimulatedDeskEngine) {
  const frames: DeskFrame[] = [];
  const closes: string[] = [];
  const handlers: TransportHandlers = { frame: (frame) => frames.push(frame), close: (reason) => closes.push(reason) };
  const connection = engine.connect(handlers);
  return { frames, closes, connection, kinds: () => frames.map((frame) => frame.t) };
}

describe('SimulatedDeskEngine console API', () => {
  it('a person can run a chat by hand: take over, join, type, say, read, set the queue, transfer, end', () => {
    const { scheduler, flush } = virtualTime();
    const engine = new SimulatedDeskEngine({ scheduler, autoAgent: false, createToken: () => 't1' });
    const user = client(engine);
    user.connection.send({ t: 'start', summary: ['needs help'] });
    flush();
    engine.setQueue('conv-1', 4, 7);
    engine.join('conv-1');
    engine.setTyping('conv-1', true);
    engine.say('conv-1', 'Hello from a person');
    user.connection.send({ t: 'message', id: 'u1', text: 'hi' });
    user.connection.send({ t: 'typing', on: true });
    flush();
    engine.markRead('conv-1');
    engine.transfer('conv-1');
    flush();
    engine.end('conv-1');
    flush();
    expect(user.kinds()).toEqual(['session', 'queue', 'queue', 'join', 'typing', 'typing', 'message', 'ack', 'read', 'transfer', 'leave', 'join', 'ended']);
    expect(user.frames[2]).toEqual({ t: 'queue', position: 4, waitMinutes: 7 });
    const snapshot = engine.get('conv-1');
    expect(snapshot).toMatchObject({ status: 'ended', auto: false, userTyping: true });
    expect(snapshot?.transcript.map((entry) => `${entry.from}:${entry.text}`)).toEqual([
      'system:Summary: needs help',
      'system:Ann joined.',
      'agent:Hello from a person',
      'user:hi',
      'system:Ann transferred the chat to Bob.',
      'system:Bob joined.',
      'system:The agent ended the chat.',
    ]);
    expect(engine.pendingTimers).toBe(0);
  });

  it('publishes each change for consoles with the transcript lines it added', () => {
    const { scheduler, flush } = virtualTime();
    const engine = new SimulatedDeskEngine({ scheduler, autoAgent: false });
    const changes: ConversationChange[] = [];
    engine.changes$.subscribe((change) => changes.push(change));
    const user = client(engine);
    user.connection.send({ t: 'start', summary: ['needs help'] });
    flush();
    engine.join('conv-1');
    engine.setTyping('conv-1', true);
    engine.say('conv-1', 'Hello');
    user.connection.close();
    expect(changes.map((change) => `${change.id}:${change.status}:${change.connected}:${change.agentTyping}`)).toEqual([
      'conv-1:queued:true:false',
      'conv-1:active:true:false',
      'conv-1:active:true:true',
      'conv-1:active:true:false',
      'conv-1:active:true:false',
      'conv-1:active:false:false',
    ]);
    expect(changes.map((change) => change.appended.map((entry) => entry.text))).toEqual([
      ['Summary: needs help'],
      ['Ann joined.'],
      [],
      [],
      ['Hello'],
      [],
    ]);
    expect(engine.list().map((snapshot) => snapshot.id)).toEqual(['conv-1']);
  });

  it('a console that starts listening mid-chat reads the transcript once, then gets only what each change adds', () => {
    const { scheduler, flush } = virtualTime();
    const engine = new SimulatedDeskEngine({ scheduler, autoAgent: false });
    const user = client(engine);
    user.connection.send({ t: 'start', summary: [] });
    flush();
    engine.join('conv-1');
    for (let i = 0; i < 100; i += 1) engine.say('conv-1', `before ${i}`);
    const lines = [...(engine.get('conv-1')?.transcript ?? [])];
    engine.changes$.subscribe((change) => lines.push(...change.appended));
    engine.say('conv-1', 'after');
    expect(lines).toEqual(engine.get('conv-1')?.transcript);
    expect(lines).toHaveLength(102);
  });

  it('refuses unknown sessions, frames before start, and reconnects during an outage', () => {
    const { scheduler, flush, at } = virtualTime();
    const engine = new SimulatedDeskEngine({ scheduler, autoAgent: false, createToken: () => 't1' });
    const stranger = client(engine);
    stranger.connection.send({ t: 'resume', token: 'nope', lastSeq: 0 });
    const early = client(engine);
    early.connection.send({ t: 'message', id: 'x', text: 'hi' });
    const user = client(engine);
    user.connection.send({ t: 'start', summary: [] });
    flush();
    engine.dropConnection('conv-1', 1000);
    const retry = client(engine);
    at(scheduler.now() + 10, () => retry.connection.send({ t: 'resume', token: 't1', lastSeq: 0 }));
    const later = client(engine);
    at(scheduler.now() + 2000, () => later.connection.send({ t: 'resume', token: 't1', lastSeq: 0 }));
    flush();
    expect(stranger.frames).toEqual([{ t: 'error', code: 'SESSION_NOT_FOUND', message: 'This chat session is unknown or expired.' }]);
    expect(stranger.closes).toEqual(['session not found']);
    expect(early.kinds()).toEqual(['error']);
    expect(user.closes).toEqual(['connection dropped']);
    expect(retry.closes).toEqual(['the desk is unreachable (simulated outage)']);
    expect(later.kinds()).toEqual(['session', 'queue']);
    expect(later.frames[0]).toEqual({ t: 'session', token: 't1', resumed: true });
  });

  it('a message id seen before is answered again but not processed twice', () => {
    const { scheduler, flush } = virtualTime();
    const engine = new SimulatedDeskEngine({ scheduler, autoAgent: false });
    const user = client(engine);
    user.connection.send({ t: 'start', summary: [] });
    flush();
    engine.join('conv-1');
    user.connection.send({ t: 'message', id: 'u1', text: 'once' });
    user.connection.send({ t: 'message', id: 'u1', text: 'once' });
    flush();
    expect(user.kinds().filter((kind) => kind === 'ack')).toHaveLength(2);
    expect(engine.get('conv-1')?.transcript.filter((entry) => entry.from === 'user')).toHaveLength(1);
  });

  it('keeps the context a client sends only within CHAT_CONTEXT_LIMITS: no reserved keys, 2 KB in all', () => {
    const { scheduler, flush } = virtualTime();
    const engine = new SimulatedDeskEngine({ scheduler, autoAgent: false });
    const long = Object.fromEntries(Array.from({ length: 40 }, (_, index) => [`k${index}`, 'v'.repeat(250)]));
    client(engine).connection.send({ t: 'start', summary: [], context: { constructor: 'c', prototype: 'p', ...long } });
    flush();
    const kept = engine.get('conv-1')?.context ?? {};
    expect(Object.keys(kept)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6']);
    expect(new TextEncoder().encode(JSON.stringify(kept)).length).toBeLessThanOrEqual(CHAT_CONTEXT_LIMITS.maxTotalBytes);
  });

  it('dispose stops every timer', () => {
    const { scheduler, flush } = virtualTime();
    const engine = new SimulatedDeskEngine({ scheduler });
    const user = client(engine);
    user.connection.send({ t: 'start', summary: [] });
    flush();
    const again = client(engine);
    again.connection.send({ t: 'start', summary: [] });
    scheduler.schedule(() => undefined, 0);
    engine.dispose();
    expect(engine.pendingTimers).toBe(0);
    scheduler.flush();
    expect(liveTimers(scheduler)).toBe(0);
  });
});

describe('SimulatedDeskEngine memory: ended chats are forgotten, live chats are capped', () => {
  const limits = { autoAgent: false, maxLiveConversations: 3, endedRetentionMs: 60_000, maxEndedConversations: 2, abandonedAfterMs: 600_000 };

  function desk(options = {}) {
    const clock = virtualTime();
    let tokens = 0;
    const engine = new SimulatedDeskEngine({ scheduler: clock.scheduler, ...limits, createToken: () => `t${++tokens}`, ...options });
    const start = () => {
      const user = client(engine);
      user.connection.send({ t: 'start', summary: [] });
      clock.flush();
      return user;
    };
    const resume = (token: string) => {
      const user = client(engine);
      user.connection.send({ t: 'resume', token, lastSeq: 0 });
      clock.flush();
      return user;
    };
    /** A chat the user ended: its connection closes with it. */
    const ended = () => {
      const user = start();
      user.connection.send({ t: 'end' });
      clock.flush();
      return user;
    };
    const ids = () => engine.list().map((conversation) => conversation.id);
    return { ...clock, engine, start, resume, ended, ids };
  }

  it('forgets an ended chat nobody used for endedRetentionMs; until then it resumes, and a resume counts as a use', () => {
    const d = desk();
    d.ended();
    d.at(30_000, () => d.resume('t1').connection.close());
    d.flush();
    d.at(80_000, () => d.start());
    d.flush();
    expect(d.ids()).toEqual(['conv-1', 'conv-2']);
    const recent = d.resume('t1');
    expect(recent.frames[0]).toEqual({ t: 'session', token: 't1', resumed: true });
    recent.connection.close();
    d.at(140_001, () => d.start());
    d.flush();
    expect(d.ids()).toEqual(['conv-2', 'conv-3']);
    const late = d.resume('t1');
    expect(late.frames).toEqual([{ t: 'error', code: 'SESSION_NOT_FOUND', message: 'This chat session is unknown or expired.' }]);
    expect(d.engine.get('conv-1')).toBeUndefined();
  });

  it('keeps at most maxEndedConversations ended chats, forgetting the least recently used first', () => {
    const d = desk();
    d.ended();
    d.ended();
    d.ended();
    d.resume('t1').connection.close();
    d.start();
    expect(d.ids()).toEqual(['conv-1', 'conv-3', 'conv-4']);
    expect(d.resume('t2').kinds()).toEqual(['error']);
  });

  it('refuses a chat beyond maxLiveConversations with a clear error, and takes one again once a chat ends', () => {
    const d = desk();
    d.start();
    d.start();
    d.start();
    const refused = d.start();
    expect(refused.frames).toEqual([
      { t: 'error', code: 'REJECTED', message: 'The desk is full: it takes 3 open chats at most. Try again in a few minutes.' },
    ]);
    expect(refused.closes).toEqual(['the desk is full']);
    expect(d.ids()).toEqual(['conv-1', 'conv-2', 'conv-3']);
    d.engine.end('conv-2');
    expect(d.start().kinds()).toEqual(['session', 'queue']);
    expect(d.ids()).toEqual(['conv-1', 'conv-2', 'conv-3', 'conv-4']);
  });

  it('ends and forgets a live chat whose user has been gone for abandonedAfterMs, with its timers', () => {
    const d = desk({ autoAgent: true, maxLiveConversations: 1 });
    const changes: string[] = [];
    d.engine.changes$.subscribe((change) => changes.push(`${change.id}:${change.status}`));
    d.start().connection.close();
    const left = d.scheduler.now();
    d.at(left + 599_999, () => d.start());
    d.flush();
    expect(d.ids()).toEqual(['conv-1']);
    d.at(left + 600_000, () => d.start());
    d.flush();
    expect(d.ids()).toEqual(['conv-2']);
    expect(changes).toContain('conv-1:ended');
    expect(d.engine.pendingTimers).toBe(0);
  });

  it('a second start or a resume on one connection leaves the earlier chat, which is then swept as abandoned', () => {
    const d = desk();
    const connected = () => d.engine.list().map((conversation) => `${conversation.id}:${conversation.connected}`);
    const user = client(d.engine);
    user.connection.send({ t: 'start', summary: [] });
    user.connection.send({ t: 'start', summary: [] });
    d.flush();
    d.start().connection.close();
    expect(connected()).toEqual(['conv-1:false', 'conv-2:true', 'conv-3:false']);
    user.connection.send({ t: 'resume', token: 't3', lastSeq: 0 });
    d.flush();
    expect(connected()).toEqual(['conv-1:false', 'conv-2:false', 'conv-3:true']);
    user.connection.close();
    d.at(d.scheduler.now() + 600_000, () => d.start());
    d.flush();
    expect(d.ids()).toEqual(['conv-4']);
  });

  it('startChat rejects with the refusal, which says what to do', async () => {
    const d = desk({ maxLiveConversations: 1 });
    d.start();
    const { desk: widget } = deskOn(simulatedDesk({ transport: engineTransport(d.engine) }), d.scheduler);
    const started = widget.startChat(connectMessage());
    d.flush();
    await expect(started).rejects.toMatchObject({
      code: 'CONNECT_FAILED',
      message: 'The simulated desk ended the session: The desk is full: it takes 1 open chats at most. Try again in a few minutes.',
    });
  });
});
