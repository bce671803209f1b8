/**
 * rx-service-desk/twilio-conversations: the Twilio Conversations adapter (`@twilio/conversations` 3, Flex
 * Conversations web chat).
 */
export { twilioConversations } from './adapter.js';
export type { TwilioConversationsOptions } from './adapter.js';
export { conversationDecoders, conversationsClientDecoders, decodeConversationsMessage } from './decode.js';
export type { ClientSignal } from '../twilio-common/connection.js';
export type { AsyncMethod, MessageInfo, TwilioInput } from '../twilio-common/types.js';
export type {
  ConversationApi,
  ConversationLike,
  ConversationsClientApi,
  ConversationsClientLike,
  ConversationsMediaLike,
  ConversationsMessageLike,
  ConversationsParticipantLike,
  ConversationsUserLike,
} from './types.js';
export type { TwilioAvailability, TwilioSession, TwilioToken } from '../../core/middleware-contract.js';
export type { EndSignals, EndSignal, ParticipantOptions, ParticipantLike, TwilioSessionRequest, UserLike } from '../twilio-common/types.js';
export type { TwilioChatState, TwilioLogLevel, TwilioOptions } from '../twilio-common/adapter.js';
