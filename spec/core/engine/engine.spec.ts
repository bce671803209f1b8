/**
 * The adapter engine (lib/core/engine/engine.ts) through the real desk, on a scriptable fake port
 * (./fake-port.ts), in virtual time.
 */
import { NEVER, of, throwError, timer } from 'rxjs';
import { map } from 'rxjs/operators';
import { MEDIA_NOT_LOADED, createAdapter } from '../../../lib/core/engine/engine';
import type { AvailabilityStatus, CommonAdapterOptions } from '../../../lib/core/engine/port';
import { ServiceDeskError } from '../../../lib/core/errors';
import type { ServiceDeskOptions } from '../../../lib/core/desk';
import { CHECKLIST, hostLog } from '../../../lib/testing';
import { connectMessage, deskOn, liveTimers, virtualTime } from '../../support/virtual';
import { fakePort, keptLogger, type FakePortOptions, type FakeSession } from './fake-port';

const ann = { id: 'ann', nickname: 'Ann' };

/** A thenable that settles at once, so that an answer arrives in virtual time (a real promise settles outside it). */
function settled<T>(value: T): PromiseLike<T> {
  return { then: (onFulfilled) => settled(onFulfilled ? onFulfilled(value) : value) } as PromiseLike<T>;
}
const bob = { id: 'bob', nickname: 'Bob' };

function chat(portOptions: FakePortOptions = {}, options: CommonAdapterOptions<FakeSession> = {}, deskOptions: ServiceDeskOptions = {}, persistedState?: unknown) {
  const clock = virtualTime();
  const logger = keptLogger();
  const { port, vendor } = fakePort(portOptions);
  const adapter = createAdapter(port, options);
  const { desk, host } = deskOn(adapter, clock.scheduler, { logger, ...deskOptions }, persistedState === undefined ? {} : { persistedState });
  return { ...clock, logger, vendor, adapter, desk, host, log: () => hostLog(host) };
}

function started(portOptions?: FakePortOptions, options?: CommonAdapterOptions<FakeSession>, deskOptions?: ServiceDeskOptions) {
  const c = chat(portOptions, options, deskOptions);
  void c.desk.startChat(connectMessage());
  return c;
}

