/**
 * What is Amazon Connect's own (the shared checklist is conformance.spec.ts): wiring errors, CONNECTION_ESTABLISHED
 * firing twice, the participant token as the end of a chat, delivered receipts, contact-flow lines, malformed items.
 * Virtual time, over the simulator core and the fake chatjs of rx-service-desk/testing/amazon-connect.
 */
import { amazonConnect, type AmazonConnectOptions } from '../../../lib/adapters/amazon-connect';
import { createLogger, type LogSink } from '../../../lib/core/logger';
import { hostLog, settleAfter } from '../../../lib/testing';
import { openChat, outcomeOf } from '../../../lib/testing/conformance/chat';
import { amazonConnectHarness, connectWorld } from './harness';

function chatWith(extra: Partial<AmazonConnectOptions> = {}) {
  const warnings: unknown[][] = [];
  let world: ReturnType<typeof connectWorld> | undefined;
  const sink: LogSink = { debug: () => undefined, info: () => undefined, warn: (...args: unknown[]) => warnings.push(args), error: () => undefined };
  const chat = openChat({
    ...amazonConnectHarness,
    deskOptions: { logger: createLogger({ level: 'warn', sink }) },
    create: ({ scheduler }) => {
      world = connectWorld(scheduler, extra);
      return world;
    },
  });
  if (!world) throw new Error('the harness did not build a world');
  return { chat, world, warnings };
}

