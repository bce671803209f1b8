/** Small HTTP helpers of the demo server. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJson } from './validate.js';

/** Sends a JSON body. */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(data);
}

/** Sends `{ error: { code, message } }`, the error shape of the project's HTTP APIs. */
export function sendError(response: ServerResponse, status: number, code: string, message: string): void {
  sendJson(response, status, { error: { code, message } });
}

/** Reads a request body of at most `limit` bytes as text; rejects when it is larger. */
export function readBody(request: IncomingMessage, limit = 64 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error(`request body over ${limit} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/**
 * Answers a console command posted as JSON: runs `command` on the parsed body, which returns why it refused it (a
 * 400 BAD_COMMAND) or nothing (200 `{ ok: true }`).
 */
export async function answerCommand(request: IncomingMessage, response: ServerResponse, command: (body: unknown) => string | undefined): Promise<void> {
  const body = await readBody(request).catch(() => undefined);
  const refused = body === undefined ? 'the body is too large' : command(parseJson(body));
  if (refused) sendError(response, 400, 'BAD_COMMAND', refused);
  else sendJson(response, 200, { ok: true });
}
