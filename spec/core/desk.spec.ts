import { createServiceDesk, type ServiceDeskOptions } from '../../lib/core/desk';
import type { SchedulerLike } from 'rxjs';
import type { ServiceDeskAdapter } from '../../lib/core/adapter';
import type { RecordingCallback } from '../../lib/testing';

import { NEVER, Subject, concat, defer, of, throwError, timer, type Observable } from 'rxjs';
import { map } from 'rxjs/operators';
import { marbles } from 'rxjs-marbles/jest';
import { ServiceDeskError } from '../../lib/core/errors';
import type { DomainEvent } from '../../lib/core/events';
import { CHECKLIST, ev, hostLog, recordingCallback, scriptedAdapter, settleAfter } from '../../lib/testing';
import { DEFAULT_TEXTS } from '../../lib/core/host-calls';
import { connectMessage, deskOn, virtualTime } from '../support/virtual';

const ann = { id: 'a1', nickname: 'Ann' };
const bob = { id: 'b1', nickname: 'Bob' };
const retry = { maxRetries: 3, initialDelayMs: 100, factor: 2, maxDelayMs: 1000, jitter: 0.5 };
const drop = () => new ServiceDeskError('CONNECTION_LOST', 'socket closed', { retryable: true });

describe('createServiceDesk: connecting', () => {
  it('startChat resolves once the vendor session is connected, and passes the summary for the agent', async () => {
    const { scheduler, flush } = virtualTime();
    const adapter = scriptedAdapter({ events: () => timer(50, scheduler).pipe(map(() => ev.connected())) });
    const { desk } = deskOn(adapter, scheduler);
    const message = {
      output: {
        generic: [
          {
            response_type: 'connect_to_agent',
            message_to_human_agent: 'Wants a refund',
            transfer_info: { summary_message_to_agent: [{ response_type: 'text', text: 'Order 42' }, { text: ' ' }, { text: 'Wants a refund' }], additional_data: { queue: 'billing' } },
          },
        ],
      },
    };
    const started = desk.startChat(message, { preStartChatPayload: { vip: true } });
    flush();
    await expect(started).resolves.toBeUndefined();
    expect(adapter.requests[0]).toMatchObject({ summary: ['Wants a refund', 'Order 42'], transferInfo: { additional_data: { queue: 'billing' } }, startPayload: { vip: true } });
  });

  it('the routing and pre-chat context reaches the adapter: additional_data, the pre-chat payload, userID and locale', () => {
    const { scheduler, flush } = virtualTime();
    const adapter = scriptedAdapter({ events: () => concat(of(ev.connected()), NEVER) });
    const { desk } = deskOn(adapter, scheduler);
    desk.updateState({ userID: 'u-7', locale: 'de' });
    const message = { output: { generic: [{ response_type: 'connect_to_agent', transfer_info: { additional_data: { queue: 'billing' } } }] } };
    void desk.startChat(message, { preStartChatPayload: { plan: 'gold', queue: 'user-picked', vip: true } });
    flush();
    expect(adapter.requests[0]?.context).toEqual({
      attributes: { queue: 'billing', plan: 'gold', vip: 'true' },
      preChat: { plan: 'gold', queue: 'user-picked', vip: true },
      userId: 'u-7',
      locale: 'de',
    });
  });

  it('watsonx web chat: agentAppInfo is the pre-chat payload', () => {
    const { scheduler, flush } = virtualTime();
    const adapter = scriptedAdapter({ events: () => concat(of(ev.connected()), NEVER) });
    void deskOn(adapter, scheduler, { host: 'watsonx' }).desk.startChat(connectMessage(), { agentAppInfo: { sessionHistoryKey: 'k-1' } });
    flush();
    expect(adapter.requests[0]?.context).toEqual({ attributes: { sessionHistoryKey: 'k-1' }, preChat: { sessionHistoryKey: 'k-1' } });
  });

  it('retries with bounded exponential backoff and jitter, then rejects with a clear error', async () => {
    const { scheduler, flush } = virtualTime();
    const times: number[] = [];
    const adapter = scriptedAdapter({
      events: () => defer(() => {
        times.push(scheduler.now());
        return throwError(() => new Error('ECONNREFUSED'));
      }),
    });
    const { desk, host } = deskOn(adapter, scheduler, { retry, random: () => 1 });
    const started = desk.startChat(connectMessage());
    flush();
    // Delays 100, 200, 400 with the full jitter taken off (random() = 1 -> half of each delay).
    expect(times).toEqual([0, 50, 150, 350]);
    await expect(started).rejects.toMatchObject({ name: 'ServiceDeskError', code: 'CONNECT_FAILED', message: 'Could not connect to scripted desk. (ECONNREFUSED)' });
    // Carbon reports the rejection itself; the desk does not add a CONNECTING error of its own.
    expect(hostLog(host)).toEqual([]);
    expect(adapter.live).toBe(0);
  });

  it('a vendor that never answers times out each attempt', async () => {
    const { scheduler, flush } = virtualTime();
    const adapter = scriptedAdapter({ events: () => NEVER });
    const { desk } = deskOn(adapter, scheduler, { retry: { ...retry, maxRetries: 1 }, connectTimeoutMs: 1000 });
    const started = desk.startChat(connectMessage());
    flush();
    await expect(started).rejects.toMatchObject({ code: 'CONNECT_TIMEOUT', message: 'scripted desk did not answer within 1000 ms.' });
    expect(adapter.attempts).toBe(2);
    expect(scheduler.now()).toBe(2100);
  });

  it('a non-retryable error is not retried', async () => {
    const { scheduler, flush } = virtualTime();
    const adapter = scriptedAdapter({ events: () => throwError(() => new ServiceDeskError('AUTH_FAILED', 'The token was rejected: sign in again.')) });
    const { desk } = deskOn(adapter, scheduler, { retry });
    const started = desk.startChat(connectMessage());
    flush();
    await expect(started).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect(adapter.attempts).toBe(1);
  });

  it('an adapter that throws in open fails the start with a CONFIG error', async () => {
    const { scheduler, flush } = virtualTime();
    const adapter = { name: 'broken', open: () => { throw new Error('missing deploymentId'); } };
    const { desk } = deskOn(adapter, scheduler);
    const started = desk.startChat(connectMessage());
    flush();
    await expect(started).rejects.toMatchObject({ code: 'CONFIG', message: 'broken could not open a session. (missing deploymentId)' });
  });

  it('sends the adapter capabilities to the host at the start', () => {
    const { scheduler, flush } = virtualTime();
    const adapter = scriptedAdapter({ events: () => of(ev.connected()), capabilities: { allowFileUploads: true, allowMultipleFileUploads: false, allowedFileUploadTypes: 'image/*', maxFileSizeBytes: 10 } });
    const { desk, host } = deskOn(adapter, scheduler);
    void desk.startChat(connectMessage());
    flush();
    expect(host.callsOf('updateCapabilities')[0]?.args).toEqual([{ allowFileUploads: true, allowMultipleFileUploads: false, allowedFileUploadTypes: 'image/*' }]);
  });
});

