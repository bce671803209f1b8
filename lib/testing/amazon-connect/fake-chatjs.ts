import type { SchedulerLike } from 'rxjs';
import type { ChatJs, ChatJsCustomerSession, ChatJsEvent } from '../../adapters/amazon-connect/types.js';
import { CONNECT_EVENT, type ConnectItem } from '../../adapters/amazon-connect/protocol.js';
import type { ConnectApiResult, ConnectSimulatorCore, ConnectSocketPeer } from '../../simulator/amazon-connect/core.js';
import { VirtualPromise } from '../virtual-promise.js';

/*
 * Every behaviour below follows amazon-connect-chatjs 5.0.0. Line numbers are those of the esbuild-formatted bundle
 * (`npx esbuild node_modules/amazon-connect-chatjs/dist/amazon-connect-chat.js --outfile=chat.js`).
 */

/** Options of {@link fakeChatJs}. */
export interface FakeChatJsOptions {
  /** The participant service the fake talks to (`connectSimulatorCore`). */
  readonly core: ConnectSimulatorCore;
  /** Every answer, frame and SDK timer runs on it. */
  readonly scheduler: SchedulerLike;
  /** Latency of every REST answer and socket frame. Default 1 ms. */
  readonly latencyMs?: number;
}

/** A fake `window.connect` of amazon-connect-chatjs, over the simulator core, with network controls. */
export interface FakeChatJs extends ChatJs {
  /** The network fails: every socket drops, REST calls reject as `fetch` does, until {@link FakeChatJs.restore}. */
  drop(): void;
  /** The network is back: the SDK notices within 250 ms and opens its socket again. */
  restore(): void;
  /** Handlers the adapter registered and that are still subscribed, over every session. */
  readonly listeners: number;
  /** Sockets open. */
  readonly sockets: number;
  /** Sessions created (`ChatSession.create`). */
  readonly sessions: number;
}

type Handler = (event: ChatJsEvent) => void;
type Rejection = { readonly type: string; readonly message: string; readonly statusCode?: number };

const EVENTS = {
  message: 'INCOMING_MESSAGE',
  typing: 'INCOMING_TYPING',
  read: 'INCOMING_READ_RECEIPT',
  delivered: 'INCOMING_DELIVERED_RECEIPT',
  established: 'CONNECTION_ESTABLISHED',
  lost: 'CONNECTION_LOST',
  broken: 'CONNECTION_BROKEN',
  ended: 'CHAT_ENDED',
} as const;

/**
 * Creates a fake of the global `connect` object of `amazon-connect-chatjs` 5.x that runs on a scheduler against the
 * Amazon Connect simulator core: CUSTOMER sessions only, with the SDK's event order (CONNECTION_ESTABLISHED on
 * `connect()` and again on every socket gain), its automatic socket reconnects, its 10 s typing throttle, its
 * rejection shapes and its end-of-chat cleanup. For specs and the conformance suite.
 *
 * @example
 * import { VirtualTimeScheduler } from 'rxjs';
 * import { connectSimulatorCore } from 'rx-service-desk/simulator/amazon-connect';
 * import { fakeChatJs } from 'rx-service-desk/testing/amazon-connect';
 *
 * const scheduler = new VirtualTimeScheduler();
 * const core = connectSimulatorCore({ scheduler });
 * const chatjs = fakeChatJs({ core, scheduler });
 * const adapter = amazonConnect({ chatjs, region: 'us-east-1', startChat: async (body) => core.startChatContact({ ParticipantDetails: { DisplayName: 'Ada' }, InitialMessage: { ContentType: 'text/plain', Content: body.initialMessage } }).body as never });
 */
