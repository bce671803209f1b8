import type { AdapterSession, ServiceDeskAdapter, SessionRequest } from '../../core/adapter.js';
import { ServiceDeskError } from '../../core/errors.js';
import type { AgentProfile } from './decode.js';
import type { FetchLike } from './http.js';
import type { WmJourneyContext } from './protocol.js';
import { GenesysSession, readResume, type QueueStatus, type SessionSettings } from './session.js';
import { browserSocketFactory, type SocketFactory } from './socket.js';

/** The middleware's `GET /genesys/availability` answer. */
export interface GenesysAvailability {
  readonly online: boolean;
  readonly agentsOnQueue?: number;
  readonly waiting?: number;
  readonly waitMinutes?: number;
}

/** Options of {@link genesysWebMessaging}. Every timing is in milliseconds. */
export interface GenesysWebMessagingOptions {
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
  /**
   * Also put the host's message id into this custom attribute. When history entries carry it back, a message whose
   * echo was lost in a drop is recognised as delivered and not sent again. Default: off (the id travels as
   * `tracingId` only).
   */
  messageIdAttribute?: string;
  /** Better names and avatars for agents (the middleware's `GET /genesys/agent-profile?messageId=`). */
  lookupProfile?: (sender: { messageId: string; nickname: string; avatarUrl?: string }) => PromiseLike<AgentProfile | null | undefined>;
  /** Time allowed for `lookupProfile`. Default 3 000. */
  lookupTimeoutMs?: number;
  /** For `areAnyAgentsOnline` (the middleware's `GET /genesys/availability`). */
  checkAvailability?: () => PromiseLike<GenesysAvailability | boolean | null>;
  /** Polled while waiting for the first agent message, for queue updates (position, wait in minutes). */
  getQueueStatus?: () => PromiseLike<QueueStatus | null | undefined>;
  /** Poll period of `getQueueStatus`. Default 15 000. */
  queuePollMs?: number;
  /** Period of the `echo` keep-alive; two unanswered periods count as a dead socket. Default 30 000. */
  heartbeatMs?: number;
  /** Least time between two outbound typing events (Genesys shows one for 5 s). Default 5 000. */
  typingCooldownMs?: number;
  /** Bot (Architect flow) messages: `'show'` them without an agent profile, or `'drop'` them. Default `'show'`. */
  botMessages?: 'show' | 'drop';
  /** Agent name when a human message names nobody. Default `'Agent'`. */
  agentFallbackName?: string;
  /** The first guest message, made from the summary lines; `false` sends none. Default: the lines joined by newlines. */
  summary?: ((lines: readonly string[]) => string | undefined) | false;
  /** Send a Presence `Join` when a new session starts (needs autostart in the deployment). Default `false`. */
  autostart?: boolean;
  /** When the user ends the chat: `'clear'` the conversation (needs Conversation Clear) or just `'close'` the socket. Default `'clear'`. */
  endAction?: 'clear' | 'close';
  /** History page size. Default 25. */
  historyPageSize?: number;
  /** Most history pages read to fill a gap. Default 10. */
  historyMaxPages?: number;
  /** Time allowed to fetch the history after a reconnect. Default 10 000. */
  historyTimeoutMs?: number;
  /** Whether users may upload files (Genesys then reports the allowed types and size). Default `true`. */
  fileUploads?: boolean;
  /** The integration name the host reports. Default `'Genesys Cloud Web Messaging'`. */
  name?: string;
  /** Makes session tokens and attachment ids. Default `crypto.randomUUID()`. */
  randomId?: () => string;
}

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
 * A service-desk adapter for Genesys Cloud Web Messaging (the guest WebSocket API behind Messenger). It keeps the
 * session token in the host's persisted state so that `reconnect()` resumes the conversation after a page reload,
 * keeps the socket alive with `echo`, infers agent joins and transfers from the sender of human messages, fills
 * the gap after a dropped socket from the REST history, and uploads files through presigned URLs.
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
 *   getQueueStatus: () => api.genesysAvailability(),
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
  const deploymentId = options.deploymentId.trim();
  const socketBase = options.webSocketUrl ?? `wss://webmessaging.${domain}/v1`;
  const settings: SessionSettings = {
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
    ...(options.getQueueStatus ? { getQueueStatus: options.getQueueStatus } : {}),
    lookupTimeoutMs: options.lookupTimeoutMs ?? 3_000,
    queuePollMs: options.queuePollMs ?? 15_000,
    heartbeatMs: options.heartbeatMs ?? 30_000,
    typingCooldownMs: options.typingCooldownMs ?? 5_000,
    botMessages: options.botMessages ?? 'show',
    agentFallbackName: options.agentFallbackName ?? 'Agent',
    formatSummary: options.summary === false ? false : (options.summary ?? ((lines) => lines.join('\n'))),
    autostart: options.autostart ?? false,
    endAction: options.endAction ?? 'clear',
    historyPageSize: options.historyPageSize ?? 25,
    historyMaxPages: options.historyMaxPages ?? 10,
    historyTimeoutMs: options.historyTimeoutMs ?? 10_000,
  };
  const checkAvailability = options.checkAvailability;
  return {
    name: options.name ?? 'Genesys Cloud Web Messaging',
    capabilities: { allowFileUploads: options.fileUploads ?? true, allowMultipleFileUploads: true, allowedFileUploadTypes: '' },
    typingHeartbeatMs: settings.typingCooldownMs,
    canResume: true,
    open(request: SessionRequest): AdapterSession {
      return new GenesysSession(settings, request, readResume(request.resume, deploymentId));
    },
    ...(checkAvailability
      ? {
          async checkAvailability() {
            const answer = await checkAvailability();
            return typeof answer === 'object' && answer !== null ? answer.online : answer;
          },
        }
      : {}),
  };
}
