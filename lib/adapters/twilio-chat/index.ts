/**
 * rx-service-desk/twilio-chat: the Twilio Programmable Chat adapter (`twilio-chat` 6, legacy Flex web chat).
 */
export { twilioChat } from './adapter.js';
export type { TwilioChatOptions } from './adapter.js';
export { channelDecoders, chatClientDecoders, decodeChatMessage } from './decode.js';
export type { ChatChannelLike, ChatClientLike, ChatMediaLike, ChatMemberLike, ChatMessageLike, ChatUserLike } from './types.js';
export type { TwilioAvailability, TwilioSession, TwilioToken, EndSignals, EndSignal, ParticipantOptions, ParticipantLike, UserLike } from '../twilio-common/types.js';
export type { TwilioChatState, TwilioLogLevel, TwilioOptions } from '../twilio-common/adapter.js';
