/**
 * Loads the REAL `amazon-connect-chatjs` 5.0.0 in Node, for the one smoke spec. The shims live here, never in lib/
 * (a browser has them). Facts checked in node_modules/amazon-connect-chatjs/dist/amazon-connect-chat.js (line numbers
 * of the esbuild-formatted bundle, `npx esbuild <bundle> --outfile=/tmp/connect-chat.js`):
 * - `require()` exports nothing: the last lines assign `connect.ChatSession` on the global (5972);
 * - it reads `navigator.onLine` (`isNetworkOnline`, 4506) and `navigator.userAgent` (`isMobile`, 4510), and
 *   `window.connect.version` when it creates a session (5950);
 * - its WebSocketManager calls `new WebSocket(url)` on the global (4904) and accepts only `^wss://` or
 *   `^ws://127.0.0.1:` URLs (4494);
 * - `setGlobalConfig` takes `endpoint` (read as `endpointOverride`, 3825), absent from its index.d.ts.
 */
import { WebSocket } from 'ws';

/** The part of the global `connect` the specs use. */
export interface RealChatJs {
  readonly ChatSession: {
    setGlobalConfig(config: Record<string, unknown>): void;
    create(args: Record<string, unknown>): RealCustomerSession;
  };
}

/** The part of a real `CustomerChatSession` the specs use (index.d.ts of the SDK). */
export interface RealCustomerSession {
  connect(): Promise<{ connectSuccess: boolean }>;
  sendMessage(args: { message: string; contentType: string }): Promise<{ data?: { Id: string } }>;
  sendEvent(args: { contentType: string; content?: string }): Promise<unknown>;
  getTranscript(args: Record<string, unknown>): Promise<{ data?: { Transcript: { Id: string; Content?: string }[] } }>;
  disconnectParticipant(): Promise<unknown>;
  onMessage(handler: (event: { data: Record<string, unknown> }) => void): void;
  onTyping(handler: (event: { data: Record<string, unknown> }) => void): void;
  onEnded(handler: (event: unknown) => void): void;
  onConnectionEstablished(handler: (event: unknown) => void): void;
}

/**
 * chatjs keeps timers alive after a chat has ended (the 10 s lodash.throttle of typing events, src/client/client.js:348
 * in its source map): a browser tab does not care, a test worker would wait for them. The timers the bundle starts are
 * unref'd, so they still fire while the worker lives but do not keep it alive.
 */
function unrefChatJsTimers(): void {
  const original = globalThis.setTimeout;
  const wrapped = (handler: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const timer = original(handler, ms, ...args);
    if (new Error().stack?.includes('amazon-connect-chat')) timer.unref();
    return timer;
  };
  globalThis.setTimeout = Object.assign(wrapped, original) as typeof setTimeout;
}

/** Installs `self`, `window`, `navigator` and `WebSocket` (from `ws`) on the test's global and loads the SDK. */
export function loadRealChatJs(): RealChatJs {
  unrefChatJsTimers();
  const global = globalThis as unknown as Record<string, unknown>;
  global.self = globalThis;
  global.window = globalThis;
  if (!('navigator' in globalThis)) global.navigator = { userAgent: 'node', onLine: true };
  global.WebSocket = WebSocket;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('amazon-connect-chatjs');
  return global.connect as RealChatJs;
}
