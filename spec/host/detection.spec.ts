/**
 * The host matrix: watsonx web chat 7.x, a watsonx 8.x-like host, Carbon AI Chat 0.x (the open-source fork of web
 * chat) and Carbon AI Chat 1.x, each a typed fake of what the desk can see (the chat instance and the callback).
 */
import type { ChatInstance } from '@carbon/ai-chat';
import { NEVER, concat, of, throwError } from 'rxjs';
import { createServiceDesk } from '../../lib/core/desk';
import { ServiceDeskError } from '../../lib/core/errors';
import { detectHost, dialectFor } from '../../lib/host/dialect';
import type { HostCallback } from '../../lib/host/types';
import type { ServiceDeskAdapter } from '../../lib/core/adapter';
import type { ServiceDeskOptions } from '../../lib/core/desk';
import { ev, recordingCallback, scriptedAdapter, type RecordingCallbackOptions } from '../../lib/testing';
import { connectMessage, virtualTime } from '../support/virtual';

/** What watsonx web chat 7.x / 8.x and Carbon AI Chat 0.x expose on their instance (Carbon 1.x has no such method). */
interface WidgetVersionInstance {
  getWidgetVersion(): string;
}

const watsonx7: WidgetVersionInstance = { getWidgetVersion: () => '7.4.0' };
const watsonx8: WidgetVersionInstance = { getWidgetVersion: () => '8.0.0' };
const carbon0: WidgetVersionInstance = { getWidgetVersion: () => '0.3.3' };
/** Carbon AI Chat 1.x's instance has no `getWidgetVersion`: this line stops compiling if it gains one. */
const carbon1HasNoWidgetVersion: 'getWidgetVersion' extends keyof ChatInstance ? false : true = true;
const carbon1 = { getState: () => ({}) } as unknown as Pick<ChatInstance, 'getState'>;

const hosts = [
  { name: 'watsonx web chat 7.x', instance: watsonx7, host: { host: 'watsonx' }, kind: 'watsonx', persists: false },
  { name: 'watsonx web chat 8.x-like', instance: watsonx8, host: { host: 'watsonx', persists: true }, kind: 'watsonx', persists: true },
  { name: 'Carbon AI Chat 0.x', instance: carbon0, host: { host: 'watsonx', persists: true }, kind: 'watsonx', persists: true },
  { name: 'Carbon AI Chat 1.x', instance: carbon1, host: { host: 'carbon' }, kind: 'carbon', persists: true },
] as const;

/** A desk the way the host builds it (with its instance), on a recording host in virtual time. */
function hostDesk(adapter: ServiceDeskAdapter, instance: unknown, hostOptions: RecordingCallbackOptions, options: ServiceDeskOptions = {}) {
  const { scheduler, flush } = virtualTime();
  const host = recordingCallback({ ...hostOptions, scheduler });
  const desk = createServiceDesk(adapter, { callback: host.callback, instance }, { scheduler, random: () => 0, ...options });
  return { desk, host, flush };
}

const ann = { id: 'a1', nickname: 'Ann' };