export function fakeChatJs(options: FakeChatJsOptions): FakeChatJs {
  const { core, scheduler } = options;
  const latency = options.latencyMs ?? 1;
  let online = true;
  const live = new Set<FakeSession>();
  const later = (action: () => void, delay = latency) => void scheduler.schedule(action, delay);
  /** Settled at once, like `Promise.resolve` / `Promise.reject`, but without a microtask (virtual time). */
  const settled = <T>(value: T, ok = true) => {
    const promise = new VirtualPromise<T>();
    if (ok) promise.resolve(value);
    else promise.reject(value);
    return promise;
  };

  /** A REST call: rejects like `_sendRequest` (4053): `{ type, message, statusCode }`; offline, as a failed fetch. */
  const rest = (path: string, bearer: string | undefined, body: unknown): VirtualPromise<{ data: unknown }> => {
    const answer = new VirtualPromise<{ data: unknown }>();
    later(() => {
      if (!online) return answer.reject({ type: 'TypeError', message: 'Failed to fetch' } satisfies Rejection);
      const result: ConnectApiResult = core.participant(path, bearer, body);
      // The request reached the service but the network failed before the answer came back.
      if (!online) return answer.reject({ type: 'TypeError', message: 'Failed to fetch' } satisfies Rejection);
      if (result.status === 200) return answer.resolve({ data: result.body });
      const message = (result.body as { message?: string }).message ?? '';
      answer.reject({ type: result.headers?.['x-amzn-ErrorType'] ?? 'UnknownError', message, statusCode: result.status } satisfies Rejection);
    });
    return answer;
  };

  class FakeSession implements ChatJsCustomerSession {
    private readonly handlers = new Map<string, Set<Handler>>();
    private connectionToken: string | undefined;
    private peer: ConnectSocketPeer | undefined;
    private connecting = false;
    private connectCalled = false;
    private ended = false;
    private state: 'never' | 'connected' | 'lost' | 'closed' = 'never';
    private typingUntil = -Infinity;
    private typingTrailing = false;
    private readonly receipts = new Set<string>();
    readonly controller = {
      /** `cleanUpOnParticipantDisconnect` = `pubsub.unsubscribeAll()` (5716). */
      cleanUpOnParticipantDisconnect: () => this.handlers.clear(),
      /** `breakConnection` = `connectionHelper.end()`: closes the socket for good (5102, 4996). */
      breakConnection: () => this.close(),
    };

    constructor(private readonly details: { contactId: string; initialContactId: string; participantId: string; participantToken: string }) {}

    get listenerCount() {
      let count = 0;
      for (const set of this.handlers.values()) count += set.size;
      return count;
    }
    get socketOpen() {
      return this.peer !== undefined;
    }

    private on(name: string, handler: Handler) {
      const set = this.handlers.get(name) ?? new Set();
      set.add(handler);
      this.handlers.set(name, set);
    }
    /** `triggerAsync` (4190): handlers run on a later task; a throwing handler is swallowed (4186). */
    private trigger(name: string, event: ChatJsEvent, after?: () => void) {
      later(() => {
        for (const handler of [...(this.handlers.get(name) ?? [])]) {
          try {
            handler(event);
          } catch {
            // the SDK swallows handler errors
          }
        }
        after?.();
      }, 0);
    }
    private close() {
      this.state = 'closed';
      const peer = this.peer;
      this.peer = undefined;
      peer?.closed();
      live.delete(this);
    }

    /** Opens the socket with a fresh connection (`getWebSocketConnConfig` -> CreateParticipantConnection, 4328). */
    private openSocket(): VirtualPromise<void> {
      this.connecting = true;
      return rest('/participant/connection', this.details.participantToken, { Type: ['WEBSOCKET', 'CONNECTION_CREDENTIALS'] }).then(({ data }) => {
        this.connecting = false;
        const token = (data as { ConnectionCredentials: { ConnectionToken: string } }).ConnectionCredentials.ConnectionToken;
        this.connectionToken = token;
        later(() => this.attach(token));
      });
    }
    private attach(token: string) {
      if (this.state === 'closed' || !online) return;
      const peer = core.openSocket(token, {
        send: (text) => later(() => this.peer === peer && this.frame(text)),
        drop: () => later(() => this.peer === peer && this.socketLost()),
      });
      if (!peer) return this.broken();
      this.peer = peer;
      live.add(this);
      // onConnectionGain fires CONNECTION_ESTABLISHED (5663); the manager then subscribes to aws/chat (4830).
      this.state = 'connected';
      this.trigger(EVENTS.established, {});
      peer.receive(JSON.stringify({ topic: 'aws/subscribe', content: { topics: ['aws/chat'] } }));
    }
    /** The socket closed under us: CONNECTION_LOST once (4925), then the manager fetches a new connection (q2). */
    socketLost() {
      if (this.state !== 'connected') return;
      this.peer?.closed();
      this.peer = undefined;
      this.state = 'lost';
      this.trigger(EVENTS.lost, {});
      if (online) this.reconnect();
    }
    reconnect() {
      if (this.state !== 'lost' || this.connecting) return;
      this.openSocket().then(undefined, (reason: unknown) => {
        const error = reason as Rejection;
        this.connecting = false;
        if (error.type === 'TypeError') return; // a network failure: the manager waits for the network (4776)
        // 403 while the connection was lost: "background chat ended" (5094), then init failure -> CONNECTION_BROKEN.
        if (error.statusCode === 403) this.incoming({ Id: 'chat-ended', AbsoluteTime: '', Type: 'EVENT', ContentType: CONNECT_EVENT.ended, ...this.ids() });
        this.broken();
      });
    }
    private broken() {
      this.trigger(EVENTS.broken, {});
      this.close();
    }
    private ids() {
      return { ContactId: this.details.contactId, InitialContactId: this.details.initialContactId };
    }
    private frame(text: string) {
      const frame = JSON.parse(text) as { topic?: string; content?: string };
      if (frame.topic !== 'aws/chat' || typeof frame.content !== 'string') return;
      let item: ConnectItem;
      try {
        item = JSON.parse(frame.content) as ConnectItem;
      } catch {
        return; // "Wrong message format" (5133)
      }
      // handleMessage (5069) reads item.InitialContactId: on null it throws inside pubsub.trigger, which swallows it (4186).
      if (typeof item !== 'object' || item === null) return;
      // handleMessage (5069): only items of this contact, or receipts.
      if (item.InitialContactId !== this.details.initialContactId && item.ContactId !== this.details.contactId && item.Type !== 'MESSAGE_METADATA') return;
      this.incoming(item);
    }
    /** `_handleIncomingMessage` (5676): content type -> event (p map, 3612); receipts for others are dropped (5236). */
    private incoming(item: ConnectItem) {
      if (item.Type === 'MESSAGE_METADATA') {
        const receipt = item.MessageMetadata?.Receipts?.[0];
        if (!receipt || receipt.RecipientParticipantId === this.details.participantId) return;
        return this.trigger(receipt.ReadTimestamp ? EVENTS.read : EVENTS.delivered, { data: item });
      }
      const name = item.ContentType === CONNECT_EVENT.typing ? EVENTS.typing : item.ContentType === CONNECT_EVENT.read ? EVENTS.read : item.ContentType === CONNECT_EVENT.delivered ? EVENTS.delivered : EVENTS.message;
      this.trigger(name, { data: item });
      if (item.ContentType === CONNECT_EVENT.ended && !this.ended) {
        this.ended = true;
        // CHAT_ENDED, then every handler is removed and the socket closed (5684).
        this.trigger(EVENTS.ended, { data: undefined }, () => {
          this.handlers.clear();
          this.close();
        });
      }
    }
    private api(path: string, body: unknown): VirtualPromise<{ data: unknown }> {
      // `_validateConnectionStatus` (5772): rejects a string before connect() and after the participant left.
      if (this.connectionToken === undefined || this.ended) return settled<{ data: unknown }>(`Failed to call ${path}, No active connection` as never, false);
      return rest(path, this.connectionToken, body);
    }

    connect(): VirtualPromise<unknown> {
      if (this.connectCalled) return settled<unknown>(undefined); // "Ignoring duplicate call to connect" (5648)
      this.connectCalled = true;
      return this.openSocket().then(
        () => {
          this.trigger(EVENTS.established, { data: { connectSuccess: true } }); // _onConnectSuccess (5698)
          return { connectSuccess: true, connectCalled: true };
        },
        (error: unknown) => {
          this.connecting = false;
          const reason = { reason: 'Failed to fetch connectionDetails with createParticipantConnection', _debug: error };
          throw { _debug: reason, connectSuccess: false, connectCalled: true }; // 4333, 5707
        },
      );
    }
    sendMessage(args: { message: string; contentType: string; clientToken?: string }) {
      return this.api('/participant/message', { Content: args.message, ContentType: args.contentType, ClientToken: args.clientToken });
    }
    /** Typing goes through lodash.throttle (client.js:348, 10 s, leading and trailing); receipts once per message id. */
    sendEvent(args: { contentType: string; content?: string }) {
      if (args.contentType === CONNECT_EVENT.typing) {
        const now = scheduler.now();
        if (now < this.typingUntil) {
          if (!this.typingTrailing) {
            this.typingTrailing = true;
            later(() => {
              this.typingTrailing = false;
              this.typingUntil = scheduler.now() + 10_000;
              this.api('/participant/event', { ContentType: args.contentType }).then(undefined, () => undefined);
            }, this.typingUntil - now);
          }
          return settled<{ data: unknown }>({ data: undefined });
        }
        this.typingUntil = now + 10_000;
      } else if (args.contentType === CONNECT_EVENT.read || args.contentType === CONNECT_EVENT.delivered) {
        const key = `${args.contentType} ${args.content ?? ''}`;
        if (this.receipts.has(key)) return settled<{ data: unknown }>({ data: { message: 'Event already fired' } });
        this.receipts.add(key);
      }
      return this.api('/participant/event', { ContentType: args.contentType, Content: args.content });
    }
    /** StartAttachmentUpload, PUT (its answer is not checked, 4028), CompleteAttachmentUpload (4018). */
    sendAttachment(args: { attachment: File }) {
      const file = args.attachment;
      return this.api('/participant/start-attachment-upload', { AttachmentName: file.name, ContentType: file.type, AttachmentSizeInBytes: file.size }).then(({ data }) => {
        const id = (data as { AttachmentId: string }).AttachmentId;
        core.upload(id, new Uint8Array(file.size));
        return this.api('/participant/complete-attachment-upload', { AttachmentIds: [id] });
      });
    }
    getAttachmentURL(args: { attachmentId: string }) {
      return this.api('/participant/attachment', { AttachmentId: args.attachmentId }).then(({ data }) => (data as { Url: string }).Url);
    }
    getTranscript(args: { maxResults: number; scanDirection: string; sortOrder: string; nextToken?: string }) {
      return this.api('/participant/transcript', { MaxResults: args.maxResults, ScanDirection: args.scanDirection, SortOrder: args.sortOrder, NextToken: args.nextToken });
    }
    disconnectParticipant() {
      return this.api('/participant/disconnect', {});
    }
    onMessage(handler: Handler) {
      this.on(EVENTS.message, handler);
    }
    onTyping(handler: Handler) {
      this.on(EVENTS.typing, handler);
    }
    onReadReceipt(handler: Handler) {
      this.on(EVENTS.read, handler);
    }
    onConnectionEstablished(handler: Handler) {
      this.on(EVENTS.established, handler);
    }
    onConnectionLost(handler: Handler) {
      this.on(EVENTS.lost, handler);
    }
    onConnectionBroken(handler: Handler) {
      this.on(EVENTS.broken, handler);
    }
  }

  const all: FakeSession[] = [];
  return {
    ChatSession: {
      create(args) {
        const { contactId, participantId, participantToken } = args.chatDetails;
        // validateChatDetails (4102): non-empty strings, and a participant token for a CUSTOMER session.
        if (!contactId || !participantId || !participantToken) throw new Error('chatDetails needs contactId, participantId and participantToken');
        const session = new FakeSession({ contactId, initialContactId: contactId, participantId, participantToken });
        all.push(session);
        return session;
      },
    },
    drop() {
      online = false;
      for (const session of [...live]) session.socketLost();
    },
    restore() {
      online = true;
      // The manager polls isNetworkOnline every 250 ms and reconnects when it turns true (4779).
      later(() => {
        for (const session of all) session.reconnect();
      }, 250);
    },
    get listeners() {
      return all.reduce((sum, session) => sum + session.listenerCount, 0);
    },
    get sockets() {
      return all.filter((session) => session.socketOpen).length;
    },
    get sessions() {
      return all.length;
    },
  };
}
