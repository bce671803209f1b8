import { WebSocketServer, WebSocket, type WebSocket as ServerSocket } from 'ws';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { browserSocketFactory, wsSocketFactory, type WebSocketLike } from '../../../lib/adapters/genesys/socket';
import { ServiceDeskError } from '../../../lib/core/errors';

describe('socket factories', () => {
  it('browserSocketFactory uses the global WebSocket when a socket is opened, and says what to do without one', () => {
    const made: string[] = [];
    const globals = globalThis as { WebSocket?: unknown };
    const saved = globals.WebSocket;
    const factory = browserSocketFactory();
    try {
      globals.WebSocket = undefined;
      expect(() => factory('wss://x')).toThrow(ServiceDeskError);
      expect(() => factory('wss://x')).toThrow(/wsSocketFactory/);
      globals.WebSocket = class {
        constructor(url: string) {
          made.push(url);
        }
      };
      factory('wss://example/v1');
      expect(made).toEqual(['wss://example/v1']);
    } finally {
      globals.WebSocket = saved;
    }
  });

  it('wsSocketFactory opens real ws sockets with the given Origin', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const origins: (string | undefined)[] = [];
    server.on('connection', (_socket: ServerSocket, request: IncomingMessage) => origins.push(request.headers.origin));
    const { port } = server.address() as AddressInfo;
    const socket: WebSocketLike = wsSocketFactory(WebSocket, { origin: 'https://shop.example.com' })(`ws://127.0.0.1:${port}`);
    await new Promise<void>((resolve) => socket.addEventListener('open', () => resolve()));
    expect(origins).toEqual(['https://shop.example.com']);
    socket.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
