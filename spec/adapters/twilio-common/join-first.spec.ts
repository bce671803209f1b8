import { marbles } from 'rxjs-marbles/jest';
import { hostLog } from '../../../lib/testing';
import { CONNECT, scenario } from './kit';
import { TWILIO_KITS } from './kits';

describe.each(TWILIO_KITS)('$name: an agent message before its join event', (kit) => {
  it('10 ms before: the join is shown first, made from the sender (its user profile), and the message carries the agent id', marbles((m) => {
    const s = scenario(m, kit);
    const ann = s.world.agent('Ann');
    s.play('-----a---------b', {
      a: () => s.world.target.deliver(s.world.target.createMessage('ann', 'are you there?')),
      b: () => s.world.target.add(ann),
    });
    void s.desk.startChat(CONNECT);
    m.flush();
    expect(s.timeline()).toEqual([[5, 'agentJoined'], [5, 'sendMessageToUser']]);
    expect(hostLog(s.host)).toEqual(['agentJoined(Ann)', 'sendMessageToUser(are you there?)']);
    expect(s.host.callsOf('sendMessageToUser')[0]?.args[1]).toBe('ann');
  }));

  it('in the same tick: the join is shown once, first', marbles((m) => {
    const s = scenario(m, kit);
    const ann = s.world.agent('Ann');
    s.play('-----(ab)', {
      a: () => s.world.target.deliver(s.world.target.createMessage('ann', 'hi')),
      b: () => s.world.target.add(ann),
    });
    void s.desk.startChat(CONNECT);
    m.flush();
    expect(s.timeline().map(([, method]) => method)).toEqual(['agentJoined', 'sendMessageToUser']);
    expect(s.host.callsOf('sendMessageToUser')[0]?.args[1]).toBe('ann');
  }));

  it('a second agent speaking before their join is a transfer, shown before their message', marbles((m) => {
    const s = scenario(m, kit);
    const ann = s.world.agent('Ann');
    const bob = s.world.agent('Bob');
    s.play('-----a-----b---c', {
      a: () => s.world.target.add(ann),
      b: () => s.world.target.deliver(s.world.target.createMessage('bob', 'I take over')),
      c: () => s.world.target.add(bob),
    });
    void s.desk.startChat(CONNECT);
    m.flush();
    expect(hostLog(s.host)).toEqual(['agentJoined(Ann)', 'beginTransferToAnotherAgent(Bob)', 'agentJoined(Bob)', 'sendMessageToUser(I take over)']);
  }));

  it('history read when connecting does not make a join out of an agent who has left', marbles((m) => {
    const s = scenario(m, kit);
    s.world.target.addHistory(s.world.target.createMessage('ann', 'earlier'));
    void s.desk.startChat(CONNECT);
    m.flush();
    expect(hostLog(s.host)).toEqual(['sendMessageToUser(earlier)']);
  }));
});
