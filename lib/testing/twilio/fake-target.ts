import { FakeSdkObject, type FakeConnectionListener } from './fake-base.js';
import type { VirtualPromise, FakeTiming } from '../virtual-promise.js';

/** A JSON value, as SDK attributes hold. */
export type FakeJson = null | string | number | boolean | FakeJson[] | { [key: string]: FakeJson };

/**
 * A fake Twilio user (fits the `User` of both SDKs as far as the adapters read it).
 *
 * @example
 * const ann = world.agent('Ann');
 * ann.user.attributes = { avatar_url: 'https://img.example/ann.png' };
 */
export class FakeTwilioUser {
  identity: string;
  friendlyName: string;
  attributes: FakeJson;

  constructor(identity: string, friendlyName = '', attributes: FakeJson = {}) {
    this.identity = identity;
    this.friendlyName = friendlyName;
    this.attributes = attributes;
  }
}

/**
 * A fake media item (fits `Media` of both SDKs as far as the adapters read it).
 *
 * @example
 * const pdf = world.media({ filename: 'a.pdf', contentType: 'application/pdf', url: 'https://m/a.pdf' });
 * world.target.deliver(world.target.createMessage('ann', '', undefined, pdf));
 */
export class FakeTwilioMedia extends FakeSdkObject {
  sid: string;
  filename: string;
  contentType: string;
  size: number;
  /** What `getContentTemporaryUrl()` answers. */
  url: string;

  constructor(timing: FakeTiming, init: { sid: string; filename?: string; contentType?: string; size?: number; url?: string }) {
    super(timing);
    this.sid = init.sid;
    this.filename = init.filename ?? 'file.bin';
    this.contentType = init.contentType ?? 'application/octet-stream';
    this.size = init.size ?? 1;
    this.url = init.url ?? `https://media.example.test/${init.sid}`;
  }

  getContentTemporaryUrl(): VirtualPromise<string> {
    return this.call('getContentTemporaryUrl', [], () => this.url);
  }
}

/** How to make a fake member/participant. */
export interface FakeParticipantInit {
  identity?: string | null;
  sid?: string;
  /** Default `{ member_type: 'agent' }` for agents, `{ member_type: 'guest' }` for the customer. */
  attributes?: FakeJson;
  friendlyName?: string;
  userAttributes?: FakeJson;
}

/**
 * What the member/participant fakes share: sid, identity, attributes, a user.
 *
 * @example
 * const ann = world.agent('Ann');
 * ann.failNext('getUser'); // the profile falls back to the attributes
 */
export class FakeTwilioParticipant extends FakeSdkObject {
  sid: string;
  identity: unknown;
  attributes: unknown;
  isTyping = false;
  /** What `getUser()` answers. */
  user: FakeTwilioUser;

  constructor(timing: FakeTiming, init: FakeParticipantInit & { sid: string }) {
    super(timing);
    this.sid = init.sid;
    this.identity = init.identity === undefined ? `agent-${init.sid}` : init.identity;
    this.attributes = init.attributes ?? {};
    this.user = new FakeTwilioUser(typeof this.identity === 'string' ? this.identity : '', init.friendlyName ?? '', init.userAttributes ?? {});
  }

  getUser(): VirtualPromise<FakeTwilioUser> {
    return this.call('getUser', [], () => this.user);
  }
}

/** The event names and payload keys that differ between a Channel and a Conversation. */
export interface FakeTargetDialect {
  readonly joined: string;
  readonly left: string;
  readonly updated: string;
  /** Key of the participant in the updated payload (`member` / `participant`). */
  readonly who: string;
  /** Update reason of a read horizon. */
  readonly readReason: string;
  /** Key of the target in its `updated` payload (`channel` / `conversation`). */
  readonly self: string;
}

