/**
 * The wire shapes between the browser and the `rx-service-desk/server` middleware: what the server answers, what
 * `rx-service-desk/client` returns, and what the adapters take from your `getSession`, `getToken`,
 * `checkAvailability` and `lookupProfile` (your own middleware fits when it answers these shapes). One name each.
 */

/** The header carrying an anonymous visitor's signed id, both ways. */
export const VISITOR_HEADER = 'X-Visitor-Token';

/** Which Flex chat flavour: legacy Flex Flow chat (`twilio-chat`) or Flex Conversations (`@twilio/conversations`). */
export type TwilioKind = 'chat' | 'conversations';

/** `POST /twilio/token`: a fresh Access Token (the middleware always sets `identity` and `expiresAt`). */
export interface TwilioToken {
  /** A Twilio Access Token (JWT) with a `chat` grant. Never logged. */
  readonly token: string;
  /** The chat user's identity (the token's `grants.identity`). */
  readonly identity?: string;
  /** When the token expires, in epoch ms. Used to refresh before reconnecting with a stale token. */
  readonly expiresAt?: number;
}

/** `POST /twilio/session`: a token for the chat user and the chat to join. */
export interface TwilioSession extends TwilioToken {
  readonly identity: string;
  /** `kind: "chat"` (Programmable Chat): the Flex chat channel (`CH…`). */
  readonly channelSid?: string;
  /** `kind: "conversations"`: the Flex conversation (`CH…`). */
  readonly conversationSid?: string;
  /** The TaskRouter task Flex created, when the middleware says (pass it to `twilioAvailability` for a queue position). */
  readonly taskSid?: string;
}

/** `POST /twilio/session` body besides `kind`. */
export interface TwilioSessionBody {
  /** Display name for the agent when the server does not know the user's name (1-100 characters). */
  readonly friendlyName?: string;
  /** Pre-engagement form data for Flex routing (at most 4 KiB of JSON). Untrusted: it comes from the browser. */
  readonly preEngagement?: Readonly<Record<string, unknown>>;
}

/** `GET /twilio/availability` (for example from TaskRouter statistics). */
export interface TwilioAvailability {
  readonly online: boolean;
  readonly agentsAvailable?: number;
  /** The caller's place among pending tasks (1 = next), when a task SID was given and found. */
  readonly position?: number;
  /** Estimated wait, in minutes. */
  readonly waitMinutes?: number;
}

/** `GET /genesys/availability` (fits the Genesys adapter's `checkAvailability`). */
export interface GenesysAvailability {
  readonly online: boolean;
  readonly agentsOnQueue?: number;
  /** Conversations waiting in the queue (queue depth, not the caller's position). */
  readonly waiting?: number;
  readonly waitMinutes?: number;
}

/**
 * `GET /genesys/agent-profile`: the agent who sent a Web Messaging message. The Genesys adapter's `lookupProfile`
 * may answer part of it; the agent keeps the id Genesys gives.
 */
export interface GenesysAgentProfile {
  readonly id: string;
  readonly nickname: string;
  readonly avatarUrl?: string;
}

/** `POST /genesys/auth-code`: a signed identity JWT for `configureAuthenticatedSession`. */
export interface GenesysAuthCode {
  readonly code: string;
}

/** `POST /amazon-connect/chat`: the ids and participant token `amazon-connect-chatjs` needs, nothing else. */
export interface AmazonConnectChat {
  readonly contactId: string;
  readonly participantId: string;
  readonly participantToken: string;
}

/** `GET /amazon-connect/availability`: the queue's chat figures right now. */
export interface AmazonConnectAvailability {
  /** Whether an agent of the queue is online (`AGENTS_ONLINE` > 0). */
  readonly online: boolean;
  readonly agentsOnline: number;
  readonly agentsAvailable: number;
  /** Chats waiting in the queue (`CONTACTS_IN_QUEUE`). */
  readonly waiting: number;
}

/** Every error answer of the middleware. */
export interface MiddlewareErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}
