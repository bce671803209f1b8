import type { ConversationState, ConversationStatus, JSONValue, MessageType, SendMediaOptions } from '@twilio/conversations';
import type {
  ConversationApi,
  ConversationsClientApi,
  ConversationsMessageLike,
  ConversationsParticipantLike,
} from '../../adapters/twilio-conversations/types.js';
import { FakeTwilioClientBase, type FakeInit } from './fake-base.js';
import { FakeTwilioMedia, FakeTwilioParticipant, FakeTwilioTarget, type FakeTargetDialect } from './fake-target.js';
import { fakeWorld, type FakeWorld, type FakeWorldOptions } from './fake-world.js';
import { settleAfter, type FakeTiming, type VirtualPromise } from '../virtual-promise.js';

/**
 * A fake Conversations `Participant`, typed against the SDK's declarations.
 *
 * @example
 * const ann: FakeParticipant = desk.agent('Ann');
 */
export class FakeParticipant extends FakeTwilioParticipant implements ConversationsParticipantLike {
  declare identity: string | null;
  declare attributes: JSONValue;
  lastReadMessageIndex: number | null = null;
}

/**
 * A fake Conversations `Message`, typed against the SDK's declarations.
 *
 * @example
 * desk.conversation.deliver(desk.conversation.createMessage('ann', 'Hello'));
 */
export class FakeConversationsMessage implements ConversationsMessageLike {
  sid: string;
  index: number;
  author: string | null;
  body: string | null;
  type: MessageType;
  attributes: JSONValue = {};
  attachedMedia: FakeTwilioMedia[] | null;
  participantSid: string | null;
  readonly #timing: FakeTiming;

  constructor(
    timing: FakeTiming,
    init: { sid: string; index: number; author: string | null; body: string | null; media?: FakeTwilioMedia[]; participantSid?: string | null },
  ) {
    this.#timing = timing;
    this.participantSid = init.participantSid ?? null;
    this.sid = init.sid;
    this.index = init.index;
    this.author = init.author;
    this.body = init.body;
    this.attachedMedia = init.media?.length ? init.media : null;
    this.type = this.attachedMedia ? 'media' : 'text';
  }

  getTemporaryContentUrlsForAttachedMedia(): VirtualPromise<Map<string, string>> {
    return settleAfter(this.#timing, () => new Map((this.attachedMedia ?? []).map((media) => [media.sid, media.url])));
  }
}

const CONVERSATION: FakeTargetDialect = {
  joined: 'participantJoined',
  left: 'participantLeft',
  updated: 'participantUpdated',
  who: 'participant',
  readReason: 'lastReadMessageIndex',
  self: 'conversation',
};

/**
 * A fake `Conversation`: the SDK calls the adapter makes, plus methods to play the desk's part.
 *
 * @example
 * desk.conversation.setState('closed'); // Flex ends the chat
 * desk.conversation.callsOf('advanceLastReadMessageIndex'); // what the adapter marked read
 */
export class FakeConversation extends FakeTwilioTarget<FakeParticipant, FakeConversationsMessage> implements ConversationApi {
  declare status: ConversationStatus;
  declare attributes: JSONValue;
  declare state: ConversationState | undefined;
  /** What the conversation allows (read by the adapter for upload limits). */
  limits = { mediaAttachmentsCountLimit: 10, mediaAttachmentSizeLimitInMb: 5 };
  protected readonly dialect = CONVERSATION;

  /** The members present when called (the answer arrives after the latency). */
  getParticipants(): VirtualPromise<FakeParticipant[]> {
    const snapshot = [...this.present];
    return this.call('getParticipants', [], () => snapshot);
  }

  sendMessage(message: string | FormData | SendMediaOptions | null, attributes?: JSONValue): VirtualPromise<number> {
    return this.call('sendMessage', [message, attributes], () =>
      this.accept(message, (echo) => {
        if (attributes !== undefined) echo.attributes = attributes;
      }),
    );
  }

