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
 * The part of a WebSocket the library uses (the Genesys adapter, the simulator's transport, the testing fakes): the browser's `WebSocket` and the `ws` package's `WebSocket` both fit.
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
