import { SimulatedDeskEngine, engineTransport, isDeskFrame, simulatedDesk, type DeskFrame, type SimulatorTransport, type TransportHandlers } from '../../../lib/simulator';
import { CHECKLIST, describeHostCall, hostLog } from '../../../lib/testing';
import { connectMessage, deskOn, virtualTime } from '../../support/virtual';

const timing = { queueStepMs: 1000, readMs: 100, typingStartMs: 200, replyMs: 500, transferMs: 1000, outageMs: 3000 };

function setup(engineOptions = {}) {
  const clock = virtualTime();
  const engine = new SimulatedDeskEngine({ scheduler: clock.scheduler, timing, createToken: () => 'token-1', ...engineOptions });
  const adapter = simulatedDesk({ transport: engineTransport(engine) });
  const { desk, host } = deskOn(adapter, clock.scheduler);
  const log = () => hostLog(host);
  return { ...clock, engine, adapter, desk, host, log };
}

describe('simulated desk', () => {
  it('queues, joins with nickname and avatar, greets, reads, types and replies', async () => {
    const s = setup();
    const started = s.desk.startChat(connectMessage());
    s.at(4000, () => void s.desk.sendMessageToAgent({ input: { text: 'hello' } }, 'u1'));
    s.flush();
    await expect(started).resolves.toBeUndefined();
    expect(s.log()).toEqual([
      'updateAgentAvailability({"message":"You are number 2 in line. The wait is about 2 minutes."})',
      'updateAgentAvailability({"message":"You are number 1 in line. The wait is about 1 minute."})',
      ...CHECKLIST.firstJoin('Ann'),
      ...CHECKLIST.typing(),
      expect.stringMatching(/^sendMessageToUser\(Hi, I'm Ann\./),
      'agentReadMessages',
      'agentTyping(true)',
      'agentTyping(false)',
      'sendMessageToUser(Thanks! You said "hello". Type "help" to see what I can do.)',
    ]);
    const joined = s.host.callsOf('agentJoined')[0]?.args[0] as { id: string; profile_picture_url: string; user_type: string };
    expect(joined).toMatchObject({ id: 'agent-ann', user_type: 'human' });
    expect(joined.profile_picture_url).toMatch(/^data:image\/svg\+xml/);
    expect(s.engine.get('conv-1')?.transcript.map((entry) => entry.from)).toEqual(['system', 'system', 'agent', 'user', 'agent']);
    expect(s.adapter.capabilities?.allowFileUploads).toBe(true);
  });

  it('help lists the commands', () => {
    const s = setup({ queuePosition: 1 });
    void s.desk.startChat(connectMessage());
    s.at(3000, () => void s.desk.sendMessageToAgent({ input: { text: 'help' } }, 'u1'));
    s.flush();
    expect(s.log().at(-1)).toMatch(/transfer.*queue.*disconnect.*upload.*fail.*end/s);
  });

  it('transfer: hands the chat to Bob, and Ann leaving is not the end', () => {
    const s = setup({ queuePosition: 1 });
    void s.desk.startChat(connectMessage());
    s.at(3000, () => void s.desk.sendMessageToAgent({ input: { text: 'transfer' } }, 'u1'));
    s.flush();
    const log = s.log();
    const from = log.indexOf('agentReadMessages');
    expect(log.slice(from)).toEqual([
      'agentReadMessages',
      'agentTyping(true)',
      'agentTyping(false)',
      "sendMessageToUser(I'm transferring you to Bob, who can help with that.)",
      ...CHECKLIST.transfer('Bob'),
      'agentTyping(true)',
      'agentTyping(false)',
      "sendMessageToUser(Hi, Bob here. I've read the notes from your chat so far.)",
    ]);
    expect(log).not.toContain('agentLeftChat');
    expect(log).not.toContain('agentEndedChat');
  });

  it('disconnect: DISCONNECTED, reconnect with backoff, the message sent while offline shown once, the queue flushed', () => {
    const s = setup({ queuePosition: 1 });
    void s.desk.startChat(connectMessage());
    s.at(3000, () => void s.desk.sendMessageToAgent({ input: { text: 'disconnect' } }, 'u1'));
    s.at(4500, () => void s.desk.sendMessageToAgent({ input: { text: 'typed while offline' } }, 'u2'));
    s.flush();
    const log = s.log();
    const [lostLine, backLine] = CHECKLIST.reconnect();
    const lost = log.indexOf(lostLine as string);
    const back = log.indexOf(backLine as string);
    expect(lost).toBeGreaterThan(0);
    expect(back).toBeGreaterThan(lost);
    expect(log.filter((line) => line.includes('Still here!'))).toHaveLength(1);
    expect(log.slice(back)).toContain('sendMessageToUser(Thanks! You said "typed while offline". Type "help" to see what I can do.)');
    expect(s.engine.get('conv-1')?.transcript.filter((entry) => entry.from === 'user').map((entry) => entry.text)).toEqual([
      'disconnect',
      'typed while offline',
    ]);
  });

  it('end: the agent ends the chat and nothing is left running', () => {
    const s = setup({ queuePosition: 1 });
    void s.desk.startChat(connectMessage());
    s.at(3000, () => void s.desk.sendMessageToAgent({ input: { text: 'end' } }, 'u1'));
    s.flush();
    expect(s.log().slice(-2)).toEqual(["sendMessageToUser(Thanks for chatting with us. I'm closing this chat now.)", ...CHECKLIST.agentEnds()]);
    expect(s.engine.pendingTimers).toBe(0);
    expect(s.engine.get('conv-1')).toMatchObject({ status: 'ended', connected: false });
  });

  it('fail: the message is reported as failed (USER_MESSAGE) and the promise rejects', async () => {
    const s = setup({ queuePosition: 1 });
    void s.desk.startChat(connectMessage());
    let sent: Promise<void> | undefined;
    s.at(3000, () => (sent = s.desk.sendMessageToAgent({ input: { text: 'fail' } }, 'u-fail')));
    s.flush();
    await expect(sent).rejects.toMatchObject({ name: 'ServiceDeskError', code: 'SEND_FAILED' });
    expect(s.log()).toContain('setErrorStatus({"type":3,"messageID":"u-fail","logInfo":"The desk refused this message (simulated failure)."})');
  });

  it('upload: the agent sends a file link; a user file is accepted or rejected', () => {
    const s = setup({ queuePosition: 1 });
    void s.desk.startChat(connectMessage());
    const file = (name: string) => Object.assign(new Blob(['%PDF-1.4 sample']), { name });
    s.at(3000, () => void s.desk.sendMessageToAgent({ input: { text: 'upload' } }, 'u1'));
    s.at(6000, () => void s.desk.sendMessageToAgent({ input: { text: '' } }, 'u2', { filesToUpload: [{ id: 'f-ok', file: file('receipt.pdf') }] }));
    s.at(6100, () => void s.desk.sendMessageToAgent({ input: { text: '' } }, 'u3', { filesToUpload: [{ id: 'f-bad', file: file('reject-me.pdf') }] }));
    s.flush();
    const link = s.host.callsOf('sendMessageToUser').find((entry) => JSON.stringify(entry.args).includes('claim-form'));
    expect(JSON.stringify(link?.args[0])).toContain('[claim-form.pdf](https://files.example.invalid/claim-form.pdf)');
    expect(s.log()).toContain('setFileUploadStatus(f-ok)');
    expect(s.log()).toContain('setFileUploadStatus(f-bad, true, reject-me.pdf could not be sent: The desk refused this file (simulated virus scan).)');
    expect(s.log()).toContain('sendMessageToUser(Thanks, I received receipt.pdf.)');
  });

  it('queue: a long queue with updates before the agent joins', () => {
    const s = setup();
    void s.desk.startChat(connectMessage('I would like to join the queue'));
    s.flush();
    // Position and wait are both known, so the host gets them said together in one message (issue 12 item 5).
    const positions = s.host.callsOf('updateAgentAvailability').map((entry) => Number(/number (\d+) in line/.exec((entry.args[0] as { message: string }).message)?.[1]));
    expect(positions).toEqual([6, 5, 4, 3, 2, 1]);
    expect(s.log()).toContain('agentJoined(Ann)');
  });

  it('queue during a chat: back to the queue, then another agent', () => {
    const s = setup({ queuePosition: 1 });
    void s.desk.startChat(connectMessage());
    s.at(3000, () => void s.desk.sendMessageToAgent({ input: { text: 'queue' } }, 'u1'));
    s.flush();
    const log = s.log();
    const transfer = log.indexOf('beginTransferToAnotherAgent()');
    expect(transfer).toBeGreaterThan(0);
    expect(log.slice(transfer + 1, transfer + 5)).toEqual([
      'updateAgentAvailability({"message":"You are number 3 in line. The wait is about 3 minutes."})',
      'updateAgentAvailability({"message":"You are number 2 in line. The wait is about 2 minutes."})',
      'updateAgentAvailability({"message":"You are number 1 in line. The wait is about 1 minute."})',
      'agentJoined(Bob)',
    ]);
    expect(log).not.toContain('agentLeftChat');
  });

  it('resumes after a page reload from the persisted state, without showing old messages again', async () => {
    const s = setup({ queuePosition: 1 });
    void s.desk.startChat(connectMessage());
    s.at(3000, () => void s.desk.sendMessageToAgent({ input: { text: 'hello' } }, 'u1'));
    s.at(4000, () => s.engine.setAuto('conv-1', false));
    s.flush();
    const persisted = s.host.persisted;
    expect(persisted).toMatchObject({ agent: { id: 'agent-ann' }, resume: { v: 1, session: { token: 'token-1' } } });

    // The page reloads: a new desk and a new host get the persisted state; the old page is gone.
    s.engine.say('conv-1', 'Are you still there?');
    const reloaded = deskOn(simulatedDesk({ transport: engineTransport(s.engine) }), s.scheduler, {}, { persistedState: persisted });
    const resumed = reloaded.desk.reconnect!();
    s.flush();
    await expect(resumed).resolves.toBe(true);
    expect(reloaded.host.calls.map(describeHostCall).filter((line) => line.startsWith('sendMessageToUser') || line.startsWith('agentJoined'))).toEqual([
      'sendMessageToUser(Are you still there?)',
    ]);
  });
});

describe('saved state after a page reload', () => {
  it.each([
    ['not an object', 'token-1'],
    ['no token', { resume: { v: 1, session: { lastSeq: 3 } } }],
    ['a token that is not a string', { resume: { v: 1, session: { token: 42, lastSeq: 3 } } }],
    ['a negative sequence number', { resume: { v: 1, session: { token: 'token-1', lastSeq: -1 } } }],
    ['another version', { resume: { v: 2, session: { token: 'token-1', lastSeq: 3 } } }],
    ['no version (saved before the engine)', { resume: { token: 'token-1', lastSeq: 3 } }],
  ])('corrupt saved state (%s): reconnect() answers false and no new chat is started at the desk', async (_what, persistedState) => {
    const clock = virtualTime();
    const engine = new SimulatedDeskEngine({ scheduler: clock.scheduler, timing, createToken: () => 'token-1' });
    const reloaded = deskOn(simulatedDesk({ transport: engineTransport(engine) }), clock.scheduler, {}, { persistedState: { agent: { id: 'agent-ann', nickname: 'Ann' }, ...(typeof persistedState === 'object' ? persistedState : { resume: persistedState }) } });
    const resumed = reloaded.desk.reconnect!();
    clock.flush();
    await expect(resumed).resolves.toBe(false);
    expect(engine.get('conv-1')).toBeUndefined();
    expect(hostLog(reloaded.host)).toEqual([]);
  });
});

describe('malformed desk frames found by fuzzing (spec/reliability/fuzz-simulated-desk.spec.ts)', () => {
  /** A transport whose frames the test hands to the adapter directly, as a custom transport would. */
  function directChat() {
    const clock = virtualTime();
    let handlers: TransportHandlers | undefined;
    const transport: SimulatorTransport = {
      open: (next) => {
        handlers = next;
        return { send: () => undefined, close: () => (handlers = undefined) };
      },
    };
    const { desk, host } = deskOn(simulatedDesk({ transport }), clock.scheduler);
    void desk.startChat(connectMessage());
    const deliver = (frame: unknown) => handlers?.frame(frame as DeskFrame);
    deliver({ t: 'session', token: 'tok', resumed: false });
    return { deliver, host };
  }

  it('a join without an agent is skipped instead of showing an agent with no name', () => {
    const chat = directChat();
    chat.deliver({ t: 'join', seq: 1, agent: null });
    chat.deliver({ t: 'join', seq: 2, agent: { id: 'agent-ann', nickname: 'Ann' } });
    expect(hostLog(chat.host)).toEqual(['agentJoined(Ann)']);
  });

  it('attachments that are not an array do not throw into the transport; the next message is shown', () => {
    const chat = directChat();
    chat.deliver({ t: 'join', seq: 1, agent: { id: 'agent-ann', nickname: 'Ann' } });
    expect(() => chat.deliver({ t: 'message', seq: 2, id: 'm2', agentId: 'agent-ann', text: 'x', attachments: 'oops' })).not.toThrow();
    chat.deliver({ t: 'message', seq: 3, id: 'm3', agentId: 'agent-ann', text: 'hello' });
    expect(hostLog(chat.host)).toEqual(['agentJoined(Ann)', 'sendMessageToUser(hello)']);
  });

  it('a replayed (older) frame does not move the resume point backwards, and a message with no content is skipped', () => {
    const chat = directChat();
    chat.deliver({ t: 'join', seq: 1, agent: { id: 'agent-ann', nickname: 'Ann' } });
    chat.deliver({ t: 'message', seq: 2, id: 'm2', agentId: 'agent-ann', text: 'hello' });
    chat.deliver({ t: 'message', seq: 1, id: 'm1-late', agentId: 'agent-ann', text: '' });
    chat.deliver({ t: 'join', seq: 1, agent: { id: 'agent-ann', nickname: 'Ann' } });
    expect((chat.host.persisted as { resume: { session: { lastSeq: number } } }).resume.session.lastSeq).toBe(2);
    expect(hostLog(chat.host)).toEqual(['agentJoined(Ann)', 'sendMessageToUser(hello)']);
  });

  it('isDeskFrame accepts what the desk sends and refuses broken frames', () => {
    expect(isDeskFrame({ t: 'message', seq: 2, id: 'm', agentId: 'a', text: '', attachments: [{ url: 'https://x/f.pdf', name: 'f.pdf' }] })).toBe(true);
    expect(isDeskFrame({ t: 'error', code: 'BAD_FRAME', message: 'no' })).toBe(true);
    for (const frame of [null, 'read', { t: 'typing', agentId: 'a', on: 'yes' }, { t: 'queue', position: -1, waitMinutes: 1 }, { t: 'leave', seq: 'x', agentId: 'a' }, { t: 'toString' }, { t: 'error', code: 'NEW' }]) {
      expect(isDeskFrame(frame)).toBe(false);
    }
  });
});