  advanceLastReadMessageIndex(index: number): VirtualPromise<number> {
    return this.advance('advanceLastReadMessageIndex', index);
  }

  createMessage(author: string | null, body: string | null, index = this.nextIndex, media?: FakeTwilioMedia): FakeConversationsMessage {
    return new FakeConversationsMessage(this.timing, {
      sid: `IM${String(index).padStart(4, '0')}`,
      index,
      author,
      body,
      participantSid: author === null ? null : (this.participantSids.get(author) ?? null),
      ...(media ? { media: [media] } : {}),
    });
  }

  protected setReadIndex(who: FakeParticipant, index: number): void {
    who.lastReadMessageIndex = index;
  }
}

/**
 * A fake Conversations `Client`.
 *
 * @example
 * desk.client!.setConnectionState('connecting');
 * desk.client!.leftConversation(desk.conversation);
 */
export class FakeConversationsClient extends FakeTwilioClientBase implements ConversationsClientApi {
  readonly #conversations: ReadonlyMap<string, FakeConversation>;

  constructor(token: string, timing: FakeTiming, init: FakeInit, conversations: ReadonlyMap<string, FakeConversation>) {
    super(token, timing, init, conversations);
    this.#conversations = conversations;
  }

  getConversationBySid(conversationSid: string): VirtualPromise<FakeConversation> {
    return this.call('getConversationBySid', [conversationSid], () => {
      const conversation = this.#conversations.get(conversationSid);
      if (!conversation) throw new Error(`Conversation ${conversationSid} not found`);
      return conversation;
    });
  }

  /** Emits `conversationLeft` (we were removed from it). */
  leftConversation(conversation: FakeConversation): void {
    this.emit('conversationLeft', conversation);
  }

  /**
   * `stateChanged` before each init event: `initialized` (conversations `client.js:719-720`) or `failed` with
   * `initFailed` (`client.js:271-272`).
   */
  protected emitInit(ok: boolean, terminal = false, message = 'init failed'): void {
    this.emit('stateChanged', ok ? 'initialized' : 'failed');
    if (ok) this.emit('initialized');
    else this.emit('initFailed', { error: { terminal, message } });
  }
}

/** Options of {@link fakeTwilioConversations}. */
export interface FakeTwilioConversationsOptions extends FakeWorldOptions {
  /** Default `'CH0001'`. */
  conversationSid?: string;
  /** Default `'joined'` (Flex adds the customer when it creates the conversation). */
  status?: ConversationStatus;
}

/** A fake Flex Conversations desk: one conversation (`conversation`, also `target`), the clients the adapter creates, helpers. */
export interface FakeTwilioConversations extends FakeWorld<FakeConversation, FakeParticipant, FakeConversationsClient> {
  readonly conversation: FakeConversation;
}

/**
 * A fake Twilio Conversations world for tests: a conversation and the clients the adapter creates, all typed
 * against `@twilio/conversations`' own declarations, settling in the scheduler's virtual time.
 *
 * @example
 * const desk = fakeTwilioConversations({ scheduler: m.scheduler });
 * const adapter = twilioConversations({ getSession: async () => desk.session(), createClient: desk.createClient });
 * m.scheduler.schedule(() => desk.conversation.add(desk.agent('Ann')), 10);
 */
export function fakeTwilioConversations(options: FakeTwilioConversationsOptions = {}): FakeTwilioConversations {
  const world = fakeWorld(options, {
    sid: options.conversationSid ?? 'CH0001',
    sidKey: 'conversationSid',
    target: (timing, sid, identity) => new FakeConversation(timing, sid, identity, options.status ?? 'joined'),
    participant: (timing, init) => new FakeParticipant(timing, init),
    client: (token, timing, init, conversations) => new FakeConversationsClient(token, timing, init, conversations),
  });
  return Object.defineProperty(world, 'conversation', { value: world.target, enumerable: true }) as FakeTwilioConversations;
}