describe('amazonConnect', () => {
  it('fails fast with a message that says what to pass', () => {
    const startChat = () => Promise.resolve({ contactId: 'c', participantId: 'p', participantToken: 't' });
    expect(() => amazonConnect({ startChat, region: 'us-east-1' } as unknown as AmazonConnectOptions)).toThrow('pass window.connect');
    expect(() => amazonConnect({ chatjs: { ChatSession: { create: () => ({}) } }, region: 'us-east-1' } as unknown as AmazonConnectOptions)).toThrow('startChat()');
    expect(() => amazonConnect({ chatjs: { ChatSession: { create: () => ({}) } }, startChat, region: '' } as unknown as AmazonConnectOptions)).toThrow('region');
  });

  it('starts once although chatjs fires CONNECTION_ESTABLISHED twice, and sends the summary as the initial message', async () => {
    const { chat, world } = chatWith();
    const calls = jest.spyOn(world.core, 'participant');
    const started = chat.start();
    chat.flush();
    expect(await outcomeOf(started)).toEqual({ state: 'resolved', value: undefined });
    // A second "connected" would make the engine read the transcript to fill a gap that is not there.
    expect(calls.mock.calls.map(([path]) => path)).toEqual(['/participant/connection']);
    expect(world.core.transcript.filter((item) => item.Type === 'MESSAGE').map((item) => item.Content)).toEqual(['The user wants to change a booking.']);
    expect(chat.host.methods().filter((method) => method === 'setErrorStatus')).toEqual([]);
    expect(world.pages[0].chatjs.sessions).toBe(1);
  });

  it('passes the chat\'s routing context to startChat as attributes, for the contact (issue 12 item 1)', async () => {
    const requests: unknown[] = [];
    const { chat } = chatWith({
      startChat: (request) => {
        requests.push(request);
        return settleAfter({}, () => ({ contactId: 'c' }) as never);
      },
    });
    const connect = { output: { generic: [{ response_type: 'connect_to_agent', transfer_info: { additional_data: { queue: 'billing' } } }] } };
    void chat.desk.startChat(connect, { preStartChatPayload: { plan: 'gold' } }).catch(() => undefined);
    chat.flush();
    expect(requests[0]).toEqual({ startPayload: { plan: 'gold' }, attributes: { queue: 'billing', plan: 'gold' } });
  });

  it('rejects startChat with a clear message when the middleware answers something else than the three ids', async () => {
    const { chat } = chatWith({ startChat: () => settleAfter({}, () => ({ contactId: 'c' }) as never) });
    const started = chat.start();
    chat.flush();
    const outcome = await outcomeOf(started);
    expect(outcome).toMatchObject({ state: 'rejected', error: { message: expect.stringContaining('startChat must resolve to { contactId, participantId, participantToken }') } });
  });

  it('shows contact-flow messages as queue lines, and sends a delivered receipt for each agent message', async () => {
    const { chat, world } = chatWith();
    const delivered: string[] = [];
    world.core.on('event', ({ contentType, content }) => contentType.endsWith('.delivered') && delivered.push(JSON.parse(content ?? '{}').messageId));
    void chat.start();
    chat.flush();
    chat.at(chat.scheduler.now() + 10, () => world.core.sendRaw(systemMessage(world, 'You are in the queue.')));
    chat.at(chat.scheduler.now() + 20, () => world.driver.agentJoins({ id: 'a', nickname: 'Ann' }));
    let said = '';
    chat.at(chat.scheduler.now() + 30, () => {
      said = world.driver.agentSays('Hello');
    });
    chat.flush();
    expect(chat.host.callsOf('updateAgentAvailability').map((call) => call.args[0])).toEqual([expect.objectContaining({ message: 'You are in the queue.' })]);
    expect(delivered).toEqual([said]);
  });

  it('shows an agent\'s attachments as typed rich content: a file card for a PDF, an image for a PNG (issue 12 item 2)', async () => {
    const { chat, world } = chatWith();
    void chat.start();
    chat.at(100, () => world.driver.agentJoins({ id: 'a', nickname: 'Ann' }));
    chat.at(200, () => world.driver.agentSendsFile?.('claim.pdf', 'https://files.example.invalid/claim.pdf'));
    chat.at(300, () => world.core.attach({ name: 'photo.png', type: 'image/png', data: new Uint8Array([137, 80, 78, 71]) }));
    chat.flush();
    const items = chat.host.callsOf('sendMessageToUser').flatMap((call) => (call.args[0] as { output: { generic: Record<string, unknown>[] } }).output.generic);
    expect(items).toEqual([
      { response_type: 'button', button_type: 'url', kind: 'link', url: 'https://files.example.invalid/claim.pdf', label: 'claim.pdf', target: '_blank' },
      { response_type: 'image', source: expect.any(String), title: 'photo.png', alt_text: 'photo.png' },
    ]);
  });

  it('shows a transfer through a queue as a transfer however long the queue takes, and a plain leave after the grace', async () => {
    const { chat, world } = chatWith();
    void chat.start();
    chat.at(100, () => world.core.join('Ann'));
    chat.at(200, () => world.core.transfer());
    chat.at(200 + 10 * 60_000, () => world.core.join('Bob'));
    chat.at(300 + 10 * 60_000, () => world.core.leave());
    chat.flush();
    expect(chat.log()).toEqual(['agentJoined(Ann)', 'beginTransferToAnotherAgent(Bob)', 'agentJoined(Bob)', 'agentLeftChat']);
    const left = chat.host.callsOf('agentLeftChat')[0];
    expect(left?.at).toBe(300 + 10 * 60_000 + 1 + 5_000); // the leave's arrival (1 ms of latency), then the grace
  });

  it('skips a malformed item with one warning and goes on', async () => {
    const { chat, world, warnings } = chatWith();
    void chat.start();
    chat.flush();
    chat.at(chat.scheduler.now() + 10, () => world.driver.agentJoins({ id: 'a', nickname: 'Ann' }));
    chat.at(chat.scheduler.now() + 20, () => world.driver.malformedFrame?.());
    chat.at(chat.scheduler.now() + 30, () => world.driver.agentSays('still here'));
    chat.flush();
    expect(warnings.filter(([message]) => String(message).includes('not a Connect transcript item'))).toHaveLength(1);
    expect(hostLog(chat.host).filter((line) => line.startsWith('sendMessageToUser'))).toEqual(['sendMessageToUser(still here)']);
  });

  it('answers reconnect() false with a SESSION_EXPIRED warning when the participant token died before the reload', async () => {
    const { chat, world, warnings } = chatWith();
    void chat.start();
    chat.flush();
    const reloaded = world.driver.reloadPage?.();
    if (!reloaded) throw new Error('reloadPage is part of the driver');
    world.core.expire();
    const page = chat.deskFor(reloaded, chat.host.persisted);
    const resumed = page.desk.reconnect!();
    chat.flush();
    expect(await outcomeOf(resumed)).toEqual({ state: 'resolved', value: false });
    const [, context] = warnings.find(([message]) => String(message).includes('could not resume')) ?? [];
    expect((context as { error?: { code?: string; message?: string } })?.error).toMatchObject({ code: 'SESSION_EXPIRED', message: expect.stringContaining('Start a new chat') });
    expect(world.driver.open()).toEqual({ listeners: 0, sockets: 0, timers: 0 });
  });
});

/** A contact-flow prompt as Connect pushes it: a SYSTEM message on aws/chat. */
function systemMessage(world: ReturnType<typeof connectWorld>, text: string): string {
  const item = { Id: 'flow-1', AbsoluteTime: new Date(0).toISOString(), Type: 'MESSAGE', ContentType: 'text/plain', Content: text, ParticipantRole: 'SYSTEM', DisplayName: 'SYSTEM_MESSAGE', ...world.ids() };
  return JSON.stringify({ topic: 'aws/chat', contentType: 'application/json', content: JSON.stringify(item) });
}
