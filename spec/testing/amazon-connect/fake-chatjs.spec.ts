/**
 * The fake chatjs behaves as amazon-connect-chatjs 5.0.0 does (bundle lines in lib/testing/amazon-connect/fake-chatjs.ts):
 * event order, rejection shapes, typing throttle, reconnects, end-of-chat cleanup. Virtual time.
 */
import { VirtualTimeScheduler } from 'rxjs';
import { connectSimulatorCore } from '../../../lib/simulator/amazon-connect';
import { fakeChatJs } from '../../../lib/testing/amazon-connect';
import { outcomeOf } from '../../../lib/testing/conformance/chat';

function world() {
  const scheduler = new VirtualTimeScheduler(undefined, 3_600_000);
  const core = connectSimulatorCore({ scheduler });
  const chatjs = fakeChatJs({ core, scheduler });
  const start = core.startChatContact({ ParticipantDetails: { DisplayName: 'Ada' } }).body as Record<string, string>;
  const session = chatjs.ChatSession.create({
    chatDetails: { contactId: start.ContactId, participantId: start.ParticipantId, participantToken: start.ParticipantToken },
    type: 'CUSTOMER',
  });
  const seen: string[] = [];
  session.onConnectionEstablished(() => seen.push('established'));
  session.onConnectionLost(() => seen.push('lost'));
  session.onConnectionBroken(() => seen.push('broken'));
  session.onMessage((event) => seen.push(`message ${String((event.data as { ContentType?: string }).ContentType)}`));
  session.onTyping(() => seen.push('typing'));
  return { scheduler, core, chatjs, session, seen };
}

describe('fakeChatJs', () => {
  it('fires CONNECTION_ESTABLISHED on connect() and again on the socket gain, then delivers items', async () => {
    const { scheduler, core, session, seen } = world();
    const connected = session.connect();
    scheduler.flush();
    expect(await outcomeOf(Promise.resolve(connected))).toEqual({ state: 'resolved', value: { connectSuccess: true, connectCalled: true } });
    core.join('Ann');
    scheduler.flush();
    expect(seen).toEqual(['established', 'established', 'message application/vnd.amazonaws.connect.event.participant.joined']);
  });

  it('reports a lost socket once, waits for the network, and reconnects 250 ms after it is back', () => {
    const { scheduler, chatjs, session, seen } = world();
    void session.connect();
    scheduler.flush();
    chatjs.drop();
    scheduler.flush();
    expect(chatjs.sockets).toBe(0);
    chatjs.restore();
    scheduler.flush();
    expect(seen).toEqual(['established', 'established', 'lost', 'established']);
    expect(chatjs.sockets).toBe(1);
  });

  it('rejects API calls as _sendRequest does, and offline as a failed fetch', async () => {
    const { scheduler, chatjs, session } = world();
    const early = session.sendMessage({ message: 'x', contentType: 'text/plain' });
    expect(await outcomeOf(Promise.resolve(early))).toEqual({ state: 'rejected', error: 'Failed to call /participant/message, No active connection' });
    void session.connect();
    scheduler.flush();
    const refused = session.sendMessage({ message: 'x', contentType: 'image/gif' });
    scheduler.flush();
    expect(await outcomeOf(Promise.resolve(refused))).toMatchObject({ state: 'rejected', error: { type: 'ValidationException', statusCode: 400 } });
    chatjs.drop();
    const offline = session.sendMessage({ message: 'x', contentType: 'text/plain' });
    scheduler.flush();
    expect(await outcomeOf(Promise.resolve(offline))).toEqual({ state: 'rejected', error: { type: 'TypeError', message: 'Failed to fetch' } });
  });

  it('throttles typing to one event per 10 s (leading and trailing), and sends each receipt once', () => {
    const { scheduler, core, session } = world();
    const events: string[] = [];
    core.on('event', ({ contentType }) => events.push(`${scheduler.now()} ${contentType.split('.').pop() ?? ''}`));
    void session.connect();
    scheduler.flush();
    const start = scheduler.now();
    for (let i = 0; i < 5; i += 1) void session.sendEvent({ contentType: 'application/vnd.amazonaws.connect.event.typing' });
    void session.sendEvent({ contentType: 'application/vnd.amazonaws.connect.event.message.read', content: '{"messageId":"m1"}' });
    void session.sendEvent({ contentType: 'application/vnd.amazonaws.connect.event.message.read', content: '{"messageId":"m1"}' });
    scheduler.flush();
    expect(events).toEqual([`${start + 1} typing`, `${start + 1} read`, `${start + 10_001} typing`]);
  });

  it('after chat.ended: CHAT_ENDED, then every handler removed and the socket closed', () => {
    const { scheduler, core, chatjs, session, seen } = world();
    void session.connect();
    scheduler.flush();
    core.end();
    scheduler.flush();
    expect(seen.at(-1)).toBe('message application/vnd.amazonaws.connect.event.chat.ended');
    expect(chatjs.listeners).toBe(0);
    expect(chatjs.sockets).toBe(0);
  });
});
