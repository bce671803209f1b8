/** Small WebSocket helpers of the demo server. */
import { WebSocket } from 'ws';
import type { ConsoleUpdate } from '../shared/console-protocol.js';
import { parseJson } from './validate.js';

/** Sends `message` as one JSON frame when the socket is open (a message to a closing socket is dropped). */
export function sendFrame(socket: WebSocket, message: unknown): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

/**
 * Serves one agent console's socket: keeps it in `consoles` while it is open, sends it `hello`, and runs each frame it
 * sends through `command`, which returns why it refused it (sent back as `refused`) or nothing.
 */
export function serveConsole(
  socket: WebSocket,
  consoles: Set<WebSocket>,
  hello: Extract<ConsoleUpdate, { t: 'hello' }>,
  command: (body: unknown) => string | undefined,
): void {
  consoles.add(socket);
  sendFrame(socket, hello);
  socket.on('message', (data) => {
    const refused = command(parseJson(String(data)));
    if (refused) sendFrame(socket, { t: 'refused', reason: refused } satisfies ConsoleUpdate);
  });
  socket.on('close', () => consoles.delete(socket));
  socket.on('error', () => socket.terminate());
}
