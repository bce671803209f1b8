import type { ServiceDeskAdapter } from '../../core/adapter.js';
import { createAdapter } from '../../core/engine/engine.js';
import type { CommonAdapterOptions } from '../../core/engine/port.js';
import { ServiceDeskError } from '../../core/errors.js';
import type { GenesysAgentProfile } from '../../core/middleware-contract.js';
import type { FetchLike } from './http.js';
import { genesysPort, type GenesysSession } from './port.js';
import type { WmJourneyContext } from './protocol.js';
import { browserSocketFactory, type SocketFactory } from './socket.js';

/**
 * Options of {@link genesysWebMessaging}: the common adapter options (`checkAvailability`, `queuePollMs`,
 * `typingIntervalMs`, `endAction`, `capabilities`, history bounds, `messageIdAttribute`, `profileTimeoutMs`,
 * `agentFallbackName`, `name`) and the Web Messaging ones. Every timing is in milliseconds.
 */
export interface GenesysWebMessagingOptions extends CommonAdapterOptions<GenesysSession> {
  /** The Messenger deployment id (Admin > Message > Messenger Deployments). */
  deploymentId: string;
  /** The region's domain, e.g. `'mypurecloud.com'`, `'mypurecloud.ie'`, `'euw2.pure.cloud'`. Needed unless both URLs are given. */
  domain?: string;
  /** The Web Messaging socket URL without query. Default `wss://webmessaging.{domain}/v1`. */
  webSocketUrl?: string;
  /** The REST base URL for history. Default `https://api.{domain}`. */
  apiUrl?: string;
  /** Opens sockets. Default {@link browserSocketFactory}; in Node use `wsSocketFactory(WebSocket)`. */
  socketFactory?: SocketFactory;
  /** `fetch` for history and uploads. Default the global `fetch`. */
  fetch?: FetchLike;
  /** The `application` query parameter of the socket URL. Default `'rx-service-desk'`. */
  application?: string;
  /**
   * Authenticated sessions: returns a code/JWT for `configureAuthenticatedSession` (the middleware's
   * `POST /genesys/auth-code`). Called for every connection attempt.
   */
  getAuthCode?: () => PromiseLike<string>;
  /** Passed as `journeyContext` of `configureSession`. */
  journeyContext?: WmJourneyContext;
  /** Custom attributes (`channel.metadata.customAttributes`) sent with every guest message, for Architect flows. */
  customAttributes?: Readonly<Record<string, string>>;
  /** Better names and avatars for agents (the middleware's `GET /genesys/agent-profile?messageId=`). */
  lookupProfile?: (sender: { messageId: string; nickname: string; avatarUrl?: string }) => PromiseLike<Partial<GenesysAgentProfile> | null | undefined>;
  /** Period of the `echo` keep-alive; two unanswered periods count as a dead socket. Default 30 000. */
  heartbeatMs?: number;
  /** Bot (Architect flow) messages: `'show'` them without an agent profile, or `'drop'` them. Default `'show'`. */
  botMessages?: 'show' | 'drop';
  /** The first guest message, made from the summary lines; `false` sends none. Default: the lines joined by newlines. */
  summary?: ((lines: readonly string[]) => string | undefined) | false;
  /** Send a Presence `Join` when a new session starts (needs autostart in the deployment). Default `false`. */
  autostart?: boolean;
  /** Makes session tokens and attachment ids. Default `crypto.randomUUID()`. */
  randomId?: () => string;
}

/** Options renamed onto the common adapter options: passing an old name is a configuration error that says the new one. */
const RENAMED: Readonly<Record<string, string>> = {
  getQueueStatus: 'checkAvailability (polled every queuePollMs while queued; answer { online, position?, waitMinutes?, message? })',
  fileUploads: 'capabilities: { allowFileUploads }',
  typingCooldownMs: 'typingIntervalMs',
  lookupTimeoutMs: 'profileTimeoutMs',
};

function withQuery(base: string, query: Record<string, string>): string {
  const search = new URLSearchParams(query).toString();
  return `${base}${base.includes('?') ? '&' : '?'}${search}`;
}

function defaultRandomId(): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (typeof crypto?.randomUUID !== 'function') {
    throw new ServiceDeskError('CONFIG', 'crypto.randomUUID is not available here (not a secure context?): pass options.randomId.');
  }
  return crypto.randomUUID();
}