describe('engine: agent messages', () => {
  it('shows an agent message once, live or replayed by the vendor', () => {
    const c = started();
    c.vendor.emit({ type: 'agentJoined', agent: ann });
    c.vendor.say('m1', 'ann', 'hello');
    c.vendor.emit({ type: 'agentMessage', id: 'm1', agentId: 'ann', text: 'hello' });
    expect(c.log()).toEqual(['agentJoined(Ann)', 'sendMessageToUser(hello)']);
  });

  it('an agent message before its join shows a join made from the sender first; the real join later adds nothing', () => {
    const c = started();
    c.vendor.emit({ type: 'agentMessage', id: 'm1', agentId: 'ann', sender: { nickname: 'Ann' }, text: 'hello' });
    c.at(10, () => c.vendor.emit({ type: 'agentJoined', agent: ann }));
    c.flush();
    expect(c.log()).toEqual(['agentJoined(Ann)', 'sendMessageToUser(hello)']);
  });

  it('an agent message and its join in the same tick, message first: the join is shown first, once', () => {
    const c = started();
    c.vendor.emit({ type: 'agentMessage', id: 'm1', agentId: 'ann', sender: { nickname: 'Ann' }, text: 'hello' }, { type: 'agentJoined', agent: ann });
    expect(c.log()).toEqual(['agentJoined(Ann)', 'sendMessageToUser(hello)']);
  });

  it("a message that does not name its sender: the join waits for the agent's own join event (bounded), then the message", () => {
    const c = started();
    c.vendor.emit({ type: 'agentMessage', id: 'm1', agentId: 'ann', text: 'hello' });
    c.at(10, () => c.vendor.emit({ type: 'agentJoined', agent: ann }));
    c.flush();
    expect(c.log()).toEqual(['agentJoined(Ann)', 'sendMessageToUser(hello)']);
    expect(c.host.callsOf('agentJoined')[0]?.at).toBe(10);

    const never = started({}, { profileTimeoutMs: 2_000 });
    never.vendor.emit({ type: 'agentMessage', id: 'm1', agentId: 'ann', text: 'hello' });
    never.flush();
    expect(never.log()).toEqual(['agentJoined(Agent)', 'sendMessageToUser(hello)']);
    expect(never.host.callsOf('agentJoined')[0]?.at).toBe(2_000);
  });

  it('a message from a second agent who has not joined is a transfer to them', () => {
    const c = started();
    c.vendor.emit({ type: 'agentJoined', agent: ann }, { type: 'agentMessage', id: 'm1', agentId: 'bob', sender: { nickname: 'Bob' }, text: 'Bob here' });
    expect(c.log()).toEqual(['agentJoined(Ann)', 'beginTransferToAnotherAgent(Bob)', 'agentJoined(Bob)', 'sendMessageToUser(Bob here)']);
  });

  it('remembers ids in one bounded structure: 30,000 distinct messages are all shown, a recent one again is not', () => {
    const c = started();
    c.vendor.emit({ type: 'agentJoined', agent: ann });
    for (let i = 0; i < 30_000; i += 1) c.vendor.emit({ type: 'agentMessage', id: `m${i}`, agentId: 'ann', text: 't' });
    c.vendor.emit({ type: 'agentMessage', id: 'm29990', agentId: 'ann', text: 't' });
    expect(c.host.callsOf('sendMessageToUser')).toHaveLength(30_000);
  });

  it('media resolved when shown: the events after the message wait for it; media that does not load leaves a note', () => {
    const c = started({}, { mediaTimeoutMs: 1_000 });
    const file = { url: 'https://files.invalid/a.pdf', name: 'a.pdf' };
    c.vendor.emit(
      { type: 'agentJoined', agent: ann },
      { type: 'agentMessage', id: 'm1', agentId: 'ann', text: '', loadAttachments: () => timer(200, c.scheduler).pipe(map(() => [file])) },
      { type: 'agentMessage', id: 'm2', agentId: 'ann', text: 'after the file' },
      { type: 'agentMessage', id: 'm3', agentId: 'ann', text: '', loadAttachments: () => NEVER },
      { type: 'agentMessage', id: 'm4', agentId: 'ann', text: 'last' },
    );
    c.flush();
    expect(c.log()).toEqual(['agentJoined(Ann)', 'sendMessageToUser(button)', 'sendMessageToUser(after the file)', `sendMessageToUser(${MEDIA_NOT_LOADED})`, 'sendMessageToUser(last)']);
    // Loaded media is rich content: a file card here (issue 12 item 2).
    expect(c.host.callsOf('sendMessageToUser')[0]?.args[0]).toMatchObject({ output: { generic: [{ response_type: 'button', kind: 'link', url: file.url, label: 'a.pdf' }] } });
    expect(c.host.callsOf('sendMessageToUser').map((call) => call.at)).toEqual([200, 200, 1_200, 1_200]);
  });

  it('agent typing with a duration stops by itself after it, unless a message comes first', () => {
    const c = started();
    c.vendor.emit({ type: 'agentJoined', agent: ann }, { type: 'agentTyping', isTyping: true, agentId: 'ann', forMs: 5_000 });
    c.flush();
    expect(c.log()).toEqual(['agentJoined(Ann)', 'agentTyping(true)', 'agentTyping(false)']);
    expect(c.host.calls.at(-1)?.at).toBe(5_000);
  });
});

