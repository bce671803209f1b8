/**
 * rx-service-desk/twilio-conversations: the Twilio Conversations adapter (`@twilio/conversations` 3, Flex
 * Conversations web chat).
 */
export { twilioConversations } from './adapter.js';
export type { TwilioConversationsOptions } from './adapter.js';
export { conversationDecoders, conversationsClientDecoders, decodeConversationsMessage } from './decode.js';
export type {
  ConversationLike,
  ConversationsClientLike,
  ConversationsMediaLike,
  ConversationsMessageLike,
  ConversationsParticipantLike,
  ConversationsUserLike,
} from './types.js';
export type { TwilioAvailability, TwilioSession, TwilioToken, EndSignals, EndSignal, ParticipantOptions, ParticipantLike, UserLike } from '../twilio-common/types.js';
export type { TwilioChatState, TwilioLogLevel, TwilioOptions } from '../twilio-common/adapter.js';
