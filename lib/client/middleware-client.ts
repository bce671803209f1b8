import { ServiceDeskError } from '../core/errors.js';
import {
  VISITOR_HEADER,
  type GenesysAgentProfile,
  type GenesysAuthCode,
  type GenesysAvailability,
  type TwilioAvailability,
  type TwilioKind,
  type TwilioSession,
  type TwilioSessionBody,
  type TwilioToken,
} from '../core/middleware-contract.js';

/** Options of {@link middlewareClient}. */
export interface MiddlewareClientOptions {
  /** Where the middleware is mounted, e.g. `https://shop.example.com/service-desk` or `/service-desk`. */
  readonly baseUrl: string;
  /** Default the global `fetch`, looked up at call time. */
  readonly fetch?: typeof fetch;
  /** Extra request headers (e.g. your app's `Authorization`), or a function returning them per request. */
  readonly headers?: Readonly<Record<string, string>> | (() => Readonly<Record<string, string>> | Promise<Readonly<Record<string, string>>>);
  /** `fetch` credentials mode. Use `'include'` when your session cookie must reach a middleware on another origin. */
  readonly credentials?: RequestCredentials;
  /** Time allowed for one call. Default 10 000. */
  readonly timeoutMs?: number;
  /**
   * Keeps an anonymous visitor's signed id across page reloads (e.g. `sessionStorage`), so a resumed chat keeps its
   * identity. Default: in memory only.
   */
  readonly visitorStorage?: Pick<Storage, 'getItem' | 'setItem'>;
}

/** The browser side of the middleware contract. Every method rejects with a {@link ServiceDeskError}. */
export interface MiddlewareClient {
  /** Starts a Flex chat for the signed-in user: the channel (or conversation) to join and its Access Token. */
  twilioSession(kind: 'chat', body?: TwilioSessionBody): Promise<TwilioSession & { readonly channelSid: string }>;
  twilioSession(kind: 'conversations', body?: TwilioSessionBody): Promise<TwilioSession & { readonly conversationSid: string }>;
  /** A fresh Access Token for the same user (on `tokenAboutToExpire`). */
  twilioToken(kind: TwilioKind): Promise<TwilioToken>;
  /** TaskRouter figures; pass the session's `taskSid` for a queue position. */
  twilioAvailability(options?: { readonly taskSid?: string }): Promise<TwilioAvailability>;
  genesysAvailability(): Promise<GenesysAvailability>;
  /** The agent who sent a Web Messaging message; `null` when the middleware knows none (404). */
  genesysAgentProfile(messageId: string): Promise<GenesysAgentProfile | null>;
  /** A signed identity JWT for `configureAuthenticatedSession`. */
  genesysAuthCode(): Promise<GenesysAuthCode>;
}

const VISITOR_KEY = 'rx-service-desk.visitor';

/**
 * Creates the browser helpers that call the `rx-service-desk/server` middleware. Failures reject with a
 * {@link ServiceDeskError}: 401/403 -> `AUTH_FAILED` (not retryable); 429, 5xx, network errors and timeouts ->
 * retryable `CONNECT_FAILED`; any other 4xx -> not retryable `CONFIG` with the server's message.
 *
 * @example
 * const desk = middlewareClient({ baseUrl: '/service-desk', visitorStorage: sessionStorage });
 * const adapterOptions = {
 *   getSession: () => desk.twilioSession('conversations'),
 *   getToken: () => desk.twilioToken('conversations').then((answer) => answer.token),
 * };
 */
