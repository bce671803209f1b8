import { randomUUID } from 'node:crypto';
import { SignJWT, importPKCS8, type KeyLike } from 'jose';
import type { GenesysAgentProfile, GenesysAuthCode, GenesysAvailability } from '../core/middleware-contract.js';
import { HttpError, badRequest } from './errors.js';
import type { Identity } from './identity.js';
import { createTokenProvider, memoryTokenCache, type TokenCache, type TokenProvider } from './token-cache.js';
import {
  basicAuth,
  callUpstream,
  expectOk,
  formBody,
  type UpstreamContext,
  type UpstreamRequest,
  type UpstreamResponse,
} from './upstream.js';
import { readQuery } from './validate.js';

/** Signing settings of `POST /genesys/auth-code`. Give `secret` (HS256) or `privateKey` (RS256). */
export interface GenesysAuthCodeConfig {
  /** HS256 key, at least 32 characters. */
  readonly secret?: string;
  /** RS256 key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`). */
  readonly privateKey?: string;
  /** `kid` header, so the verifier can pick the key from your JWKS. */
  readonly keyId?: string;
  /** `iss` claim. */
  readonly issuer: string;
  /** `aud` claim. */
  readonly audience: string;
  /** Lifetime of a code. Default 300. */
  readonly ttlSeconds?: number;
}

/** Genesys Cloud settings. Secrets come from the environment; see `.env.example`. */
export interface GenesysConfig {
  /** The org's domain, e.g. `mypurecloud.com`, `mypurecloud.ie`, `usw2.pure.cloud`. Default `mypurecloud.com`. */
  readonly region?: string;
  /** Default `https://login.{region}`. */
  readonly loginUrl?: string;
  /** Default `https://api.{region}`. */
  readonly apiUrl?: string;
  /** OAuth client (client-credentials grant) with `routing:queue:view`, `analytics:queueObservation:view`, `conversation:message:view`, `directory:user:view`. */
  readonly clientId: string;
  readonly clientSecret: string;
  /** The queue web messaging routes to: enables `GET /genesys/availability`. */
  readonly queueId?: string;
  /** Restricts availability figures to one media type, e.g. `message`. */
  readonly mediaType?: string;
  /** Where the OAuth token is kept. Default: in memory, per instance. */
  readonly tokenCache?: TokenCache;
  /** The OAuth token is renewed this long before it expires. Default 60. */
  readonly refreshMarginSeconds?: number;
  /** Enables `POST /genesys/auth-code`. */
  readonly authCode?: GenesysAuthCodeConfig;
}

const UUID_LIKE = /^[A-Za-z0-9-]{8,64}$/;

/**
 * Lists what is wrong with a {@link GenesysConfig} (empty when it is fine).
 *
 * @example
 * validateGenesysConfig({ clientId: '', clientSecret: '' }); // ['genesys.clientId is missing.', …]
 */
export function validateGenesysConfig(config: GenesysConfig): string[] {
  const problems: string[] = [];
  if (config.region !== undefined && !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(config.region)) {
    problems.push('genesys.region must be a domain such as mypurecloud.com.');
  }
  if (!config.clientId) problems.push('genesys.clientId is missing.');
  if (!config.clientSecret || config.clientSecret.length < 16) problems.push('genesys.clientSecret is missing or too short.');
  if (config.queueId !== undefined && !UUID_LIKE.test(config.queueId)) problems.push('genesys.queueId must be a queue id.');
  if (config.mediaType !== undefined && !/^[a-z]{2,20}$/.test(config.mediaType)) problems.push('genesys.mediaType must be a media type such as message.');
  const auth = config.authCode;
  if (auth !== undefined) {
    if ((auth.secret === undefined) === (auth.privateKey === undefined)) problems.push('genesys.authCode needs exactly one of "secret" or "privateKey".');
    if (auth.secret !== undefined && auth.secret.length < 32) problems.push('genesys.authCode.secret must be at least 32 characters.');
    if (auth.privateKey !== undefined && !auth.privateKey.includes('BEGIN PRIVATE KEY')) problems.push('genesys.authCode.privateKey must be a PKCS#8 PEM key.');
    if (!auth.issuer || !auth.audience) problems.push('genesys.authCode needs "issuer" and "audience".');
    const ttl = auth.ttlSeconds ?? 300;
    if (!Number.isInteger(ttl) || ttl < 30 || ttl > 3600) problems.push('genesys.authCode.ttlSeconds must be from 30 to 3600.');
  }
  return problems;
}

/** What the Genesys endpoints need besides the config. */
export interface GenesysDeps {
  readonly config: GenesysConfig;
  readonly upstream: UpstreamContext;
  readonly clock: () => number;
}

