import { catchError, concat, defer, from, map, mergeMap, of, timeout, type Observable, type SchedulerLike } from 'rxjs';
import type { Agent, DomainEvent } from '../../core/events.js';
import type { Logger } from '../../core/logger.js';
import { classify, loadProfile, participantId } from './participants.js';
import type { EndSignals, MessageInfo, ParticipantLike, ParticipantOptions, TwilioInput, UserLike } from './types.js';

/** What a {@link ChatMachine} step may do besides changing its state. */
export interface MachineEffects {
  /** Emits an event, after every step still pending. */
  emit(event: DomainEvent): void;
  /** Runs an asynchronous step (a profile lookup, media URLs); later outputs wait until it completes. */
  later(step: Observable<DomainEvent>): void;
  /** (Re)starts the grace timer: `graceExpired` is fed back after `delayMs`. */
  arm(delayMs: number): void;
  /** Cancels the grace timer. */
  disarm(): void;
}

/** Settings of a {@link ChatMachine}. */
export interface MachineOptions {
  readonly participants: ParticipantOptions;
  readonly endSignals: EndSignals;
  /** How long after the last agent left a new agent joining is a transfer (and the leave is not shown). */
  readonly transferGraceMs: number;
  /** Longest wait for media URLs before the message is shown without its attachments. */
  readonly mediaTimeoutMs: number;
  readonly scheduler: SchedulerLike;
  readonly logger: Logger;
  /** The state to keep for a resume after a page reload, given the index of the last message shown. */
  readonly persist: (lastIndex: number | undefined) => unknown;
  /** The user with this identity, from the connected client (none while there is none). */
  readonly userOf: (identity: string) => PromiseLike<UserLike> | undefined;
}

/** How many message sids (and host ids of our own messages) a session remembers to drop duplicates. */
const SEEN_LIMIT = 10_000;

/** Adds `key` to a set that keeps at most {@link SEEN_LIMIT} entries (the oldest go first). */
function remember(set: Set<string>, key: string): void {
  if (set.has(key)) return;
  if (set.size >= SEEN_LIMIT) set.delete(set.values().next().value as string);
  set.add(key);
}

/** Shown instead of an agent's media that could not be loaded (when the message has no text of its own). */
const MEDIA_NOT_LOADED = 'The agent sent a file that could not be loaded.';

/**
 * The Twilio chat state machine, shared by the Programmable Chat and Conversations adapters. It lives as long as the
 * chat session (across reconnects) and decides what the core cannot:
 * - who is an agent (see `classify`), and whether an agent joining is the first one or a transfer (another agent is
 *   present, or one left less than `transferGraceMs` ago);
 * - whether an agent leaving ends the chat: the leave is held for the grace window; a join within it is a transfer,
 *   otherwise the chat ends (`lastAgentLeft`) or the leave is shown;
 * - the chat-ended signals that are switched on;
 * - messages: our own are not echoed (they move our read horizon, and the host's message id they carry is
 *   remembered, so that a retried send can tell it already arrived); duplicates are dropped by sid, and history read
 *   again (after a reconnect or a page reload) by index;
 * - the agent's read horizon reaching our last message.
 *
 * @example
 * const machine = new ChatMachine(options);
 * machine.identify('guest-1');
 * machine.step({ kind: 'joined', who: member }, effects); // effects.later(profile$ -> agentJoined)
 */
export class ChatMachine {
  /** Index of the last agent message shown (also restored from a resume). */
  lastShownIndex: number | undefined;
  /** Set when the user ends the chat: removal signals are then our own doing. */
  leaving = false;
  readonly #options: MachineOptions;
  readonly #present = new Map<string, ParticipantLike>();
  readonly #seen = new Set<string>();
  readonly #delivered = new Set<string>();
  #identity = '';
  #everJoined = false;
  #current: string | undefined;
  #leftAt: number | undefined;
  #ended = false;
  #ownLastIndex: number | undefined;
  #readReported: number | undefined;

  constructor(options: MachineOptions, lastShownIndex?: number) {
    this.#options = options;
    this.lastShownIndex = lastShownIndex;
  }

  /** Sets our own identity (known once the session is fetched). */
  identify(identity: string): void {
    this.#identity = identity;
  }

  /** Whether the chat waits for an agent (queue updates are worth fetching). */
  get waitingForAgent(): boolean {
    return !this.#ended && this.#present.size === 0;
  }

