import type { Decoders } from '../../core/emitter.js';
import type { ClientSignal } from '../twilio-common/connection.js';
import { removedDecoders } from '../twilio-common/connection.js';
import { endSignalsOf } from '../twilio-common/ended.js';
import { messageKey } from '../twilio-common/messages.js';
import { asParticipant } from '../twilio-common/participants.js';
import type { MessageInfo, TwilioInput } from '../twilio-common/types.js';
import type { ChatChannelLike, ChatMemberLike, ChatMessageLike } from './types.js';

/**
 * A twilio-chat message as the adapter sees it: text, author, and for a media message a loader of its temporary URL.
 *
 * @example
 * decodeChatMessage(message); // { sid: 'IM1', index: 3, author: 'ann', text: 'Hello' }
 */
export function decodeChatMessage(message: ChatMessageLike): MessageInfo {
  const { sid, index } = messageKey(message);
  const author = typeof message.author === 'string' && message.author ? message.author : undefined;
  const text = typeof message.body === 'string' ? message.body : '';
  const media = message.type === 'media' ? message.media : undefined;
  if (!media) return { sid, index, author, text };
  return {
    sid,
    index,
    author,
    text,
    attachments: () =>
      media.getContentTemporaryUrl().then((url) => [
        {
          url,
          ...(media.filename ? { name: media.filename } : {}),
          ...(media.contentType ? { mimeType: media.contentType } : {}),
          ...(typeof media.size === 'number' ? { size: media.size } : {}),
        },
      ]),
  };
}

/**
 * Decoders of a twilio-chat `Channel`'s events: members joining and leaving, typing, read horizons, messages, and the
 * end signals (`updated` with status `INACTIVE` or a closed state, `removed`).
 *
 * @example
 * decodeEmitter(channel, channelDecoders(), logger)
 */
export function channelDecoders(): Decoders<TwilioInput> {
  return {
    memberJoined: (member: ChatMemberLike) => ({ kind: 'joined', who: asParticipant(member) }),
    memberLeft: (member: ChatMemberLike) => ({ kind: 'left', who: asParticipant(member) }),
    memberUpdated: (update: { member: ChatMemberLike; updateReasons?: readonly string[] }) =>
      update?.updateReasons?.includes('lastConsumedMessageIndex')
        ? { kind: 'read', who: asParticipant(update.member), index: update.member.lastConsumedMessageIndex }
        : undefined,
    typingStarted: (member: ChatMemberLike) => ({ kind: 'typing', who: asParticipant(member), isTyping: true }),
    typingEnded: (member: ChatMemberLike) => ({ kind: 'typing', who: asParticipant(member), isTyping: false }),
    messageAdded: (message: ChatMessageLike) => ({ kind: 'message', message: decodeChatMessage(message) }),
    updated: (update: { channel: ChatChannelLike; updateReasons?: readonly string[] }) => endSignalsOf(update.channel, update.updateReasons ?? []),
    removed: () => ({ kind: 'ended', signal: 'removed', reason: 'the channel was removed' }),
  };
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
