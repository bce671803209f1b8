import { SignJWT } from 'jose';
import { HttpError, badRequest } from './errors.js';
import type { TwilioAvailability, TwilioKind, TwilioSession, TwilioToken } from '../core/middleware-contract.js';
import type { Identity } from './identity.js';
import { basicAuth, callUpstream, expectOk, formBody, type UpstreamContext, type UpstreamRequest } from './upstream.js';
import { optionalDisplayName, optionalObject, readObject, readQuery } from './validate.js';

/** Twilio settings. Secrets come from the environment; see `.env.example`. */
export interface TwilioConfig {
  /** `AC…`: the JWT `sub`, and the REST user when `authToken` is set. */
  readonly accountSid: string;
  /** REST password for `accountSid`. Optional: without it REST calls use the API key (revocable; preferred). */
  readonly authToken?: string;
  /** `SK…`: signs Access Tokens (the JWT `iss`). */
  readonly apiKeySid: string;
  readonly apiKeySecret: string;
  /** Access Token lifetime, 180 to 86 400 seconds (Twilio's limits). Default 3 600. */
  readonly tokenTtlSeconds?: number;
  /** Flex legacy chat (Programmable Chat): enables `kind: "chat"`. */
  readonly chat?: {
    /** `IS…`: the Flex Chat Service. */
    readonly serviceSid: string;
    /** `FO…`: the Flex Flow that routes web chats. */
    readonly flexFlowSid: string;
  };
  /** Flex Conversations (Webchat 3): enables `kind: "conversations"`. */
  readonly conversations?: {
    /** `IS…`: the Conversations Service. */
    readonly serviceSid: string;
    /** `IG…`: the web chat Conversations Address Configuration. */
    readonly addressSid: string;
  };
  /** Enables `GET /twilio/availability` from TaskRouter statistics. */
  readonly taskRouter?: {
    /** `WS…` */
    readonly workspaceSid: string;
    /** `WQ…`: the queue web chats land in. */
    readonly taskQueueSid: string;
    /** Window of the average acceptance time used as the wait estimate. Default 60. */
    readonly statisticsMinutes?: number;
  };
  /** Default `https://flex-api.twilio.com`. */
  readonly flexApiUrl?: string;
  /** Default `https://taskrouter.twilio.com`. */
  readonly taskRouterUrl?: string;
}

/** Options of {@link mintTwilioToken}. */
export interface MintTwilioTokenOptions {
  readonly accountSid: string;
  readonly apiKeySid: string;
  readonly apiKeySecret: string;
  /** The Chat or Conversations Service SID (`IS…`) of the chat grant. */
  readonly serviceSid: string;
  readonly identity: string;
  readonly ttlSeconds: number;
  /** Epoch ms. Default `Date.now()`. */
  readonly now?: number;
}

/**
 * Mints a Twilio Access Token (HS256 JWT, `cty: twilio-fpa;v=1`) with a chat grant, the layout of `AccessToken.toJwt()`
 * of the `twilio` package, signed with `jose`.
 *
 * @example
 * const { token, expiresAt } = await mintTwilioToken({ accountSid, apiKeySid, apiKeySecret, serviceSid, identity: 'user-42', ttlSeconds: 3600 });
 */
export async function mintTwilioToken(options: MintTwilioTokenOptions): Promise<{ token: string; expiresAt: number }> {
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  const exp = iat + options.ttlSeconds;
  const token = await new SignJWT({ grants: { identity: options.identity, chat: { service_sid: options.serviceSid } } })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' })
    .setJti(`${options.apiKeySid}-${iat}`)
    .setIssuer(options.apiKeySid)
    .setSubject(options.accountSid)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode(options.apiKeySecret));
  return { token, expiresAt: exp * 1000 };
}

const SID = (prefix: string) => new RegExp(`^${prefix}[0-9a-fA-F]{32}$`);

/**
 * Lists what is wrong with a {@link TwilioConfig} (empty when it is fine).
 *
 * @example
 * validateTwilioConfig({ accountSid: 'x', apiKeySid: 'SK…', apiKeySecret: '…' }); // ['twilio.accountSid must look like AC…']
 */
