import { Observable, Subject, defer, filter, from, ignoreElements, map, merge, of, take } from 'rxjs';
import {
  ServiceDeskError,
  createAdapter,
  type AdapterEvent,
  type AdapterPort,
  type CommonAdapterOptions,
  type ServiceDeskAdapter,
} from 'rx-service-desk';

// --- The vendor: a made-up "Acme" desk with a socket of JSON frames and a REST history endpoint ----------------------

/** What the browser sends on the Acme socket. */
export type AcmeClientFrame =
  | { t: 'start'; summary: readonly string[] }
  | { t: 'resume'; chat: string }
  | { t: 'say'; ref: string; text: string }
  | { t: 'typing'; on: boolean }
  | { t: 'bye' };

/** An open Acme socket. */
export interface AcmeSocket {
  send(frame: AcmeClientFrame): void;
  close(): void;
}

/** How the adapter reaches Acme: a WebSocket and `fetch` in production, a fake in tests. */
export interface AcmeApi {
  /** Opens a socket; every frame (parsed JSON, unchecked) and the close arrive through the handlers. */
  connect(handlers: { frame(data: unknown): void; closed(reason: string): void }): AcmeSocket;
  /** `GET /chats/:chat/messages?before=&limit=`: up to `limit` messages before `before`, oldest first. */
  history(chat: string, page: { before?: number; limit: number }): PromiseLike<{ messages: readonly unknown[]; before?: number }>;
}

// --- The port: connect, decode, send, read one page of history ------------------------------------------------------

/** What a reconnect, and a resume after a page reload, needs: the chat id. */
export interface AcmeSession {
  readonly chat: string;
}

const text = (value: unknown): value is string => typeof value === 'string';
const record = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});

/**
 * One Acme frame (or history entry) as adapter events; anything malformed becomes nothing.
 *
 * @example
 * decodeAcme({ t: 'leave', agentId: 'ann' }); // [{ type: 'agentLeft', agentId: 'ann' }]
 */
export function decodeAcme(data: unknown): AdapterEvent<AcmeSession>[] {
  const f = record(data);
  const agent = record(f.agent);
  switch (f.t) {
    case 'chat':
      return text(f.chat) ? [{ type: 'sessionState', state: { chat: f.chat } }, { type: 'connected' }] : [];
    case 'queue':
      if (typeof f.position !== 'number') return [];
      return [{ type: 'queueUpdate', position: f.position, ...(typeof f.waitMinutes === 'number' ? { waitMinutes: f.waitMinutes } : {}) }];
    case 'join':
      if (!text(agent.id) || !text(agent.name)) return [];
      return [{ type: 'agentJoined', agent: { id: agent.id, nickname: agent.name, ...(text(agent.avatar) ? { avatarUrl: agent.avatar } : {}) } }];
    case 'leave':
      return text(f.agentId) ? [{ type: 'agentLeft', agentId: f.agentId }] : [];
    case 'msg':
      if (!text(f.id) || !text(f.from) || !text(f.text)) return [];
      // Our own messages come back with the host's message id in `ref`: the engine never sends that id again.
      if (f.from === 'user') return text(f.ref) ? [{ type: 'userMessageSeen', messageId: f.ref }] : [];
      return [{ type: 'agentMessage', id: f.id, agentId: f.from, text: f.text, ...(typeof f.seq === 'number' ? { index: f.seq } : {}) }];
    case 'typing':
      return typeof f.on === 'boolean' ? [{ type: 'agentTyping', isTyping: f.on }] : [];
    case 'end':
      return [{ type: 'chatEnded' }];
    default:
      return [];
  }
}

/** A command's answer from the socket: done, refused, or the socket closed first. */
type Answer = { t: 'ack'; ref: string } | { t: 'nack'; ref: string; reason: string } | { t: 'closed' };

/**
 * The Acme desk as a port: the engine does the rest (reconnects, gap fill, exactly-once, dedupe, transfers).
 *
 * @example
 * const adapter = createAdapter(acmePort(api), { transferGraceMs: 5_000 });
 */
