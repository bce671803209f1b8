import type { Subscription } from 'rxjs';
import { FakeEmitter } from '../fake-emitter.js';
import { VirtualPromise, settleAfter, type FakeTiming } from '../virtual-promise.js';

/** A fault for one call: it hangs or rejects, before (`lost: false`) or after (`lost: true`) taking effect. */
interface Fault {
  readonly hang: boolean;
  readonly lost: boolean;
  readonly error?: unknown;
}

/**
 * Call recording and fault injection shared by the Twilio SDK fakes: every SDK call is recorded, settles after the
 * fake's latency (in the scheduler's time), and can be made to fail or hang once, or to take effect and then lose
 * its answer.
 *
 * @example
 * channel.failNext('sendMessage', new Error('403'));
 * channel.loseNextAnswer('sendMessage', 'hang'); // the desk gets the message, the promise never settles
 * channel.callsOf('typing').length; // how often typing() was called
 */
export class FakeSdkObject extends FakeEmitter {
  /** Every SDK call, in order. */
  readonly calls: { readonly method: string; readonly args: readonly unknown[] }[] = [];
  protected readonly timing: FakeTiming;
  readonly #faults = new Map<string, Fault[]>();

  constructor(timing: FakeTiming = {}) {
    super();
    this.timing = timing;
  }

  /** The next call of `method` rejects with `error`. */
  failNext(method: string, error: unknown = new Error(`${method} failed`)): this {
    return this.#fault(method, { hang: false, lost: false, error });
  }

  /** The next call of `method` never settles. */
  hangNext(method: string): this {
    return this.#fault(method, { hang: true, lost: false });
  }

  /**
   * The next call of `method` takes effect (a message reaches the desk) but its answer is lost: after the latency
   * it rejects with `error` (`'reject'`, as when the connection drops mid-call), or it never settles (`'hang'`).
   */
  loseNextAnswer(method: string, how: 'reject' | 'hang' = 'reject', error: unknown = new Error(`${method}: the answer was lost`)): this {
    return this.#fault(method, { hang: how === 'hang', lost: true, error });
  }

  /** The arguments of each call of `method`. */
  callsOf(method: string): (readonly unknown[])[] {
    return this.calls.filter((call) => call.method === method).map((call) => call.args);
  }

  /** Records a call and settles it after the latency, unless a fault was set for it. */
  protected call<T>(method: string, args: readonly unknown[], run: () => T): VirtualPromise<T> {
    this.calls.push({ method, args });
    const fault = this.#faults.get(method)?.shift();
    if (!fault) return settleAfter(this.timing, run);
    if (fault.hang && !fault.lost) return new VirtualPromise<T>();
    return settleAfter<T>(this.timing, () => {
      if (fault.lost) run();
      if (fault.hang) return new VirtualPromise<T>();
      throw fault.error;
    });
  }

  #fault(method: string, fault: Fault): this {
    const list = this.#faults.get(method);
    if (list) list.push(fault);
    else this.#faults.set(method, [fault]);
    return this;
  }
}

/** A fake chat that hears whether the client is connected (it holds `messageAdded` while it is not). */
export interface FakeConnectionListener {
  /** The client's connection went down (`false`) or came back (`true`). */
  connectionChanged(up: boolean): void;
}

/** Connection states in which a client can neither send nor receive (twilsock 0.12 and 1.x). */
const DOWN_STATES = new Set(['connecting', 'disconnecting', 'disconnected', 'retrying', 'error', 'denied']);

/** How a fake client initialises: by itself after its latency, only when told, or by failing. */
export type FakeInit = 'auto' | 'manual' | 'fail';

/**
 * The behaviour both fake Twilio clients share: token updates, shutdown, connection states (the chats hear them, see
 * `FakeTwilioTarget.redeliverAfterReconnect`), token expiry and terminal errors, initialisation.
 *
 * @example
 * client.setConnectionState('connecting'); // the SDK lost its socket
 * client.tokenAboutToExpire();            // the SDK asks for a new token (no ttl argument, as at run time)
 */
export abstract class FakeTwilioClientBase extends FakeSdkObject {
  /** The token in use. */
  token: string;
  /** Tokens passed to `updateToken`, in order. */
  readonly updatedTokens: string[] = [];
  /** How often `shutdown()` was called. */
  shutdowns = 0;
  connectionState = 'connecting';
  /** The options the adapter passed to `createClient` (its `logLevel`). */
  clientOptions: unknown;
  /** Whether the desk takes a token given to `updateToken`. Default: every token. */
  accepts: (token: string) => boolean = () => true;
  #init: Subscription | undefined;
  readonly #chats: ReadonlyMap<string, FakeConnectionListener>;

  constructor(token: string, timing: FakeTiming, init: FakeInit, chats: ReadonlyMap<string, FakeConnectionListener> = new Map()) {
    super(timing);
    this.token = token;
    this.#chats = chats;
    if (init === 'manual') return;
    const run = () => (init === 'fail' ? this.failInit() : this.initialize());
    if (timing.scheduler) this.#init = timing.scheduler.schedule(run, timing.latencyMs ?? 0);
    else queueMicrotask(run);
  }

  /** Connects and reports the client initialised. */
  initialize(): void {
    this.setConnectionState('connected');
    this.emitInit(true);
  }

  /** Reports that initialisation failed. */
  failInit(terminal = false): void {
    this.emitInit(false, terminal);
  }

  /** Changes the connection state and emits `connectionStateChanged`; then tells the chats whether it is up. */
  setConnectionState(state: string): void {
    this.connectionState = state;
    this.emit('connectionStateChanged', state);
    const up = state === 'connected' ? true : DOWN_STATES.has(state) ? false : undefined;
    if (up !== undefined) for (const chat of this.#chats.values()) chat.connectionChanged(up);
  }

  /** Emits `tokenAboutToExpire` the way twilsock does: with no argument. */
  tokenAboutToExpire(): void {
    this.emit('tokenAboutToExpire');
  }

  /** Goes to `denied` and emits `tokenExpired`. */
  tokenExpired(): void {
    this.setConnectionState('denied');
    this.emit('tokenExpired');
  }

  /** Emits `connectionError`. */
  connectionError(terminal: boolean, message = 'connection error'): void {
    this.emit('connectionError', { terminal, message });
  }

  /** Takes a new token: a `denied` client connects again, as twilsock does; a token it does not accept is denied. */
  updateToken(token: string): VirtualPromise<this> {
    return this.call('updateToken', [token], () => {
      this.updatedTokens.push(token);
      if (!this.accepts(token)) {
        this.setConnectionState('denied');
        return this;
      }
      this.token = token;
      if (this.connectionState === 'denied') this.setConnectionState('connected');
      return this;
    });
  }

  shutdown(): VirtualPromise<void> {
    this.#init?.unsubscribe();
    return this.call('shutdown', [], () => {
      this.shutdowns += 1;
      this.connectionState = 'disconnected';
    });
  }

  /** Emits the SDK's own init event. */
  protected abstract emitInit(ok: boolean, terminal?: boolean): void;
}

/**
 * Counts the listeners left on fake SDK objects (0 after a chat ended means nothing leaked).
 *
 * @example
 * expect(listenersOn([client, channel])).toBe(0);
 */
export function listenersOn(objects: Iterable<FakeEmitter>): number {
  let total = 0;
  for (const object of objects) total += object.listenerCount();
  return total;
}
