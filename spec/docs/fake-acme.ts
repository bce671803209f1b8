import type { SchedulerLike } from 'rxjs';
import type { AcmeApi, AcmeClientFrame, AcmeSocket } from '../../docs/examples/acme-desk';
import type { ConformanceAgent, DeskReceived } from '../../lib/testing';
import { settleAfter } from '../../lib/testing';

/** Frames and history travel this long (virtual ms). */
const LATENCY_MS = 1;

interface Chat {
  readonly id: string;
  readonly summary: readonly string[];
  /** History as `GET /chats/:chat/messages` returns it: agent and user messages, oldest first. */
  readonly history: Record<string, unknown>[];
  readonly messages: { hostId: string; text: string }[];
  readonly typing: boolean[];
  agent: ConformanceAgent | undefined;
  ended: boolean;
  userEnded: boolean;
}

interface Socket {
  readonly page: number;
  readonly handlers: Parameters<AcmeApi['connect']>[0];
  chat: Chat | undefined;
  /** Closed by the adapter (its handlers are gone). */
  clientClosed: boolean;
  /** Closed by the desk or the network. */
  serverClosed: boolean;
}

/**
 * An in-memory Acme desk for the docs example (docs/examples/acme-desk.ts): the protocol the example's header
 * describes, in virtual time, with the network tricks the conformance driver asks for.
 */
export class FakeAcme {
  readonly #scheduler: SchedulerLike;
  readonly #chats: Chat[] = [];
  readonly #sockets: Socket[] = [];
  #cutPages = new Set<number>();
  #seq = 0;
  #down = false;
  #redeliver = false;
  #loseAnswer = false;
  #refuseMessage: string | undefined;
  #refuseStart = false;
  online = true;

  constructor(scheduler: SchedulerLike) {
    this.#scheduler = scheduler;
  }

