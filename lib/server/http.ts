import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, badRequest } from './errors.js';

/** The plain `(req, res, next?)` handler shape that `node:http`, Express and Connect-style routers all accept. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => Promise<void>;

/**
 * Writes a JSON answer with headers that keep it out of caches and sniffers, and `Vary: Origin` (every answer of the
 * middleware depends on its Origin check). All headers go in one `writeHead`: headers set before with `setHeader`
 * (CORS, visitor token) are merged in.
 *
 * @example
 * sendJson(res, 200, { status: 'ok' });
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(payload),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    Vary: 'Origin',
  });
  res.end(payload);
}

/**
 * The path and the query string of a request target, split without a URL parser for the usual origin-form (`/path?q`:
 * routing is on the exact path, and this runs on every request); an absolute-form target (`http://host/path`, sent
 * through proxies) is parsed.
 *
 * @example
 * splitTarget('/genesys/agent-profile?messageId=m1'); // { path: '/genesys/agent-profile', query: 'messageId=m1' }
 */
export function splitTarget(target: string | undefined): { path: string; query: string } {
  let value = target ?? '/';
  if (!value.startsWith('/')) {
    const url = URL.canParse(value) ? new URL(value) : undefined;
    value = url === undefined ? value : `${url.pathname}${url.search}`;
  }
  const mark = value.indexOf('?');
  return mark === -1 ? { path: value, query: '' } : { path: value.slice(0, mark), query: value.slice(mark + 1) };
}

/**
 * Writes `{ "error": { "code", "message" } }` for an {@link HttpError}.
 *
 * @example
 * sendError(res, new HttpError(404, 'NOT_FOUND', 'No such endpoint.'));
 */
export function sendError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, { error: { code: error.code, message: error.message } }, error.headers);
}

/** A request as Express and similar frameworks may hand it over: the body possibly parsed already. */
type MaybeParsed = IncomingMessage & { body?: unknown };

function isJsonType(req: IncomingMessage): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || type.endsWith('+json');
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
}

function tooLarge(limitBytes: number): HttpError {
  return new HttpError(413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${limitBytes} bytes.`, {
    Connection: 'close',
  });
}

/**
 * Reads a JSON request body of at most `limitBytes`: `undefined` when there is none. Rejects with 413 (too large, from
 * `Content-Length` before reading or while streaming), 415 (not JSON) or 400 (malformed). A body a framework already
 * parsed (`req.body`, e.g. `express.json()`) is used as it is.
 *
 * @example
 * const body = await readJsonBody(req, 16 * 1024);
 */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const parsed = (req as MaybeParsed).body;
  if (parsed !== undefined) {
    if (typeof parsed === 'string' || Buffer.isBuffer(parsed)) {
      if (Buffer.byteLength(parsed) > limitBytes) throw tooLarge(limitBytes);
      return parseJson(parsed.toString());
    }
    return parsed;
  }
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limitBytes) {
    req.resume();
    throw tooLarge(limitBytes);
  }
  if (req.readableEnded) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        cleanup();
        req.resume();
        reject(tooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve();
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
  if (size === 0) return undefined;
  if (!isJsonType(req)) {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json.');
  }
  return parseJson(Buffer.concat(chunks).toString('utf8'));
}

/**
 * The entries of `X-Forwarded-For`, left (the client's claim) to right (added by the nearest proxy).
 *
 * @example
 * forwardedFor(req); // ['6.6.6.6', '203.0.113.7']
 */
export function forwardedFor(req: IncomingMessage): string[] {
  const header = req.headers['x-forwarded-for'];
  return (Array.isArray(header) ? header.join(',') : header ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/**
 * The caller's address: the socket's, or with `trustProxyHops` > 0 the one the nearest trusted proxy recorded in
 * `X-Forwarded-For` (never the left-most entry, which the client can forge). Only sound when clients cannot reach
 * this service without passing the proxies: a client connecting directly picks its own address.
 *
 * @example
 * clientAddress(req, 1); // behind one load balancer
 */
export function clientAddress(req: IncomingMessage, trustProxyHops: number): string {
  const socketAddress = req.socket.remoteAddress ?? 'unknown';
  if (trustProxyHops <= 0) return socketAddress;
  const list = forwardedFor(req);
  return list[list.length - trustProxyHops] ?? socketAddress;
}
