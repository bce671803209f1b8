import { marbles } from 'rxjs-marbles/jest';
import { messageKey } from '../../../lib/adapters/twilio-common/messages';
import { CONNECT, scenario } from './kit';
import { TWILIO_KITS } from './kits';

describe('twilio messageKey', () => {
  it('takes a sid and a finite index', () => {
    expect(messageKey({ sid: 'IM1', index: 4 })).toEqual({ sid: 'IM1', index: 4 });
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '4', null])('rejects the index %p', (index) => {
    expect(() => messageKey({ sid: 'IM1', index })).toThrow(TypeError);
  });
});

describe.each(TWILIO_KITS)('$name: a message with a non-finite index (found by fuzzing)', (kit) => {
  it('is skipped, so the read horizon and the persisted state stay real indexes', marbles((m) => {
    const s = scenario(m, kit);
    s.play('-----a-----b-----c', {
      a: () => s.world.target.deliver(Object.assign(s.world.target.createMessage('ann', 'broken', 0), { sid: 'IMX', index: Number.NaN })),
      b: () => s.world.target.deliver(s.world.target.createMessage('ann', 'fine', 3)),
      c: () => void s.desk.userReadMessages(),
    });
    void s.desk.startChat(CONNECT);
    m.flush();
    expect(s.host.callsOf('sendMessageToUser').map((call) => (call.args[0] as { id: string }).id)).toEqual(['IM0003']);
    expect(s.world.target.callsOf(kit.markReadMethod)).toEqual([[3]]);
    expect(s.host.persisted).toMatchObject({ resume: { lastIndex: 3 } });
  }));
});
