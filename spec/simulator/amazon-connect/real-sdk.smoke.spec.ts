/**
 * The one real-socket spec for Amazon Connect: the REAL amazon-connect-chatjs 5.0.0 (not a fake) against the
 * loopback simulator. Waits only on explicit signals (simulator events, SDK callbacks), never on a timer.
 * The SDK throttles typing `sendEvent` with lodash.throttle (10 s): real-sdk.ts unrefs the SDK's timers so that this
 * timer, which outlives the test, does not keep the worker alive.
 */
import { filter, firstValueFrom } from 'rxjs';
import { amazonConnect, type ChatJs } from '../../../lib/adapters/amazon-connect/index.js';
import { createServiceDesk } from '../../../lib/core/desk.js';
import { startConnectSimulator, type ConnectSimulator } from '../../../lib/simulator/amazon-connect/index.js';
import { recordingCallback } from '../../../lib/testing/index.js';
import { loadRealChatJs, type RealChatJs, type RealCustomerSession } from '../../adapters/amazon-connect/real-sdk.js';

const next = <T>(register: (resolve: (value: T) => void) => void) => new Promise<T>((resolve) => register(resolve));

describe('amazon-connect-chatjs 5.0.0 against the simulator (real sockets)', () => {
  let sim: ConnectSimulator;
  let session: RealCustomerSession;
  let chatjs: RealChatJs;

  beforeAll(async () => {
    sim = await startConnectSimulator();
    chatjs = loadRealChatJs();
    chatjs.ChatSession.setGlobalConfig({ endpoint: sim.endpoint, region: 'us-east-1', webSocketManagerConfig: { isNetworkOnline: () => true } });
  });
  afterAll(() => sim.close());

  it('the SDK alone: starts, the agent joins, messages go both ways, typing shows, the agent ends', async () => {
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

  it('through the adapter and a desk: start, agent joins, messages both ways, typing both ways, the agent ends', async () => {
    // Another region = another cached participant client (getCachedClient, bundle 4064), so the typing throttle of
    // the first test's client does not hold this test's typing event for 10 s.
    const adapter = amazonConnect({
      chatjs: chatjs as unknown as ChatJs,
      region: 'eu-west-2',
      startChat: async ({ initialMessage }) => {
        const start = sim.startChatContact({ ParticipantDetails: { DisplayName: 'Ada' }, InitialMessage: { ContentType: 'text/plain', Content: initialMessage } }).body as Record<string, string>;
        return { contactId: start.ContactId, participantId: start.ParticipantId, participantToken: start.ParticipantToken };
      },
    });
    const host = recordingCallback({ host: 'carbon' });
    const desk = createServiceDesk(adapter, { callback: host.callback });
    const hostCall = (method: string, first?: unknown) =>
      firstValueFrom(host.calls$.pipe(filter((call) => call.method === method && (first === undefined || JSON.stringify(call.args[0]).includes(String(first))))));

    const subscribed = next<unknown>((resolve) => sim.on('subscribed', resolve));
    await desk.startChat({ output: { generic: [{ response_type: 'connect_to_agent', message_to_human_agent: 'Summary: refund' }] } });
    await subscribed;
    expect(sim.transcript.find((item) => item.Type === 'MESSAGE')?.Content).toBe('Summary: refund');

    const joined = hostCall('agentJoined');
    sim.join('Ann');
    expect((await joined).args[0]).toMatchObject({ nickname: 'Ann' });

    const received = next<{ text: string; clientToken?: string }>((resolve) => sim.on('message', resolve));
    await desk.sendMessageToAgent({ input: { text: 'Hello' } }, 'host-message-1');
    expect(await received).toMatchObject({ text: 'Hello', clientToken: 'host-message-1' });

    const typing = hostCall('agentTyping', true);
    sim.type();
    await typing;
    const shown = hostCall('sendMessageToUser', 'Hi Ada');
    sim.say('Hi Ada');
    await shown;

    const userTyping = next<{ contentType: string }>((resolve) => sim.on('event', (event) => event.contentType.endsWith('.typing') && resolve(event)));
    await desk.userTyping(true);
    await userTyping;

    const ended = hostCall('agentEndedChat');
    const socketClosed = next<unknown>((resolve) => sim.on('closed', ({ sockets }) => sockets === 0 && resolve(undefined)));
    sim.end();
    await ended;
    await socketClosed;
    expect(host.methods().filter((method) => method === 'setErrorStatus')).toEqual([]);
  });
});
