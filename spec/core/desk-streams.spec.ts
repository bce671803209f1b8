import { NEVER, map } from 'rxjs';
import { marbles } from 'rxjs-marbles/jest';
import { createServiceDesk } from '../../lib/core/desk';
import { silentLogger } from '../../lib/core/logger';
import { ev, hostLog, recordingCallback, scriptedAdapter } from '../../lib/testing';

const ann = { id: 'a1', nickname: 'Ann' };
const connectMessage = { output: { generic: [{ response_type: 'connect_to_agent' }] } };

describe('desk.streams', () => {
  it.each([false, true])('is built on first read, also on a desk that can resume (canResume %s)', (canResume) => {
    const desk = createServiceDesk(scriptedAdapter({ events: () => NEVER, canResume }), { callback: recordingCallback().callback });
    // A getter (on the desks' shared prototype: one per desk would put each desk in V8's dictionary mode).
    expect(typeof Object.getOwnPropertyDescriptor(Object.getPrototypeOf(desk), 'streams')?.get).toBe('function');
    expect(Object.getOwnPropertyDescriptor(desk, 'streams')).toBeUndefined();
    expect(typeof desk.reconnect).toBe(canResume ? 'function' : 'undefined');
    expect(desk.streams).toBe(desk.streams);
  });

  it('shows the domain streams of the chats, as reshaped for the host, from when you subscribe', marbles((m) => {
    // prettier-ignore
    const vendor = m.hot('-c-q-a-m-e', { c: ev.connected(), q: ev.queue(2), a: ev.joined(ann), m: ev.message('m1', 'hi'), e: ev.ended() });
    const host = recordingCallback({ host: 'carbon', scheduler: m.scheduler });
    const desk = createServiceDesk(scriptedAdapter({ events: () => vendor }), { callback: host.callback }, {
      scheduler: m.scheduler,
      streams: ({ messages$ }) => ({ messages$: messages$.pipe(map((message) => ({ ...message, text: message.text.toUpperCase() }))) }),
    });
    const queue: number[] = [];
    const texts: string[] = [];
    desk.streams.availability$.subscribe((event) => queue.push(event.position ?? -1));
    desk.streams.messages$.subscribe((event) => texts.push(event.text));
    const endedAt: number[] = [];
    desk.streams.chatEnded$.subscribe(() => endedAt.push(m.scheduler.now()));

    const started = desk.startChat(connectMessage);
    m.flush();

    expect(queue).toEqual([2]);
    expect(texts).toEqual(['HI']);
    expect(endedAt).toEqual([9]);
    return started;
  }));

  it('a late subscriber sees only what comes after it; the streams go on across chats', marbles((m) => {
    const chats = [m.cold('c-m-e', { c: ev.connected(), m: ev.message('m1', 'first'), e: ev.ended() }), m.cold('c-m', { c: ev.connected(), m: ev.message('m2', 'second') })];
    const host = recordingCallback({ host: 'carbon', scheduler: m.scheduler });
    const adapter = scriptedAdapter({ events: () => chats.shift()! });
    const desk = createServiceDesk(adapter, { callback: host.callback }, { scheduler: m.scheduler });

    const first = desk.startChat(connectMessage);
    m.flush();
    const texts: string[] = [];
    desk.streams.messages$.subscribe((event) => texts.push(event.text));
    const second = desk.startChat(connectMessage);
    m.flush();

    expect(texts).toEqual(['second']);
    return Promise.all([first, second]);
  }));

  it('a reshaping that throws is logged, ends the binding and tears the session down; the host hears nothing after it', marbles((m) => {
    const vendor = m.hot('-c-a-m-n', { c: ev.connected(), a: ev.joined(ann), m: ev.message('m1', 'boom'), n: ev.message('m2', 'after') });
    const host = recordingCallback({ host: 'carbon', scheduler: m.scheduler });
    const errors: string[] = [];
    const logger = { ...silentLogger, error: (message: string) => void errors.push(message) };
    const adapter = scriptedAdapter({ events: () => vendor });
    const desk = createServiceDesk(adapter, { callback: host.callback }, {
      scheduler: m.scheduler,
      logger,
      streams: ({ messages$ }) => ({
        messages$: messages$.pipe(
          map((message) => {
            if (message.text === 'boom') throw new Error('a bug in the app');
            return message;
          }),
        ),
      }),
    });

    const started = desk.startChat(connectMessage);
    m.flush();

    expect(errors).toEqual(['the session failed unexpectedly']);
    expect(hostLog(host)).toEqual(['agentJoined(Ann)']);
    expect(adapter.live).toBe(0);
    return started;
  }));
});
