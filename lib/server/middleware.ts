import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ServiceDeskError } from '../core/errors.js';
import { amazonConnectService, validateAmazonConnectConfig, type AmazonConnectConfig } from './amazon-connect.js';
import { createLogger, type Logger } from '../core/logger.js';
import { VISITOR_HEADER } from '../core/middleware-contract.js';
import { corsStep, normalizeOrigin, type CorsOptions } from './cors.js';
import { HttpError } from './errors.js';
import { genesysService, validateGenesysConfig, type GenesysConfig } from './genesys.js';
import { clientAddress, forwardedFor, readJsonBody, sendError, sendJson, splitTarget, type RequestHandler } from './http.js';
import { isValidIdentity, visitorIds, type AnonymousOptions, type Authenticate, type Identity } from './identity.js';
import { createRateLimiter, type RateLimitStore } from './rate-limit.js';
import { twilioAvailability, twilioSession, twilioToken, validateTwilioConfig, type TwilioConfig } from './twilio.js';
import type { UpstreamContext } from './upstream.js';

/** Rate limit settings: a fixed window per signed-in identity, or per client address for everyone else. */
export interface RateLimitOptions {
  /** Requests per window. Default 30. */
  readonly max?: number;
  /** Default 60. */
  readonly windowSeconds?: number;
  /** Default: in memory, per instance. */
  readonly store?: RateLimitStore;
}

/** Everything the middleware needs. Put secrets here from the environment only (see {@link serverOptionsFromEnv}). */
export interface ServerConfig {
  /** Who is asking, from the host application's session. Give this, `anonymous`, or both. */
  readonly authenticate?: Authenticate;
  /** Lets visitors without a session chat under a random, signed visitor id. */
  readonly anonymous?: AnonymousOptions;
  /** Browser origins allowed to call. Without it, only non-browser clients and same-origin GETs can. */
  readonly cors?: CorsOptions;
  /** Default `{ max: 30, windowSeconds: 60 }`; `false` turns limiting off (e.g. when a gateway does it). */
  readonly rateLimit?: RateLimitOptions | false;
  /** Largest accepted request body. Default 16 384. */
  readonly bodyLimitBytes?: number;
  /** Time allowed for one vendor call. Default 8 000. */
  readonly upstreamTimeoutMs?: number;
  /** Proxies in front of this service whose `X-Forwarded-For` entry to trust. Default 0 (use the socket address). */
  readonly trustProxyHops?: number;
  /** Path prefix that `createMiddleware` strips, e.g. `/service-desk`. Default none. */
  readonly basePath?: string;
  readonly twilio?: TwilioConfig;
  readonly genesys?: GenesysConfig;
  readonly amazonConnect?: AmazonConnectConfig;
  /** Default: `createLogger({ level: 'info' })` (redacts secret-looking keys). */
  readonly logger?: Logger;
  /** Default the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Default `Date.now`. */
  readonly clock?: () => number;
}

/**
 * Checks a {@link ServerConfig} and throws a `CONFIG` {@link ServiceDeskError} listing every problem.
 *
 * @example
 * validateServerConfig({ anonymous: { secret: 'short' } }); // throws: anonymous.secret must be at least 32 characters.
 */
