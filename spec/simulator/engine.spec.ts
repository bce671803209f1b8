import type { DeskFrame, TransportHandlers } from '../../lib/simulator';
import { SimulatedDeskEngine } from '../../lib/simulator';
import { liveTimers, virtualTime } from '../support/virtual';

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

  it('publishes snapshots for consoles', () => {
    const { scheduler, flush } = virtualTime();
    const engine = new SimulatedDeskEngine({ scheduler, autoAgent: false });
    const statuses: string[] = [];
    engine.changes$.subscribe((snapshot) => statuses.push(`${snapshot.id}:${snapshot.status}:${snapshot.connected}`));
    const user = client(engine);
    user.connection.send({ t: 'start', summary: [] });
    flush();
    engine.join('conv-1');
    user.connection.close();
    expect(statuses).toEqual(['conv-1:queued:true', 'conv-1:active:true', 'conv-1:active:false']);
    expect(engine.list().map((snapshot) => snapshot.id)).toEqual(['conv-1']);
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
