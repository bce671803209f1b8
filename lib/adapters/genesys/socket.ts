import { ServiceDeskError } from '../../core/errors.js';
import type { WebSocketLike } from '../../core/web-socket.js';

export type { SocketCloseEvent, SocketMessageEvent, WebSocketLike } from '../../core/web-socket.js';

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
