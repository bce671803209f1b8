import type { Attachment } from '../../core/events.js';
import type { ChatContext } from '../../host/context.js';

export type { TwilioAvailability, TwilioSession, TwilioToken } from '../../core/middleware-contract.js';

/**
 * What `getSession` is called with: the chat's routing and pre-chat context (`context.attributes`: the
 * `connect_to_agent` item's `additional_data` and the pre-chat payload's top-level fields, bounded; `context.preChat`,
 * `context.userId`, `context.locale`), to pass on to your middleware as `preEngagement`.
 */
export interface TwilioSessionRequest {
  readonly context?: ChatContext;
}

/**
 * The signals that can end a chat. Which ones a desk sends is not documented by Twilio, so each can be switched.
 * - `statusAttribute`: the channel/conversation attribute `status` becomes `INACTIVE` (legacy Flex chat).
 * - `closedState`: `state.current` becomes `closed` (Flex Conversations).
 * - `inactiveState`: `state.current` becomes `inactive` (Conversations uses it for a dormant chat: off by default).
 * - `removed`: the channel/conversation is removed, or we were removed from it.
 *
 * (Whether the last agent leaving ends the chat is `endWhenAgentLeaves`.)
 */
export interface EndSignals {
  statusAttribute: boolean;
  closedState: boolean;
  inactiveState: boolean;
  removed: boolean;
}

/** One of the {@link EndSignals}. */
export type EndSignal = keyof EndSignals;

/** A user as both SDKs describe it (`User` of twilio-chat and of @twilio/conversations fit). */
export interface UserLike {
  readonly friendlyName?: string | null;
  readonly attributes?: unknown;
}

/** A channel member or conversation participant, reduced to what the adapter reads (both SDKs' objects fit). */
export interface ParticipantLike {
  readonly sid: string;
  readonly identity?: string | null;
  readonly attributes?: unknown;
  getUser?(): PromiseLike<UserLike>;
}

/** A message, decoded from either SDK. */
export interface MessageInfo {
  readonly sid: string;
  readonly index: number;
  /** The author's identity (a free-form name for server-posted messages). */
  readonly author: string | undefined;
  /**
   * The sid of the member/participant who wrote it; absent when none did (a message the desk's automation posted
   * with a free-form author).
   */
  readonly participantSid?: string;
  readonly text: string;
  /**
   * The host's message id the adapter put in the message's attributes (see `messageIdAttribute`) when it sent it;
   * absent on messages without one (the agent's, or ours from before).
   */
  readonly hostId?: string;
  /** Media to show: resolves the temporary URLs when the message is shown. Absent for text messages. */
  readonly attachments?: () => PromiseLike<Attachment[]>;
}

/** Attributes the adapter sends a user message with: the host's message id under `messageIdAttribute`. */
export type MessageAttributes = Readonly<Record<string, string>>;

/** What the channel's/conversation's events say, decoded (the SDK-specific decoders produce these). */
export type TwilioInput =
  | { readonly kind: 'joined'; readonly who: ParticipantLike }
  | { readonly kind: 'left'; readonly who: ParticipantLike }
  /** The members/participants present when (re)connecting. */
  | { readonly kind: 'members'; readonly list: readonly ParticipantLike[] }
  | { readonly kind: 'typing'; readonly who: ParticipantLike; readonly isTyping: boolean }
  /** A member's read horizon moved. */
  | { readonly kind: 'read'; readonly who: ParticipantLike; readonly index: number | null | undefined }
  | { readonly kind: 'message'; readonly message: MessageInfo }
  | { readonly kind: 'ended'; readonly signal: EndSignal; readonly reason: string };

/** How the adapter tells agents from customers and builds agent profiles. */
export interface ParticipantOptions {
  /** Member/participant attribute that holds the role. Default `'member_type'` (what Flex sets). */
  roleAttribute?: string;
  /** Values of `roleAttribute` that mark an agent. Default `['agent']`. */
  agentRoles?: readonly string[];
  /** Values of `roleAttribute` that mark a customer (never an agent). Default `['guest', 'customer']`. */
  customerRoles?: readonly string[];
  /**
   * Decide yourself: return `'agent'`, `'customer'`, or `undefined` to fall back to the attribute mapping and then to
   * "anyone who is not us is an agent".
   */
  classify?: (participant: ParticipantLike, attributes: Readonly<Record<string, unknown>>) => 'agent' | 'customer' | undefined;
  /** Attribute (of the member, then of the user) with the agent's display name, when the user has no friendly name. Default `'full_name'`. */
  nicknameAttribute?: string;
  /** Attribute (of the member, then of the user) with the agent's avatar URL. Default `'avatar_url'`. */
  avatarAttribute?: string;
  /** Longest wait for `getUser()` before the profile falls back to the attributes and identity. Default 3 000 ms. */
  profileTimeoutMs?: number;
}

/**
 * Method `K` of an SDK class, returning a `PromiseLike` of the same value: the real SDK method fits, and so does a
 * fake that settles in virtual time.
 */
export type AsyncMethod<T, K extends keyof T> = T[K] extends (...args: infer A) => PromiseLike<infer R> ? (...args: A) => PromiseLike<R> : never;
