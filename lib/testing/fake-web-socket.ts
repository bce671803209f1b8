import { SocketListeners, type SocketListener } from './socket-listeners.js';
import type { SocketCloseEvent, SocketFactory, SocketMessageEvent, WebSocketLike } from '../adapters/genesys/socket.js';


/**
 * A scriptable WebSocket for adapter tests without a server: it records what the adapter sends and lets the test
 * open it, push frames and drop it, synchronously (so marble tests control the timing). It counts listeners, so
 * that tests can prove every listener is removed.
 *
 * @example
 * const socket = new FakeWebSocket('wss://example');
 * socket.open();
 * socket.receive({ type: 'response', class: 'SessionResponse', code: 200, body: { connected: true, newSession: true } });
 * socket.sentFrames(); // what the adapter sent, parsed
 * socket.drop(); // close code 1006
 */
export class FakeWebSocket implements WebSocketLike {
  readyState = 0;
  readonly sent: string[] = [];
  /** The code of the adapter's own `close()`, if it closed the socket. */
  closedWith: number | undefined;
  /** Called with each frame the adapter sends (parsed), e.g. to schedule the server's answer. */
  onSend: ((frame: Record<string, unknown>) => void) | undefined;
  readonly #listeners = new SocketListeners();

  constructor(readonly url: string) {}

  addEventListener(type: string, listener: SocketListener): void {
    this.#listeners.add(type, listener);
  }

  removeEventListener(type: string, listener: SocketListener): void {
    this.#listeners.remove(type, listener);
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('FakeWebSocket: send() while not open');
    this.sent.push(data);
    this.onSend?.(JSON.parse(data) as Record<string, unknown>);
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState >= 2) return;
    this.closedWith = code;
    this.readyState = 3;
    this.#listeners.emit('close', { code, reason });
  }

  /** The server accepted the connection. */
  open(): void {
    this.readyState = 1;
    this.#listeners.emit('open', undefined);
  }

  /** A frame from the server: objects are JSON-encoded, strings are sent as they are. */
  receive(frame: object | string): void {
    const event: SocketMessageEvent = { data: typeof frame === 'string' ? frame : JSON.stringify(frame) };
    this.#listeners.emit('message', event);
  }

  /** The connection dropped without a close frame (1006 by default). */
  drop(code = 1006): void {
    this.readyState = 3;
    const event: SocketCloseEvent = { code, reason: '' };
    this.#listeners.emit('close', event);
  }

  /** What the adapter sent, parsed. */
  sentFrames(): Record<string, unknown>[] {
    return this.sent.map((data) => JSON.parse(data) as Record<string, unknown>);
  }

  /** Listeners of one event type, or of all. */
  listenerCount(type?: string): number {
    return this.#listeners.count(type);
  }

}

/** A socket factory that makes {@link FakeWebSocket}s and keeps them. */
export interface FakeSocketFactory {
  readonly factory: SocketFactory;
  /** Every socket made so far, oldest first. */
  readonly sockets: FakeWebSocket[];
  /** The newest socket (throws when none was made). */
  latest(): FakeWebSocket;
}

/**
 * A socket factory for adapter tests: each call makes a {@link FakeWebSocket}.
 *
 * @example
 * const fake = fakeSocketFactory();
 * const adapter = genesysWebMessaging({ deploymentId: 'd1', domain: 'example.com', socketFactory: fake.factory });
 * // ... subscribe, then
 * fake.latest().open();
 */
export function fakeSocketFactory(): FakeSocketFactory {
  const sockets: FakeWebSocket[] = [];
  return {
    factory: (url) => {
      const socket = new FakeWebSocket(url);
      sockets.push(socket);
      return socket;
    },
    sockets,
    latest: () => {
      const socket = sockets[sockets.length - 1];
      if (!socket) throw new Error('No socket was opened yet.');
      return socket;
    },
  };
}