describe('engine: join, leave and transfer', () => {
  it('a new agent joining within the grace window after the last one left is a transfer; the leave is not shown', () => {
    const c = started({}, { transferGraceMs: 10_000 });
    c.vendor.emit({ type: 'agentJoined', agent: ann });
    c.at(1_000, () => c.vendor.emit({ type: 'agentLeft', agentId: 'ann' }));
    c.at(6_000, () => c.vendor.emit({ type: 'agentJoined', agent: bob }));
    c.flush();
    expect(c.log()).toEqual(['agentJoined(Ann)', 'beginTransferToAnotherAgent(Bob)', 'agentJoined(Bob)']);
  });

  it('the same agent back within the grace window shows nothing', () => {
    const c = started({}, { transferGraceMs: 10_000 });
    c.vendor.emit({ type: 'agentJoined', agent: ann });
    c.at(1_000, () => c.vendor.emit({ type: 'agentLeft', agentId: 'ann' }));
    c.at(2_000, () => c.vendor.emit({ type: 'agentJoined', agent: ann }));
    c.flush();
    expect(c.log()).toEqual(['agentJoined(Ann)']);
  });

  it('no join within the grace window: the leave is shown when it ends (or the chat ends, with endWhenAgentLeaves)', () => {
    const shown = started({}, { transferGraceMs: 10_000 });
    shown.vendor.emit({ type: 'agentJoined', agent: ann });
    shown.at(1_000, () => shown.vendor.emit({ type: 'agentLeft', agentId: 'ann' }));
    shown.flush();
    expect(shown.log()).toEqual(['agentJoined(Ann)', 'agentLeftChat']);
    expect(shown.host.calls.at(-1)?.at).toBe(11_000);

    const ends = started({}, { transferGraceMs: 10_000, endWhenAgentLeaves: true });
    ends.vendor.emit({ type: 'agentJoined', agent: ann });
    ends.at(1_000, () => ends.vendor.emit({ type: 'agentLeft', agentId: 'ann' }));
    ends.flush();
    expect(ends.log()).toEqual(['agentJoined(Ann)', 'agentEndedChat']);
  });

  it('the grace window goes on across a reconnect', () => {
    const c = started({}, { transferGraceMs: 10_000 });
    c.vendor.emit({ type: 'agentJoined', agent: ann });
    c.at(1_000, () => c.vendor.emit({ type: 'agentLeft', agentId: 'ann' }));
    c.at(2_000, () => c.vendor.drop());
    c.flush();
    expect(c.log().filter((line) => line === 'agentLeftChat')).toHaveLength(1);
    expect(c.host.callsOf('agentLeftChat')[0]?.at).toBe(11_000);
  });

  it('a member snapshot joins the agents it names and lets the missing ones leave', () => {
    const c = started();
    c.vendor.emit({ type: 'agentsPresent', agents: [ann] }, { type: 'agentsPresent', agents: [] });
    expect(c.log()).toEqual(['agentJoined(Ann)', 'agentLeftChat']);
  });

  it('the desk announcing a transfer: the leave of the agent handing over is not shown', () => {
    const c = started();
    c.vendor.emit({ type: 'agentJoined', agent: ann }, { type: 'transferStarted' }, { type: 'agentLeft', agentId: 'ann' }, { type: 'agentJoined', agent: bob });
    expect(c.log()).toEqual(['agentJoined(Ann)', 'beginTransferToAnotherAgent()', 'agentJoined(Bob)']);
  });
});

describe('engine: agent profiles', () => {
  it('looks a profile up once per agent, and the messages after the join wait for it', () => {
    const c = started({ lookupAgent: (agent, scheduler) => timer(500, scheduler).pipe(map(() => ({ nickname: agent.id === 'ann' ? 'Ann Smith' : 'Bob', avatarUrl: 'https://x/a.png' }))) }, {}, {});
    c.vendor.emit({ type: 'agentJoined', agent: { id: 'ann' } }, { type: 'agentMessage', id: 'm1', agentId: 'ann', text: 'hello' });
    expect(c.log()).toEqual([]);
    c.flush();
    expect(c.log()).toEqual(['agentJoined(Ann Smith)', 'sendMessageToUser(hello)']);
    c.vendor.emit({ type: 'agentLeft', agentId: 'ann' }, { type: 'agentJoined', agent: { id: 'ann' } });
    expect(c.vendor.lookups).toEqual(['ann']);
  });

  it('a lookup that does not answer in time: the join is shown with what is known, then the message', () => {
    const c = started({ lookupAgent: () => NEVER }, { profileTimeoutMs: 2_000 });
    c.vendor.emit({ type: 'agentMessage', id: 'm1', agentId: 'ann', sender: { nickname: 'Ann' }, text: 'hello' });
    c.flush();
    expect(c.log()).toEqual(['agentJoined(Ann)', 'sendMessageToUser(hello)']);
    expect(c.host.callsOf('agentJoined')[0]?.at).toBe(2_000);
    expect(liveTimers(c.scheduler)).toBe(0);
  });

  it('nothing known about the agent: the fallback name', () => {
    const c = started({}, { agentFallbackName: 'Support' });
    c.vendor.emit({ type: 'agentJoined', agent: { id: 'x1' } });
    expect(c.log()).toEqual(['agentJoined(Support)']);
  });
});

