/** Which Flex chat flavour: legacy Flex Flow chat (`twilio-chat`) or Flex Conversations (`@twilio/conversations`). */
export type TwilioKind = 'chat' | 'conversations';

/** `POST /twilio/token`: a fresh Access Token for the signed-in identity. */
export interface TwilioTokenAnswer {
  readonly token: string;
  readonly identity: string;
  /** When the token expires, epoch ms. */
  readonly expiresAt: number;
}

/** `POST /twilio/session` with `kind: "chat"`: the Flex chat channel to join. */
export interface TwilioChatSessionAnswer extends TwilioTokenAnswer {
  readonly channelSid: string;
  /** The TaskRouter task Flex created, when it says (pass it to `twilioAvailability` for a queue position). */
  readonly taskSid?: string;
}

/** `POST /twilio/session` with `kind: "conversations"`: the Flex conversation to join. */
export interface TwilioConversationsSessionAnswer extends TwilioTokenAnswer {
  readonly conversationSid: string;
}

/** `POST /twilio/session` answer. */
export type TwilioSessionAnswer = TwilioChatSessionAnswer | TwilioConversationsSessionAnswer;

/** `POST /twilio/session` body besides `kind`. */
export interface TwilioSessionBody {
  /** Display name for the agent when the server does not know the user's name (1-100 characters). */
  readonly friendlyName?: string;
  /** Pre-engagement form data for Flex routing (at most 4 KiB of JSON). Untrusted: it comes from the browser. */
  readonly preEngagement?: Readonly<Record<string, unknown>>;
}

/** `GET /twilio/availability` answer. */
export interface TwilioAvailabilityAnswer {
  readonly online: boolean;
  readonly agentsAvailable: number;
  /** The caller's place among pending tasks (1 = next), when a task SID was given and found. */
  readonly position?: number;
  readonly waitMinutes?: number;
}

/** `GET /genesys/availability` answer. */
export interface GenesysAvailabilityAnswer {
  readonly online: boolean;
  readonly agentsOnQueue: number;
  /** Conversations waiting in the queue (queue depth, not the caller's position). */
  readonly waiting: number;
  readonly waitMinutes?: number;
}

/** `GET /genesys/agent-profile` answer. */
export interface GenesysAgentProfile {
  readonly id: string;
  readonly nickname: string;
  readonly avatarUrl?: string;
}

/** `POST /genesys/auth-code` answer: a signed identity JWT for `configureAuthenticatedSession`. */
export interface GenesysAuthCodeAnswer {
  readonly code: string;
}

/** Every error answer of the middleware. */
export interface MiddlewareErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}