export function validateServerConfig(config: ServerConfig): void {
  const problems: string[] = [];
  if (config.authenticate === undefined && config.anonymous === undefined) {
    problems.push('Give "authenticate" (your session -> identity) or "anonymous" (signed visitor ids), or both.');
  }
  if (config.anonymous !== undefined && (config.anonymous.secret ?? '').length < 32) problems.push('anonymous.secret must be at least 32 characters.');
  if (config.cors !== undefined && Array.isArray(config.cors.origins)) {
    for (const origin of config.cors.origins) {
      try {
        normalizeOrigin(origin);
      } catch (error) {
        problems.push(`cors.origins: ${(error as Error).message}`);
      }
    }
  }
  for (const host of config.cors?.sameOriginHosts ?? []) {
    if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(host)) problems.push(`cors.sameOriginHosts: "${host}" is not a host[:port].`);
  }
  const intIn = (name: string, value: number | undefined, min: number, max: number) => {
    if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) problems.push(`${name} must be a whole number from ${min} to ${max}.`);
  };
  if (config.rateLimit !== false && config.rateLimit !== undefined) {
    intIn('rateLimit.max', config.rateLimit.max, 1, 1_000_000);
    intIn('rateLimit.windowSeconds', config.rateLimit.windowSeconds, 1, 86_400);
  }
  intIn('bodyLimitBytes', config.bodyLimitBytes, 256, 1_048_576);
  intIn('upstreamTimeoutMs', config.upstreamTimeoutMs, 50, 120_000);
  intIn('trustProxyHops', config.trustProxyHops, 0, 10);
  if (config.basePath !== undefined && config.basePath !== '' && !/^\/[A-Za-z0-9._~\-/]*[^/]$/.test(config.basePath)) {
    problems.push('basePath must start with "/" and not end with one, e.g. /service-desk.');
  }
  if (config.twilio !== undefined) problems.push(...validateTwilioConfig(config.twilio));
  if (config.genesys !== undefined) problems.push(...validateGenesysConfig(config.genesys));
  if (config.amazonConnect !== undefined) problems.push(...validateAmazonConnectConfig(config.amazonConnect));
  if (problems.length > 0) throw new ServiceDeskError('CONFIG', `Invalid middleware configuration: ${problems.join(' ')}`);
}

/** One endpoint: `(req, res, next?)` handlers for `node:http`, Express, Connect-style routers. */
export interface ServiceDeskHandlers {
  /** `GET /healthz`: `{ "status": "ok" }`, no authentication. */
  readonly healthz: RequestHandler;
  /** `POST /twilio/session` */
  readonly twilioSession: RequestHandler;
  /** `POST /twilio/token` */
  readonly twilioToken: RequestHandler;
  /** `GET /twilio/availability` */
  readonly twilioAvailability: RequestHandler;
  /** `GET /genesys/availability` */
  readonly genesysAvailability: RequestHandler;
  /** `GET /genesys/agent-profile?messageId=…` */
  readonly genesysAgentProfile: RequestHandler;
  /** `POST /genesys/auth-code` */
  readonly genesysAuthCode: RequestHandler;
  /** `POST /amazon-connect/chat` */
  readonly amazonConnectChat: RequestHandler;
  /** `GET /amazon-connect/availability` */
  readonly amazonConnectAvailability: RequestHandler;
}

interface RouteContext {
  readonly identity: Identity;
  readonly body: unknown;
  readonly query: URLSearchParams;
}

interface Route {
  readonly method: 'GET' | 'POST';
  /** The path `createMiddleware` serves it at (below `basePath`). */
  readonly path: string;
  /** No identity, no rate limit (health checks). */
  readonly open?: boolean;
  run(context: RouteContext): Promise<unknown>;
}

function notConfigured(vendor: string): never {
  throw new HttpError(404, 'NOT_FOUND', `${vendor} is not configured on this server.`);
}

function routesFor(config: ServerConfig, upstream: UpstreamContext, clock: () => number): Record<keyof ServiceDeskHandlers, Route> {
  const twilio = config.twilio === undefined ? undefined : { config: config.twilio, upstream, clock };
  const genesys = config.genesys === undefined ? undefined : genesysService({ config: config.genesys, upstream, clock });
  const needTwilio = () => twilio ?? notConfigured('Twilio');
  const needGenesys = () => genesys ?? notConfigured('Genesys');
  const amazonConnect = config.amazonConnect === undefined ? undefined : amazonConnectService({ config: config.amazonConnect, upstream });
  const needAmazonConnect = () => amazonConnect ?? notConfigured('Amazon Connect');
  return {
    healthz: { method: 'GET', path: '/healthz', open: true, run: async () => ({ status: 'ok' }) },
    twilioSession: { method: 'POST', path: '/twilio/session', run: (c) => twilioSession(needTwilio(), c.identity, c.body) },
    twilioToken: { method: 'POST', path: '/twilio/token', run: (c) => twilioToken(needTwilio(), c.identity, c.body) },
    twilioAvailability: { method: 'GET', path: '/twilio/availability', run: (c) => twilioAvailability(needTwilio(), c.query) },
    genesysAvailability: { method: 'GET', path: '/genesys/availability', run: (c) => needGenesys().availability(c.query) },
    genesysAgentProfile: { method: 'GET', path: '/genesys/agent-profile', run: (c) => needGenesys().agentProfile(c.query) },
    genesysAuthCode: {
      method: 'POST',
      path: '/genesys/auth-code',
      run: (c) => {
        if (c.body !== undefined) throw new HttpError(400, 'BAD_REQUEST', 'This endpoint takes no body.');
        return needGenesys().authCode(c.identity);
      },
    },
    amazonConnectChat: { method: 'POST', path: '/amazon-connect/chat', run: (c) => needAmazonConnect().startChat(c.identity, c.body) },
    amazonConnectAvailability: { method: 'GET', path: '/amazon-connect/availability', run: (c) => needAmazonConnect().availability(c.query) },
  };
}