/**
 * What the Channel and Conversation fakes share: members, messages, typing, read horizons, the end signals, and the
 * SDK calls both have (`join`, `leave`, `sendMessage`, `typing`, `getMessages`).
 *
 * Messages delivered while the client's connection is down are stored at once (history has them) and emitted as
 * `messageAdded` when it is back, or never when `redeliverAfterReconnect` is `false` (whether the real SDKs re-deliver
 * is unconfirmed). What we send comes back as our own `messageAdded`, with the attributes we sent, after
 * `ownEchoDelayMs`.
 *
 * @example
 * const ann = world.agent('Ann');
 * world.target.add(ann);
 * world.target.deliver(world.target.createMessage('ann', 'Hello'));
 * world.target.read(ann, 0);
 * world.target.redeliverAfterReconnect = false; // messages sent while the client is down are only in history
 * world.target.markInactive(); // or setState('closed')
 */
export abstract class FakeTwilioTarget<P extends FakeTwilioParticipant, M extends { readonly index: number; readonly author: string | null }>
  extends FakeSdkObject
  implements FakeConnectionListener
{
  readonly sid: string;
  /** Our identity: the author of the messages we send. */
  readonly ownIdentity: string;
  status: string;
  attributes: unknown = { status: 'ACTIVE' };
  state: { current: 'active' | 'inactive' | 'closed'; dateUpdated: Date } | undefined = { current: 'active', dateUpdated: new Date(0) };
  /** The members/participants in the chat now. */
  readonly present: P[] = [];
  /** Every message, in index order. */
  readonly messages: M[] = [];
  /** What `sendMessage` received, in order. */
  readonly sent: unknown[] = [];
  /**
   * The sid of each member/participant the fake world made, by identity: a message they write carries it (as
   * `memberSid` / `participantSid`); a message from anyone else (the desk's automation) carries none.
   */
  readonly participantSids = new Map<string, string>();
  /** The last read horizon we advanced to. */
  readIndex: number | null = null;
  /** Whether messages delivered while the client was down are emitted when it is back. Default `true`. */
  redeliverAfterReconnect = true;
  /**
   * How long after `sendMessage` takes effect our own message comes back as `messageAdded` (in the scheduler's time);
   * `null`: it never does (it is only in history). Default 0: at once, before the call answers.
   */
  ownEchoDelayMs: number | null = 0;
  protected nextIndex = 0;
  #down = false;
  /**
   * The messages stored, to tell a repeated delivery at O(1) at any chat length. Weak: a message dropped from
   * `messages` (a test or a bench forgetting the vendor's records) is not kept alive by it.
   */
  readonly #stored = new WeakSet<M>();
  readonly #missed: M[] = [];
  protected abstract readonly dialect: FakeTargetDialect;

  constructor(timing: FakeTiming, sid: string, ownIdentity: string, status: string) {
    super(timing);
    this.sid = sid;
    this.ownIdentity = ownIdentity;
    this.status = status;
  }

  join(): VirtualPromise<this> {
    return this.call('join', [], () => {
      this.status = 'joined';
      return this;
    });
  }

  leave(): VirtualPromise<this> {
    return this.call('leave', [], () => {
      this.status = 'notParticipating';
      return this;
    });
  }

  /**
   * The last `pageSize` messages up to index `anchor` (all without one), as they were when called (the answer arrives
   * after the latency).
   */
  getMessages(pageSize = 30, anchor?: number): VirtualPromise<{ items: M[]; hasPrevPage: boolean; hasNextPage: boolean }> {
    const upTo = anchor === undefined ? this.messages : this.messages.filter((message) => message.index <= anchor);
    const page = { items: upTo.slice(-pageSize), hasPrevPage: upTo.length > pageSize, hasNextPage: upTo.length < this.messages.length };
    return this.call('getMessages', anchor === undefined ? [pageSize] : [pageSize, anchor], () => page);
  }

  typing(): VirtualPromise<void> {
    return this.call('typing', [], () => undefined);
  }

  // --- driving the fake (what the desk does) ---------------------------------------------------------------------

  /** A member/participant joins (emits the join event). */
  add(who: P): P {
    this.present.push(who);
    this.emit(this.dialect.joined, who);
    return who;
  }

  /** A member/participant leaves (emits the leave event). */
  remove(who: P): void {
    const index = this.present.indexOf(who);
    if (index >= 0) this.present.splice(index, 1);
    this.emit(this.dialect.left, who);
  }

  /** Stores a message without emitting it (history that was there before we listened). */
  addHistory(message: M): M {
    this.messages.push(message);
    this.#stored.add(message);
    this.nextIndex = Math.max(this.nextIndex, message.index + 1);
    return message;
  }

  /**
   * Emits `messageAdded` for a message (again, for a duplicate delivery), storing it first. While the client is down
   * the event waits for the connection to come back (see `redeliverAfterReconnect`).
   */
  deliver(message: M): M {
    if (!this.#stored.has(message)) this.addHistory(message);
    if (this.#down) this.#missed.push(message);
    else this.#added(message);
    return message;
  }

  /**
   * Emits `messageAdded`, after `typingEnded` for its author when they were typing (twilio-chat `channel.js:519-526`
   * with `member.js:231-236`; conversations `conversation.js:929-936` with `participant.js:275-281`).
   */
  #added(message: M): void {
    const author = this.present.find((who) => who.isTyping && who.identity === message.author);
    if (author) this.setTyping(author, false);
    this.emit('messageAdded', message);
  }

  /** The client's connection went down or came back: messages that waited are emitted, or dropped. */
  connectionChanged(up: boolean): void {
    this.#down = !up;
    if (!up) return;
    const missed = this.#missed.splice(0);
    if (this.redeliverAfterReconnect) for (const message of missed) this.#added(message);
  }

  /** A member/participant starts or stops typing. */
  setTyping(who: P, isTyping: boolean): void {
    who.isTyping = isTyping;
    this.emit(isTyping ? 'typingStarted' : 'typingEnded', who);
  }

  /** A member/participant's read horizon moves to `index`. */
  read(who: P, index: number): void {
    this.setReadIndex(who, index);
    this.emit(this.dialect.updated, { [this.dialect.who]: who, updateReasons: [this.dialect.readReason] });
  }

  /** The attribute `status` becomes `INACTIVE` (how legacy Flex ends a chat). */
  markInactive(): void {
    this.attributes = { status: 'INACTIVE' };
    this.emit('updated', { [this.dialect.self]: this, updateReasons: ['attributes'] });
  }

  /** `state.current` changes (Conversations closes a chat with `closed`). */
  setState(current: 'active' | 'inactive' | 'closed'): void {
    this.state = { current, dateUpdated: new Date(0) };
    this.emit('updated', { [this.dialect.self]: this, updateReasons: ['state'] });
  }

  /** The channel/conversation is removed. */
  destroy(): void {
    this.emit('removed', this);
  }

  /**
   * Records what we sent, stores it as our own message (`tag` sets the attributes we sent), echoes it after
   * `ownEchoDelayMs`, and answers its index.
   */
  protected accept(message: unknown, tag: (echo: M) => void): number {
    const index = this.nextIndex;
    this.sent.push(message);
    const echo = this.createMessage(this.ownIdentity, typeof message === 'string' ? message : '', index);
    tag(echo);
    this.addHistory(echo);
    const delay = this.ownEchoDelayMs;
    const scheduler = this.timing.scheduler;
    if (delay === null) return index;
    if (delay > 0 && scheduler) scheduler.schedule(() => this.deliver(echo), delay);
    else this.deliver(echo);
    return index;
  }

  /** Advances our read horizon (forward only), answering the unread count. */
  protected advance(method: string, index: number): VirtualPromise<number> {
    return this.call(method, [index], () => {
      this.readIndex = Math.max(this.readIndex ?? -1, index);
      return this.messages.filter((message) => message.index > (this.readIndex ?? -1)).length;
    });
  }

  /** Makes a message of this SDK. */
  abstract createMessage(author: string | null, body: string, index?: number): M;

  protected abstract setReadIndex(who: P, index: number): void;
}
