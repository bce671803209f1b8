import { SocketListeners, type SocketListener } from '../socket-listeners.js';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import type { FetchLike } from '../../adapters/genesys/http.js';
import type { SocketCloseEvent, SocketFactory, SocketMessageEvent, WebSocketLike } from '../../adapters/genesys/socket.js';
import { settleAfter } from '../virtual-promise.js';
import { fakeGenesysDesk, type GenesysDesk, type GenesysDeskOptions, type GuestConnection } from './desk.js';

/** Options of {@link inMemoryGenesys}: the desk's, plus the wire's. */
export interface InMemoryGenesysOptions extends Omit<GenesysDeskOptions, 'scheduler'> {
  /** Frames, connects, closes and HTTP answers are delivered on it. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
  /** One-way delay of every frame and HTTP answer. Default 0 (still asynchronous: the next scheduler turn). */
  latencyMs?: number;
  /** The `Origin` the guest's sockets send (as a browser page would). Default none (a non-browser client). */
  origin?: string;
}

/** A Web Messaging desk reached through in-memory sockets and fetch, for the adapter's specs. */
export interface InMemoryGenesys {
  readonly desk: GenesysDesk;
  /** Give it to the adapter as `socketFactory`. */
  readonly socketFactory: SocketFactory;
  /** Give it to the adapter as `fetch`. */
  readonly fetch: FetchLike;
  /** Give them to the adapter as `webSocketUrl` and `apiUrl`. */
  readonly webSocketUrl: string;
  readonly apiUrl: string;
  /** Every guest socket made so far, oldest first. */
  readonly sockets: readonly InMemoryGuestSocket[];
  /** Listeners still added on all guest sockets (0 after a clean end). */
  listenerCount(): number;
}


const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/**
 * The guest end of an in-memory Web Messaging socket. It behaves like the `ws` 8.23 client the adapter runs on in
 * Node (node_modules/ws/lib/websocket.js):
 * - `send` while CONNECTING throws "WebSocket is not open: readyState 0 (CONNECTING)" (websocket.js:477-479); once
 *   CLOSING or CLOSED the data is dropped (websocket.js:487-490, `sendAfterClose`);
 * - `close` while CONNECTING aborts the handshake (websocket.js:325-328): `error`, then `close` 1006
 *   (`abortHandshake` -> `emitErrorAndClose`, websocket.js:1085); a server refusing the handshake (a wrong Origin)
 *   ends the same way (websocket.js:960-964);
 * - a frame above the server's `maxPayload` makes the server close with 1009 "Max payload size exceeded"
 *   (node_modules/ws/lib/receiver.js:438-447, `haveLength`).
 * Every event arrives on the scheduler, in order, never inside the call that caused it.
 */
export class InMemoryGuestSocket implements WebSocketLike {
  #readyState = CONNECTING;
  readonly #listeners = new SocketListeners();
  #server: GuestConnection | undefined;