/**
 * Creates one `(req, res, next?)` handler per endpoint, each with the full protection (CORS allowlist, identity,
 * rate limit, body limit, validation, JSON errors), to mount at paths of your choice.
 *
 * @example
 * const desk = createHandlers({ authenticate: (req) => sessionUser(req), twilio: { … } });
 * app.post('/chat/session', desk.twilioSession);
 * app.post('/chat/token', desk.twilioToken);
 */
export function createHandlers(config: ServerConfig): ServiceDeskHandlers {
  return buildHandlers(config).handlers;
}

function buildHandlers(config: ServerConfig): { handlers: ServiceDeskHandlers; paths: Map<string, RequestHandler> } {
  validateServerConfig(config);
  const logger = config.logger ?? createLogger({ level: 'info' });
  const clock = config.clock ?? Date.now;
  const upstream: UpstreamContext = { fetch: config.fetch ?? globalThis.fetch, timeoutMs: config.upstreamTimeoutMs ?? 8000, logger };
  const hops = config.trustProxyHops ?? 0;
  const cors = corsStep(config.cors, hops);
  const visitors = config.anonymous === undefined ? undefined : visitorIds(config.anonymous);
  const limit =
    config.rateLimit === false
      ? undefined
      : createRateLimiter({
          max: config.rateLimit?.max ?? 30,
          windowMs: (config.rateLimit?.windowSeconds ?? 60) * 1000,
          store: config.rateLimit?.store,
          clock,
        });
  const bodyLimit = config.bodyLimitBytes ?? 16_384;
  let warnedDirect = false;
  /** With proxy trust on, a request that did not pass the proxies means clients can forge their address: say so once. */
  const checkProxied = (req: IncomingMessage) => {
    if (hops <= 0 || warnedDirect) return;
    const entries = forwardedFor(req).length;
    if (entries >= hops) return;
    warnedDirect = true;
    logger.warn(
      `trustProxyHops is ${hops} but a request arrived with ${entries} X-Forwarded-For entries: clients can reach this service without the proxy, and can then forge X-Forwarded-For to get a fresh rate limit per request. Let only the proxy connect, or set trustProxyHops to 0.`,
      { socketAddress: req.socket.remoteAddress },
    );
  };

  const identify = async (req: IncomingMessage, res: ServerResponse): Promise<Identity | null> => {
    if (config.authenticate !== undefined) {
      let found: Identity | null | undefined;
      try {
        found = await config.authenticate(req);
      } catch (error) {
        logger.warn('authenticate() failed; treating the request as signed out', { error });
      }
      if (found !== null && found !== undefined) {
        if (!isValidIdentity(found)) {
          logger.error('authenticate() returned an invalid identity: give { id } of 1-256 letters, digits or _ . @ : + -');
          throw new HttpError(500, 'INTERNAL', 'The server could not tell who you are.');
        }
        return { id: found.id, ...(found.name === undefined ? {} : { name: found.name }) };
      }
    }
    if (visitors === undefined) return null;
    const header = req.headers[VISITOR_HEADER.toLowerCase()];
    const id = typeof header === 'string' ? visitors.verify(header, clock()) : null;
    if (id !== null) return { id, anonymous: true };
    const fresh = visitors.issue(clock());
    res.setHeader(VISITOR_HEADER, fresh.token);
    return { id: fresh.id, anonymous: true };
  };

  const serve = (route: Route): RequestHandler => async (req, res) => {
    const started = clock();
    try {
      cors(req, res, [route.method]);
      if (req.method === 'OPTIONS') {
        res.statusCode = 204;
        res.setHeader('Content-Length', '0');
        res.end();
        return;
      }
      if (req.method !== route.method) {
        throw new HttpError(405, 'METHOD_NOT_ALLOWED', `Use ${route.method} for this endpoint.`, { Allow: `${route.method}, OPTIONS` });
      }
      const query = new URLSearchParams(splitTarget(req.url).query);
      if (route.open === true) {
        sendJson(res, 200, await route.run({ identity: { id: 'health' }, body: undefined, query }));
        return;
      }
      checkProxied(req);
      const identity = await identify(req, res);
      if (limit !== undefined) {
        const key = identity !== null && identity.anonymous !== true ? `id:${identity.id}` : `ip:${clientAddress(req, hops)}`;
        const verdict = await limit(key);
        if (!verdict.allowed) {
          throw new HttpError(429, 'RATE_LIMITED', 'Too many requests. Try again later.', { 'Retry-After': String(verdict.retryAfterSeconds) });
        }
      }
      if (identity === null) throw new HttpError(401, 'UNAUTHENTICATED', 'Sign in to chat with an agent.');
      const body = route.method === 'POST' ? await readJsonBody(req, bodyLimit) : undefined;
      sendJson(res, 200, await route.run({ identity, body, query }));
    } catch (error) {
      if (error instanceof HttpError) {
        sendError(res, error);
      } else {
        logger.error('request failed', { route: route.path, error });
        sendError(res, new HttpError(500, 'INTERNAL', 'Something went wrong on the server.'));
      }
    } finally {
      logger.debug('request', { method: req.method, route: route.path, status: res.statusCode, ms: clock() - started });
    }
  };

  const routes = routesFor(config, upstream, clock);
  const handlers: ServiceDeskHandlers = {
    healthz: serve(routes.healthz),
    twilioSession: serve(routes.twilioSession),
    twilioToken: serve(routes.twilioToken),
    twilioAvailability: serve(routes.twilioAvailability),
    genesysAvailability: serve(routes.genesysAvailability),
    genesysAgentProfile: serve(routes.genesysAgentProfile),
    genesysAuthCode: serve(routes.genesysAuthCode),
    amazonConnectChat: serve(routes.amazonConnectChat),
    amazonConnectAvailability: serve(routes.amazonConnectAvailability),
  };
  const names = Object.keys(routes) as (keyof ServiceDeskHandlers)[];
  return { handlers, paths: new Map(names.map((name) => [routes[name].path, handlers[name]])) };
}