export function validateTwilioConfig(config: TwilioConfig): string[] {
  const problems: string[] = [];
  const sid = (name: string, value: string | undefined, prefix: string) => {
    if (value === undefined || !SID(prefix).test(value)) problems.push(`twilio.${name} must look like ${prefix} followed by 32 hex digits.`);
  };
  const secret = (name: string, value: string | undefined, required: boolean) => {
    if ((required || value !== undefined) && (value === undefined || value.length < 16)) problems.push(`twilio.${name} is missing or too short.`);
  };
  sid('accountSid', config.accountSid, 'AC');
  sid('apiKeySid', config.apiKeySid, 'SK');
  secret('apiKeySecret', config.apiKeySecret, true);
  secret('authToken', config.authToken, false);
  const ttl = config.tokenTtlSeconds ?? 3600;
  if (!Number.isInteger(ttl) || ttl < 180 || ttl > 86_400) {
    problems.push('twilio.tokenTtlSeconds must be a whole number from 180 (3 minutes) to 86400 (24 hours).');
  }
  if (config.chat !== undefined) {
    sid('chat.serviceSid', config.chat.serviceSid, 'IS');
    sid('chat.flexFlowSid', config.chat.flexFlowSid, 'FO');
  }
  if (config.conversations !== undefined) {
    sid('conversations.serviceSid', config.conversations.serviceSid, 'IS');
    sid('conversations.addressSid', config.conversations.addressSid, 'IG');
  }
  if (config.taskRouter !== undefined) {
    sid('taskRouter.workspaceSid', config.taskRouter.workspaceSid, 'WS');
    sid('taskRouter.taskQueueSid', config.taskRouter.taskQueueSid, 'WQ');
  }
  if (config.chat === undefined && config.conversations === undefined) {
    problems.push('twilio needs "chat" or "conversations" (or both).');
  }
  return problems;
}

/** What the Twilio endpoints need besides the config. */
export interface TwilioDeps {
  readonly config: TwilioConfig;
  readonly upstream: UpstreamContext;
  readonly clock: () => number;
}

function readKind(deps: TwilioDeps, value: unknown): TwilioKind {
  if (value !== 'chat' && value !== 'conversations') throw badRequest('"kind" must be "chat" or "conversations".');
  if (deps.config[value] === undefined) throw badRequest(`This server is not configured for kind "${value}".`);
  return value;
}

function serviceSid(config: TwilioConfig, kind: TwilioKind): string {
  return (kind === 'chat' ? config.chat?.serviceSid : config.conversations?.serviceSid) ?? '';
}

function restAuth(config: TwilioConfig): string {
  return config.authToken !== undefined
    ? basicAuth(config.accountSid, config.authToken)
    : basicAuth(config.apiKeySid, config.apiKeySecret);
}

async function token(deps: TwilioDeps, kind: TwilioKind, identity: string): Promise<Required<TwilioToken>> {
  const minted = await mintTwilioToken({
    accountSid: deps.config.accountSid,
    apiKeySid: deps.config.apiKeySid,
    apiKeySecret: deps.config.apiKeySecret,
    serviceSid: serviceSid(deps.config, kind),
    identity,
    ttlSeconds: deps.config.tokenTtlSeconds ?? 3600,
    now: deps.clock(),
  });
  return { token: minted.token, identity, expiresAt: minted.expiresAt };
}

/**
 * `POST /twilio/token`: a fresh Access Token for the signed-in identity. Body `{ "kind": "chat" | "conversations" }`.
 *
 * @example
 * await twilioToken(deps, identity, { kind: 'conversations' }); // { token, identity, expiresAt }
 */
export async function twilioToken(deps: TwilioDeps, identity: Identity, body: unknown): Promise<TwilioToken> {
  const input = readObject(body, ['kind']);
  return token(deps, readKind(deps, input.kind), identity.id);
}