describe('host detection', () => {
  it.each(hosts)('$name is detected from its instance and callback', ({ instance, host, kind, persists }) => {
    const { callback } = recordingCallback(host);
    expect(detectHost(callback, instance)).toBe(kind);
    expect(dialectFor(kind, callback).persistsState).toBe(persists);
  });

  it('Carbon 1.x instances have no getWidgetVersion (checked against its types)', () => {
    expect(carbon1HasNoWidgetVersion).toBe(true);
  });

  it('without an instance the callback decides (persisted state: Carbon 1.x)', () => {
    expect(detectHost(recordingCallback({ host: 'carbon' }).callback)).toBe('carbon');
    expect(detectHost(recordingCallback({ host: 'watsonx' }).callback)).toBe('watsonx');
    expect(detectHost({} as HostCallback, { getWidgetVersion: 'not a function' })).toBe('watsonx');
  });

  it.each(hosts)('$name gets its availability dialect and persisted state', ({ instance, host: hostOptions, kind, persists }) => {
    const adapter = scriptedAdapter({ events: () => concat(of(ev.connected(), ev.queue(2), ev.queue(undefined, 3), ev.queue(2, 3), ev.joined(ann)), NEVER) });
    const { desk, host, flush } = hostDesk(adapter, instance, hostOptions);
    void desk.startChat(connectMessage());
    flush();
    const availability = host.callsOf('updateAgentAvailability').map((call) => call.args[0]);
    const both = { message: 'You are number 2 in line. The wait is about 3 minutes.' };
    expect(availability).toEqual(kind === 'carbon' ? [{ positionInQueue: 2 }, { estimatedWaitTime: 3 }, both] : [{ position_in_queue: 2 }, { estimated_wait_time: 3 }, both]);
    expect(host.callsOf('updatePersistedState').length > 0).toBe(persists);
    void desk.endChat();
    flush();
  });

  it('an explicit host option wins over detection', () => {
    const adapter = scriptedAdapter({ events: () => concat(of(ev.connected(), ev.queue(4)), NEVER) });
    const { desk, host, flush } = hostDesk(adapter, carbon0, { host: 'watsonx', persists: true }, { host: 'carbon' });
    void desk.startChat(connectMessage());
    flush();
    expect(host.callsOf('updateAgentAvailability')[0]?.args[0]).toEqual({ positionInQueue: 4 });
  });
});

describe('a failed user message on each host', () => {
  const failing = () =>
    scriptedAdapter({
      events: () => concat(of(ev.connected(), ev.joined(ann)), NEVER),
      send: () => throwError(() => new ServiceDeskError('SEND_FAILED', 'refused', { retryable: false })),
    });

  it('Carbon 1.x marks the message (USER_MESSAGE)', async () => {
    const { desk, host, flush } = hostDesk(failing(), carbon1, { host: 'carbon' });
    void desk.startChat(connectMessage());
    flush();
    const sent = desk.sendMessageToAgent({ input: { text: 'hello' } }, 'm1');
    flush();
    await expect(sent).rejects.toThrow('refused');
    expect(host.callsOf('setErrorStatus').map((call) => call.args[0])).toEqual([{ type: 3, messageID: 'm1', logInfo: 'refused' }]);
  });

  it('watsonx-dialect hosts, which know no USER_MESSAGE, are told with a notice instead', async () => {
    const { desk, host, flush } = hostDesk(failing(), carbon0, { host: 'watsonx', persists: true });
    void desk.startChat(connectMessage());
    flush();
    const sent = desk.sendMessageToAgent({ input: { text: 'hello' } }, 'm1');
    flush();
    await expect(sent).rejects.toThrow('refused');
    expect(host.callsOf('setErrorStatus')).toEqual([]);
    const notice = host.callsOf('sendMessageToUser').at(-1)?.args[0] as { output: { generic: { text: string }[] } };
    expect(notice.output.generic[0]?.text).toMatch(/could not be delivered/);
  });
});

describe('a user message while no chat runs (the host lost track, e.g. a reload it could not resume)', () => {
  it.each([
    { name: 'Carbon 1.x', instance: carbon1, options: { host: 'carbon' } as const, expected: ['setErrorStatus', 'sendMessageToUser', 'agentEndedChat'] },
    { name: 'Carbon 0.x', instance: carbon0, options: { host: 'watsonx', persists: true } as const, expected: ['sendMessageToUser', 'agentEndedChat'] },
  ])('$name: the message is refused with a reason and the user goes back to the assistant', async ({ instance, options, expected }) => {
    const { desk, host, flush } = hostDesk(scriptedAdapter({ events: () => NEVER }), instance, options);
    const sent = desk.sendMessageToAgent({ input: { text: 'still there?' } }, 'm9');
    flush();
    await expect(sent).rejects.toThrow(/No chat with an agent is running/);
    expect(host.methods()).toEqual(expected);
    const notice = host.callsOf('sendMessageToUser')[0]?.args[0] as { output: { generic: { text: string }[] } };
    expect(notice.output.generic[0]?.text).toMatch(/no longer running/);
  });
});