/**
 * Creates one handler that routes every endpoint of the middleware contract (below `basePath`). Unknown paths go to
 * `next()` when there is one (Express, Connect), else get a JSON 404.
 *
 * @example
 * import express from 'express';
 * const app = express();
 * app.use('/service-desk', createMiddleware({ authenticate: (req) => req.user ?? null, cors: { origins: ['https://shop.example.com'] }, twilio: { … } }));
 */
export function createMiddleware(config: ServerConfig): RequestHandler {
  const byPath = buildHandlers(config).paths;
  const basePath = config.basePath ?? '';
  return async (req, res, next) => {
    let { path } = splitTarget(req.url);
    if (basePath !== '') path = path === basePath || path.startsWith(`${basePath}/`) ? path.slice(basePath.length) : '';
    const handler = byPath.get(path);
    if (handler !== undefined) return handler(req, res);
    if (next !== undefined) {
      next();
      return;
    }
    sendError(res, new HttpError(404, 'NOT_FOUND', 'No such endpoint.'));
  };
}

/**
 * Creates a `node:http` server running {@link createMiddleware}, with tight request timeouts. Call `listen` yourself.
 *
 * @example
 * const server = createServer({ anonymous: { secret: process.env.VISITOR_SECRET! }, genesys: { … } });
 * server.listen(8787, '0.0.0.0');
 */
export function createServer(config: ServerConfig): Server {
  const middleware = createMiddleware(config);
  const server = createHttpServer((req, res) => {
    void middleware(req, res);
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  return server;
}
