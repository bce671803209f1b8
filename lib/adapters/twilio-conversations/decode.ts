import type { Attachment } from '../../core/events.js';
import type { Decoders } from '../../core/emitter.js';
import { removedDecoders, type ClientSignal } from '../twilio-common/connection.js';
import { targetDecoders, type TargetDialect } from '../twilio-common/decoders.js';
import { DEFAULT_MESSAGE_ID_ATTRIBUTE, attachmentOf, messageInfo } from '../twilio-common/messages.js';
import type { MessageInfo, TwilioInput } from '../twilio-common/types.js';
import type { ConversationsMessageLike, ConversationsParticipantLike } from './types.js';

/**
 * A Conversations message as the adapter sees it: text, author, the host's message id from the attribute
 * `idAttribute` (on messages we sent), and for attached media a loader of their temporary URLs.
 *
 * @example
 * decodeConversationsMessage(message); // { sid: 'IM1', index: 3, author: 'ann', text: 'Hello' }
 */
export function decodeConversationsMessage(message: ConversationsMessageLike, idAttribute: string = DEFAULT_MESSAGE_ID_ATTRIBUTE): MessageInfo {
  const base = messageInfo(message, message.participantSid, idAttribute);
  const media = Array.isArray(message.attachedMedia) ? message.attachedMedia : [];
  if (media.length === 0) return base;
  return {
    ...base,
    attachments: () =>
      message.getTemporaryContentUrlsForAttachedMedia().then((urls) =>
        media.flatMap((item): Attachment[] => {
          const url = urls?.get(item.sid);
          return url ? [attachmentOf(url, item)] : [];
        }),
      ),
  };
}

const CONVERSATION: TargetDialect<ConversationsParticipantLike> = {
  joined: 'participantJoined',
  left: 'participantLeft',
  updated: 'participantUpdated',
  who: 'participant',
  readReason: 'lastReadMessageIndex',
  readIndex: (participant) => participant.lastReadMessageIndex,
  target: 'conversation',
  removedReason: 'the conversation was removed',
};

/**
 * Decoders of a `Conversation`'s events: participants joining and leaving, typing, read horizons, messages (with the
 * host's message id read from `idAttribute`), and the end signals (`updated` with state `closed`, `removed`).
 *
 * @example
 * decodeEmitter(conversation, conversationDecoders(), logger)
 */
export function conversationDecoders(idAttribute: string = DEFAULT_MESSAGE_ID_ATTRIBUTE): Decoders<TwilioInput> {
  return targetDecoders(CONVERSATION, (message: ConversationsMessageLike) => decodeConversationsMessage(message, idAttribute));
}

/**
 * Decoders of a Conversations `Client`'s own events: init (`initialized` / `initFailed`) and our removal from a
 * conversation.
 *
 * @example
 * decodeEmitter(client, { ...sharedClientDecoders, ...conversationsClientDecoders }, logger)
 */
export const conversationsClientDecoders: Decoders<ClientSignal> = {
  initialized: () => ({ kind: 'init', ok: true }),
  initFailed: (payload: { error?: { terminal?: unknown; message?: unknown } } | null | undefined) => ({
    kind: 'init',
    ok: false,
    terminal: payload?.error?.terminal === true,
    ...(typeof payload?.error?.message === 'string' ? { message: payload.error.message } : {}),
  }),
  ...removedDecoders(['conversationLeft', 'conversationRemoved']),
};