async function flexPost(deps: TwilioDeps, operation: string, path: string, fields: Record<string, string | undefined>): Promise<Record<string, unknown>> {
  const request: UpstreamRequest = {
    vendor: 'twilio',
    operation,
    method: 'POST',
    url: `${deps.config.flexApiUrl ?? 'https://flex-api.twilio.com'}${path}`,
    headers: { Authorization: restAuth(deps.config), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: formBody(fields),
  };
  const answer = expectOk(deps.upstream.logger, request, await callUpstream(deps.upstream, request));
  if (answer === null || typeof answer !== 'object') {
    deps.upstream.logger.error('unexpected Flex answer', { operation });
    throw new HttpError(502, 'UPSTREAM_ERROR', 'Twilio answered with something unexpected.');
  }
  return answer as Record<string, unknown>;
}

function sidIn(answer: Record<string, unknown>, key: string, prefix: string, logger: UpstreamContext['logger']): string {
  const value = answer[key];
  if (typeof value === 'string' && value.startsWith(prefix)) return value;
  logger.error('Flex answer lacks a SID', { field: key });
  throw new HttpError(502, 'UPSTREAM_ERROR', 'Twilio answered with something unexpected.');
}

/**
 * `POST /twilio/session`: starts a Flex chat for the signed-in identity (a Flex Flow chat channel, or a Flex
 * Conversations web chat) and mints its Access Token. Body `{ kind, friendlyName?, preEngagement? }`.
 *
 * @example
 * await twilioSession(deps, identity, { kind: 'chat', friendlyName: 'Ada' }); // { token, identity, expiresAt, channelSid }
 */
export async function twilioSession(deps: TwilioDeps, identity: Identity, body: unknown): Promise<TwilioSession> {
  const input = readObject(body, ['kind', 'friendlyName', 'preEngagement']);
  const kind = readKind(deps, input.kind);
  const friendlyName = optionalDisplayName(input.friendlyName, 'friendlyName');
  const preEngagement = optionalObject(input.preEngagement, 'preEngagement', 4096);
  const customerName = identity.name ?? friendlyName ?? 'Customer';
  const chatName = `Chat with ${customerName}`;
  const preEngagementData = preEngagement === undefined ? undefined : JSON.stringify(preEngagement);
  if (kind === 'chat') {
    const answer = await flexPost(deps, 'create Flex channel', '/v1/Channels', {
      FlexFlowSid: deps.config.chat?.flexFlowSid,
      Identity: identity.id,
      ChatUserFriendlyName: customerName,
      ChatFriendlyName: chatName,
      PreEngagementData: preEngagementData,
    });
    const channelSid = sidIn(answer, 'sid', 'CH', deps.upstream.logger);
    const taskSid = typeof answer.task_sid === 'string' ? answer.task_sid : undefined;
    return { ...(await token(deps, kind, identity.id)), channelSid, ...(taskSid === undefined ? {} : { taskSid }) };
  }
  const answer = await flexPost(deps, 'create Flex web chat', '/v2/WebChats', {
    AddressSid: deps.config.conversations?.addressSid,
    ChatFriendlyName: chatName,
    CustomerFriendlyName: customerName,
    PreEngagementData: preEngagementData,
    Identity: identity.id,
  });
  const conversationSid = sidIn(answer, 'conversation_sid', 'CH', deps.upstream.logger);
  if (answer.identity !== identity.id) {
    deps.upstream.logger.error('Flex web chat was created for another identity than requested');
    throw new HttpError(502, 'UPSTREAM_ERROR', 'Twilio answered with something unexpected.');
  }
  return { ...(await token(deps, kind, identity.id)), conversationSid };
}

async function taskRouterGet(deps: TwilioDeps, operation: string, path: string): Promise<Record<string, unknown>> {
  const request: UpstreamRequest = {
    vendor: 'twilio',
    operation,
    method: 'GET',
    url: `${deps.config.taskRouterUrl ?? 'https://taskrouter.twilio.com'}${path}`,
    headers: { Authorization: restAuth(deps.config) },
  };
  const answer = expectOk(deps.upstream.logger, request, await callUpstream(deps.upstream, request));
  return answer !== null && typeof answer === 'object' ? (answer as Record<string, unknown>) : {};
}

function count(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : 0;
}

/**
 * `GET /twilio/availability[?taskSid=WT…]`: agents available in the TaskQueue (`total_available_workers` of its
 * real-time statistics), the wait estimate (`avg_task_acceptance_time` of its cumulative statistics, when tasks were
 * accepted in the window) and, given the caller's task, its place among the queue's pending tasks.
 *
 * @example
 * await twilioAvailability(deps, new URLSearchParams('taskSid=WT…')); // { online: true, agentsAvailable: 2, position: 3, waitMinutes: 4 }
 */
export async function twilioAvailability(deps: TwilioDeps, query: URLSearchParams): Promise<TwilioAvailability> {
  const router = deps.config.taskRouter;
  if (router === undefined) throw new HttpError(404, 'NOT_FOUND', 'Availability is not configured on this server.');
  const { taskSid } = readQuery(query, ['taskSid']);
  if (taskSid !== undefined && !SID('WT').test(taskSid)) throw badRequest('"taskSid" must look like WT followed by 32 hex digits.');
  const queue = `/v1/Workspaces/${router.workspaceSid}/TaskQueues/${router.taskQueueSid}`;
  const minutes = router.statisticsMinutes ?? 60;
  const pending = new URLSearchParams({
    TaskQueueSid: router.taskQueueSid,
    AssignmentStatus: 'pending',
    Ordering: 'DateCreated:asc',
    PageSize: '200',
  });
  const [realtime, cumulative, tasks] = await Promise.all([
    taskRouterGet(deps, 'queue real-time statistics', `${queue}/RealTimeStatistics`),
    taskRouterGet(deps, 'queue cumulative statistics', `${queue}/CumulativeStatistics?Minutes=${minutes}`),
    taskSid === undefined
      ? Promise.resolve(undefined)
      : taskRouterGet(deps, 'pending tasks', `/v1/Workspaces/${router.workspaceSid}/Tasks?${pending.toString()}`),
  ]);
  const agentsAvailable = count(realtime.total_available_workers);
  const acceptance = count(cumulative.avg_task_acceptance_time);
  const accepted = count(cumulative.reservations_accepted);
  const list = Array.isArray(tasks?.tasks) ? (tasks.tasks as { sid?: unknown }[]) : [];
  const index = taskSid === undefined ? -1 : list.findIndex((task) => task.sid === taskSid);
  return {
    online: agentsAvailable > 0,
    agentsAvailable,
    ...(index >= 0 ? { position: index + 1 } : {}),
    ...(accepted > 0 && acceptance > 0 ? { waitMinutes: Math.ceil(acceptance / 60) } : {}),
  };
}

