import type { Decoders } from '../../core/emitter.js';
import type { ClientSignal } from '../twilio-common/connection.js';
import { removedDecoders } from '../twilio-common/connection.js';
import { targetDecoders, type TargetDialect } from '../twilio-common/decoders.js';
import { DEFAULT_MESSAGE_ID_ATTRIBUTE, attachmentOf, messageInfo } from '../twilio-common/messages.js';
import type { MessageInfo, TwilioInput } from '../twilio-common/types.js';
import type { ChatMemberLike, ChatMessageLike } from './types.js';

/**
 * A twilio-chat message as the adapter sees it: text, author, the host's message id from the attribute
 * `idAttribute` (on messages we sent), and for a media message a loader of its temporary URL.
 *
 * @example
 * decodeChatMessage(message); // { sid: 'IM1', index: 3, author: 'ann', text: 'Hello' }
 */
export function decodeChatMessage(message: ChatMessageLike, idAttribute: string = DEFAULT_MESSAGE_ID_ATTRIBUTE): MessageInfo {
  const base = messageInfo(message, message.memberSid, idAttribute);
  const media = message.type === 'media' ? message.media : undefined;
  if (!media) return base;
  return {
    ...base,
    attachments: () =>
      media.getContentTemporaryUrl().then((url) => [attachmentOf(url, media)]),
  };
}

const CHANNEL: TargetDialect<ChatMemberLike> = {
  joined: 'memberJoined',
  left: 'memberLeft',
  updated: 'memberUpdated',
  who: 'member',
  readReason: 'lastConsumedMessageIndex',
  readIndex: (member) => member.lastConsumedMessageIndex,
  target: 'channel',
  removedReason: 'the channel was removed',
};

/**
 * Decoders of a twilio-chat `Channel`'s events: members joining and leaving, typing, read horizons, messages (with the
 * host's message id read from `idAttribute`), and the end signals (`updated` with status `INACTIVE` or a closed
 * state, `removed`).
 *
 * @example
 * decodeEmitter(channel, channelDecoders(), logger)
 */
export function channelDecoders(idAttribute: string = DEFAULT_MESSAGE_ID_ATTRIBUTE): Decoders<TwilioInput> {
  return targetDecoders(CHANNEL, (message: ChatMessageLike) => decodeChatMessage(message, idAttribute));
}

/**
 * Decoders of a twilio-chat `Client`'s own events: init (`stateChanged`) and our removal from a channel.
 *
 * @example
 * decodeEmitter(client, { ...sharedClientDecoders, ...chatClientDecoders }, logger)
 */
export const chatClientDecoders: Decoders<ClientSignal> = {
  stateChanged: (state: unknown) =>
    state === 'initialized' ? { kind: 'init', ok: true } : state === 'failed' ? { kind: 'init', ok: false } : undefined,
  ...removedDecoders(['channelLeft', 'channelRemoved']),
};
