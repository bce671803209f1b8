import type { Channel, Client, Media, Member, Message, User } from 'twilio-chat';
import type { EmitterLike } from '../../core/emitter.js';
import type { AsyncMethod } from '../twilio-common/types.js';

/** What the adapter reads of a twilio-chat `User`. */
export type ChatUserLike = Pick<User, 'identity' | 'friendlyName' | 'attributes'>;

/** What the adapter uses of a twilio-chat `Member`. */
export type ChatMemberLike = Pick<Member, 'sid' | 'identity' | 'attributes' | 'lastConsumedMessageIndex'> & {
  getUser(): PromiseLike<ChatUserLike>;
};

/** What the adapter uses of a twilio-chat `Media`. */
export type ChatMediaLike = Pick<Media, 'sid' | 'filename' | 'contentType' | 'size'> & {
  getContentTemporaryUrl: AsyncMethod<Media, 'getContentTemporaryUrl'>;
};

/** What the adapter reads of a twilio-chat `Message`. */
export type ChatMessageLike = Pick<Message, 'sid' | 'index' | 'author' | 'body' | 'type' | 'attributes'> & {
  readonly media?: ChatMediaLike | null;
  /** The author's member sid (absent when no member wrote it). */
  readonly memberSid?: string | null;
};

/** The methods and fields the adapter uses of a twilio-chat `Channel`. */
export type ChatChannelApi = Pick<Channel, 'sid' | 'status' | 'attributes' | 'state'> & {
  join(): PromiseLike<unknown>;
  leave(): PromiseLike<unknown>;
  getMembers(): PromiseLike<ChatMemberLike[]>;
  getMessages(pageSize?: number, anchor?: number): PromiseLike<{ items: ChatMessageLike[] }>;
  sendMessage: AsyncMethod<Channel, 'sendMessage'>;
  typing: AsyncMethod<Channel, 'typing'>;
  advanceLastConsumedMessageIndex: AsyncMethod<Channel, 'advanceLastConsumedMessageIndex'>;
};

/** What the adapter uses of a twilio-chat `Channel`, its events included. */
export type ChatChannelLike = EmitterLike & ChatChannelApi;

/** The methods the adapter uses of a twilio-chat `Client`. */
export interface ChatClientApi {
  getChannelBySid(channelSid: string): PromiseLike<ChatChannelLike>;
  updateToken(token: string): PromiseLike<unknown>;
  getUser(identity: string): PromiseLike<ChatUserLike>;
  shutdown: AsyncMethod<Client, 'shutdown'>;
}

/** What the adapter uses of a twilio-chat `Client`, its events included. `new Client(token)` fits. */
export type ChatClientLike = EmitterLike & ChatClientApi;
