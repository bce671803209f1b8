/**
 * rx-service-desk/twilio-chat: the Twilio Programmable Chat adapter (`twilio-chat` 6, legacy Flex web chat).
 */
export { twilioChat } from './adapter.js';
export type { TwilioChatOptions } from './adapter.js';
export { channelDecoders, chatClientDecoders, decodeChatMessage } from './decode.js';
export type { ClientSignal } from '../twilio-common/connection.js';
export type { AsyncMethod, MessageInfo, TwilioInput } from '../twilio-common/types.js';
export type { ChatChannelApi, ChatChannelLike, ChatClientApi, ChatClientLike, ChatMediaLike, ChatMemberLike, ChatMessageLike, ChatUserLike } from './types.js';
export type { TwilioAvailability, TwilioSession, TwilioToken } from '../../core/middleware-contract.js';
export type { EndSignals, EndSignal, ParticipantOptions, ParticipantLike, TwilioSessionRequest, UserLike } from '../twilio-common/types.js';
export type { TwilioChatState, TwilioLogLevel, TwilioOptions } from '../twilio-common/adapter.js';