export function middlewareClient(options: MiddlewareClientOptions): MiddlewareClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  let visitor: string | null | undefined;
  const readVisitor = () => {
    if (visitor === undefined) {
      try {
        visitor = options.visitorStorage?.getItem(VISITOR_KEY) ?? null;
      } catch {
        visitor = null;
      }
    }
    return visitor;
  };
  const keepVisitor = (value: string | null) => {
    if (value === null || value === visitor) return;
    visitor = value;
    try {
      options.visitorStorage?.setItem(VISITOR_KEY, value);
    } catch {
      // Storage full or blocked: the id stays in memory.
    }
  };

  const request = async (method: 'GET' | 'POST', path: string, body?: unknown, notFoundIsNull = false): Promise<unknown> => {
    const extra = typeof options.headers === 'function' ? await options.headers() : options.headers;
    const headers: Record<string, string> = { Accept: 'application/json', ...extra };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const known = readVisitor();
    if (known !== null) headers[VISITOR_HEADER] = known;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const doFetch = options.fetch ?? globalThis.fetch;
    let response: Response;
    let text: string;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
        signal: controller.signal,
      });
      text = await response.text();
    } catch (cause) {
      const timedOut = controller.signal.aborted;
      throw new ServiceDeskError(
        'CONNECT_FAILED',
        timedOut
          ? `The service desk middleware did not answer ${method} ${path} within ${timeoutMs} ms. Try again.`
          : `Could not reach the service desk middleware at ${base}. Check the network and baseUrl, then try again.`,
        { retryable: true, cause, context: { path } },
      );
    } finally {
      clearTimeout(timer);
    }
    keepVisitor(response.headers.get(VISITOR_HEADER));
    let payload: unknown;
    try {
      payload = text === '' ? undefined : JSON.parse(text);
    } catch {
      payload = undefined;
    }
    if (response.ok) {
      if (payload === null || typeof payload !== 'object') {
        throw new ServiceDeskError('CONFIG', `${method} ${path} did not answer JSON: check that baseUrl points at the middleware.`, {
          context: { path, status: response.status },
        });
      }
      return payload;
    }
    if (response.status === 404 && notFoundIsNull) return null;
    throw errorFor(response, payload, method, path);
  };

  return {
    twilioSession: ((kind: TwilioKind, body: TwilioSessionBody = {}) =>
      request('POST', '/twilio/session', { kind, ...body })) as MiddlewareClient['twilioSession'],
    twilioToken: (kind) => request('POST', '/twilio/token', { kind }) as Promise<TwilioToken>,
    twilioAvailability: (query = {}) =>
      request('GET', `/twilio/availability${query.taskSid === undefined ? '' : `?taskSid=${encodeURIComponent(query.taskSid)}`}`) as Promise<TwilioAvailability>,
    genesysAvailability: () => request('GET', '/genesys/availability') as Promise<GenesysAvailability>,
    genesysAgentProfile: (messageId) =>
      request('GET', `/genesys/agent-profile?messageId=${encodeURIComponent(messageId)}`, undefined, true) as Promise<GenesysAgentProfile | null>,
    genesysAuthCode: () => request('POST', '/genesys/auth-code') as Promise<GenesysAuthCode>,
  };
}

function errorFor(response: Response, payload: unknown, method: string, path: string): ServiceDeskError {
  const error = payload !== null && typeof payload === 'object' ? (payload as { error?: { code?: unknown; message?: unknown } }).error : undefined;
  const serverCode = typeof error?.code === 'string' ? error.code : undefined;
  const serverMessage = typeof error?.message === 'string' ? error.message : `${method} ${path} answered ${response.status}.`;
  const retryAfter = Number(response.headers.get('Retry-After') ?? NaN);
  const context = {
    path,
    status: response.status,
    ...(serverCode === undefined ? {} : { serverCode }),
    ...(Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}),
  };
  if (response.status === 401) {
    return new ServiceDeskError('AUTH_FAILED', `${serverMessage} Sign the user in, then try again.`, { context });
  }
  if (response.status === 403) {
    return new ServiceDeskError('AUTH_FAILED', `${serverMessage} Check the user's session and the middleware's allowed origins.`, { context });
  }
  if (response.status === 429 || response.status >= 500) {
    return new ServiceDeskError('CONNECT_FAILED', `${serverMessage} (${response.status})`, { retryable: true, context });
  }
  return new ServiceDeskError('CONFIG', serverMessage, { context });
}