/** The Genesys endpoints, sharing one OAuth token provider. */
export interface GenesysService {
  availability(query: URLSearchParams): Promise<GenesysAvailability>;
  agentProfile(query: URLSearchParams): Promise<GenesysAgentProfile>;
  authCode(identity: Identity): Promise<GenesysAuthCode>;
  /** The OAuth token provider (for custom endpoints calling other Genesys APIs). */
  readonly tokens: TokenProvider;
}

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});
const asArray = (value: unknown): Json[] => (Array.isArray(value) ? value.map(asObject) : []);
const asNumber = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0);

/**
 * Creates the Genesys endpoints: OAuth client-credentials token cached until shortly before expiry and fetched once
 * under concurrency; queue availability; agent profile lookup; signed identity codes.
 *
 * @example
 * const genesys = genesysService({ config, upstream: { fetch, timeoutMs: 8000, logger }, clock: Date.now });
 * await genesys.availability(new URLSearchParams()); // { online: true, agentsOnQueue: 4, waiting: 2, waitMinutes: 3 }
 */
export function genesysService(deps: GenesysDeps): GenesysService {
  const { config, upstream, clock } = deps;
  const region = config.region ?? 'mypurecloud.com';
  const loginUrl = config.loginUrl ?? `https://login.${region}`;
  const apiUrl = config.apiUrl ?? `https://api.${region}`;

  const tokens = createTokenProvider({
    cache: config.tokenCache ?? memoryTokenCache(),
    key: `genesys:${config.clientId}`,
    refreshMarginMs: (config.refreshMarginSeconds ?? 60) * 1000,
    clock,
    fetchToken: async () => {
      const request: UpstreamRequest = {
        vendor: 'genesys',
        operation: 'OAuth client credentials',
        method: 'POST',
        url: `${loginUrl}/oauth/token`,
        headers: {
          Authorization: basicAuth(config.clientId, config.clientSecret),
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: formBody({ grant_type: 'client_credentials' }),
      };
      const answer = asObject(expectOk(upstream.logger, request, await callUpstream(upstream, request)));
      const value = answer.access_token;
      const expiresIn = asNumber(answer.expires_in);
      if (typeof value !== 'string' || value === '' || expiresIn === 0) {
        upstream.logger.error('Genesys OAuth answer lacks access_token or expires_in');
        throw new HttpError(502, 'UPSTREAM_ERROR', 'Genesys answered with something unexpected.');
      }
      upstream.logger.debug('Genesys OAuth token fetched', { expiresInSeconds: expiresIn });
      return { value, expiresAt: clock() + expiresIn * 1000 };
    },
  });

  /** Calls the platform API with the cached token; after a 401 drops the token and tries once more. */
  const api = async (operation: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ request: UpstreamRequest; response: UpstreamResponse }> => {
    const send = async () => {
      const bearer = await tokens.get();
      const request: UpstreamRequest = {
        vendor: 'genesys',
        operation,
        method,
        url: `${apiUrl}${path}`,
        headers: {
          Authorization: `Bearer ${bearer}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      };
      return { bearer, request, response: await callUpstream(upstream, request) };
    };
    const first = await send();
    if (first.response.status !== 401) return first;
    upstream.logger.info('Genesys rejected the cached token; fetching a new one', { operation });
    await tokens.invalidate(first.bearer);
    return send();
  };

  const requireQueue = (): string => {
    if (config.queueId === undefined) throw new HttpError(404, 'NOT_FOUND', 'Availability is not configured on this server.');
    return config.queueId;
  };

  return {
    tokens,

    async availability(query) {
      readQuery(query, []);
      const queueId = requireQueue();
      const mediaType = config.mediaType;
      const predicates = [
        { type: 'dimension', dimension: 'queueId', operator: 'matches', value: queueId },
        ...(mediaType === undefined ? [] : [{ type: 'dimension', dimension: 'mediaType', operator: 'matches', value: mediaType }]),
      ];
      const observations = api('queue observations', 'POST', '/api/v2/analytics/queues/observations/query', {
        filter: { type: 'and', predicates },
        metrics: ['oOnQueueUsers', 'oWaiting'],
      });
      const waitPath =
        mediaType === undefined
          ? `/api/v2/routing/queues/${queueId}/estimatedwaittime`
          : `/api/v2/routing/queues/${queueId}/mediatypes/${mediaType}/estimatedwaittime`;
      const estimate = api('estimated wait time', 'GET', waitPath);
      const [observed, waited] = await Promise.allSettled([observations, estimate]);
      if (observed.status === 'rejected') throw observed.reason;
      let agentsOnQueue = 0;
      let waiting = 0;
      const body = expectOk(upstream.logger, observed.value.request, observed.value.response);
      for (const result of asArray(asObject(body).results)) {
        const group = asObject(result.group);
        if (mediaType !== undefined && group.mediaType !== undefined && group.mediaType !== mediaType) continue;
        for (const datum of asArray(result.data)) {
          const n = asNumber(asObject(datum.stats).count);
          if (datum.metric === 'oOnQueueUsers') agentsOnQueue += n;
          else if (datum.metric === 'oWaiting') waiting += n;
        }
      }
      let waitMinutes: number | undefined;
      if (waited.status === 'fulfilled' && waited.value.response.status === 200) {
        const seconds = asObject(asArray(asObject(waited.value.response.body).results)[0]).estimatedWaitTimeSeconds;
        if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0) waitMinutes = Math.ceil(seconds / 60);
      } else if (waited.status === 'fulfilled') {
        upstream.logger.info('Genesys gave no wait estimate', { status: waited.value.response.status });
      }
      return { online: agentsOnQueue > 0, agentsOnQueue, waiting, ...(waitMinutes === undefined ? {} : { waitMinutes }) };
    },

    async agentProfile(query) {
      const { messageId } = readQuery(query, ['messageId']);
      if (messageId === undefined || !UUID_LIKE.test(messageId)) throw badRequest('"messageId" must be a Genesys message id.');
      const unknown = () => new HttpError(404, 'NOT_FOUND', 'No agent is known for this message.');
      const found = (call: { request: UpstreamRequest; response: UpstreamResponse }): Json => {
        if (call.response.status === 404) throw unknown();
        return asObject(expectOk(upstream.logger, call.request, call.response));
      };
      const details = found(await api('message details', 'GET', `/api/v2/conversations/messages/${messageId}/details`));
      let userId = asObject(details.createdBy).id;
      if (typeof userId !== 'string') {
        const conversationId = details.conversationId;
        if (typeof conversationId !== 'string' || !UUID_LIKE.test(conversationId)) throw unknown();
        const conversation = found(await api('conversation', 'GET', `/api/v2/conversations/messages/${conversationId}`));
        userId = pickAgent(asArray(conversation.participants), messageId);
      }
      if (typeof userId !== 'string' || !UUID_LIKE.test(userId)) throw unknown();
      const user = found(await api('user', 'GET', `/api/v2/users/${userId}?expand=images`));
      const avatarUrl = largestImage(asArray(user.images));
      const nickname = typeof user.name === 'string' && user.name !== '' ? user.name : 'Agent';
      return { id: userId, nickname, ...(avatarUrl === undefined ? {} : { avatarUrl }) };
    },

    async authCode(identity) {
      const auth = config.authCode;
      if (auth === undefined) throw new HttpError(404, 'NOT_FOUND', 'Authenticated sessions are not configured on this server.');
      if (identity.anonymous === true) throw new HttpError(401, 'UNAUTHENTICATED', 'Sign in for an authenticated chat.');
      const iat = Math.floor(clock() / 1000);
      const alg = auth.secret !== undefined ? 'HS256' : 'RS256';
      const jwt = new SignJWT(identity.name === undefined ? {} : { name: identity.name })
        .setProtectedHeader({ alg, typ: 'JWT', ...(auth.keyId === undefined ? {} : { kid: auth.keyId }) })
        .setSubject(identity.id)
        .setIssuer(auth.issuer)
        .setAudience(auth.audience)
        .setIssuedAt(iat)
        .setExpirationTime(iat + (auth.ttlSeconds ?? 300))
        .setJti(randomUUID());
      return { code: await jwt.sign(await signingKey(auth)) };
    },
  };
}

const keys = new WeakMap<GenesysAuthCodeConfig, Promise<KeyLike | Uint8Array>>();

function signingKey(auth: GenesysAuthCodeConfig): Promise<KeyLike | Uint8Array> {
  let key = keys.get(auth);
  if (key === undefined) {
    key = auth.secret !== undefined ? Promise.resolve(new TextEncoder().encode(auth.secret)) : importPKCS8(auth.privateKey ?? '', 'RS256');
    keys.set(auth, key);
  }
  return key;
}

/** The agent who sent `messageId`, else the connected agent, else the last agent of the conversation. */
function pickAgent(participants: Json[], messageId: string): string | undefined {
  const agents = participants.filter((p) => p.purpose === 'agent' && typeof asObject(p.user).id === 'string');
  const sender = agents.find((p) => asArray(p.messages).some((m) => m.messageId === messageId));
  const connected = agents.filter((p) => p.state === 'connected' && p.endTime === undefined);
  const chosen = sender ?? connected[connected.length - 1] ?? agents[agents.length - 1];
  return chosen === undefined ? undefined : (asObject(chosen.user).id as string);
}

/** The `https` image with the highest `x<N>` resolution. */
function largestImage(images: Json[]): string | undefined {
  let best: { size: number; uri: string } | undefined;
  for (const image of images) {
    const uri = image.imageUri;
    if (typeof uri !== 'string' || !uri.startsWith('https://')) continue;
    const size = Number(/^x(\d+)$/.exec(String(image.resolution))?.[1] ?? 0);
    if (best === undefined || size > best.size) best = { size, uri };
  }
  return best?.uri;
}