function defaultFetch(): FetchLike {
  return (input, init) => {
    const fetchFn = (globalThis as { fetch?: FetchLike }).fetch;
    if (typeof fetchFn !== 'function') throw new ServiceDeskError('CONFIG', 'There is no global fetch here: pass options.fetch.');
    return fetchFn(input, init);
  };
}

/**
 * A service-desk adapter for Genesys Cloud Web Messaging (the guest WebSocket API behind Messenger), on the adapter
 * engine: the session token lives in the host's persisted state so that `reconnect()` resumes the conversation
 * after a page reload, `echo` keeps the socket alive, agent joins and transfers are inferred from the sender of
 * human messages, the gap after a dropped socket is read from the REST history, and files go up through presigned
 * URLs.
 *
 * Options: see {@link GenesysWebMessagingOptions}; `deploymentId` and `domain` (or both URLs) are required.
 *
 * @example
 * import { createServiceDesk } from 'rx-service-desk';
 * import { genesysWebMessaging } from 'rx-service-desk/genesys';
 * import { middlewareClient } from 'rx-service-desk/client';
 *
 * const api = middlewareClient({ baseUrl: '/api' });
 * const adapter = genesysWebMessaging({
 *   deploymentId: 'f3c5b0d8-0000-4000-8000-000000000000',
 *   domain: 'mypurecloud.com',
 *   lookupProfile: ({ messageId }) => api.genesysAgentProfile(messageId),
 *   checkAvailability: () => api.genesysAvailability(),
 * });
 * const config = { serviceDeskFactory: async (parameters) => createServiceDesk(adapter, parameters) };
 */
export function genesysWebMessaging(options: GenesysWebMessagingOptions): ServiceDeskAdapter {
  if (!options || typeof options.deploymentId !== 'string' || !options.deploymentId.trim()) {
    throw new ServiceDeskError('CONFIG', 'genesysWebMessaging needs deploymentId (from your Messenger deployment).');
  }
  const domain = options.domain?.trim();
  if (!domain && (!options.webSocketUrl || !options.apiUrl)) {
    throw new ServiceDeskError('CONFIG', "genesysWebMessaging needs domain (e.g. 'mypurecloud.com'), or both webSocketUrl and apiUrl.");
  }
  for (const [old, now] of Object.entries(RENAMED)) {
    if (old in options) throw new ServiceDeskError('CONFIG', `genesysWebMessaging: ${old} is now ${now}.`);
  }
  if ((options.endAction as string | undefined) === 'clear') {
    throw new ServiceDeskError('CONFIG', "genesysWebMessaging: endAction 'clear' is now 'leave' (the default).");
  }
  const deploymentId = options.deploymentId.trim();
  const socketBase = options.webSocketUrl ?? `wss://webmessaging.${domain}/v1`;
  const port = genesysPort({
    deploymentId,
    socketUrl: withQuery(socketBase, { deploymentId, application: options.application ?? 'rx-service-desk' }),
    apiUrl: (options.apiUrl ?? `https://api.${domain}`).replace(/\/+$/, ''),
    socketFactory: options.socketFactory ?? browserSocketFactory(),
    fetch: options.fetch ?? defaultFetch(),
    randomId: options.randomId ?? defaultRandomId,
    ...(options.getAuthCode ? { getAuthCode: options.getAuthCode } : {}),
    ...(options.journeyContext ? { journeyContext: options.journeyContext } : {}),
    ...(options.customAttributes ? { customAttributes: options.customAttributes } : {}),
    ...(options.messageIdAttribute ? { messageIdAttribute: options.messageIdAttribute } : {}),
    ...(options.lookupProfile ? { lookupProfile: options.lookupProfile } : {}),
    heartbeatMs: options.heartbeatMs ?? 30_000,
    botMessages: options.botMessages ?? 'show',
    agentFallbackName: options.agentFallbackName ?? 'Agent',
    formatSummary: options.summary === false ? false : (options.summary ?? ((lines) => lines.join('\n'))),
    autostart: options.autostart ?? false,
  });
  // Genesys shows a guest Typing On for about 5 s: repeat it that often while the user types.
  return createAdapter(port, { typingIntervalMs: 5_000, ...options });
}