describe('createServiceDesk: connection loss', () => {
  it('after the join: "Connection lost. Reconnecting..." as a status line (not an agent message), retries, then "Connection restored."', marbles((m) => {
    const attempts = [
      // prettier-ignore
      m.cold('c-a--#', { c: ev.connected(), a: ev.joined(ann) }, drop()),
      m.cold('---#', {}, drop()),
      m.cold('c-a-m', { c: ev.connected(true), a: ev.joined(ann), m: ev.message('m1', 'back') }),
    ];
    const adapter = scriptedAdapter({ events: (_request, attempt) => attempts[attempt - 1] as Observable<DomainEvent> });
    const host = recordingCallback({ host: 'carbon', scheduler: m.scheduler });
    const { desk } = deskOnRecorder(adapter, host, m.scheduler, { retry });
    void desk.startChat(connectMessage());
    m.flush();
    expect(hostLog(host)).toEqual(['agentJoined(Ann)', 'notice(Connection lost. Reconnecting...)', 'notice(Connection restored.)', 'sendMessageToUser(back)']);
    const notices = host.callsOf('sendMessageToUser').slice(0, 2).map((call) => call.args[0] as { output: { generic: { agent_message_type?: string }[] } });
    expect(notices.map((notice) => notice.output.generic[0]?.agent_message_type)).toEqual(['system', 'system']);
    expect(host.callsOf('setErrorStatus')).toEqual([]);
    // Lost at 5; retry 1 after 100 ms fails at 108; retry 2 after 200 ms connects at 308.
    expect(host.callsOf('sendMessageToUser').slice(0, 2).map((call) => call.at)).toEqual([5, 308]);
  }));

  it('while waiting for an agent, a loss is silent, and a loss that cannot be repaired is a CONNECTING error', () => {
    const { scheduler, flush } = virtualTime();
    const adapter = scriptedAdapter({
      events: (_request, attempt) => (attempt === 1 ? concat(of(ev.connected(), ev.queue(3)), timer(10, scheduler).pipe(map(() => { throw drop(); }))) : throwError(drop)),
    });
    const { desk, host } = deskOn(adapter, scheduler, { retry });
    void desk.startChat(connectMessage());
    flush();
    expect(hostLog(host)).toEqual([
      'updateAgentAvailability({"positionInQueue":3})',
      'setErrorStatus({"type":1,"messageToUser":"We could not connect you to an agent. Please try again in a moment.","logInfo":{"name":"ServiceDeskError","code":"CONNECTION_LOST","message":"socket closed"}})',
    ]);
  });

  it('after the join, a loss that cannot be repaired ends the chat cleanly: a notice, agentEndedChat', () => {
    const { scheduler, flush } = virtualTime();
    const adapter = scriptedAdapter({
      events: (_request, attempt) => (attempt === 1 ? concat(of(ev.connected(), ev.joined(ann)), throwError(drop)) : throwError(drop)),
    });
    const { desk, host } = deskOn(adapter, scheduler, { retry });
    void desk.startChat(connectMessage());
    flush();
    expect(hostLog(host)).toEqual([
      'agentJoined(Ann)',
      'notice(Connection lost. Reconnecting...)',
      'notice(The connection to the agent was lost and the chat has ended. You can ask for an agent again.)',
      'agentEndedChat',
    ]);
    expect(adapter.live).toBe(0);
  });
});

