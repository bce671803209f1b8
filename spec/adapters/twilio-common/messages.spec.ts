import { marbles } from 'rxjs-marbles/jest';
import { attachmentOf, hostIdOf, messageKey } from '../../../lib/adapters/twilio-common/messages';
import { settleAfter } from '../../../lib/testing';
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

describe('twilio hostIdOf', () => {
  it('takes a non-empty string under the key, from an object or a JSON string', () => {
    expect(hostIdOf({ rxMessageId: 'u1' }, 'rxMessageId')).toBe('u1');
    expect(hostIdOf('{"rxMessageId":"u2"}', 'rxMessageId')).toBe('u2');
  });

  it.each([null, undefined, 'not json', ['u1'], { rxMessageId: '' }, { rxMessageId: 1 }, { other: 'u1' }])('finds none in %p', (attributes) => {
    expect(hostIdOf(attributes, 'rxMessageId')).toBeUndefined();
  });
});

describe('twilio attachmentOf', () => {
  it('keeps the name, type and size of a media item', () => {
    expect(attachmentOf('https://m/a.pdf', { filename: 'a.pdf', contentType: 'application/pdf', size: 10 })).toEqual({
      url: 'https://m/a.pdf',
      name: 'a.pdf',
      mimeType: 'application/pdf',
      size: 10,
    });
  });

  it('leaves out fields that are not what the SDK declares (found by fuzzing)', () => {
    const media = { filename: 42, contentType: new Uint8Array(1), size: Number.NaN } as never;
    expect(attachmentOf('https://m/a.pdf', media)).toEqual({ url: 'https://m/a.pdf' });
  });

  it.each([42, '', null, { href: 'https://m/a.pdf' }])('rejects the temporary URL %p', (url) => {
    expect(() => attachmentOf(url as never, { filename: 'a.pdf' })).toThrow(TypeError);
  });
});

describe.each(TWILIO_KITS)('$name: media with a file name that is not a string (found by fuzzing)', (kit) => {
  it('is shown once as a file card, and the connection is not retried', marbles((m) => {
    const s = scenario(m, kit);
    const media = Object.assign(s.world.media({ url: 'https://media.example/a.pdf' }), { filename: { name: 'a.pdf' } });
    s.play('-----a', { a: () => s.world.target.deliver(s.world.target.createMessage('ann', '', 4, media)) });
    void s.desk.startChat(CONNECT);
    m.flush();
    expect(s.world.clients).toHaveLength(1);
    expect(s.host.callsOf('sendMessageToUser').map((call) => call.args[0])).toEqual([
      { id: 'IM0004', output: { generic: [{ response_type: 'button', button_type: 'url', kind: 'link', url: 'https://media.example/a.pdf', label: 'file', target: '_blank' }] } },
    ]);
  }));
});

describe.each(TWILIO_KITS)('$name: a message with a non-finite index (found by fuzzing)', (kit) => {
  it('is skipped, so the read horizon and the persisted state stay real indexes', marbles((m) => {
    const s = scenario(m, kit, { getToken: () => settleAfter({}, () => 'fresh') });
    s.play('-----a-----b-----c', {
      a: () => s.world.target.deliver(Object.assign(s.world.target.createMessage('ann', 'broken', 0), { sid: 'IMX', index: Number.NaN })),
      b: () => s.world.target.deliver(s.world.target.createMessage('ann', 'fine', 3)),
      c: () => void s.desk.userReadMessages(),
    });
    void s.desk.startChat(CONNECT);
    m.flush();
    expect(s.host.callsOf('sendMessageToUser').map((call) => (call.args[0] as { id: string }).id)).toEqual(['IM0003']);
    expect(s.world.target.callsOf(kit.markReadMethod)).toEqual([[3]]);
    expect(s.host.persisted).toMatchObject({ resume: { last: { id: 'IM0003', index: 3 } } });
  }));
});

describe.each(TWILIO_KITS)('$name: media whose temporary URL cannot be had (found by fuzzing)', (kit) => {
  it('is shown as a notice, never as an empty message', marbles((m) => {
    const s = scenario(m, kit);
    const gone = s.world.media({ filename: 'a.pdf', url: '' });
    const captioned = s.world.media({ filename: 'b.pdf', url: '' });
    s.play('-----a-----b', {
      a: () => s.world.target.deliver(s.world.target.createMessage('ann', '', 4, gone)),
      b: () => s.world.target.deliver(s.world.target.createMessage('ann', 'see attached', 5, captioned)),
    });
    void s.desk.startChat(CONNECT);
    m.flush();
    expect(s.host.callsOf('sendMessageToUser').map((call) => call.args[0])).toEqual([
      { id: 'IM0004', output: { generic: [{ response_type: 'text', text: 'The agent sent a file that could not be loaded.' }] } },
      { id: 'IM0005', output: { generic: [{ response_type: 'text', text: 'see attached' }] } },
    ]);
  }));
});