  /** The API a page of the browser gets (a reloaded page gets a new one). */
  api(page: number): AcmeApi {
    return {
      connect: (handlers) => this.#connect(page, handlers),
      history: (chatId, { before, limit }) =>
        settleAfter({ scheduler: this.#scheduler, latencyMs: LATENCY_MS }, () => {
          const chat = this.#chats.find((each) => each.id === chatId);
          if (!chat || this.#down || this.#cutPages.has(page)) throw new Error('history: not reachable');
          const end = before ?? chat.history.length;
          const start = Math.max(0, end - limit);
          return { messages: chat.history.slice(start, end), ...(start > 0 ? { before: start } : {}) };
        }),
    };
  }

  /** The chat under test: the last one started. */
  get chat(): Chat {
    const chat = this.#chats.at(-1);
    if (!chat) throw new Error('No Acme chat yet: start the chat before driving the agent.');
    return chat;
  }

  // --- the agent's side ---------------------------------------------------------------------------------------------

  join(agent: ConformanceAgent, delayMs = LATENCY_MS): void {
    this.chat.agent = agent;
    this.#push({ t: 'join', agent: { id: agent.id, name: agent.nickname, ...(agent.avatarUrl ? { avatar: agent.avatarUrl } : {}) } }, delayMs);
  }

  say(text: string, from = this.chat.agent, delayMs = LATENCY_MS): string {
    const id = `acme-${++this.#seq}`;
    const message = { t: 'msg', id, seq: this.#seq, from: from?.id ?? 'bot', text };
    this.chat.history.push(message);
    this.#push(message, delayMs);
    return id;
  }

  leave(agent = this.chat.agent): void {
    if (agent) this.#push({ t: 'leave', agentId: agent.id });
  }

  push(frame: Record<string, unknown>): void {
    this.#push(frame);
  }

  end(): void {
    this.chat.ended = true;
    this.#push({ t: 'end' });
  }

  // --- the network --------------------------------------------------------------------------------------------------

  drop(): void {
    this.#down = true;
    for (const socket of this.#live()) this.#close(socket, 'network down');
  }

  restore(redeliver: boolean): void {
    this.#down = false;
    this.#redeliver = redeliver;
  }

  serverCloses(): void {
    for (const socket of this.#live()) this.#close(socket, 'closed by the server');
  }

  failSession(): void {
    for (const socket of this.#live()) {
      this.#deliver(socket, { t: 'fatal', reason: 'the session failed' });
      this.#close(socket, 'session failed');
    }
  }

  loseNextAnswer(): void {
    this.#loseAnswer = true;
  }

  refuseNextMessage(reason: string): void {
    this.#refuseMessage = reason;
  }

  refuseNextStart(): void {
    this.#refuseStart = true;
  }

  /** A page reload: the old page's sockets are gone at the desk, and the page hears nothing more. */
  cut(page: number): void {
    this.#cutPages.add(page);
  }

  received(): DeskReceived {
    const chat = this.#chats.at(-1);
    return {
      chats: this.#chats.length,
      summary: chat?.summary ?? [],
      messages: chat?.messages.map(({ hostId, text }) => ({ hostId, text })) ?? [],
      files: [],
      typing: chat?.typing ?? [],
      reads: 0,
      userEnded: chat?.userEnded ?? false,
    };
  }

  /** Sockets the adapter has not closed (a reloaded page's are gone with the page). */
  openSockets(): number {
    return this.#sockets.filter((socket) => !socket.clientClosed && !this.#cutPages.has(socket.page)).length;
  }

  // --- the desk -----------------------------------------------------------------------------------------------------

  #live(): Socket[] {
    return this.#sockets.filter((socket) => !socket.clientClosed && !socket.serverClosed && !this.#cutPages.has(socket.page));
  }

  #connect(page: number, handlers: Socket['handlers']): AcmeSocket {
    const socket: Socket = { page, handlers, chat: undefined, clientClosed: false, serverClosed: false };
    this.#sockets.push(socket);
    if (this.#down) this.#close(socket, 'network down');
    return {
      send: (frame) => {
        if (socket.clientClosed || socket.serverClosed || this.#cutPages.has(page)) return;
        this.#receive(socket, frame);
      },
      close: () => {
        socket.clientClosed = true;
      },
    };
  }

  #receive(socket: Socket, frame: AcmeClientFrame): void {
    switch (frame.t) {
      case 'start': {
        if (this.#refuseStart) {
          this.#refuseStart = false;
          this.#deliver(socket, { t: 'fatal', reason: 'this deployment takes no chats' });
          this.#close(socket, 'refused');
          return;
        }
        const chat: Chat = { id: `chat-${this.#chats.length + 1}`, summary: frame.summary, history: [], messages: [], typing: [], agent: undefined, ended: false, userEnded: false };
        this.#chats.push(chat);
        socket.chat = chat;
        this.#deliver(socket, { t: 'chat', chat: chat.id });
        return;
      }
      case 'resume': {
        const chat = this.#chats.find((each) => each.id === frame.chat);
        if (!chat) {
          this.#deliver(socket, { t: 'fatal', reason: 'no such chat' });
          this.#close(socket, 'unknown chat');
          return;
        }
        socket.chat = chat;
        this.#deliver(socket, { t: 'chat', chat: chat.id });
        if (this.#redeliver) {
          this.#redeliver = false;
          for (const entry of chat.history) if (entry.from !== 'user') this.#deliver(socket, entry);
        }
        if (chat.ended) this.#deliver(socket, { t: 'end' });
        return;
      }
      case 'say': {
        const chat = socket.chat;
        if (!chat) return;
        if (this.#refuseMessage !== undefined) {
          this.#deliver(socket, { t: 'nack', ref: frame.ref, reason: this.#refuseMessage });
          this.#refuseMessage = undefined;
          return;
        }
        chat.messages.push({ hostId: frame.ref, text: frame.text });
        chat.history.push({ t: 'msg', id: `acme-${++this.#seq}`, seq: this.#seq, from: 'user', ref: frame.ref, text: frame.text });
        if (this.#loseAnswer) {
          this.#loseAnswer = false;
          this.#close(socket, 'dropped before the answer');
          return;
        }
        this.#deliver(socket, { t: 'ack', ref: frame.ref });
        return;
      }
      case 'typing':
        socket.chat?.typing.push(frame.on);
        return;
      case 'bye':
        if (socket.chat) {
          socket.chat.userEnded = true;
          socket.chat.ended = true;
        }
        return;
    }
  }

  #push(frame: Record<string, unknown>, delayMs = LATENCY_MS): void {
    const chat = this.chat;
    for (const socket of this.#live()) if (socket.chat === chat) this.#deliver(socket, frame, delayMs);
  }

  /** Sends a frame on a socket the desk has not closed; it arrives unless the adapter closed the socket meanwhile. */
  #deliver(socket: Socket, frame: Record<string, unknown>, delayMs = LATENCY_MS): void {
    if (socket.serverClosed) return;
    this.#scheduler.schedule(() => {
      if (!socket.clientClosed && !this.#cutPages.has(socket.page)) socket.handlers.frame(frame);
    }, delayMs);
  }

  #close(socket: Socket, reason: string): void {
    if (socket.serverClosed) return;
    socket.serverClosed = true;
    this.#scheduler.schedule(() => {
      if (!socket.clientClosed && !this.#cutPages.has(socket.page)) socket.handlers.closed(reason);
    }, LATENCY_MS);
  }
}