describe('createServiceDesk: texts the library shows (the texts option)', () => {
  const lostForGood = (options: ServiceDeskOptions) => {
    const { scheduler, flush } = virtualTime();
    const adapter = scriptedAdapter({
      events: (_request, attempt) => (attempt === 1 ? concat(of(ev.connected(), ev.joined(ann)), throwError(drop)) : throwError(drop)),
    });
    const { desk, host } = deskOn(adapter, scheduler, { retry, ...options });
    void desk.startChat(connectMessage());
    flush();
    return hostLog(host);
  };

  it('every text of ours can be given in another language (French here)', () => {
    const french = {
      connectionLost: 'Connexion perdue. Reconnexion...',
      connectionEnded: "La connexion avec l'agent est perdue et la discussion est terminée.",
    };
    expect(lostForGood({ texts: french })).toEqual(['agentJoined(Ann)', `notice(${french.connectionLost})`, `notice(${french.connectionEnded})`, 'agentEndedChat']);
    const keys: (keyof typeof DEFAULT_TEXTS)[] = ['connectionLost', 'connectionRestored', 'connectionEnded', 'couldNotConnect', 'messageNotDelivered', 'noChatRunning', 'queueStatus'];
    expect(Object.keys(DEFAULT_TEXTS).sort()).toEqual([...keys].sort());
  });

  it('an empty connectionLost leaves the loss to the host: its own DISCONNECTED status (read-only input), lifted before the end', () => {
    expect(lostForGood({ texts: { connectionLost: '' } })).toEqual([
      'agentJoined(Ann)',
      'setErrorStatus({"type":2,"isDisconnected":true})',
      'setErrorStatus({"type":2,"isDisconnected":false})',
      'notice(The connection to the agent was lost and the chat has ended. You can ask for an agent again.)',
      'agentEndedChat',
    ]);
  });
});

