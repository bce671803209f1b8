import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './errors.js';

/** Options of the CORS allowlist. */
export interface CorsOptions {
  /**
   * Exact origins (`https://shop.example.com`, scheme + host + optional port) allowed to call the middleware from a
   * browser, or a predicate. `*` is refused: this middleware mints credentials.
   */
  readonly origins: readonly string[] | ((origin: string) => boolean);
  /** Request headers a browser may send besides `Content-Type`, `Authorization` and `X-Visitor-Token`. */
  readonly allowHeaders?: readonly string[];
  /** How long a browser may cache a preflight answer. Default 600. */
  readonly maxAgeSeconds?: number;
}

/** The header carrying an anonymous visitor's signed id, both ways. */
export const VISITOR_HEADER = 'X-Visitor-Token';

const BASE_HEADERS = ['Content-Type', 'Authorization', VISITOR_HEADER];
const EXPOSED = ['Retry-After', VISITOR_HEADER].join(', ');

/**
 * Normalises and checks an allowlist entry: `scheme://host[:port]`, no path, no wildcard.
 *
 * @example
 * normalizeOrigin('https://Shop.example.com/'); // 'https://shop.example.com'
 */
export function normalizeOrigin(origin: string): string {
  const trimmed = origin.trim().replace(/\/$/, '');
  if (trimmed.includes('*')) throw new Error('A CORS origin cannot be a wildcard: list each origin.');
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new Error(`"${origin}" is not an origin: write it as https://host[:port].`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.pathname !== '/' || url.search || url.hash) {
    throw new Error(`"${origin}" is not an origin: write it as https://host[:port], without a path.`);
  }
  return url.origin;
}

/**
 * Builds the CORS step: for a request without `Origin` it does nothing; for an allowed origin it sets the CORS
 * headers (credentials allowed, `Vary: Origin`); for any other origin it throws 403, so that a page elsewhere can
 * neither read an answer nor trigger a side effect (CSRF). A browser's same-origin request passes too.
 *
 * @example
 * const cors = corsStep({ origins: ['https://shop.example.com'] });
 * cors(req, res, ['POST']); // throws HttpError 403 for https://evil.example
 */
export function corsStep(options: CorsOptions | undefined): (req: IncomingMessage, res: ServerResponse, methods: readonly string[]) => void {
  const list = options === undefined ? [] : Array.isArray(options.origins) ? options.origins.map(normalizeOrigin) : [];
  const allowed =
    options !== undefined && typeof options.origins === 'function' ? options.origins : (origin: string) => list.includes(origin);
  const allowHeaders = [...BASE_HEADERS, ...(options?.allowHeaders ?? [])].join(', ');
  const maxAge = String(options?.maxAgeSeconds ?? 600);
  return (req, res, methods) => {
    res.setHeader('Vary', 'Origin');
    const origin = req.headers.origin;
    if (origin === undefined) return;
    if (!allowed(origin) && !sameOrigin(origin, req)) {
      throw new HttpError(403, 'ORIGIN_NOT_ALLOWED', 'This origin may not call the service desk middleware.');
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Access-Control-Expose-Headers', EXPOSED);
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', [...methods, 'OPTIONS'].join(', '));
      res.setHeader('Access-Control-Allow-Headers', allowHeaders);
      res.setHeader('Access-Control-Max-Age', maxAge);
    }
  };
}

function sameOrigin(origin: string, req: IncomingMessage): boolean {
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
