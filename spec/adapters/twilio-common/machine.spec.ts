import type { Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { DomainEvent } from '../../../lib/core/events';
import { silentLogger } from '../../../lib/core/logger';
import { ChatMachine, type MachineEffects, type MachineOptions } from '../../../lib/adapters/twilio-common/machine';
import type { MessageInfo, TwilioInput } from '../../../lib/adapters/twilio-common/types';

function setup(overrides: Partial<MachineOptions> = {}) {
  const scheduler = new TestScheduler(() => undefined);
  const out: (DomainEvent | string)[] = [];
  const effects: MachineEffects = {
    emit: (event) => out.push(event),
    later: (step: Observable<DomainEvent>) => void step.subscribe((event) => out.push(event)),
    arm: (ms) => out.push(`arm ${ms}`),
    disarm: () => out.push('disarm'),
  };
  const machine = new ChatMachine({
    participants: {},
    endSignals: { statusAttribute: true, closedState: true, inactiveState: false, removed: true, lastAgentLeft: true },
    transferGraceMs: 50,
    mediaTimeoutMs: 100,
    scheduler,
    logger: silentLogger,
    userOf: () => undefined,
    persist: (lastIndex) => ({ lastIndex }),
    ...overrides,
  });
  machine.identify('guest-1');
  const step = (input: TwilioInput) => machine.step(input, effects);
  return { machine, out, step, effects };
}

const ann = { sid: 'MB1', identity: 'ann', attributes: { member_type: 'agent' } };
const bob = { sid: 'MB2', identity: 'bob', attributes: { member_type: 'agent' } };
const message = (sid: string, index: number, author = 'ann', text = 'hi'): MessageInfo => ({ sid, index, author, text });
const types = (out: (DomainEvent | string)[]) => out.map((item) => (typeof item === 'string' ? item : item.type));

describe('ChatMachine', () => {
  it('drops a duplicate sid but shows a live message that arrives with a lower index', () => {
    const { out, step } = setup();
    step({ kind: 'message', message: message('IM5', 5) });
    step({ kind: 'message', message: message('IM5', 5) });
    step({ kind: 'message', message: message('IM4', 4) });
    expect(out.filter((item) => typeof item !== 'string' && item.type === 'agentMessage')).toHaveLength(2);
  });

  it('drops replayed history up to the last index shown, also when resumed', () => {
    const { out, machine, step } = setup();
    machine.lastShownIndex = 3;
    step({ kind: 'message', message: message('IM2', 2), replay: true });
    step({ kind: 'message', message: message('IM3', 3), replay: true });
    step({ kind: 'message', message: message('IM4', 4), replay: true });
    expect(types(out)).toEqual(['agentMessage', 'persist']);
    expect(out[1]).toEqual({ type: 'persist', state: { lastIndex: 4 } });
  });

  it('skips empty messages and our own, which move the read horizon', () => {
    const { out, step } = setup();
    step({ kind: 'message', message: message('IM1', 1, 'ann', '') });
    step({ kind: 'message', message: message('IM2', 2, 'guest-1') });
    step({ kind: 'joined', who: ann });
    out.length = 0;
    step({ kind: 'read', who: ann, index: 1 });
    step({ kind: 'read', who: ann, index: 2 });
    step({ kind: 'read', who: ann, index: 3 });
    expect(types(out)).toEqual(['agentRead']);
  });

  it('remembers the host id of our own messages (live or from history), not of anyone else', () => {
    const { out, machine, step } = setup();
    step({ kind: 'message', message: { ...message('IM1', 1, 'guest-1'), hostId: 'u1' } });
    step({ kind: 'message', message: { ...message('IM2', 2, 'guest-1'), hostId: 'u2' }, replay: true });
    step({ kind: 'message', message: { ...message('IM3', 3, 'ann'), hostId: 'u3' } });
    expect(['u1', 'u2', 'u3'].map((id) => machine.delivered(id))).toEqual([true, true, false]);
    expect(machine.noteOwn({ ...message('IM4', 4, 'guest-1'), hostId: 'u4' })).toBe(true);
    expect(machine.noteOwn({ ...message('IM5', 5, 'ann'), hostId: 'u5' })).toBe(false);
    machine.noteDelivered('u6');
    expect(['u4', 'u5', 'u6'].map((id) => machine.delivered(id))).toEqual([true, false, true]);
    expect(types(out)).toEqual(['agentMessage', 'persist']);
  });

  it('covers an index up to the last agent message shown, not our own or skipped ones', () => {
    const { machine, step } = setup();
    expect(machine.covers(0)).toBe(false);
    step({ kind: 'message', message: message('IM3', 3, 'ann') });
    step({ kind: 'message', message: message('IM5', 5, 'guest-1') });
    step({ kind: 'message', message: message('IM7', 7, 'ann', '') });
    expect([machine.covers(3), machine.covers(4), machine.covers(7)]).toEqual([true, false, false]);
    const resumed = setup().machine;
    resumed.lastShownIndex = 9;
    expect([resumed.covers(9), resumed.covers(10)]).toEqual([true, false]);
  });

  it('a second agent while one is present is a transfer; the first leaving then is silent', () => {
    const { out, step } = setup();
    step({ kind: 'joined', who: ann });
    step({ kind: 'joined', who: bob });
    step({ kind: 'left', who: ann });
    expect(types(out)).toEqual(['agentJoined', 'transferStarted', 'agentJoined']);
  });

  it('the current agent leaving while another stays hands the chat back to the other', () => {
    const { out, step } = setup();
    step({ kind: 'joined', who: ann });
    step({ kind: 'joined', who: bob });
    step({ kind: 'left', who: bob });
    expect(types(out)).toEqual(['agentJoined', 'transferStarted', 'agentJoined', 'transferStarted', 'agentJoined']);
    expect(out[4]).toMatchObject({ agent: { id: 'ann' } });
  });

  it('holds the last leave for the grace window, and ends or announces it when it expires', () => {
    const ends = setup();
    ends.step({ kind: 'joined', who: ann });
    ends.step({ kind: 'left', who: ann });
    ends.step({ kind: 'graceExpired' });
    expect(types(ends.out)).toEqual(['agentJoined', 'agentTyping', 'arm 50', 'disarm', 'chatEnded']);
    const leaves = setup({ endSignals: { statusAttribute: true, closedState: true, inactiveState: false, removed: true, lastAgentLeft: false } });
    leaves.step({ kind: 'joined', who: ann });
    leaves.step({ kind: 'left', who: ann });
    leaves.step({ kind: 'graceExpired' });
    expect(leaves.out.slice(-1)).toEqual([{ type: 'agentLeft', agentId: 'ann' }]);
  });

  it('ignores everything after the chat ended, and removal while the user leaves', () => {
    const { out, machine, step } = setup();
    machine.leaving = true;
    step({ kind: 'ended', signal: 'removed', reason: 'x' });
    expect(out).toEqual([]);
    machine.leaving = false;
    step({ kind: 'ended', signal: 'closedState', reason: 'closed' });
    step({ kind: 'joined', who: ann });
    step({ kind: 'ended', signal: 'closedState', reason: 'closed' });
    expect(types(out)).toEqual(['disarm', 'chatEnded']);
  });

  it('re-arms a running grace window with the time left when a new connection attempt starts', () => {
    const { machine, step, out, effects } = setup();
    step({ kind: 'joined', who: ann });
    step({ kind: 'left', who: ann });
    out.length = 0;
    machine.attach(effects);
    expect(out).toEqual(['arm 50']);
  });

  it('shows media with its attachments, or a notice when they cannot be loaded', () => {
    const { out, step } = setup();
    step({ kind: 'message', message: { ...message('IM1', 1, 'ann', ''), attachments: () => ({ then: (ok: (v: unknown) => unknown) => ok([{ url: 'https://m/1' }]) }) as never } });
    step({
      kind: 'message',
      message: { ...message('IM2', 2, 'ann', ''), attachments: () => ({ then: (_ok: unknown, fail: (e: unknown) => unknown) => fail(new Error('403')) }) as never },
    });
    const shown = out.filter((item) => typeof item !== 'string' && item.type === 'agentMessage');
    expect(shown).toEqual([
      { type: 'agentMessage', id: 'IM1', text: '', attachments: [{ url: 'https://m/1' }] },
      { type: 'agentMessage', id: 'IM2', text: 'The agent sent a file that could not be loaded.' },
    ]);
  });
});
