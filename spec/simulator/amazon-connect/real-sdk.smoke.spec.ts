/**
 * The one real-socket spec for Amazon Connect: the REAL amazon-connect-chatjs 5.0.0 (not a fake) against the
 * loopback simulator. Waits only on explicit signals (simulator events, SDK callbacks), never on a timer.
 * The SDK throttles typing `sendEvent` with lodash.throttle (src/client/client.js:348 in its source map, 10 s): that
 * timer outlives the test by up to 10 s; it does nothing once the chat has ended.
 */
import { startConnectSimulator, type ConnectSimulator } from '../../../lib/simulator/amazon-connect/index.js';
import { loadRealChatJs, type RealCustomerSession } from '../../adapters/amazon-connect/real-sdk.js';

const next = <T>(register: (resolve: (value: T) => void) => void) => new Promise<T>((resolve) => register(resolve));

describe('amazon-connect-chatjs 5.0.0 against the simulator (real sockets)', () => {
  let sim: ConnectSimulator;
  let session: RealCustomerSession;

  beforeAll(async () => {
    sim = await startConnectSimulator();
  });
  afterAll(() => sim.close());

  it('starts, the agent joins, messages go both ways, typing shows, the agent ends', async () => {
    const chatjs = loadRealChatJs();
    chatjs.ChatSession.setGlobalConfig({ endpoint: sim.endpoint, region: 'us-east-1', webSocketManagerConfig: { isNetworkOnline: () => true } });
    const start = sim.startChatContact({ ParticipantDetails: { DisplayName: 'Ada' }, InitialMessage: { ContentType: 'text/plain', Content: 'Summary: refund' } }).body as Record<string, string>;
    session = chatjs.ChatSession.create({
      chatDetails: { ContactId: start.ContactId, ParticipantId: start.ParticipantId, ParticipantToken: start.ParticipantToken },
      type: 'CUSTOMER',
      disableCSM: true,
      options: { region: 'us-east-1' },
    });
    const received: Record<string, unknown>[] = [];
    const typing: Record<string, unknown>[] = [];
    session.onMessage(({ data }) => received.push(data));
    session.onTyping(({ data }) => typing.push(data));
    const subscribed = next<unknown>((resolve) => sim.on('subscribed', resolve));
    await expect(session.connect()).resolves.toMatchObject({ connectSuccess: true });
    await subscribed;

    const joined = next<void>((resolve) => session.onMessage(({ data }) => data.ParticipantRole === 'AGENT' && data.Type === 'EVENT' && resolve()));
    sim.join('Ann');
    await joined;

    const customerMessage = next<{ text: string }>((resolve) => sim.on('message', resolve));
    const sent = await session.sendMessage({ message: 'Hello', contentType: 'text/plain' });
    expect((await customerMessage).text).toBe('Hello');
    expect(sent.data?.Id).toEqual(expect.any(String));

    const agentSays = next<void>((resolve) => session.onMessage(({ data }) => data.Content === 'Hi Ada' && resolve()));
    const agentTypes = next<void>((resolve) => session.onTyping(() => resolve()));
    sim.type();
    await agentTypes;
    sim.say('Hi Ada');
    await agentSays;

    const customerTyping = next<{ contentType: string }>((resolve) => sim.on('event', resolve));
    await session.sendEvent({ contentType: 'application/vnd.amazonaws.connect.event.typing' });
    expect((await customerTyping).contentType).toBe('application/vnd.amazonaws.connect.event.typing');

    const transcript = await session.getTranscript({ scanDirection: 'BACKWARD', sortOrder: 'ASCENDING', maxResults: 15 });
    expect(transcript.data?.Transcript.map((item) => item.Content).filter(Boolean)).toEqual(['Summary: refund', 'Hello', 'Hi Ada']);

    const ended = next<void>((resolve) => session.onEnded(() => resolve()));
    const socketClosed = next<unknown>((resolve) => sim.on('closed', ({ sockets }) => sockets === 0 && resolve(undefined)));
    sim.end();
    await ended;
    await socketClosed;

    const roles = received.map((item) => `${String(item.ParticipantRole)}:${String(item.ContentType)}`);
    expect(roles).toEqual([
      'AGENT:application/vnd.amazonaws.connect.event.participant.joined',
      'CUSTOMER:text/plain',
      'AGENT:text/plain',
      'AGENT:application/vnd.amazonaws.connect.event.participant.left',
      'SYSTEM:application/vnd.amazonaws.connect.event.chat.ended',
    ]);
    expect(typing.map((item) => item.ParticipantRole)).toEqual(['AGENT', 'CUSTOMER']);
  });
});
