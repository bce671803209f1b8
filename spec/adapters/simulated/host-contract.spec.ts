/**
 * The simulated desk carries the whole host contract (issue 12): the routing context shows in the agent console,
 * the agent sends rich content (console and the `options` script command), and asks for / ends a screen share that
 * the user answers. Virtual time, the desk engine in memory.
 */
import { SimulatedDeskEngine, engineTransport, simulatedDesk } from '../../../lib/simulator';
import { hostLog } from '../../../lib/testing';
import { deskOn, virtualTime } from '../../support/virtual';

const timing = { queueStepMs: 1000, readMs: 100, typingStartMs: 200, replyMs: 500, transferMs: 1000, outageMs: 3000 };

function setup(host: Parameters<typeof deskOn>[3] = {}) {
  const clock = virtualTime();
  const engine = new SimulatedDeskEngine({ scheduler: clock.scheduler, timing, createToken: () => 'token-1', autoAgent: false });
  const { desk, host: recorder } = deskOn(simulatedDesk({ transport: engineTransport(engine) }), clock.scheduler, {}, host);
  return { ...clock, engine, desk, host: recorder };
}

const connect = { output: { generic: [{ response_type: 'connect_to_agent', transfer_info: { additional_data: { queue: 'billing' } } }] } };

describe('the simulated desk and the host contract', () => {
  it('the agent console sees the routing and pre-chat context (hostile keys dropped)', () => {
    const s = setup();
    void s.desk.startChat(connect, { preStartChatPayload: { plan: 'gold', 'bad key': 'x' } });
    s.flush();
    expect(s.engine.get('conv-1')?.context).toEqual({ queue: 'billing', plan: 'gold' });
  });

  it('the agent sends a file card and quick replies from the console; the script command "options" too', () => {
    const s = setup();
    void s.desk.startChat(connect);
    s.at(10, () => s.engine.join('conv-1'));
    s.at(20, () => s.engine.say('conv-1', 'Your invoice:', undefined, [{ kind: 'file', url: 'https://files.example.com/invoice.pdf', name: 'invoice.pdf' }]));
    s.at(30, () => s.engine.say('conv-1', '', undefined, [{ kind: 'options', options: [{ label: 'Yes', value: 'yes' }] }]));
    s.flush();
    const items = s.host.callsOf('sendMessageToUser').map((call) => (call.args[0] as { output: { generic: { response_type: string }[] } }).output.generic.map((item) => item.response_type));
    expect(items.slice(-2)).toEqual([['text', 'button'], ['text']]);
    expect(s.engine.get('conv-1')?.transcript.at(-1)?.content).toEqual([{ kind: 'options', options: [{ label: 'Yes', value: 'yes' }] }]);

    const scripted = new SimulatedDeskEngine({ scheduler: s.scheduler, timing, createToken: () => 'token-2' });
    const auto = deskOn(simulatedDesk({ transport: engineTransport(scripted) }), s.scheduler);
    void auto.desk.startChat(connect);
    s.at(s.scheduler.now() + 5_000, () => void auto.desk.sendMessageToAgent({ input: { text: 'options' } }, 'u1'));
    s.flush();
    expect(hostLog(auto.host).at(-1)).toBe('sendMessageToUser(How can I help?\n1. Billing\n2. A technical problem)');
  });

  it('a screen share: requested from the console, accepted by the user, stopped by the user; the console sees each step', () => {
    const s = setup({ screenShare: { answer: 'accepted', afterMs: 1_000 } });
    void s.desk.startChat(connect);
    s.at(10, () => s.engine.join('conv-1'));
    s.at(20, () => s.engine.requestScreenShare('conv-1'));
    s.at(5_000, () => void s.desk.screenShareStop());
    s.flush();
    expect(s.host.methods()).toContain('screenShareRequest');
    const notes = s.engine.get('conv-1')?.transcript.filter((entry) => entry.from === 'system' && entry.text.includes('creen share')).map((entry) => entry.text);
    expect(notes).toEqual(['Screen share requested.', 'Screen share: accepted.', 'Screen share: stopped.']);
    expect(s.engine.get('conv-1')?.screenShare).toBe('stopped');
  });

  it('the agent ends a share: the host hears screenShareEnded', () => {
    const s = setup({ screenShare: { answer: 'accepted' } });
    void s.desk.startChat(connect);
    s.at(10, () => s.engine.join('conv-1'));
    s.at(20, () => s.engine.requestScreenShare('conv-1'));
    s.at(30, () => s.engine.endScreenShare('conv-1'));
    s.flush();
    expect(s.host.methods().filter((method) => method.startsWith('screenShare'))).toEqual(['screenShareRequest', 'screenShareEnded']);
    expect(s.engine.get('conv-1')?.screenShare).toBe('ended');
  });
});
