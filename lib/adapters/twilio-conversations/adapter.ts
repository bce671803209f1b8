import type { ServiceDeskAdapter } from '../../core/adapter.js';
import type { Capabilities } from '../../core/events.js';
import { createTwilioAdapter, type TwilioOptions, type TwilioSdk } from '../twilio-common/adapter.js';
import { endSignalsOf } from '../twilio-common/ended.js';
import { historyOf } from '../twilio-common/messages.js';
import { conversationDecoders, conversationsClientDecoders, decodeConversationsMessage } from './decode.js';
import type { ConversationLike, ConversationsClientLike } from './types.js';

/** Options of {@link twilioConversations}. */
export type TwilioConversationsOptions = TwilioOptions<ConversationsClientLike>;

const MB = 1024 * 1024;

function limitsOf(conversation: ConversationLike): Partial<Capabilities> {
  const limits = conversation.limits;
  const size = limits?.mediaAttachmentSizeLimitInMb;
  const count = limits?.mediaAttachmentsCountLimit;
  return {
    ...(typeof size === 'number' && size > 0 ? { maxFileSizeBytes: size * MB } : {}),
    ...(typeof count === 'number' && count > 0 ? { maxFiles: count } : {}),
  };
}

const conversationsSdk: TwilioSdk<ConversationsClientLike, ConversationLike> = {
  name: 'Twilio Conversations',
  vendor: 'Twilio Conversations',
  sidKey: 'conversationSid',
  defaultEndSignals: { statusAttribute: false, closedState: true, inactiveState: false, removed: true },
  endWhenAgentLeaves: false,
  defaultCapabilities: { allowFileUploads: true, allowMultipleFileUploads: true, allowedFileUploadTypes: '' },
  clientDecoders: conversationsClientDecoders,
  get: (client, sid) => client.getConversationBySid(sid),
  decoders: (_conversation, idAttribute) => conversationDecoders(idAttribute),
  endedNow: (conversation) => endSignalsOf(conversation),
  members: (conversation) => conversation.getParticipants(),
  history: (conversation, pageSize, logger, idAttribute, anchor) =>
    historyOf(() => conversation.getMessages(pageSize, anchor), (message) => decodeConversationsMessage(message, idAttribute), logger),
  capabilities: limitsOf,
  send: (conversation, text, attributes) => conversation.sendMessage(text, attributes),
  sendFile: (conversation, file, attributes) =>
    conversation.sendMessage({ contentType: file.type, filename: file.name, media: file.file }, attributes),
  typing: (conversation) => conversation.typing(),
  markRead: (conversation, index) => conversation.advanceLastReadMessageIndex(index),
  leave: (conversation) => conversation.leave(),
};

/**
 * A service desk adapter for Twilio Conversations (`@twilio/conversations` 3, Flex Conversations web chat: what a
 * team starting today uses). Pass it to `createServiceDesk`. Uses the conversation your middleware created
 * (`getSession`), tells agents from the customer, turns participant joins and leaves into first joins and transfers
 * (in either order), ends the chat when the conversation is closed (and on the other switchable signals), refreshes
 * the token, and sends text and files within the conversation's limits.
 *
 * Options: `getSession` (required), `createClient` (required), `getToken` (also enables resume), `endSignals`,
 * `sdkLogLevel`, `disconnectGraceMs`, `onUserEnd`, the participant mapping (`roleAttribute`, `agentRoles`,
 * `customerRoles`, `classify`, `nicknameAttribute`, `avatarAttribute`), and the common adapter options
 * (`checkAvailability`, `queuePollMs`, `typingIntervalMs`, `endAction`, `transferGraceMs`, `endWhenAgentLeaves`,
 * `historyPageSize`, `historyMaxPages`, `historyTimeoutMs`, `messageIdAttribute`, `profileTimeoutMs`, `mediaTimeoutMs`,
 * `tokenTimeoutMs`, `tokenRetries`, `capabilities`, `name`). See docs/vendors/twilio.md.
 *
 * @example
 * import { Client } from '@twilio/conversations';
 * import { createServiceDesk } from 'rx-service-desk';
 * import { twilioConversations } from 'rx-service-desk/twilio-conversations';
 * import { middlewareClient } from 'rx-service-desk/client';
 *
 * const api = middlewareClient({ baseUrl: '/api' });
 * const adapter = twilioConversations({
 *   getSession: () => api.twilioSession('conversations'),
 *   getToken: () => api.twilioToken('conversations'),
 *   createClient: (token, clientOptions) => new Client(token, clientOptions),
 * });
 * const config = { serviceDeskFactory: async (parameters) => createServiceDesk(adapter, parameters) };
 */
export function twilioConversations(options: TwilioConversationsOptions): ServiceDeskAdapter {
  return createTwilioAdapter(conversationsSdk, options);
}
