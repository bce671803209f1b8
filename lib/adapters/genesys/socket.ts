import { ServiceDeskError } from '../../core/errors.js';

/** The `message` event of a socket: text frames carry a string. */
export interface SocketMessageEvent {
  readonly data: unknown;
}

/** The `close` event of a socket. 1006 means the connection dropped without a close frame. */
export interface SocketCloseEvent {
  readonly code: number;
  readonly reason: string;
}

/**
 * The part of a WebSocket the adapter uses: the browser's `WebSocket` and the `ws` package's `WebSocket` both fit.
 * Listeners are added with `addEventListener` and removed with exactly the same function.
 */
export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: SocketMessageEvent) => void): void;
  addEventListener(type: 'close', listener: (event: SocketCloseEvent) => void): void;
  removeEventListener(type: 'open' | 'error', listener: () => void): void;
  removeEventListener(type: 'message', listener: (event: SocketMessageEvent) => void): void;
  removeEventListener(type: 'close', listener: (event: SocketCloseEvent) => void): void;
}

/** Opens one WebSocket to a URL. The adapter calls it once per connection attempt, never at import or at `open`. */
export type SocketFactory = (url: string) => WebSocketLike;

/** `WebSocket.OPEN`. */
export const SOCKET_OPEN = 1;

/**
 * A socket factory that uses the browser's global `WebSocket`, looked up when a socket is opened.
 *
 * @example
 * genesysWebMessaging({ deploymentId, domain: 'mypurecloud.com', socketFactory: browserSocketFactory() });
 */
export function browserSocketFactory(): SocketFactory {
  return (url) => {
    const WebSocketClass = (globalThis as { WebSocket?: new (url: string) => WebSocketLike }).WebSocket;
    if (typeof WebSocketClass !== 'function') {
      throw new ServiceDeskError(
        'CONFIG',
        'There is no global WebSocket here (Node < 22?): pass socketFactory: wsSocketFactory(WebSocket) with WebSocket from the "ws" package.',
      );
    }
    return new WebSocketClass(url);
  };
}

/** The `ws` package's `WebSocket` constructor, as far as {@link wsSocketFactory} uses it. */
export type WsWebSocketClass = new (url: string, options?: { origin?: string; headers?: Record<string, string> }) => WebSocketLike;

/** Options of {@link wsSocketFactory}. */
export interface WsSocketFactoryOptions {
  /** The `Origin` header to send: Genesys may check it against the deployment's allowed domains. */
  origin?: string;
  /** Extra handshake headers. */
  headers?: Record<string, string>;
}

/**
 * A socket factory for Node (tests, server-side bots) on top of the `ws` package. You pass the `WebSocket` class, so
 * this module never imports `ws` itself (it is an optional peer dependency).
 *
 * @example
 * import { WebSocket } from 'ws';
 * import { genesysWebMessaging, wsSocketFactory } from 'rx-service-desk/genesys';
 *
 * const adapter = genesysWebMessaging({
 *   deploymentId,
 *   domain: 'mypurecloud.com',
 *   socketFactory: wsSocketFactory(WebSocket, { origin: 'https://shop.example.com' }),
 * });
 */
export function wsSocketFactory(WebSocketClass: WsWebSocketClass, options: WsSocketFactoryOptions = {}): SocketFactory {
  const connectOptions = {
    ...(options.origin ? { origin: options.origin } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  };
  return (url) => new WebSocketClass(url, connectOptions);
}