describe('engine: gap fill after a reconnect', () => {
  it('pages history back to the last message shown and shows what was missed, once, in order', () => {
    const c = started({}, { historyPageSize: 10 });
    c.vendor.emit({ type: 'agentJoined', agent: ann });
    for (let i = 1; i <= 3; i += 1) c.vendor.say(`m${i}`, 'ann', `text ${i}`);
    c.vendor.drop();
    // While the connection is down the agent writes 37 more messages.
    for (let i = 4; i <= 40; i += 1) c.vendor.history.push({ type: 'agentMessage', id: `m${i}`, agentId: 'ann', text: `text ${i}` });
    c.flush();
    const texts = c.log().filter((line) => line.startsWith('sendMessageToUser'));
    expect(texts).toEqual(Array.from({ length: 40 }, (_, i) => `sendMessageToUser(text ${i + 1})`));
    expect(c.vendor.historyReads).toEqual([undefined, 30, 20, 10]);
  });

  it('live events wait for the gap fill: the missed messages come first', () => {
    const c = started();
    c.vendor.emit({ type: 'agentJoined', agent: ann });
    c.vendor.say('m1', 'ann', 'one');
    c.vendor.historyDelayMs = 100;
    c.vendor.drop();
    c.vendor.history.push({ type: 'agentMessage', id: 'm2', agentId: 'ann', text: 'two' });
    // The session reconnects after 500 ms (backoff without jitter); the history read then takes 100 ms.
    c.at(550, () => c.vendor.say('live', 'ann', 'live'));
    c.flush();
    expect(c.log().filter((line) => line.startsWith('sendMessageToUser'))).toEqual(['sendMessageToUser(one)', 'sendMessageToUser(two)', 'sendMessageToUser(live)']);
    expect(c.host.callsOf('sendMessageToUser').at(-1)?.at).toBe(600);
  });

  it('a gap longer than historyMaxPages: the newest pages are shown, and a warning logged', () => {
    const c = started({}, { historyPageSize: 5, historyMaxPages: 2 });
    c.vendor.emit({ type: 'agentJoined', agent: ann });
    c.vendor.say('m0', 'ann', 'zero');
    c.vendor.drop();
    for (let i = 1; i <= 20; i += 1) c.vendor.history.push({ type: 'agentMessage', id: `m${i}`, agentId: 'ann', text: `t${i}` });
    c.flush();
    expect(c.log().filter((line) => line.startsWith('sendMessageToUser'))).toEqual(['sendMessageToUser(zero)', ...Array.from({ length: 10 }, (_, i) => `sendMessageToUser(t${i + 11})`)]);
    expect(c.logger.warnings.some((line) => line.includes('longer than the history read'))).toBe(true);
  });

  it('a history read that fails or hangs: the chat goes on without it', () => {
    const c = started({}, { historyTimeoutMs: 1_000 });
    c.vendor.emit({ type: 'agentJoined', agent: ann });
    c.vendor.say('m1', 'ann', 'before');
    c.vendor.historyHangs = true;
    c.vendor.drop();
    c.flush();
    c.vendor.say('m9', 'ann', 'after');
    expect(c.log().at(-1)).toBe('sendMessageToUser(after)');
    expect(c.vendor.historyReads).toHaveLength(1);
    expect(c.logger.warnings.some((line) => line.includes('could not read the messages missed'))).toBe(true);
  });

  it('after an SDK-level restore (connectionRestored) too', () => {
    const c = started();
    c.vendor.emit({ type: 'agentJoined', agent: ann });
    c.vendor.say('m1', 'ann', 'one');
    c.vendor.emit({ type: 'connectionLost' });
    c.vendor.history.push({ type: 'agentMessage', id: 'm2', agentId: 'ann', text: 'two' });
    c.vendor.emit({ type: 'connectionRestored' });
    expect(c.log()).toEqual([
      'agentJoined(Ann)',
      'sendMessageToUser(one)',
      ...CHECKLIST.reconnect(),
      'sendMessageToUser(two)',
    ]);
  });
});

