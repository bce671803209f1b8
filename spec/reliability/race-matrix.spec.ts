/**
 * Lifecycle race matrix on the simulated desk: endChat at every step of connect, queue, join, transfer and
 * reconnect; agent-end and user-end at once; startChat twice. Whatever the moment, nothing is left: no timer on the
 * virtual clock, no timer in the desk, no open connection, and no host call after the end.
 */
import { SimulatedDeskEngine, engineTransport, simulatedDesk } from '../../lib/simulator';
import { hostLog } from '../../lib/testing';
import { connectMessage, deskOn, liveTimers, virtualTime } from '../support/virtual';

const timing = { queueStepMs: 1000, readMs: 100, typingStartMs: 200, replyMs: 500, transferMs: 1000, outageMs: 2000 };

function setup() {
  const clock = virtualTime();
  const engine = new SimulatedDeskEngine({ scheduler: clock.scheduler, timing, queuePosition: 2, createToken: () => 'tok' });
  const adapter = simulatedDesk({ transport: engineTransport(engine) });
  const { desk, host } = deskOn(adapter, clock.scheduler, { retry: { maxRetries: 5, initialDelayMs: 500 } });
  return { ...clock, engine, desk, host };
}

// The script: queue (0-2000), Ann joins (2000) and greets (2700), the user asks for a transfer (3000), Ann
// answers (3700) and hands over, Bob joins (4700) and greets, the user asks for a disconnect (6000), the
// connection drops (6700) and comes back after the outage with backoff (~8700+), then the chat goes on.
function script(s: ReturnType<typeof setup>) {
  void s.desk.startChat(connectMessage());
  s.at(3000, () => void s.desk.sendMessageToAgent({ input: { text: 'transfer' } }, 'u1').catch(() => undefined));
  s.at(6000, () => void s.desk.sendMessageToAgent({ input: { text: 'disconnect' } }, 'u2').catch(() => undefined));
}

const moments = [0, 1, 999, 1000, 1500, 2000, 2001, 2350, 2700, 3000, 3050, 3700, 3701, 4200, 4700, 5000, 6000, 6700, 6701, 7000, 8000, 8700, 9500, 12000];

describe('race matrix: endChat at every step', () => {
  it.each(moments)('endChat at %i ms leaves nothing behind', async (moment) => {
    const s = setup();
    script(s);
    let ended: Promise<void> | undefined;
    let callsAtEnd = -1;
    s.at(moment, () => {
      callsAtEnd = s.host.calls.length;
      ended = s.desk.endChat();
    });
    s.flush();
    await ended;
    expect(s.host.calls.length).toBe(callsAtEnd);
    expect(liveTimers(s.scheduler)).toBe(0);
    expect(s.engine.pendingTimers).toBe(0);
    expect(s.engine.list().map((conversation) => conversation.connected)).toEqual([false]);
    // While the desk is unreachable (the drop at 6700 until the third retry at 10200) the user can still leave, but
    // the desk cannot be told; otherwise the desk sees the chat end.
    const unreachable = moment > 6700 && moment < 10200;
    expect(s.engine.list().map((conversation) => conversation.status === 'ended')).toEqual([!unreachable]);
    // The desk can start again.
    const again = s.desk.startChat(connectMessage());
    s.at(s.scheduler.now() + 5000, () => void s.desk.endChat());
    s.flush();
    await expect(again).resolves.toBeUndefined();
    expect(liveTimers(s.scheduler)).toBe(0);
  });
});

describe('race matrix: simultaneous ends and double starts', () => {
  it('the agent and the user end the chat at the same moment', async () => {
    const s = setup();
    void s.desk.startChat(connectMessage());
    let ended: Promise<void> | undefined;
    s.at(3000, () => {
      s.engine.end('conv-1');
      ended = s.desk.endChat();
    });
    s.flush();
    await ended;
    expect(hostLog(s.host)).not.toContain('agentEndedChat');
    expect(liveTimers(s.scheduler)).toBe(0);
    expect(s.engine.pendingTimers).toBe(0);
  });

  it('the user ends the chat while agentEndedChat is being delivered', async () => {
    const s = setup();
    void s.desk.startChat(connectMessage());
    s.at(3000, () => s.engine.end('conv-1'));
    let ended: Promise<void> | undefined;
    s.at(3001, () => (ended = s.desk.endChat()));
    s.flush();
    await ended;
    expect(hostLog(s.host).filter((line) => line === 'agentEndedChat')).toHaveLength(1);
    expect(liveTimers(s.scheduler)).toBe(0);
  });

  it('startChat twice: one session survives, the first is torn down at the desk too', async () => {
    const s = setup();
    void s.desk.startChat(connectMessage());
    const second = s.desk.startChat(connectMessage());
    s.at(2500, () => void s.desk.endChat());
    s.flush();
    await second;
    expect(s.engine.list().map((conversation) => conversation.connected)).toEqual([false, false]);
    expect(liveTimers(s.scheduler)).toBe(0);
  });
});
