import { Observable } from 'rxjs';
import { ServiceDeskError } from './errors.js';
import type { Logger } from './logger.js';

/**
 * The listener this module adds. Typed with `unknown` arguments so that every emitter's own listener type accepts it
 * (`(...args: any[]) => void` of Node, `EventListener` of the DOM, an SDK's `(message: Message) => void`).
 */
export type EmitterListener = (...args: unknown[]) => void;

/**
 * An event source with `on`/`off`, `addListener`/`removeListener` or `addEventListener`/`removeEventListener`: a Node
 * `EventEmitter`, a `ws` WebSocket, a DOM `WebSocket` or any `EventTarget`, a vendor SDK object, our fakes. A DOM
 * listener receives the `Event` (a `MessageEvent` for socket messages), so decode `event.data` there.
 */
export type EmitterLike =
  | { on(event: string, listener: EmitterListener): unknown; off(event: string, listener: EmitterListener): unknown }
  | {
      addListener(event: string, listener: EmitterListener): unknown;
      removeListener(event: string, listener: EmitterListener): unknown;
    }
  | {
      addEventListener(event: string, listener: EmitterListener): unknown;
      removeEventListener(event: string, listener: EmitterListener): unknown;
    };

function attach(emitter: EmitterLike, event: string, listener: EmitterListener): () => void {
  const target = emitter as unknown as Record<string, (event: string, listener: EmitterListener) => unknown>;
  if (typeof target.on === 'function' && typeof target.off === 'function') {
    target.on.call(emitter, event, listener);
    return () => void target.off.call(emitter, event, listener);
  }
  if (typeof target.addListener === 'function' && typeof target.removeListener === 'function') {
    target.addListener.call(emitter, event, listener);
    return () => void target.removeListener.call(emitter, event, listener);
  }
  target.addEventListener.call(emitter, event, listener);
  return () => void target.removeEventListener.call(emitter, event, listener);
}

/**
 * One event of an emitter as an observable of its first argument. The listener is added on subscribe and exactly
 * that listener is removed on unsubscribe. This is the only cast between an untyped emitter and typed payloads.
 *
 * @example
 * const added$ = fromEmitter<Message>(channel, 'messageAdded');
 */
export function fromEmitter<T>(emitter: EmitterLike, event: string): Observable<T> {
  return new Observable<T>((subscriber) => attach(emitter, event, (payload) => subscriber.next(payload as T)));
}

/** Per event name, a decoder from the raw payload to zero or more output values. */
export type Decoders<T> = Readonly<Record<string, (payload: never) => T | readonly T[] | undefined>>;

/**
 * Listens to several events of one emitter in a single observable and decodes each payload. A decoder that throws
 * a `ServiceDeskError` errors the stream on purpose (a fatal vendor event: the core retries or ends the session);
 * anything else a decoder throws is a malformed payload, logged and skipped: the stream goes on. All listeners are
 * removed on unsubscribe.
 * This shape costs less per event than one `fromEvent` per name merged together (see docs/performance.md).
 *
 * @example
 * const events$ = decodeEmitter(channel, {
 *   typingStarted: (member: Member) => ({ type: 'agentTyping', isTyping: true }),
 *   typingEnded: (member: Member) => ({ type: 'agentTyping', isTyping: false }),
 * }, logger);
 */
export function decodeEmitter<T>(emitter: EmitterLike, decoders: Decoders<T>, logger?: Logger): Observable<T> {
  return new Observable<T>((subscriber) => {
    const detach = Object.entries(decoders).map(([event, decode]) =>
      attach(emitter, event, (payload) => {
        let out: T | readonly T[] | undefined;
        try {
          out = (decode as (payload: unknown) => T | readonly T[] | undefined)(payload);
        } catch (error) {
          if (error instanceof ServiceDeskError) {
            subscriber.error(error);
            return;
          }
          logger?.warn('skipped a malformed vendor event', { event, error });
          return;
        }
        if (out === undefined) return;
        if (Array.isArray(out)) for (const value of out as readonly T[]) subscriber.next(value);
        else subscriber.next(out as T);
      }),
    );
    return () => detach.forEach((off) => off());
  });
}