describe('engine: exactly-once sends', () => {
  it('a send whose answer was lost is not sent again when history has it', async () => {
    const c = started({}, {}, { sendTimeoutMs: 1_000 });
    c.vendor.loseAnswers = 1;
    const sent = c.desk.sendMessageToAgent({ input: { text: 'hello' } }, 'u1');
    c.flush();
    await expect(sent).resolves.toBeUndefined();
    expect(c.vendor.received).toEqual(['u1']);
  });

  it('a send whose answer was lost is sent again when history does not have it', async () => {
    const c = started({}, {}, { sendTimeoutMs: 1_000 });
    c.vendor.loseAnswers = 1;
    const sent = c.desk.sendMessageToAgent({ input: { text: 'hello' } }, 'u1');
    c.vendor.history.length = 0;
    c.flush();
    await expect(sent).resolves.toBeUndefined();
    expect(c.vendor.received).toEqual(['u1', 'u1']);
  });

  it('an id the vendor echoed is never sent', async () => {
    const c = started();
    c.vendor.emit({ type: 'userMessageSeen', messageId: 'u1' });
    const sent = c.desk.sendMessageToAgent({ input: { text: 'hello' } }, 'u1');
    c.flush();
    await expect(sent).resolves.toBeUndefined();
    expect(c.vendor.received).toEqual([]);
  });
});

describe('engine: capabilities', () => {
  it("the options' capabilities win over what the port reports on each connection", () => {
    const reported = { type: 'capabilities', capabilities: { allowFileUploads: true, allowedFileUploadTypes: 'image/*' } } as const;
    const c = started({ onConnect: () => [{ type: 'connected' }, reported] }, { capabilities: { allowFileUploads: false } });
    c.vendor.drop();
    c.flush();
    expect(c.vendor.connects).toHaveLength(2);
    const calls = c.host.callsOf('updateCapabilities').map((call) => call.args[0]);
    expect(calls.length).toBeGreaterThan(1);
    for (const capabilities of calls) expect(capabilities).toMatchObject({ allowFileUploads: false });
    expect(calls.at(-1)).toMatchObject({ allowedFileUploadTypes: 'image/*' });
  });

  it('without the option, what the port reports is passed on', () => {
    const c = started({ onConnect: () => [{ type: 'connected' }, { type: 'capabilities', capabilities: { allowFileUploads: true, allowedFileUploadTypes: 'image/*' } }] });
    expect(c.host.callsOf('updateCapabilities').at(-1)?.args[0]).toMatchObject({ allowFileUploads: true, allowedFileUploadTypes: 'image/*' });
  });
});

describe('engine: queue polling', () => {
  it('polls checkAvailability while queued and stops when the first agent joins', () => {
    const answers: AvailabilityStatus[] = [{ position: 3, waitMinutes: 3 }, { position: 2, waitMinutes: 2 }, { position: 1, waitMinutes: 1 }];
    let asked = 0;
    const c = started({}, { queuePollMs: 1_000, checkAvailability: () => settled(answers[asked++]) });
    c.at(2_500, () => c.vendor.emit({ type: 'agentJoined', agent: ann }));
    c.flush();
    expect(asked).toBe(3);
    expect(c.log()).toEqual([
      'updateAgentAvailability({"message":"You are number 3 in line. The wait is about 3 minutes."})',
      'updateAgentAvailability({"message":"You are number 2 in line. The wait is about 2 minutes."})',
      'updateAgentAvailability({"message":"You are number 1 in line. The wait is about 1 minute."})',
      'agentJoined(Ann)',
    ]);
    expect(liveTimers(c.scheduler)).toBe(0);
  });

  it('stops polling when the chat ends before any agent joined', () => {
    let asked = 0;
    const c = started({}, { queuePollMs: 1_000, checkAvailability: () => settled({ position: ++asked }) });
    c.at(1_500, () => c.vendor.emit({ type: 'chatEnded' }));
    c.flush();
    expect(asked).toBe(2);
    expect(liveTimers(c.scheduler)).toBe(0);
  });

  it('answers areAnyAgentsOnline from checkAvailability', async () => {
    const c = chat({}, { checkAvailability: ({ phase }) => Promise.resolve(phase === 'beforeChat' ? { online: false } : null) });
    await expect(c.desk.areAnyAgentsOnline(connectMessage())).resolves.toBe(false);
  });
});