  /** Records the index of a message we sent (the read horizon compares against it). */
  noteOwnMessage(index: unknown): void {
    if (typeof index === 'number' && Number.isFinite(index) && (this.#ownLastIndex === undefined || index > this.#ownLastIndex)) {
      this.#ownLastIndex = index;
    }
  }

  /**
   * Whether history read back to `index` reaches the agent messages already shown: everything after the last one
   * shown has then been read. (Not our own messages: the SDK may echo ours before it delivers an agent's older one.)
   */
  covers(index: number): boolean {
    return this.lastShownIndex !== undefined && index <= this.lastShownIndex;
  }

  /** Records that the message with the host's id `hostId` reached the vendor. */
  noteDelivered(hostId: string): void {
    remember(this.#delivered, hostId);
  }

  /** Whether a message with the host's id `hostId` is known to have reached the vendor (its answer, or its echo). */
  delivered(hostId: string): boolean {
    return this.#delivered.has(hostId);
  }

  /**
   * Reads a message of ours (the author is our identity): moves the read horizon to it and remembers its host id.
   * Answers whether it was ours; the message is not looked at otherwise.
   */
  noteOwn(message: MessageInfo): boolean {
    if (message.author === undefined || message.author !== this.#identity) return false;
    this.noteOwnMessage(message.index);
    if (message.hostId !== undefined) this.noteDelivered(message.hostId);
    return true;
  }

  /** Called when a connection attempt starts: re-arms a grace window that was running when the last one ended. */
  attach(effects: MachineEffects): void {
    if (this.#leftAt === undefined || this.#present.size > 0 || this.#ended) return;
    const remaining = this.#leftAt + this.#options.transferGraceMs - this.#options.scheduler.now();
    effects.arm(Math.max(0, remaining));
  }

  /** Reads one input. */
  step(input: TwilioInput, effects: MachineEffects): void {
    if (this.#ended) return;
    switch (input.kind) {
      case 'joined':
        this.#joined(input.who, effects);
        return;
      case 'left':
        this.#left(input.who, effects);
        return;
      case 'members':
        this.#members(input.list, effects);
        return;
      case 'typing': {
        const id = this.#agentId(input.who);
        if (id !== undefined) effects.emit({ type: 'agentTyping', isTyping: input.isTyping, agentId: id });
        return;
      }
      case 'read':
        this.#read(input.who, input.index, effects);
        return;
      case 'message':
        this.#message(input.message, input.replay === true, effects);
        return;
      case 'ended':
        if (!this.#options.endSignals[input.signal]) {
          this.#options.logger.debug('Twilio end signal ignored (switched off)', { signal: input.signal });
          return;
        }
        if (this.leaving) return;
        this.#end(input.reason, effects);
        return;
      case 'graceExpired':
        this.#graceExpired(effects);
        return;
      case 'ready':
        effects.emit({ type: 'connected' });
        effects.emit({ type: 'persist', state: this.#options.persist(this.lastShownIndex) });
        return;
      case 'loaded':
      case 'resync':
        return;
    }
  }

  #agentId(who: ParticipantLike): string | undefined {
    return classify(who, this.#identity, this.#options.participants) === 'agent' ? participantId(who) : undefined;
  }

  #profile(who: ParticipantLike): Observable<Agent> {
    const { participants, scheduler, logger } = this.#options;
    return loadProfile(who, participants, scheduler, logger);
  }

  #joined(who: ParticipantLike, effects: MachineEffects): void {
    const id = this.#agentId(who);
    if (id === undefined) return;
    if (this.#present.has(id)) {
      this.#present.set(id, who);
      return;
    }
    const othersPresent = this.#present.size > 0;
    this.#present.set(id, who);
    if (this.#leftAt !== undefined) {
      this.#leftAt = undefined;
      effects.disarm();
      if (id === this.#current) return;
    } else if (!this.#everJoined) {
      this.#everJoined = true;
      this.#current = id;
      this.#announce(who, false, effects);
      return;
    } else if (!othersPresent && id === this.#current) {
      this.#announce(who, false, effects);
      return;
    }
    this.#current = id;
    this.#announce(who, true, effects);
  }

  /**
   * A live message from a member/participant who has not joined (yet): the SDK may deliver it before the join event,
   * even in the same tick. The join is shown first, made from the sender (its profile from the client's user of that
   * identity); the join event that follows adds nothing.
   * Not for messages the desk's automation posted (no participant wrote them), not while the grace window after this
   * agent left runs (a late message does not bring them back), and not from history (its authors may have left).
   */
  #senderJoined({ author, participantSid }: MessageInfo, effects: MachineEffects): void {
    if (author === undefined || participantSid === undefined || this.#present.has(author)) return;
    if (this.#leftAt !== undefined && author === this.#current) return;
    const user = this.#options.userOf(author);
    this.#joined(user ? { sid: participantSid, identity: author, getUser: () => user } : { sid: participantSid, identity: author }, effects);
  }

  #announce(who: ParticipantLike, transfer: boolean, effects: MachineEffects): void {
    effects.later(
      this.#profile(who).pipe(
        mergeMap((agent) =>
          from<DomainEvent[]>(transfer ? [{ type: 'transferStarted', agent }, { type: 'agentJoined', agent }] : [{ type: 'agentJoined', agent }]),
        ),
      ),
    );
  }

  #left(who: ParticipantLike, effects: MachineEffects): void {
    const id = this.#agentId(who);
    if (id === undefined || !this.#present.delete(id)) return;
    if (this.#present.size > 0) {
      if (id !== this.#current) return;
      const [nextId, next] = this.#present.entries().next().value as [string, ParticipantLike];
      this.#current = nextId;
      this.#announce(next, true, effects);
      return;
    }
    effects.emit({ type: 'agentTyping', isTyping: false, agentId: id });
    this.#leftAt = this.#options.scheduler.now();
    if (this.#options.transferGraceMs > 0) effects.arm(this.#options.transferGraceMs);
    else this.#graceExpired(effects);
  }

  #graceExpired(effects: MachineEffects): void {
    if (this.#leftAt === undefined || this.#present.size > 0) return;
    this.#leftAt = undefined;
    if (this.#options.endSignals.lastAgentLeft) this.#end('the agent left the chat', effects);
    else effects.emit(this.#current === undefined ? { type: 'agentLeft' } : { type: 'agentLeft', agentId: this.#current });
  }

  #members(list: readonly ParticipantLike[], effects: MachineEffects): void {
    const agents = new Map<string, ParticipantLike>();
    for (const who of list) {
      const id = this.#agentId(who);
      if (id !== undefined) agents.set(id, who);
    }
    for (const who of agents.values()) this.#joined(who, effects);
    for (const [id, who] of [...this.#present]) if (!agents.has(id)) this.#left(who, effects);
  }

  #read(who: ParticipantLike, index: number | null | undefined, effects: MachineEffects): void {
    if (this.#agentId(who) === undefined || typeof index !== 'number') return;
    const own = this.#ownLastIndex;
    if (own === undefined || index < own || (this.#readReported !== undefined && own <= this.#readReported)) return;
    this.#readReported = own;
    effects.emit({ type: 'agentRead' });
  }

  #message(message: MessageInfo, replay: boolean, effects: MachineEffects): void {
    if (this.noteOwn(message)) return;
    if (this.#seen.has(message.sid) || (replay && this.lastShownIndex !== undefined && message.index <= this.lastShownIndex)) return;
    if (!message.text && !message.attachments) return;
    remember(this.#seen, message.sid);
    if (this.lastShownIndex === undefined || message.index > this.lastShownIndex) this.lastShownIndex = message.index;
    if (!replay) this.#senderJoined(message, effects);
    const agentId = message.author !== undefined && (this.#present.has(message.author) || message.author === this.#current) ? message.author : undefined;
    const base = { type: 'agentMessage' as const, id: message.sid, text: message.text, ...(agentId !== undefined ? { agentId } : {}) };
    const persist: DomainEvent = { type: 'persist', state: this.#options.persist(this.lastShownIndex) };
    if (!message.attachments) {
      effects.emit(base);
      effects.emit(persist);
      return;
    }
    const load = message.attachments;
    const { mediaTimeoutMs, scheduler, logger } = this.#options;
    effects.later(
      concat(
        defer(() => load()).pipe(
          timeout({ first: mediaTimeoutMs, scheduler }),
          map((attachments): DomainEvent => (attachments.length ? { ...base, attachments } : { ...base, text: base.text || MEDIA_NOT_LOADED })),
          catchError((error: unknown) => {
            logger.warn('media of an agent message could not be loaded', { sid: message.sid, error });
            return of<DomainEvent>({ ...base, text: base.text || MEDIA_NOT_LOADED });
          }),
        ),
        of(persist),
      ),
    );
  }

  #end(reason: string, effects: MachineEffects): void {
    this.#ended = true;
    this.#leftAt = undefined;
    effects.disarm();
    effects.emit({ type: 'chatEnded', reason });
  }
}
