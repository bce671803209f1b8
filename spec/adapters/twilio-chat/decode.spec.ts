import { channelDecoders, chatClientDecoders, decodeChatMessage } from '../../../lib/adapters/twilio-chat/decode';
import { fakeTwilioChat } from '../../../lib/testing/twilio';

// Attribute strings as captured from a legacy Flex web chat (shared/data/vendor-samples: twilio-chat.webhook.*).
const FLEX_CHANNEL_ENDED = '{"task_sid":"WT00000000000000000000000000000002","from":"PS User","channel_type":"web","status":"INACTIVE","long_lived":false}';
const FLEX_AGENT_MEMBER = '{"member_type":"agent"}';

describe('twilio-chat decode', () => {
  const chat = fakeTwilioChat();
  const decoders = channelDecoders();

  it('decodes text and media messages', async () => {
    const text = chat.channel.createMessage('ann', 'Hello', 3);
    expect(decodeChatMessage(text)).toEqual({ sid: 'IM0003', index: 3, author: 'ann', text: 'Hello' });
    const media = chat.media({ filename: 'a.pdf', contentType: 'application/pdf', size: 10, url: 'https://m/a.pdf' });
    const decoded = decodeChatMessage(chat.channel.createMessage('ann', '', 4, media));
    expect(decoded).toMatchObject({ sid: 'IM0004', index: 4, text: '' });
    await expect(decoded.attachments!()).resolves.toEqual([{ url: 'https://m/a.pdf', name: 'a.pdf', mimeType: 'application/pdf', size: 10 }]);
  });

  it("reads the host's message id from the attribute it is told (an object or a JSON string)", () => {
    const sent = Object.assign(chat.channel.createMessage('guest-1', 'mine', 5), { attributes: { rxMessageId: 'u1', other: 1 } });
    expect(decodeChatMessage(sent)).toEqual({ sid: 'IM0005', index: 5, author: 'guest-1', text: 'mine', hostId: 'u1' });
    expect(decodeChatMessage(sent, 'other')).not.toHaveProperty('hostId');
    const text = Object.assign(chat.channel.createMessage('guest-1', 'mine', 6), { attributes: '{"hostId":"u2"}' as never });
    expect(decodeChatMessage(text, 'hostId')).toMatchObject({ hostId: 'u2' });
    expect(channelDecoders('hostId').messageAdded!(text as never)).toMatchObject({ kind: 'message', message: { hostId: 'u2' } });
  });

  it('rejects a message without sid or index, and reads a null body as empty', () => {
    expect(() => decodeChatMessage(undefined as never)).toThrow(TypeError);
    expect(decodeChatMessage({ sid: 'IM1', index: 1, author: null, body: null } as never)).toEqual({ sid: 'IM1', index: 1, author: undefined, text: '' });
  });

  it('decodes member events, reads only read-horizon updates, and the captured end signal', () => {
    const ann = chat.agent('Ann', { attributes: FLEX_AGENT_MEMBER });
    expect(decoders.memberJoined!(ann as never)).toEqual({ kind: 'joined', who: ann });
    expect(decoders.memberUpdated!({ member: ann, updateReasons: ['attributes'] } as never)).toBeUndefined();
    ann.lastConsumedMessageIndex = 4;
    expect(decoders.memberUpdated!({ member: ann, updateReasons: ['lastConsumedMessageIndex'] } as never)).toEqual({ kind: 'read', who: ann, index: 4 });
    expect(decoders.updated!({ channel: { attributes: FLEX_CHANNEL_ENDED }, updateReasons: ['attributes'] } as never)).toEqual([
      { kind: 'ended', signal: 'statusAttribute', reason: 'the agent ended the chat (status INACTIVE)' },
    ]);
    expect(() => decoders.typingStarted!(null as never)).toThrow(TypeError);
  });

  it('decodes the client init state', () => {
    expect(chatClientDecoders.stateChanged!('initialized' as never)).toEqual({ kind: 'init', ok: true });
    expect(chatClientDecoders.stateChanged!('failed' as never)).toEqual({ kind: 'init', ok: false });
    expect(chatClientDecoders.stateChanged!('other' as never)).toBeUndefined();
  });

  it('reads the sid of the member/participant who wrote a message, none for an automated one', () => {
    const ann = chat.agent('Ann');
    expect(decodeChatMessage(chat.channel.createMessage('ann', 'hi', 8))).toMatchObject({ author: 'ann', participantSid: ann.sid });
    expect(decodeChatMessage(chat.channel.createMessage('Bot', 'welcome', 9))).not.toHaveProperty('participantSid');
    expect(decodeChatMessage(Object.assign(chat.channel.createMessage('ann', 'hi', 10), { memberSid: '' }))).not.toHaveProperty('participantSid');
  });
});