export function acmePort(api: AcmeApi): AdapterPort<AcmeSession> {
  return {
    name: 'Acme desk',
    readSession: (saved) => {
      const { chat } = record(saved);
      return text(chat) && chat !== '' ? { chat } : undefined;
    },
    open(request) {
      let socket: AcmeSocket | undefined;
      let chat: string | undefined;
      const answers = new Subject<Answer>();

      const connect = (session: AcmeSession | undefined) =>
        new Observable<AdapterEvent<AcmeSession>>((subscriber) => {
          const open = api.connect({
            frame: (data) => {
              const f = record(data);
              if (f.t === 'ack' && text(f.ref)) answers.next({ t: 'ack', ref: f.ref });
              if (f.t === 'nack' && text(f.ref)) answers.next({ t: 'nack', ref: f.ref, reason: String(f.reason) });
              if (f.t === 'fatal') {
                subscriber.error(new ServiceDeskError('SESSION_EXPIRED', `Acme ended the chat: ${String(f.reason)}`));
                return;
              }
              for (const event of decodeAcme(data)) {
                if (event.type === 'sessionState') chat = event.state.chat;
                subscriber.next(event);
              }
            },
            closed: (reason) => {
              answers.next({ t: 'closed' });
              subscriber.error(new ServiceDeskError('CONNECTION_LOST', `The Acme socket closed (${reason}).`, { retryable: true }));
            },
          });
          socket = open;
          open.send(session ? { t: 'resume', chat: session.chat } : { t: 'start', summary: request.summary });
          return () => {
            if (socket === open) socket = undefined;
            open.close();
          };
        });

      const send = (frame: AcmeClientFrame) =>
        defer(() => {
          if (!socket) throw new ServiceDeskError('NOT_CONNECTED', 'The Acme socket is not open.', { retryable: true });
          socket.send(frame);
          return of(true);
        });

      return {
        connect,
        sendMessage: ({ id, text: body }) =>
          defer(() => {
            const answer$ = answers.pipe(
              filter((answer) => answer.t === 'closed' || answer.ref === id),
              take(1),
              map((answer) => {
                if (answer.t === 'ack') return true;
                if (answer.t === 'nack') throw new ServiceDeskError('SEND_FAILED', answer.reason);
                throw new ServiceDeskError('SEND_FAILED', 'The socket closed before Acme answered.', { retryable: true });
              }),
            );
            // Listen first: the answer may come at once.
            return merge(answer$, send({ t: 'say', ref: id, text: body }).pipe(ignoreElements()));
          }),
        sendTyping: (on) => send({ t: 'typing', on }),
        leave: () => send({ t: 'bye' }),
        readHistory: ({ before, pageSize }) =>
          defer(() => {
            if (!chat) throw new ServiceDeskError('NOT_CONNECTED', 'No Acme chat yet.', { retryable: true });
            return from(api.history(chat, typeof before === 'number' ? { before, limit: pageSize } : { limit: pageSize }));
          }).pipe(
            map((page) => ({
              events: page.messages.flatMap(decodeAcme),
              ...(page.before !== undefined ? { before: page.before } : {}),
            })),
          ),
      };
    },
  };
}

// --- The adapter: the port on the engine, with the options every adapter shares -------------------------------------

/** Options of {@link acmeDesk}: the common ones, and how to reach Acme. */
export interface AcmeOptions extends CommonAdapterOptions<AcmeSession> {
  readonly api: AcmeApi;
}

/**
 * The Acme desk adapter.
 *
 * @example
 * const config = { serviceDeskFactory: serviceDeskFactory(() => acmeDesk({ api: acmeApi('wss://acme.example') })) };
 */
export function acmeDesk({ api, ...options }: AcmeOptions): ServiceDeskAdapter {
  return createAdapter(acmePort(api), { transferGraceMs: 5_000, typingIntervalMs: 3_000, ...options });
}