describe('createServiceDesk: user messages', () => {
  it('holds messages while disconnected and sends them in order, once each, when the connection is back', async () => {
    const { scheduler, at, flush } = virtualTime();
    const vendor = new Subject<DomainEvent>();
    const adapter = scriptedAdapter({ events: () => vendor });
    const { desk, host } = deskOn(adapter, scheduler);
    void desk.startChat(connectMessage());
    const sent: Promise<void>[] = [];
    at(1, () => vendor.next(ev.connected()));
    at(2, () => vendor.next(ev.joined(ann)));
    at(3, () => sent.push(desk.sendMessageToAgent({ input: { text: 'one' } }, 'u1')));
    at(4, () => vendor.next(ev.lost()));
    at(5, () => sent.push(desk.sendMessageToAgent({ input: { text: 'two' } }, 'u2')));
    at(6, () => sent.push(desk.sendMessageToAgent({ input: { text: 'three' } }, 'u3')));
    at(7, () => expect(adapter.sent.map((message) => message.text)).toEqual(['one']));
    at(50, () => vendor.next(ev.restored()));
    flush();
    await Promise.all(sent);
    expect(adapter.sent.map((message) => `${message.id}:${message.text}`)).toEqual(['u1:one', 'u2:two', 'u3:three']);
    expect(hostLog(host)).toEqual(['agentJoined(Ann)', ...CHECKLIST.reconnect()]);
  });

  it('retries a retryable send failure, and reports a final failure as USER_MESSAGE for that message id', async () => {
    const { scheduler, flush } = virtualTime();
    const adapter = scriptedAdapter({
      events: () => concat(of(ev.connected(), ev.joined(ann)), NEVER),
      send: (message, attempt) => {
        if (message.text === 'flaky' && attempt < 3) return throwError(() => new Error('timeout'));
        if (message.text === 'refused') return throwError(() => new ServiceDeskError('SEND_FAILED', 'Message too long.'));
        return of(true);
      },
    });
    const { desk, host } = deskOn(adapter, scheduler);
    void desk.startChat(connectMessage());
    const flaky = desk.sendMessageToAgent({ input: { text: 'flaky' } }, 'u1');
    const refused = desk.sendMessageToAgent({ input: { text: 'refused' } }, 'u2');
    const after = desk.sendMessageToAgent({ input: { text: 'after' } }, 'u3');
    flush();
    await expect(flaky).resolves.toBeUndefined();
    await expect(refused).rejects.toMatchObject({ code: 'SEND_FAILED', message: 'Message too long.' });
    await expect(after).resolves.toBeUndefined();
    expect(adapter.sent.map((message) => message.text)).toEqual(['flaky', 'after']);
    expect(hostLog(host)).toEqual(['agentJoined(Ann)', 'setErrorStatus({"type":3,"messageID":"u2","logInfo":"Message too long."})']);
  });

  it('a send the vendor never answers times out and counts as failed after the retries', async () => {
    const { scheduler, flush } = virtualTime();
    const adapter = scriptedAdapter({ events: () => concat(of(ev.connected()), NEVER), send: () => NEVER });
    const { desk, host } = deskOn(adapter, scheduler, { sendTimeoutMs: 1000, sendRetries: 1 });
    void desk.startChat(connectMessage());
    const sent = desk.sendMessageToAgent({ input: { text: 'hello' } }, 'u1');
    flush();
    await expect(sent).rejects.toMatchObject({ code: 'SEND_FAILED', message: 'sending a message: no answer within 1000 ms.' });
    expect(hostLog(host)).toEqual(['setErrorStatus({"type":3,"messageID":"u1","logInfo":"sending a message: no answer within 1000 ms."})']);
  });

  it('rejects a message when no chat is running', async () => {
    const { scheduler } = virtualTime();
    const { desk } = deskOn(scriptedAdapter({ events: () => NEVER }), scheduler);
    await expect(desk.sendMessageToAgent({ input: { text: 'hi' } }, 'u1')).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
  });

  it('uploads files after the text and reports each file: sent, failed, or not supported', async () => {
    const { scheduler, flush } = virtualTime();
    const file = (name: string) => Object.assign(new Blob(['data'], { type: 'application/pdf' }), { name });
    const adapter = scriptedAdapter({
      events: () => concat(of(ev.connected()), NEVER),
      sendFile: (upload) => (upload.name === 'bad.pdf' ? throwError(() => new ServiceDeskError('UPLOAD_FAILED', 'scanner refused it')) : of(true)),
    });
    const { desk, host } = deskOn(adapter, scheduler);
    void desk.startChat(connectMessage());
    void desk.sendMessageToAgent({ input: { text: 'two files' } }, 'u1', { filesToUpload: [{ id: 'f1', file: file('ok.pdf') }, { id: 'f2', file: file('bad.pdf') }] });
    flush();
    expect(adapter.sent.map((message) => message.text)).toEqual(['two files']);
    expect(adapter.files.map((upload) => [upload.id, upload.name, upload.type, upload.size])).toEqual([['f1', 'ok.pdf', 'application/pdf', 4], ['f2', 'bad.pdf', 'application/pdf', 4]]);
    expect(hostLog(host)).toEqual(['setFileUploadStatus(f1)', 'setFileUploadStatus(f2, true, bad.pdf could not be sent: scanner refused it)']);

    const { scheduler: s2, flush: flush2 } = virtualTime();
    const noFiles = deskOn(scriptedAdapter({ events: () => concat(of(ev.connected()), NEVER) }), s2);
    void noFiles.desk.startChat(connectMessage());
    void noFiles.desk.sendMessageToAgent({ input: { text: '' } }, 'u1', { filesToUpload: [{ id: 'f1', file: file('ok.pdf') }] });
    flush2();
    expect(hostLog(noFiles.host)).toEqual(['setFileUploadStatus(f1, true, scripted desk does not take files.)']);
  });

  it('validates selected files against the capabilities', () => {
    const { scheduler, flush } = virtualTime();
    const adapter = scriptedAdapter({
      events: () => concat(of(ev.connected()), NEVER),
      capabilities: { allowFileUploads: true, allowMultipleFileUploads: true, maxFiles: 2, allowedFileUploadTypes: '.pdf,image/*', maxFileSizeBytes: 10 },
    });
    const { desk, host } = deskOn(adapter, scheduler);
    void desk.startChat(connectMessage());
    const file = (name: string, type: string, content = 'x') => Object.assign(new Blob([content], { type }), { name });
    flush();
    desk.filesSelectedForUpload([
      { id: 'ok', file: file('a.pdf', 'application/pdf') },
      { id: 'big', file: file('b.png', 'image/png', 'x'.repeat(11)) },
      { id: 'many', file: file('c.pdf', 'application/pdf') },
    ]);
    desk.filesSelectedForUpload([{ id: 'type', file: file('d.exe', 'application/x-msdownload') }, { id: 'empty', file: file('e.pdf', 'application/pdf', '') }]);
    flush();
    expect(hostLog(host)).toEqual([
      'setFileUploadStatus(big, true, b.png is larger than the 10 bytes limit.)',
      'setFileUploadStatus(many, true, At most 2 files can be sent at a time.)',
      'setFileUploadStatus(type, true, Files like d.exe cannot be sent here.)',
      'setFileUploadStatus(empty, true, e.pdf is empty.)',
    ]);
  });
});

