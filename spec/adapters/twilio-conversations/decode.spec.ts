import { conversationDecoders, conversationsClientDecoders, decodeConversationsMessage } from '../../../lib/adapters/twilio-conversations/decode';
import { fakeTwilioConversations } from '../../../lib/testing/twilio';

describe('twilio-conversations decode', () => {
  const desk = fakeTwilioConversations();
  const decoders = conversationDecoders();

  it('decodes text and attached media (missing URLs are left out)', async () => {
    expect(decodeConversationsMessage(desk.conversation.createMessage('ann', 'Hello', 3))).toEqual({ sid: 'IM0003', index: 3, author: 'ann', text: 'Hello' });
    const media = desk.media({ filename: 'a.png', contentType: 'image/png', size: 5, url: 'https://m/a.png' });
    const message = desk.conversation.createMessage('ann', null, 4, media);
    const decoded = decodeConversationsMessage(message);
    await expect(decoded.attachments!()).resolves.toEqual([{ url: 'https://m/a.png', name: 'a.png', mimeType: 'image/png', size: 5 }]);
    media.url = '';
    await expect(decodeConversationsMessage(message).attachments!()).resolves.toEqual([]);
  });

  it("reads the host's message id from the attribute it is told, also on media", () => {
    const sent = Object.assign(desk.conversation.createMessage('guest-1', 'mine', 5), { attributes: { rxMessageId: 'u1' } });
    expect(decodeConversationsMessage(sent)).toEqual({ sid: 'IM0005', index: 5, author: 'guest-1', text: 'mine', hostId: 'u1' });
    const file = Object.assign(desk.conversation.createMessage('guest-1', null, 6, desk.media()), { attributes: { hostId: 'f1', rxMessageId: 7 } });
    expect(decodeConversationsMessage(file)).not.toHaveProperty('hostId');
    expect(decodeConversationsMessage(file, 'hostId')).toMatchObject({ hostId: 'f1', attachments: expect.any(Function) });
    expect(conversationDecoders('hostId').messageAdded!(file as never)).toMatchObject({ kind: 'message', message: { hostId: 'f1' } });
  });

  it('reads a server-posted message (author "system", no participant) as from that author', () => {
    expect(decodeConversationsMessage(desk.conversation.createMessage('system', 'Welcome', 0))).toMatchObject({ author: 'system', text: 'Welcome' });
  });

  it('decodes participant events and the closed state', () => {
    const ann = desk.agent('Ann');
    ann.lastReadMessageIndex = 2;
    expect(decoders.participantLeft!(ann as never)).toEqual({ kind: 'left', who: ann });
    expect(decoders.participantUpdated!({ participant: ann, updateReasons: ['lastReadMessageIndex'] } as never)).toEqual({ kind: 'read', who: ann, index: 2 });
    expect(decoders.updated!({ conversation: { state: { current: 'closed' } }, updateReasons: ['state'] } as never)).toEqual([
      { kind: 'ended', signal: 'closedState', reason: 'the chat was closed' },
    ]);
  });

  it('decodes init and init failures', () => {
    expect(conversationsClientDecoders.initialized!(undefined as never)).toEqual({ kind: 'init', ok: true });
    expect(conversationsClientDecoders.initFailed!({ error: { terminal: true, message: 'bad token' } } as never)).toEqual({
      kind: 'init',
      ok: false,
      terminal: true,
      message: 'bad token',
    });
    expect(conversationsClientDecoders.initFailed!(undefined as never)).toEqual({ kind: 'init', ok: false, terminal: false });
  });

  it('reads the sid of the member/participant who wrote a message, none for an automated one', () => {
    const ann = desk.agent('Ann');
    expect(decodeConversationsMessage(desk.conversation.createMessage('ann', 'hi', 8))).toMatchObject({ author: 'ann', participantSid: ann.sid });
    expect(decodeConversationsMessage(desk.conversation.createMessage('Bot', 'welcome', 9))).not.toHaveProperty('participantSid');
    expect(decodeConversationsMessage(Object.assign(desk.conversation.createMessage('ann', 'hi', 10), { participantSid: '' }))).not.toHaveProperty('participantSid');
  });
});
