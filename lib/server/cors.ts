import type { IncomingMessage, ServerResponse } from 'node:http';
import { VISITOR_HEADER } from '../core/middleware-contract.js';
import { HttpError } from './errors.js';

/** Options of the CORS allowlist. */
export interface CorsOptions {
  /**
   * Exact origins (`https://shop.example.com`, scheme + host + optional port) allowed to call the middleware from a
   * browser, or a predicate. `*` is refused: this middleware mints credentials.
   */
  readonly origins: readonly string[] | ((origin: string) => boolean);
  /**
   * `Host` headers (`host[:port]`, as the browser sends them) at which pages of the same origin as this service are
   * served, e.g. `shop.example.com` when the middleware is mounted in the shop's own server. A request whose `Origin`
   * has the same scheme, host and port as its `Host` passes without being in `origins`, but only for these hosts (a
   * DNS-rebinding site has a matching Host that is not on this list). Default none: same-origin pages that send an
   * `Origin` must be listed in `origins`.
   */
  readonly sameOriginHosts?: readonly string[];
  /** Request headers a browser may send besides `Content-Type`, `Authorization` and `X-Visitor-Token`. */
  readonly allowHeaders?: readonly string[];
  /** How long a browser may cache a preflight answer. Default 600. */
  readonly maxAgeSeconds?: number;
}


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
 * headers (credentials allowed; `Vary: Origin` on a preflight, `sendJson` adds it to every other answer); for
 * any other origin it throws 403, so that a page elsewhere can
 * neither read an answer nor trigger a side effect (CSRF). A same-origin request passes too when its `Host` is on
 * `sameOriginHosts` and its `Origin` has the request's scheme, host and port (the scheme from `X-Forwarded-Proto`
 * when `trustProxyHops` > 0, else from the socket).
 *
 * @example
 * const cors = corsStep({ origins: ['https://shop.example.com'] });
 * cors(req, res, ['POST']); // throws HttpError 403 for https://evil.example
 */
export function corsStep(
  options: CorsOptions | undefined,
  trustProxyHops = 0,
): (req: IncomingMessage, res: ServerResponse, methods: readonly string[]) => void {
  const hosts = new Set((options?.sameOriginHosts ?? []).map((host) => host.toLowerCase()));
  const list = options === undefined ? [] : Array.isArray(options.origins) ? options.origins.map(normalizeOrigin) : [];
  const allowed =
    options !== undefined && typeof options.origins === 'function' ? options.origins : (origin: string) => list.includes(origin);
  const allowHeaders = [...BASE_HEADERS, ...(options?.allowHeaders ?? [])].join(', ');
  const maxAge = String(options?.maxAgeSeconds ?? 600);
  return (req, res, methods) => {
    const origin = req.headers.origin;
    if (origin === undefined) return;
    if (!allowed(origin) && !sameOrigin(origin, req, hosts, trustProxyHops)) {
      throw new HttpError(403, 'ORIGIN_NOT_ALLOWED', 'This origin may not call the service desk middleware.');
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Access-Control-Expose-Headers', EXPOSED);
    if (req.method === 'OPTIONS') {
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Allow-Methods', [...methods, 'OPTIONS'].join(', '));
      res.setHeader('Access-Control-Allow-Headers', allowHeaders);
      res.setHeader('Access-Control-Max-Age', maxAge);
    }
  };
}

function sameOrigin(origin: string, req: IncomingMessage, hosts: ReadonlySet<string>, trustProxyHops: number): boolean {
  const host = req.headers.host?.toLowerCase();
  if (host === undefined || !hosts.has(host)) return false;
  try {
    return new URL(origin).origin === new URL(`${requestScheme(req, trustProxyHops)}://${host}`).origin;
  } catch {
    return false;
  }
}

/** `https` or `http`: what the nearest trusted proxy recorded in `X-Forwarded-Proto`, else the socket's. */
function requestScheme(req: IncomingMessage, trustProxyHops: number): string {
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  if (trustProxyHops <= 0) return encrypted ? 'https' : 'http';
  const header = req.headers['x-forwarded-proto'];
  const recorded = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((entry) => entry.trim().toLowerCase());
  const proto = recorded[recorded.length - 1];
  return proto === 'https' || proto === 'http' ? proto : encrypted ? 'https' : 'http';
}
