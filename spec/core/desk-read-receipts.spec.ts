/**
 * Read receipts that do something (issue 12 item 7): neither host calls userReadMessages, so the desk marks the
 * agent's messages read by a policy (the user sends, types, or the chat has focus when a message arrives), and the
 * app can hook focus (markReadOnFocus). Virtual time; the vendor's markRead is counted.
 */
import { Subject, concat, of } from 'rxjs';
import type { ServiceDeskOptions } from '../../lib/core/desk';
import type { DomainEvent } from '../../lib/core/events';
import { markReadOnFocus, type FocusTarget } from '../../lib/host/read-receipts';
import { ev, scriptedAdapter } from '../../lib/testing';
import { connectMessage, deskOn, virtualTime } from '../support/virtual';

const ann = { id: 'a1', nickname: 'Ann' };

function chat(options: ServiceDeskOptions) {
  const { scheduler, at, flush } = virtualTime();
  const vendor = new Subject<DomainEvent>();
  const adapter = scriptedAdapter({ events: () => concat(of(ev.connected(), ev.joined(ann)), vendor) });
  const { desk } = deskOn(adapter, scheduler, { readThrottleMs: 0, ...options });
  void desk.startChat(connectMessage());
  return { adapter, desk, vendor, at, flush };
}

describe('read receipts by policy', () => {
  it('sending or typing marks the agent\'s new messages read, once per new message; nothing new, nothing sent', () => {
    const c = chat({ readReceipts: { hasFocus: () => false } });
    c.at(10, () => void c.desk.sendMessageToAgent({ input: { text: 'hi' } }, 'u1'));
    c.at(20, () => c.vendor.next(ev.message('m1', 'hello')));
    c.at(30, () => void c.desk.userTyping(true));
    c.at(40, () => void c.desk.userTyping(true));
    c.at(50, () => c.vendor.next(ev.message('m2', 'still there?')));
    c.at(60, () => void c.desk.sendMessageToAgent({ input: { text: 'yes' } }, 'u2'));
    c.flush();
    expect(c.adapter.reads).toBe(2);
  });

  it('a message that arrives while the chat has focus is read at once', () => {
    let focused = false;
    const c = chat({ readReceipts: { hasFocus: () => focused } });
    c.at(10, () => c.vendor.next(ev.message('m1', 'unseen')));
    c.at(20, () => (focused = true));
    c.at(30, () => c.vendor.next(ev.message('m2', 'seen')));
    c.flush();
    expect(c.adapter.reads).toBe(1);
  });

  it('readReceipts: false leaves it to the app (userReadMessages)', () => {
    const c = chat({ readReceipts: false });
    c.at(10, () => c.vendor.next(ev.message('m1', 'hello')));
    c.at(20, () => void c.desk.sendMessageToAgent({ input: { text: 'hi' } }, 'u1'));
    c.at(30, () => void c.desk.userTyping(true));
    c.flush();
    expect(c.adapter.reads).toBe(0);
    c.at(40, () => void c.desk.userReadMessages());
    c.flush();
    expect(c.adapter.reads).toBe(1);
  });
});

describe('markReadOnFocus', () => {
  function target() {
    const listeners = new Map<string, Set<() => void>>();
    const on: FocusTarget = {
      addEventListener: (type, listener) => void listeners.set(type, new Set([...(listeners.get(type) ?? []), listener])),
      removeEventListener: (type, listener) => void listeners.get(type)?.delete(listener),
    };
    const fire = (type: string) => listeners.get(type)?.forEach((listener) => listener());
    return { on, fire, count: () => [...listeners.values()].reduce((sum, set) => sum + set.size, 0) };
  }

  it('focus and visibilitychange call userReadMessages until stopped', () => {
    const t = target();
    let reads = 0;
    const stop = markReadOnFocus({ userReadMessages: async () => void (reads += 1) }, t.on);
    t.fire('focus');
    t.fire('visibilitychange');
    expect(reads).toBe(2);
    stop();
    t.fire('focus');
    expect(reads).toBe(2);
    expect(t.count()).toBe(0);
  });

  it('outside a browser without a target: a clear error', () => {
    expect(() => markReadOnFocus({ userReadMessages: async () => undefined })).toThrow(/pass the event target/);
  });
});
