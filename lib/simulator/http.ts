import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The request body, or `undefined` when it is larger than `limit` bytes. The rest of a body over the limit is read
 * and dropped rather than the socket destroyed, so the client gets the answer (a 413) instead of a reset.
 *
 * @example
 * const body = await readBody(request, 64 * 1024);
 * if (body === undefined) return sendJson(response, 413, { message: 'The body is too large.' });
 */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * Starts `server` listening on `port` (0: a free one) and `host`, and gives the address it took. Rejects when it
 * cannot listen, for example when the port is taken (`EADDRINUSE`), instead of leaving an uncaught `'error'`.
 * Call it before attaching a `ws` WebSocketServer to `server`: that re-emits the server's errors on itself and
 * throws where nobody listens to them, so a failed listen would still be uncaught.
 *
 * @example
 * const { port } = await listen(createServer(handle), 0, '127.0.0.1');
 */
export function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server.address() as AddressInfo));
  });
}
