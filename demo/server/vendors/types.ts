/**
 * What a vendor brings to the demo server. Each vendor the chat page can use (`?vendor=NAME`) has a factory here
 * (`./index.ts`) and a browser half in `demo/chat/vendors/`. The server starts every registered vendor, serves its
 * routes and WebSocket endpoints, and hands `client` to the chat page in `/config.json`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';

/** What the server tells a vendor when starting it. */
export interface VendorContext {
  /** The demo's own origin, e.g. `http://127.0.0.1:5173`. */
  readonly origin: string;
  /** Writes one line to the terminal. */
  readonly log: (line: string) => void;
}

/** Takes one WebSocket the server accepted on the vendor's path. */
export type SocketHandler = (socket: WebSocket, request: IncomingMessage) => void;

/** Answers one HTTP request and returns `true`, or returns `false` when the path is not the vendor's. */
export type RouteHandler = (request: IncomingMessage, response: ServerResponse, url: URL) => boolean | Promise<boolean>;

/** A started vendor. */
export interface ServerVendor {
  /** JSON-serialisable settings the browser half needs (`/config.json` -> `vendors[NAME]`). */
  readonly client: Readonly<Record<string, unknown>>;
  /** WebSocket endpoints by path (e.g. `/ws/desk`). */
  readonly sockets?: Readonly<Record<string, SocketHandler>>;
  readonly route?: RouteHandler;
  /** Other origins the chat page may connect to (added to the page's `connect-src`; only 127.0.0.1 ones). */
  readonly connectSrc?: readonly string[];
  /** Stops timers and closes what the vendor opened. */
  close(): void | Promise<void>;
}

/** Starts a vendor once the server knows its origin. */
export type VendorFactory = (context: VendorContext) => ServerVendor | Promise<ServerVendor>;
