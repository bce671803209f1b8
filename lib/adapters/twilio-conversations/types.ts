import type { Client, Conversation, Media, Message, Participant, User } from '@twilio/conversations';
import type { EmitterLike } from '../../core/emitter.js';
import type { AsyncMethod } from '../twilio-common/types.js';

/** What the adapter reads of a Conversations `User`. */
export type ConversationsUserLike = Pick<User, 'identity' | 'friendlyName' | 'attributes'>;

/** What the adapter uses of a Conversations `Participant`. */
export type ConversationsParticipantLike = Pick<Participant, 'sid' | 'identity' | 'attributes' | 'lastReadMessageIndex'> & {
  getUser(): PromiseLike<ConversationsUserLike>;
};

/** What the adapter reads of a Conversations `Media`. */
export type ConversationsMediaLike = Pick<Media, 'sid' | 'filename' | 'contentType' | 'size'>;

/** What the adapter reads of a Conversations `Message`. */
export type ConversationsMessageLike = Pick<Message, 'sid' | 'index' | 'author' | 'body' | 'type' | 'attributes'> & {
  readonly attachedMedia?: readonly ConversationsMediaLike[] | null;
  /** The author's participant sid (`null` when no participant wrote it, e.g. a message posted by a Studio flow). */
  readonly participantSid?: string | null;
  getTemporaryContentUrlsForAttachedMedia(): PromiseLike<Map<string, string>>;
};

/** The methods and fields the adapter uses of a Conversations `Conversation`. */
export type ConversationApi = Pick<Conversation, 'sid' | 'status' | 'attributes' | 'state'> & {
  readonly limits?: Partial<Conversation['limits']> | null;
  join(): PromiseLike<unknown>;
  leave(): PromiseLike<unknown>;
  getParticipants(): PromiseLike<ConversationsParticipantLike[]>;
  getMessages(pageSize?: number, anchor?: number): PromiseLike<{ items: ConversationsMessageLike[] }>;
  sendMessage: AsyncMethod<Conversation, 'sendMessage'>;
  typing: AsyncMethod<Conversation, 'typing'>;
  advanceLastReadMessageIndex: AsyncMethod<Conversation, 'advanceLastReadMessageIndex'>;
};

/** What the adapter uses of a Conversations `Conversation`, its events included. */
export type ConversationLike = EmitterLike & ConversationApi;

/** The methods the adapter uses of a Conversations `Client`. */
export interface ConversationsClientApi {
  getConversationBySid(conversationSid: string): PromiseLike<ConversationLike>;
  updateToken(token: string): PromiseLike<unknown>;
  getUser(identity: string): PromiseLike<ConversationsUserLike>;
  shutdown: AsyncMethod<Client, 'shutdown'>;
}

/** What the adapter uses of a Conversations `Client`, its events included. `new Client(token)` fits. */
export type ConversationsClientLike = EmitterLike & ConversationsClientApi;
