import { marbles } from 'rxjs-marbles/jest';
import { filter, map, type Observable } from 'rxjs';
import { silentLogger } from '../../../lib/core/logger';
import type { DomainEvent } from '../../../lib/core/events';
import { drive, holdUntilLoaded, type Tagged } from '../../../lib/adapters/twilio-common/drive';
import { ChatMachine } from '../../../lib/adapters/twilio-common/machine';
import type { ParticipantLike, TwilioInput } from '../../../lib/adapters/twilio-common/types';
import { VirtualPromise } from '../../../lib/testing';

const ann: ParticipantLike = { sid: 'MB1', identity: 'ann', attributes: { member_type: 'agent' } };
const message = (sid: string, index: number): TwilioInput => ({ kind: 'message', message: { sid, index, author: 'ann', text: sid } });

function machine(scheduler: Parameters<typeof drive>[1], lastAgentLeft = true) {
  return new ChatMachine({
    participants: {},
    endSignals: { statusAttribute: true, closedState: true, inactiveState: false, removed: true, lastAgentLeft },
    transferGraceMs: 5,
    mediaTimeoutMs: 10,
    scheduler,
    logger: silentLogger,
    userOf: () => undefined,
    persist: () => undefined,
  });
}

const only = (...types: DomainEvent['type'][]) => (source: Observable<DomainEvent>) =>
  source.pipe(
    filter((event) => types.includes(event.type)),
    map((event) => event.type),
  );

describe('holdUntilLoaded', () => {
  it('lets snapshot inputs through and holds live ones until loaded', marbles((m) => {
    const tagged: Record<string, Tagged> = {
      l: { live: true, input: message('IM9', 9) },
      s: { live: false, input: message('IM1', 1) },
      d: { live: false, input: { kind: 'loaded' } },
      k: { live: true, input: message('IM10', 10) },
    };
    // prettier-ignore
    const source = m.hot('-l-s-d---k', tagged);
    const expected = '    ---s-(dl)k';
    m.expect(source.pipe(holdUntilLoaded())).toBeObservable(expected, {
      s: tagged.s!.input,
      d: tagged.d!.input,
      l: tagged.l!.input,
      k: tagged.k!.input,
    });
  }));
});

describe('holdUntilLoaded after the connection came back', () => {
  it('holds live inputs again from a resync until its loaded, and until the last of overlapping reads', marbles((m) => {
    const tagged: Record<string, Tagged> = {
      d: { live: false, input: { kind: 'loaded' } },
      r: { live: false, input: { kind: 'resync' } },
      h: { live: false, input: message('IM5', 5) },
      a: { live: true, input: message('IM6', 6) },
      b: { live: true, input: message('IM7', 7) },
      c: { live: true, input: message('IM8', 8) },
      e: { live: true, input: message('IM9', 9) },
    };
    // Loaded at 1. A resync at 3 holds a until its history and loaded (6). Two overlapping resyncs (11, 12) hold b
    // and c until the second loaded (17); e then flows at once.
    // prettier-ignore
    const source = m.hot('-d-rahd----rrb-dcd-----e', tagged);
    const expected = '    -d-r-h(da)-rr--d-(dbc)-e';
    const inputs = Object.fromEntries(Object.entries(tagged).map(([key, value]) => [key, value.input]));
    m.expect(source.pipe(holdUntilLoaded())).toBeObservable(expected, inputs);
  }));
});

describe('drive', () => {
  it('keeps the order behind a slow profile lookup and runs the grace timer on the scheduler', marbles((m) => {
    const user = new VirtualPromise<{ friendlyName: string }>();
    m.scheduler.schedule(() => user.resolve({ friendlyName: 'Ann' }), 4);
    const slowAnn: ParticipantLike = { ...ann, getUser: () => user };
    const inputs: Record<string, TwilioInput> = {
      j: { kind: 'joined', who: slowAnn },
      a: message('IM1', 1),
      l: { kind: 'left', who: slowAnn },
    };
    // prettier-ignore
    const source = m.hot('-ja------l', inputs);
    const expected = '    ----(jm)-t----e';
    const out$ = source.pipe(drive(machine(m.scheduler), m.scheduler, silentLogger), only('agentJoined', 'agentMessage', 'agentTyping', 'chatEnded'));
    m.expect(out$).toBeObservable(expected, { j: 'agentJoined', m: 'agentMessage', t: 'agentTyping', e: 'chatEnded' });
  }));

  it('cancels the grace timer on unsubscribe', marbles((m) => {
    const inputs: Record<string, TwilioInput> = { j: { kind: 'joined', who: ann }, l: { kind: 'left', who: ann } };
    const chat = machine(m.scheduler);
    const step = jest.spyOn(chat, 'step');
    // prettier-ignore
    const source = m.hot('-jl', inputs);
    m.expect(source.pipe(drive(chat, m.scheduler, silentLogger), map((event) => event.type)), '^--!').toBeObservable('-jt', {
      j: 'agentJoined',
      t: 'agentTyping',
    });
    m.flush();
    expect(step.mock.calls.map(([input]) => input.kind)).toEqual(['joined', 'left']);
  }));

  it('skips an input the machine cannot read and goes on', marbles((m) => {
    const inputs: Record<string, TwilioInput> = {
      x: { kind: 'joined', who: undefined as unknown as ParticipantLike },
      j: { kind: 'joined', who: ann },
    };
    // prettier-ignore
    const source = m.hot('-x-j', inputs);
    m.expect(source.pipe(drive(machine(m.scheduler), m.scheduler, silentLogger), map((event) => event.type))).toBeObservable('---j', { j: 'agentJoined' });
  }));
});