describe('createServiceDesk: typing and read receipts', () => {
  it('user typing reaches the vendor deduped and throttled, repeated while typing when the vendor needs it', marbles((m) => {
    const adapter = scriptedAdapter({ events: () => concat(of(ev.connected()), NEVER), typingHeartbeatMs: 40 });
    const host = recordingCallback({ host: 'carbon', scheduler: m.scheduler });
    const { desk } = deskOnRecorder(adapter, host, m.scheduler, { typingThrottleMs: 10 });
    void desk.startChat(connectMessage());
    // prettier-ignore
    const user = m.hot('-ftt-f-t----------f', { t: true, f: false });
    user.subscribe((isTyping) => void desk.userTyping(isTyping));
    m.flush();
    // false before any true is not sent; true, repeats of true dropped; a flap within 10 ms is settled by the trailing edge.
    expect(adapter.typing).toEqual([true, true, false]);
  }));

  it('read receipts reach the vendor throttled', marbles((m) => {
    const adapter = scriptedAdapter({ events: () => concat(of(ev.connected()), NEVER) });
    const host = recordingCallback({ host: 'carbon', scheduler: m.scheduler });
    const { desk } = deskOnRecorder(adapter, host, m.scheduler, { readThrottleMs: 100 });
    void desk.startChat(connectMessage());
    // prettier-ignore
    m.hot('-rrrr', { r: 0 }).subscribe(() => void desk.userReadMessages());
    m.flush();
    expect(adapter.reads).toBe(2);
  }));
});

