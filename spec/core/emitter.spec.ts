import { decodeEmitter, fromEmitter } from '../../lib/core/emitter';
import { ServiceDeskError } from '../../lib/core/errors';
import { createLogger } from '../../lib/core/logger';
import { FakeEmitter } from '../../lib/testing';

describe('fromEmitter / decodeEmitter', () => {
  it('a decoder that throws a ServiceDeskError errors the stream on purpose and removes the listeners', () => {
    const emitter = new FakeEmitter();
    const errors: unknown[] = [];
    decodeEmitter<string>(emitter, {
      connectionError: (error: { terminal: boolean }) => {
        throw new ServiceDeskError('CONNECTION_LOST', 'gone', { retryable: !error.terminal });
      },
    }).subscribe({ error: (error) => errors.push(error) });
    emitter.emit('connectionError', { terminal: true });
    expect(errors).toEqual([expect.objectContaining({ code: 'CONNECTION_LOST', retryable: false })]);
    expect(emitter.listenerCount()).toBe(0);
  });

  it('fromEmitter adds one listener on subscribe and removes exactly it on unsubscribe', () => {
    const emitter = new FakeEmitter();
    const other = () => undefined;
    emitter.on('messageAdded', other);
    const seen: unknown[] = [];
    const subscription = fromEmitter<string>(emitter, 'messageAdded').subscribe((value) => seen.push(value));
    expect(emitter.listenerCount('messageAdded')).toBe(2);
    emitter.emit('messageAdded', 'hello', 'ignored second argument');
    subscription.unsubscribe();
    expect(emitter.listenerCount('messageAdded')).toBe(1);
    expect(seen).toEqual(['hello']);
  });

  it('works with addListener/removeListener and addEventListener/removeEventListener emitters', () => {
    const added: string[] = [];
    const removed: string[] = [];
    const nodeStyle = { addListener: (event: string) => added.push(`node:${event}`), removeListener: (event: string) => removed.push(`node:${event}`) };
    const domStyle = { addEventListener: (event: string) => added.push(`dom:${event}`), removeEventListener: (event: string) => removed.push(`dom:${event}`) };
    fromEmitter(nodeStyle, 'a').subscribe().unsubscribe();
    fromEmitter(domStyle, 'message').subscribe().unsubscribe();
    expect(added).toEqual(['node:a', 'dom:message']);
    expect(removed).toEqual(['node:a', 'dom:message']);
  });

  it('decodeEmitter decodes several events in one observable, skips a decoder that throws, and removes all listeners', () => {
    const emitter = new FakeEmitter();
    const warnings: unknown[] = [];
    const logger = createLogger({ level: 'warn', sink: { debug() {}, info() {}, warn: (...args: unknown[]) => warnings.push(args), error() {} } });
    const seen: string[] = [];
    const subscription = decodeEmitter<string>(emitter, {
      messageAdded: (message: { body: string }) => `message:${message.body.trim()}`,
      typing: (member: { identity: string }) => [`typing:${member.identity}`, 'second'],
      ignored: () => undefined,
    }, logger).subscribe((value) => seen.push(value));
    expect(emitter.listenerCount()).toBe(3);
    emitter.emit('messageAdded', { body: ' hi ' });
    emitter.emit('messageAdded', { body: null });
    emitter.emit('typing', { identity: 'ann' });
    emitter.emit('ignored', {});
    emitter.emit('messageAdded', { body: 'after' });
    subscription.unsubscribe();
    expect(emitter.listenerCount()).toBe(0);
    expect(seen).toEqual(['message:hi', 'typing:ann', 'second', 'message:after']);
    expect(warnings).toHaveLength(1);
    expect(String((warnings[0] as unknown[])[0])).toContain('skipped a malformed vendor event');
  });
});