describe('engine: saved state', () => {
  it('persists only when the state changes: the session state, then each new message shown', () => {
    const c = started();
    c.vendor.emit({ type: 'sessionState', state: { token: 'tok-1' } }, { type: 'agentJoined', agent: ann });
    c.vendor.say('m1', 'ann', 'hello');
    c.vendor.emit({ type: 'agentMessage', id: 'm1', agentId: 'ann', text: 'hello' });
    const saved = c.host.callsOf('updatePersistedState').filter((call) => 'resume' in (call.args[0] as object));
    expect(saved.map((call) => call.args[0])).toEqual([{ resume: { v: 1, session: { token: 'tok-1' } } }, { resume: { v: 1, session: { token: 'tok-1' }, last: { id: 'm1' } } }]);
  });

  it('resumes after a page reload: connects with the saved session and fills the gap from the last message shown', async () => {
    const c = chat({}, {}, {}, { resume: { v: 1, session: { token: 'tok-9' }, last: { id: 'm1' } }, agent: ann });
    c.vendor.history.push({ type: 'agentMessage', id: 'm1', agentId: 'ann', text: 'one' }, { type: 'agentMessage', id: 'm2', agentId: 'ann', text: 'two' });
    const resumed = c.desk.reconnect!();
    c.flush();
    await expect(resumed).resolves.toBe(true);
    expect(c.vendor.connects).toEqual([{ token: 'tok-9' }]);
    expect(c.log()).toEqual(['sendMessageToUser(two)']);
  });

  it.each([
    ['unversioned', { token: 'tok-9' }],
    ['another version', { v: 2, session: { token: 'tok-9' } }],
    ['a session the port refuses', { v: 1, session: { token: '' } }],
  ])('bad saved state (%s): reconnect() answers false and nothing connects', async (_what, resume) => {
    const c = chat({}, {}, {}, { resume });
    await expect(c.desk.reconnect!()).resolves.toBe(false);
    expect(c.vendor.connects).toEqual([]);
  });
});

describe('engine: tokens', () => {
  it('refreshes the token when the vendor asks', () => {
    const c = started({ refreshToken: () => of(true) });
    c.vendor.emit({ type: 'tokenExpiring' });
    c.flush();
    expect(c.vendor.refreshes).toBe(1);
    expect(c.log()).toEqual([]);
  });

  it('a port that cannot refresh a token reconnects to get a fresh one', () => {
    const c = started();
    c.vendor.emit({ type: 'agentJoined', agent: ann }, { type: 'tokenExpiring' });
    c.flush();
    expect(c.vendor.connects).toEqual([undefined, { token: 'tok-1' }]);
    expect(c.log()).toEqual(['agentJoined(Ann)', ...CHECKLIST.reconnect()]);
  });

  it('a refresh that never answers is a failed refresh: the chat ends within the retry budget', () => {
    const c = started({ refreshToken: () => NEVER }, { tokenTimeoutMs: 1_000, tokenRetries: 1 });
    c.vendor.emit({ type: 'agentJoined', agent: ann }, { type: 'tokenExpiring' });
    c.flush();
    expect(c.vendor.refreshes).toBe(2);
    expect(c.log().at(-1)).toBe('agentEndedChat');
    expect(c.scheduler.now()).toBeLessThan(5_000);
  });

  it('a refresh that fails for good ends the chat at once', () => {
    const c = started({ refreshToken: () => throwError(() => new ServiceDeskError('AUTH_FAILED', 'denied')) });
    c.vendor.emit({ type: 'agentJoined', agent: ann }, { type: 'tokenExpiring' });
    c.flush();
    expect(c.vendor.refreshes).toBe(1);
    expect(c.log().at(-1)).toBe('agentEndedChat');
  });

  it('the vendor asking again and again without the connection coming back ends the chat', () => {
    const c = started({ refreshToken: () => of(true) }, { tokenRetries: 2 });
    c.vendor.emit({ type: 'agentJoined', agent: ann });
    c.at(100, () => c.vendor.emit({ type: 'tokenExpiring' }));
    c.at(200, () => c.vendor.emit({ type: 'tokenExpiring' }));
    c.at(300, () => c.vendor.emit({ type: 'tokenExpiring' }));
    c.flush();
    expect(c.vendor.refreshes).toBe(2);
    expect(c.log().at(-1)).toBe('agentEndedChat');
  });
});

describe('engine: ending', () => {
  it('the user ends: leaves politely (endAction leave), and nothing is left open', async () => {
    const c = started();
    c.vendor.emit({ type: 'agentJoined', agent: ann });
    const ended = c.desk.endChat();
    c.flush();
    await ended;
    expect(c.vendor.left).toBe(true);
    expect(c.vendor.live).toBeUndefined();
    expect(liveTimers(c.scheduler)).toBe(0);
  });

  it("endAction 'close' only closes the connection", async () => {
    const c = started({}, { endAction: 'close' });
    const ended = c.desk.endChat();
    c.flush();
    await ended;
    expect(c.vendor.left).toBe(false);
    expect(c.vendor.closed).toBe(1);
  });
});
