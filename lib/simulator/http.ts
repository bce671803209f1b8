import type { IncomingMessage } from 'node:http';

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