describe('createServiceDesk: ending', () => {
  it('endChat during connect leaves the vendor, tears everything down, and resolves startChat', async () => {
    const { scheduler, at, flush } = virtualTime();
    const adapter = scriptedAdapter({ events: () => NEVER });
    const { desk, host } = deskOn(adapter, scheduler);
    const started = desk.startChat(connectMessage());
    const pending = desk.sendMessageToAgent({ input: { text: 'hello?' } }, 'u1');
    let ended: Promise<void> | undefined;
    at(10, () => (ended = desk.endChat({ endedByHumanAgent: false })));
    flush();
    await ended;
    await expect(started).resolves.toBeUndefined();
    await expect(pending).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
    expect(adapter.ends).toBe(1);
    expect(adapter.live).toBe(0);
    expect(hostLog(host)).toEqual([]);
  });

  it('endChat during a transfer tears everything down and stops calling the host', async () => {
    const { scheduler, at, flush } = virtualTime();
    const vendor = new Subject<DomainEvent>();
    const adapter = scriptedAdapter({ events: () => vendor });
    const { desk, host } = deskOn(adapter, scheduler);
    void desk.startChat(connectMessage());
    at(1, () => vendor.next(ev.connected()));
    at(2, () => vendor.next(ev.joined(ann)));
    at(3, () => vendor.next(ev.transfer(bob)));
    at(4, () => void desk.endChat());
    at(5, () => vendor.next(ev.joined(bob)));
    flush();
    expect(hostLog(host)).toEqual(['agentJoined(Ann)', 'beginTransferToAnotherAgent(Bob)']);
    expect(adapter.live).toBe(0);
    expect(vendor.observed).toBe(false);
  });

  it('a host that calls endChat from inside agentEndedChat (Carbon does) is not deadlocked', async () => {
    const { scheduler, flush } = virtualTime();
    const adapter = scriptedAdapter({ events: () => of(ev.connected(), ev.joined(ann), ev.ended()) });
    const host = recordingCallback({ host: 'carbon', scheduler });
    let inner: Promise<void> | undefined;
    const callback = { ...host.callback, agentEndedChat: () => (inner = desk.endChat({ endedByHumanAgent: true })) };
    const { desk } = deskOnRecorder(adapter, { ...host, callback }, scheduler);
    void desk.startChat(connectMessage());
    flush();
    await expect(inner).resolves.toBeUndefined();
    expect(adapter.live).toBe(0);
  });

  it('a second startChat after an end starts a new session; startChat while one runs ends the old one first', async () => {
    const { scheduler, flush } = virtualTime();
    const adapter = scriptedAdapter({ events: () => concat(of(ev.connected()), NEVER) });
    const { desk } = deskOn(adapter, scheduler);
    void desk.startChat(connectMessage());
    flush();
    await desk.endChat();
    const second = desk.startChat(connectMessage());
    flush();
    await expect(second).resolves.toBeUndefined();
    expect(adapter.live).toBe(1);
    void desk.startChat(connectMessage());
    flush();
    expect(adapter.requests).toHaveLength(3);
    expect(adapter.live).toBe(1);
    await desk.endChat();
    expect(adapter.live).toBe(0);
  });
});

