import { Subject, map, share } from 'rxjs';
import { marbles } from 'rxjs-marbles/jest';
import { isType, ofType } from '../../lib/core/events';
import type { DomainEvent } from '../../lib/core/events';
import { mergeStreams, splitStreams } from '../../lib/core/streams';
import { ev } from '../../lib/testing';

const ann = { id: 'a1', nickname: 'Ann' };

describe('domain events and streams', () => {
  it('ofType keeps the given types, narrowed', marbles((m) => {
    const values = { j: ev.joined(ann), m: ev.message('m1', 'hi'), t: ev.typing(true) };
    // prettier-ignore
    const source = m.cold('jmt|', values);
    m.expect(source.pipe(ofType('agentMessage', 'agentTyping'))).toBeObservable('-mt|', { m: values.m, t: values.t } as never);
    const text$ = source.pipe(ofType('agentMessage'), map((message) => message.text));
    m.expect(text$).toBeObservable('-x-|', { x: 'hi' });
  }));

  it('isType is a type guard', () => {
    const event: DomainEvent = ev.message('m1', 'hi');
    expect(isType('agentMessage')(event) && event.text).toBe('hi');
    expect(isType('agentJoined', 'agentLeft')(event)).toBe(false);
  });

  it('split then merge gives back every event in order', marbles((m) => {
    const values = { c: ev.connected(), q: ev.queue(1), j: ev.joined(ann), m: ev.message('m1', 'hi'), t: ev.typing(true), r: ev.read(), x: ev.lost(), y: ev.restored(), e: ev.ended() };
    // prettier-ignore
    const source = m.cold('cqjmtrxye|', values);
    const merged = source.pipe((events$) => {
      const shared$ = events$.pipe(share());
      return mergeStreams(splitStreams(shared$));
    });
    m.expect(merged).toBeObservable('cqjmtrxye|', values);
  }));

  it('a custom integration maps messages$ and hands the streams back', () => {
    const events$ = new Subject<DomainEvent>();
    const streams = splitStreams(events$);
    const redacted = { ...streams, messages$: streams.messages$.pipe(map((message) => ({ ...message, text: message.text.replace(/\d{4}/g, '####') }))) };
    const seen: DomainEvent[] = [];
    mergeStreams(redacted).subscribe((event) => seen.push(event));
    events$.next(ev.joined(ann));
    events$.next(ev.message('m1', 'pin 1234'));
    expect(seen).toEqual([ev.joined(ann), ev.message('m1', 'pin ####')]);
  });
});
