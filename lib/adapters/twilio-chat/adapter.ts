import type { ServiceDeskAdapter } from '../../core/adapter.js';
import { ServiceDeskError } from '../../core/errors.js';
import { createTwilioAdapter, type TwilioOptions, type TwilioSdk } from '../twilio-common/adapter.js';
import { endSignalsOf } from '../twilio-common/ended.js';
import { historyOf } from '../twilio-common/messages.js';
import { channelDecoders, chatClientDecoders, decodeChatMessage } from './decode.js';
import type { ChatChannelLike, ChatClientLike } from './types.js';

/** Options of {@link twilioChat}. */
export type TwilioChatOptions = TwilioOptions<ChatClientLike>;

/** Twilio Chat's media limit per message. */
const MAX_MEDIA_BYTES = 150 * 1024 * 1024;

const chatSdk: TwilioSdk<ChatClientLike, ChatChannelLike> = {
  name: 'Twilio Programmable Chat',
  vendor: 'Twilio Programmable Chat',
  sidKey: 'channelSid',
  defaultEndSignals: { statusAttribute: true, closedState: true, inactiveState: false, removed: true },
  endWhenAgentLeaves: true,
  defaultCapabilities: { allowFileUploads: true, allowMultipleFileUploads: true, allowedFileUploadTypes: '', maxFileSizeBytes: MAX_MEDIA_BYTES },
  clientDecoders: chatClientDecoders,
  get: (client, sid) => client.getChannelBySid(sid),
  decoders: (_channel, idAttribute) => channelDecoders(idAttribute),
  endedNow: (channel) => endSignalsOf(channel),
  members: (channel) => channel.getMembers(),
  history: (channel, pageSize, logger, idAttribute, anchor) =>
    historyOf(() => channel.getMessages(pageSize, anchor), (message) => decodeChatMessage(message, idAttribute), logger),
  capabilities: () => ({}),
  send: (channel, text, attributes) => channel.sendMessage(text, attributes),
  sendFile: (channel, file, attributes) => {
    if (typeof FormData !== 'function') {
      throw new ServiceDeskError('UNSUPPORTED', 'Sending files with Twilio Programmable Chat needs FormData (a browser).');
    }
    const form = new FormData();
    form.append('file', file.file, file.name);
    return channel.sendMessage(form, attributes);
  },
  typing: (channel) => channel.typing(),
  markRead: (channel, index) => channel.advanceLastConsumedMessageIndex(index),
  leave: (channel) => channel.leave(),
};

/**
 * A service desk adapter for Twilio Programmable Chat (`twilio-chat` 6, the legacy Flex web chat). Pass it to
 * `createServiceDesk`. Uses the channel your middleware created (`getSession`), tells agents from the customer
 * (Flex `member_type`), turns member joins and leaves into first joins and transfers, ends the chat on the Flex
 * `status: INACTIVE` attribute (and the other switchable signals), refreshes the token, and sends text and files.
 *
 * Options: `getSession` (required), `createClient` (required), `getToken` (also enables resume), `endSignals`,
 * `sdkLogLevel`, `disconnectGraceMs`, `onUserEnd`, the participant mapping (`roleAttribute`, `agentRoles`,
 * `customerRoles`, `classify`, `nicknameAttribute`, `avatarAttribute`), and the common adapter options
 * (`checkAvailability`, `queuePollMs`, `typingIntervalMs`, `endAction`, `transferGraceMs`, `endWhenAgentLeaves`,
 * `historyPageSize`, `historyMaxPages`, `historyTimeoutMs`, `messageIdAttribute`, `profileTimeoutMs`, `mediaTimeoutMs`,
 * `tokenTimeoutMs`, `tokenRetries`, `capabilities`, `name`). See docs/vendors/twilio.md.
 *
 * @example
 * import { Client } from 'twilio-chat';
 * import { createServiceDesk } from 'rx-service-desk';
 * import { twilioChat } from 'rx-service-desk/twilio-chat';
 * import { middlewareClient } from 'rx-service-desk/client';
 *
 * const api = middlewareClient({ baseUrl: '/api' });
 * const adapter = twilioChat({
 *   getSession: () => api.twilioSession('chat'),
 *   getToken: () => api.twilioToken('chat'),
 *   createClient: (token, clientOptions) => new Client(token, clientOptions),
 * });
 * const config = { serviceDeskFactory: async (parameters) => createServiceDesk(adapter, parameters) };
 */
export function twilioChat(options: TwilioChatOptions): ServiceDeskAdapter {
  return createTwilioAdapter(chatSdk, options);
}