describe('createServiceDesk: availability, state, reconnect, streams, dialects', () => {
  it('areAnyAgentsOnline answers the adapter, or null on error or no check', async () => {
    const { scheduler } = virtualTime();
    const answer = (value: Promise<boolean | null>) => deskOn(scriptedAdapter({ events: () => NEVER, checkAvailability: () => value }), scheduler, { availabilityTimeoutMs: 0 }).desk;
    await expect(answer(Promise.resolve(true)).areAnyAgentsOnline(connectMessage())).resolves.toBe(true);
    await expect(answer(Promise.resolve(false)).areAnyAgentsOnline(connectMessage())).resolves.toBe(false);
    await expect(answer(Promise.reject(new Error('down'))).areAnyAgentsOnline(connectMessage())).resolves.toBeNull();
    const none = deskOn(scriptedAdapter({ events: () => NEVER }), scheduler, { agentsOnlineWhenUnknown: true }).desk;
    await expect(none.areAnyAgentsOnline(connectMessage())).resolves.toBe(true);
  });

  it.each([
    { name: 'the hosts\' default 5 s', options: {}, limitMs: 4_000 },
    { name: 'the host config\'s availabilityTimeoutSeconds: 30', options: { hostConfig: { availabilityTimeoutSeconds: 30 } }, limitMs: 29_000 },
    { name: 'a host config of 1 s (never under 500 ms)', options: { hostConfig: { availabilityTimeoutSeconds: 1 } }, limitMs: 500 },
    { name: 'an explicit availabilityTimeoutMs', options: { availabilityTimeoutMs: 20, hostConfig: { availabilityTimeoutSeconds: 30 } }, limitMs: 20 },
  ] as { name: string; options: ServiceDeskOptions; limitMs: number }[])('areAnyAgentsOnline gives up a second before the host does: $name', async ({ options, limitMs }) => {
    const asked = (answerAtMs: number) => {
      const { scheduler, flush } = virtualTime();
      const check = () => settleAfter({ scheduler, latencyMs: answerAtMs }, () => true) as unknown as Promise<boolean>;
      const answer = deskOn(scriptedAdapter({ events: () => NEVER, checkAvailability: check }), scheduler, options).desk.areAnyAgentsOnline(connectMessage());
      flush();
      return answer;
    };
    await expect(asked(limitMs - 1)).resolves.toBe(true);
    await expect(asked(limitMs + 1)).resolves.toBeNull();
  });

  it('the queue position and the wait reach the user together in one message (hosts show only one figure), in any language', () => {
    const queued = (options: ServiceDeskOptions, ...updates: DomainEvent[]) => {
      const { scheduler, flush } = virtualTime();
      const { desk, host } = deskOn(scriptedAdapter({ events: () => concat(of(ev.connected(), ...updates), NEVER) }), scheduler, options);
      void desk.startChat(connectMessage());
      flush();
      return host.callsOf('updateAgentAvailability').map((call) => call.args[0]);
    };
    expect(queued({}, ev.queue(3, 1), ev.queue(2, 4), ev.queue(1), ev.queue(undefined, 2), { type: 'queueUpdate', position: 1, waitMinutes: 1, message: 'Almost there' })).toEqual([
      { message: 'You are number 3 in line. The wait is about 1 minute.' },
      { message: 'You are number 2 in line. The wait is about 4 minutes.' },
      { positionInQueue: 1 },
      { estimatedWaitTime: 2 },
      { positionInQueue: 1, estimatedWaitTime: 1, message: 'Almost there' },
    ]);
    const german = { queueStatus: (position: number, minutes: number) => `Sie sind Nummer ${position}. Wartezeit etwa ${minutes} Min.` };
    expect(queued({ texts: german }, ev.queue(2, 4))).toEqual([{ message: 'Sie sind Nummer 2. Wartezeit etwa 4 Min.' }]);
    expect(queued({ texts: { queueStatus: () => undefined } }, ev.queue(2, 4))).toEqual([{ positionInQueue: 2, estimatedWaitTime: 4 }]);
  });

  it('updateState reaches the adapter through request.hostState()', () => {
    const { scheduler, flush } = virtualTime();
    const adapter = scriptedAdapter({ events: () => concat(of(ev.connected()), NEVER) });
    const { desk } = deskOn(adapter, scheduler);
    desk.updateState({ sessionID: 's1', userID: 'u1', locale: 'en' });
    void desk.startChat(connectMessage());
    desk.updateState({ locale: 'fr' });
    flush();
    expect(adapter.requests[0]?.hostState()).toEqual({ sessionID: 's1', userID: 'u1', locale: 'fr' });
  });

  it('reconnect resumes from the persisted state without announcing the agent again', async () => {
    const { scheduler, flush } = virtualTime();
    const adapter = scriptedAdapter({ canResume: true, events: (request) => concat(of(ev.connected(true), ev.joined(ann), ev.message(`after-${String((request.resume as { token: string }).token)}`, 'welcome back')), NEVER) });
    const { desk, host } = deskOn(adapter, scheduler, {}, { persistedState: { resume: { token: 't1' }, agent: ann } });
    const resumed = desk.reconnect!();
    flush();
    await expect(resumed).resolves.toBe(true);
    expect(hostLog(host)).toEqual(['sendMessageToUser(welcome back)']);
    await expect(desk.reconnect!()).resolves.toBe(false);
  });

  it('a desk whose adapter cannot resume has no reconnect, so Carbon AI Chat keeps its "reloading ends the chat" warning', () => {
    const { scheduler } = virtualTime();
    const cannot = deskOn(scriptedAdapter({ events: () => NEVER }), scheduler, {}, { persistedState: { resume: { token: 't' } } });
    expect(cannot.desk.reconnect).toBeUndefined();
    expect('reconnect' in cannot.desk).toBe(false);
    expect(typeof deskOn(scriptedAdapter({ canResume: true, events: () => NEVER }), scheduler).desk.reconnect).toBe('function');
  });

  it('reconnect answers false with nothing to resume and when resuming fails', async () => {
    const { scheduler, flush } = virtualTime();
    const nothing = deskOn(scriptedAdapter({ canResume: true, events: () => NEVER }), scheduler);
    await expect(nothing.desk.reconnect!()).resolves.toBe(false);
    const failing = deskOn(scriptedAdapter({ canResume: true, events: () => throwError(() => new ServiceDeskError('SESSION_EXPIRED', 'gone')) }), scheduler, {}, { persistedState: { resume: { token: 't' } } });
    const answer = failing.desk.reconnect!();
    flush();
    await expect(answer).resolves.toBe(false);
  });

  it('the streams option reshapes messages$ (redacting card numbers) and keeps the order of everything else', () => {
    const { scheduler, flush } = virtualTime();
    const adapter = scriptedAdapter({ events: () => concat(of(ev.connected(), ev.joined(ann), ev.message('m1', 'card 4111 1111 1111 1111 ok'), ev.typing(true), ev.message('m2', 'no card')), NEVER) });
    const { desk, host } = deskOn(adapter, scheduler, {
      streams: ({ messages$ }) => ({
        messages$: messages$.pipe(map((message) => ({ ...message, text: message.text.replace(/\b(?:\d[ -]?){13,16}\b/g, '[card number removed]') }))),
      }),
    });
    void desk.startChat(connectMessage());
    flush();
    expect(hostLog(host)).toEqual(['agentJoined(Ann)', 'sendMessageToUser(card [card number removed]ok)', 'agentTyping(true)', 'agentTyping(false)', 'sendMessageToUser(no card)']);
  });

  it('speaks the watsonx web chat dialect to a watsonx host', () => {
    const { scheduler, flush } = virtualTime();
    const adapter = scriptedAdapter({ events: () => concat(of(ev.connected(), ev.queue(2), ev.queue(undefined, 4), ev.joined({ ...ann, avatarUrl: 'https://example.com/ann.png' })), NEVER) });
    const host = recordingCallback({ host: 'watsonx' });
    const { desk } = deskOnRecorder(adapter, host, scheduler);
    void desk.startChat(connectMessage());
    flush();
    expect(host.calls.map((call) => [call.method, ...call.args])).toEqual([
      ['updateAgentAvailability', { position_in_queue: 2 }],
      ['updateAgentAvailability', { estimated_wait_time: 4 }],
      ['agentJoined', { id: 'a1', nickname: 'Ann', profile_picture_url: 'https://example.com/ann.png' }],
    ]);
  });

  it('a malformed domain event from an adapter is logged and skipped; the session lives on without reconnecting', () => {
    const { scheduler, flush } = virtualTime();
    const errors: unknown[] = [];
    const logger = { debug() {}, info() {}, warn() {}, error: (...args: unknown[]) => void errors.push(args) };
    const broken = { type: 'agentJoined' } as unknown as DomainEvent;
    const adapter = scriptedAdapter({ events: () => concat(of(ev.connected(), broken, ev.joined(ann), ev.message('m1', 'fine')), NEVER) });
    const { desk, host } = deskOn(adapter, scheduler, { logger });
    void desk.startChat(connectMessage());
    flush();
    expect(hostLog(host)).toEqual(['agentJoined(Ann)', 'sendMessageToUser(fine)']);
    expect(adapter.attempts).toBe(1);
    expect(errors).toHaveLength(1);
  });

  it('a host callback that throws does not stop the session', () => {
    const { scheduler, flush } = virtualTime();
    const adapter = scriptedAdapter({ events: () => concat(of(ev.connected(), ev.joined(ann), ev.message('m1', 'still here')), NEVER) });
    const host = recordingCallback({ host: 'watsonx', fail: (method) => (method === 'agentJoined' ? new Error('render') : undefined) });
    const { desk } = deskOnRecorder(adapter, host, scheduler, { logger: { debug() {}, info() {}, warn() {}, error() {} } });
    void desk.startChat(connectMessage());
    flush();
    expect(hostLog(host)).toEqual(['agentJoined(Ann)', 'sendMessageToUser(still here)']);
  });
});

function deskOnRecorder(adapter: ServiceDeskAdapter, host: Pick<RecordingCallback, 'callback'>, scheduler: SchedulerLike, options: ServiceDeskOptions = {}) {
  return { desk: createServiceDesk(adapter, { callback: host.callback }, { scheduler, random: () => 0, ...options }) };
}
