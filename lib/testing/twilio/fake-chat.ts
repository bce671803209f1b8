import type { ChannelState, ChannelStatus, MessageType, SendMediaOptions } from 'twilio-chat';
import type { ChatChannelApi, ChatClientApi, ChatMemberLike, ChatMessageLike } from '../../adapters/twilio-chat/types.js';
import { FakeTwilioClientBase, type FakeInit } from './fake-base.js';
import { FakeTwilioMedia, FakeTwilioParticipant, FakeTwilioTarget, type FakeTargetDialect } from './fake-target.js';
import { fakeWorld, type FakeWorld, type FakeWorldOptions } from './fake-world.js';
import type { FakeTiming, VirtualPromise } from '../virtual-promise.js';

/**
 * A fake twilio-chat `Member`, typed against the SDK's declarations.
 *
 * @example
 * const ann: FakeChatMember = chat.agent('Ann');
 */
export class FakeChatMember extends FakeTwilioParticipant implements ChatMemberLike {
  declare identity: string;
  declare attributes: object;
  lastConsumedMessageIndex: number | null = null;
}

/**
 * A fake twilio-chat `Message`, typed against the SDK's declarations.
 *
 * @example
 * chat.channel.deliver(chat.channel.createMessage('ann', 'Hello'));
 */
export class FakeChatMessage implements ChatMessageLike {
  sid: string;
  index: number;
  author: string;
  body: string;
  type: MessageType;
  attributes: object = {};
  media: FakeTwilioMedia | null;
  memberSid: string | null;

  constructor(init: { sid: string; index: number; author: string; body: string; media?: FakeTwilioMedia | null; memberSid?: string | null }) {
    this.sid = init.sid;
    this.memberSid = init.memberSid ?? null;
    this.index = init.index;
    this.author = init.author;
    this.body = init.body;
    this.media = init.media ?? null;
    this.type = this.media ? 'media' : 'text';
  }
}

const CHANNEL: FakeTargetDialect = {
  joined: 'memberJoined',
  left: 'memberLeft',
  updated: 'memberUpdated',
  who: 'member',
  readReason: 'lastConsumedMessageIndex',
  self: 'channel',
};

/**
 * A fake twilio-chat `Channel`: the SDK calls the adapter makes, plus methods to play the desk's part.
 *
 * @example
 * chat.channel.markInactive(); // legacy Flex ends the chat
 * chat.channel.sent; // what the adapter sent
 */
export class FakeChatChannel extends FakeTwilioTarget<FakeChatMember, FakeChatMessage> implements ChatChannelApi {
  declare status: ChannelStatus;
  declare attributes: object;
  declare state: ChannelState | undefined;
  protected readonly dialect = CHANNEL;

  /** The members present when called (the answer arrives after the latency). */
  getMembers(): VirtualPromise<FakeChatMember[]> {
    const snapshot = [...this.present];
    return this.call('getMembers', [], () => snapshot);
  }

  sendMessage(message: string | FormData | SendMediaOptions | null, attributes?: unknown): VirtualPromise<number> {
    return this.call('sendMessage', [message, attributes], () =>
      this.accept(message, (echo) => {
        if (typeof attributes === 'object' && attributes !== null) echo.attributes = attributes;
      }),
    );
  }

  advanceLastConsumedMessageIndex(index: number): VirtualPromise<number> {
    return this.advance('advanceLastConsumedMessageIndex', index);
  }

  createMessage(author: string | null, body: string, index = this.nextIndex, media?: FakeTwilioMedia): FakeChatMessage {
    return new FakeChatMessage({
      sid: `IM${String(index).padStart(4, '0')}`,
      index,
      author: author ?? '',
      body,
      media: media ?? null,
      memberSid: author === null ? null : (this.participantSids.get(author) ?? null),
    });
  }

  protected setReadIndex(who: FakeChatMember, index: number): void {
    who.lastConsumedMessageIndex = index;
  }
}

/**
 * A fake twilio-chat `Client`.
 *
 * @example
 * chat.client!.tokenAboutToExpire();
 * chat.client!.updatedTokens; // the tokens the adapter passed to updateToken
 */
export class FakeChatClient extends FakeTwilioClientBase implements ChatClientApi {
  readonly #channels: ReadonlyMap<string, FakeChatChannel>;

  constructor(token: string, timing: FakeTiming, init: FakeInit, channels: ReadonlyMap<string, FakeChatChannel>) {
    super(token, timing, init, channels);
    this.#channels = channels;
  }

  getChannelBySid(channelSid: string): VirtualPromise<FakeChatChannel> {
    return this.call('getChannelBySid', [channelSid], () => {
      const channel = this.#channels.get(channelSid);
      if (!channel) throw new Error(`Channel ${channelSid} not found`);
      return channel;
    });
  }

  /** Emits `channelLeft` for a channel (we were removed from it). */
  leftChannel(channel: FakeChatChannel): void {
    this.emit('channelLeft', channel);
  }

  /** `stateChanged('initialized')` or `stateChanged('failed')` (twilio-chat `client.js:250,265,379`). */
  protected emitInit(ok: boolean): void {
    this.emit('stateChanged', ok ? 'initialized' : 'failed');
  }
}

/** Options of {@link fakeTwilioChat}. */
export interface FakeTwilioChatOptions extends FakeWorldOptions {
  /** Default `'CH0001'`. */
  channelSid?: string;
  /** Default `'joined'` (Flex adds the customer when it creates the channel). */
  status?: ChannelStatus;
}

/** A fake Programmable Chat desk: one channel (`channel`, also `target`), the clients the adapter creates, helpers. */
export interface FakeTwilioChat extends FakeWorld<FakeChatChannel, FakeChatMember, FakeChatClient> {
  readonly channel: FakeChatChannel;
}

/**
 * A fake Twilio Programmable Chat world for tests: a channel and the clients the adapter creates, all typed against
 * `twilio-chat`'s own declarations, settling in the scheduler's virtual time.
 *
 * @example
 * const chat = fakeTwilioChat({ scheduler: m.scheduler });
 * const adapter = twilioChat({ getSession: async () => chat.session(), createClient: chat.createClient });
 * const ann = chat.agent('Ann');
 * m.scheduler.schedule(() => chat.channel.add(ann), 10);
 */
export function fakeTwilioChat(options: FakeTwilioChatOptions = {}): FakeTwilioChat {
  const world = fakeWorld(options, {
    sid: options.channelSid ?? 'CH0001',
    sidKey: 'channelSid',
    target: (timing, sid, identity) => new FakeChatChannel(timing, sid, identity, options.status ?? 'joined'),
    participant: (timing, init) => new FakeChatMember(timing, init),
    client: (token, timing, init, channels) => new FakeChatClient(token, timing, init, channels),
  });
  return Object.defineProperty(world, 'channel', { value: world.target, enumerable: true }) as FakeTwilioChat;
}