  constructor(
    readonly url: string,
    private readonly desk: GenesysDesk,
    private readonly deliver: (action: () => void) => void,
    origin: string | undefined,
  ) {
    deliver(() => {
      if (this.#readyState !== CONNECTING) return;
      if (!desk.acceptsOrigin(origin)) {
        this.#readyState = CLOSED;
        this.#listeners.emit('error', undefined);
        this.#listeners.emit('close', { code: 1006, reason: '' });
        return;
      }
      const server = desk.connect({
        send: (data) => deliver(() => this.#readyState === OPEN && this.#listeners.emit('message', { data } satisfies SocketMessageEvent)),
        close: (code, reason) => deliver(() => this.#closed(code, reason)),
        terminate: () => deliver(() => this.#closed(1006, '')),
      });
      this.#server = server;
      // The guest gave up while the server was accepting (a hook of the desk ended the chat): the server sees it go.
      if (this.#readyState !== CONNECTING) return server.closed();
      this.#readyState = OPEN;
      this.#listeners.emit('open', undefined);
    });
  }

  get readyState(): number {
    return this.#readyState;
  }

  addEventListener(type: string, listener: SocketListener): void {
    this.#listeners.add(type, listener);
  }

  removeEventListener(type: string, listener: SocketListener): void {
    this.#listeners.remove(type, listener);
  }

  send(data: string): void {
    if (this.#readyState === CONNECTING) throw new Error('WebSocket is not open: readyState 0 (CONNECTING)');
    if (this.#readyState !== OPEN) return;
    if (new TextEncoder().encode(data).length > this.desk.maxFrameBytes) {
      this.deliver(() => this.#closed(1009, 'Max payload size exceeded'));
      return;
    }
    const server = this.#server;
    this.deliver(() => server?.receive(data));
  }

  close(code = 1000, reason = ''): void {
    if (this.#readyState >= CLOSING) return;
    if (this.#readyState === CONNECTING) {
      this.#readyState = CLOSED;
      this.deliver(() => {
        this.#listeners.emit('error', undefined);
        this.#listeners.emit('close', { code: 1006, reason: '' });
      });
      return;
    }
    this.#readyState = CLOSING;
    this.deliver(() => this.#closed(code, reason));
  }

  /** Listeners of one event type, or of all. */
  listenerCount(type?: string): number {
    return this.#listeners.count(type);
  }

  #closed(code: number, reason: string): void {
    if (this.#readyState === CLOSED) return;
    this.#readyState = CLOSED;
    this.#server?.closed();
    this.#listeners.emit('close', { code, reason } satisfies SocketCloseEvent);
  }

}

/**
 * A Genesys Web Messaging desk ({@link fakeGenesysDesk}) wired to in-memory sockets and an in-memory `fetch`, so
 * that the real adapter runs against it with every frame on an injected scheduler: with a `VirtualTimeScheduler`, a
 * whole conversation (drops, stalls, history fills, uploads) runs in virtual time, in the same order every run.
 * `fetch` answers with promises that settle on the scheduler too (`VirtualPromise`).
 *
 * Options: see {@link InMemoryGenesysOptions}.
 *
 * @example
 * const scheduler = new VirtualTimeScheduler();
 * const genesys = inMemoryGenesys({ scheduler });
 * const adapter = genesysWebMessaging({
 *   deploymentId: genesys.desk.deploymentId,
 *   webSocketUrl: genesys.webSocketUrl,
 *   apiUrl: genesys.apiUrl,
 *   socketFactory: genesys.socketFactory,
 *   fetch: genesys.fetch,
 * });
 * // ... start a chat, then
 * genesys.desk.join('Ann');
 * scheduler.flush();
 */
export function inMemoryGenesys(options: InMemoryGenesysOptions = {}): InMemoryGenesys {
  const scheduler = options.scheduler ?? asyncScheduler;
  const latencyMs = options.latencyMs ?? 0;
  const apiUrl = (options.baseUrl ?? 'http://127.0.0.1').replace(/\/+$/, '');
  const desk = fakeGenesysDesk({ ...options, baseUrl: apiUrl, scheduler });
  const deliver = (action: () => void) => void scheduler.schedule(action, latencyMs);
  const sockets: InMemoryGuestSocket[] = [];
  const fetch: FetchLike = (input, init) =>
    settleAfter({ scheduler, latencyMs: Math.max(latencyMs, 1) }, () => {
      const url = new URL(input);
      const answer = desk.http({
        method: init?.method ?? 'GET',
        path: `${url.pathname}${url.search}`,
        headers: Object.fromEntries(Object.entries(init?.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value])),
        ...(init?.body ? { body: init.body } : {}),
      });
      return { ok: answer.status >= 200 && answer.status < 300, status: answer.status, json: () => settleAfter({}, () => answer.json) };
    });
  return {
    desk,
    socketFactory: (url) => {
      const socket = new InMemoryGuestSocket(url, desk, deliver, options.origin);
      sockets.push(socket);
      return socket;
    },
    fetch,
    webSocketUrl: apiUrl.replace(/^http/, 'ws') + '/v1',
    apiUrl,
    sockets,
    listenerCount: () => sockets.reduce((total, socket) => total + socket.listenerCount(), 0),
  };
}
