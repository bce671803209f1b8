import { marbles } from 'rxjs-marbles/jest';
import { normalize } from '../../lib/core/normalize';
import { ev } from '../../lib/testing';

const ann = { id: 'a1', nickname: 'Ann' };
const bob = { id: 'b1', nickname: 'Bob' };

const values = {
  c: ev.connected(),
  q: ev.queue(2, 3),
  a: ev.joined(ann),
  b: ev.joined(bob),
  T: ev.transfer(bob),
  l: ev.left('a1'),
  L: ev.left('b1'),
  m: ev.message('m1', 'hello', 'a1'),
  n: ev.message('m2', 'from Bob', 'b1'),
  t: ev.typing(true),
  f: ev.typing(false),
  r: ev.read(),
  x: ev.lost('socket closed'),
  y: ev.restored(),
  e: ev.ended(),
};

describe('normalize', () => {
  it('passes a first join and the messages after it', marbles((m) => {
    // prettier-ignore
    const source =   m.hot('-c-q-a-m-e', values);
    const expected =       '-c-q-a-m-e';
    m.expect(source.pipe(normalize())).toBeObservable(expected, values);
  }));

  it('a new agent joining while one is present is a transfer, and the old agent leaving is not announced', marbles((m) => {
    // prettier-ignore
    const source =   m.hot('-c-a-b-l-n', values);
    const expected =       '-c-a-(Tb)n';
    m.expect(source.pipe(normalize())).toBeObservable(expected, values);
  }));

  it('the old agent leaving before the new one joins is announced, then the join is a transfer', marbles((m) => {
    // prettier-ignore
    const source =   m.hot('-c-a-l-b----n', values);
    const expected =       '-c-a-l-(Tb)-n';
    m.expect(source.pipe(normalize())).toBeObservable(expected, values);
  }));

  it('an announced transfer hides the leaving agent and is not announced twice', marbles((m) => {
    // prettier-ignore
    const source =   m.hot('-c-a-T-l-b-n', values);
    const expected =       '-c-a-T---b-n';
    m.expect(source.pipe(normalize())).toBeObservable(expected, values);
  }));

  it('drops a replayed join of the same agent and a duplicate message id', marbles((m) => {
    // prettier-ignore
    const source =   m.hot('-c-a-m-a-m-c', values);
    const expected =       '-c-a-m------';
    m.expect(source.pipe(normalize())).toBeObservable(expected, values);
  }));

  it('drops malformed events without changing its state, and reports them', marbles((m) => {
    const seen: unknown[] = [];
    const broken = { z: { type: 'agentJoined' } as never, y: { type: 'agentMessage', id: 7, text: 'x' } as never, w: { type: 'nonsense' } as never };
    // prettier-ignore
    const source =   m.hot('-z-y-w-a-m', { ...values, ...broken });
    const expected =       '-------a-m';
    m.expect(source.pipe(normalize({ onMalformed: (event) => seen.push(event) }))).toBeObservable(expected, values);
    m.flush();
    expect(seen).toEqual([broken.z, broken.y, broken.w]);
  }));

  it('drops an empty message (no text, no attachment)', marbles((m) => {
    // prettier-ignore
    const source =   m.hot('-a-z-m', { ...values, z: ev.message('m0', '') });
    const expected =       '-a---m';
    m.expect(source.pipe(normalize())).toBeObservable(expected, values);
  }));

  it('shows a message that arrives before the join', marbles((m) => {
    // prettier-ignore
    const source =   m.hot('-c-m-a', values);
    const expected =       '-c-m-a';
    m.expect(source.pipe(normalize())).toBeObservable(expected, values);
  }));

  it('typing and read receipts only while an agent is present, without repeats; a message stops typing', marbles((m) => {
    // prettier-ignore
    const source =   m.hot('-t-r-a-t-t-m----t-f-f-r', values);
    const expected =       '-----a-t---(fm)-t-f---r';
    m.expect(source.pipe(normalize())).toBeObservable(expected, values);
  }));

  it('typing stops when the agent leaves or the chat ends', marbles((m) => {
    // prettier-ignore
    const source =   m.hot('-a-t-l----b----t-e', values);
    const expected =       '-a-t-(fl)-(Tb)-t-(fe)';
    m.expect(source.pipe(normalize())).toBeObservable(expected, values);
  }));

  it('a second connected after a loss is a restore; losses and restores are not repeated', marbles((m) => {
    // prettier-ignore
    const source =   m.hot('-c-a-x-x-c-y-c', values);
    const expected =       '-c-a-x---y----';
    m.expect(source.pipe(normalize())).toBeObservable(expected, values);
  }));

  it('typing stops when the connection drops', marbles((m) => {
    // prettier-ignore
    const source =   m.hot('-a-t-x', values);
    const expected =       '-a-t-(fx)';
    m.expect(source.pipe(normalize())).toBeObservable(expected, values);
  }));

  it('queue updates only while no agent is present', marbles((m) => {
    // prettier-ignore
    const source =   m.hot('-q-a-q-l-q', values);
    const expected =       '-q-a---l-q';
    m.expect(source.pipe(normalize())).toBeObservable(expected, values);
  }));

  it('a resumed session starts with its agent: a replayed join is dropped, typing works at once', marbles((m) => {
    // prettier-ignore
    const source =   m.hot('-c-a-t', values);
    const expected =       '-c---t';
    m.expect(source.pipe(normalize({ agent: ann }))).toBeObservable(expected, values);
  }));
});
