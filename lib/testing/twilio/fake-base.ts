import type { Subscription } from 'rxjs';
import { FakeEmitter } from '../fake-emitter.js';
import type { FakeTwilioUser } from './fake-target.js';
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

/** Connection states from which a new token makes twilsock connect again (twilsock 1.0.2 `twilsock.js:259-263`). */
const RECONNECTABLE = new Set(['denied', 'disconnected', 'connecting']);

/**
 * The behaviour both fake Twilio clients share, following the installed SDKs (twilio-chat 6.0.0 with twilsock 0.12.2,
 * @twilio/conversations 3.0.1 with twilsock 1.0.2; both twilsock versions behave alike on these paths; the line
 * numbers below are of `dist/` in the versions named). The chats hear the connection state (see
 * `FakeTwilioTarget.redeliverAfterReconnect`).
 *
 * - A client starts in state `unknown` (twilio-chat `client.js:181`, conversations `client.js:194`) and passes
 *   `connecting` before `connected`.
 * - A failed init emits `connectionError` before `stateChanged('failed')` (the client relays twilsock's
 *   `connectionError` before its own `once('connectionError')` fails the init: twilio-chat `client.js:233,249-252`,
 *   conversations `client.js:248,269-281`).
 * - `updateToken` waits for the client init (twilio-chat `client.js:393`, conversations `client.js:480`; a failed
 *   init lets it go on, `_ensureReady` swallows the failure), does nothing for the token in use (twilio-chat
 *   `client.js:395-397`, conversations `client.js:482-484`), and settles when twilsock answers `tokenUpdated`
 *   (twilsock `twilsock.js:672-683`).
 * - A token the desk rejects goes `denied` with a terminal `connectionError`, and `updateToken` REJECTS (twilsock
 *   `twilsock.js:572-596`, `emitReplyConnectionError` 599-613): `denied` never comes alone.
 * - An expired token makes the server close the socket (410): `disconnecting`, `tokenExpired`, then `disconnected`
 *   (twilsock `twilsock.js:497-501`, states 218-224, 395-413); no `denied`.
 * - A server close for a failed authentication (401) is the same without `tokenExpired` (twilsock `twilsock.js:503-507`).
 * - `disconnected` and `denied` are final for twilsock (`twilsock.js:142`): only `updateToken` with another token
 *   connects again (`twilsock.js:259-263`); while the socket is still closing, `updateToken` throws (no transition
 *   from `waitSocketClosed`: javascript-state-machine `state-machine.js:525-526`).
 *
 * @example
 * client.setConnectionState('connecting'); // the SDK lost its socket
 * client.tokenAboutToExpire();            // the SDK asks for a new token (no ttl argument, as at run time)
 * client.accepts = (token) => token !== 'bad'; // updateToken('bad') rejects, the client goes denied
 */
export abstract class FakeTwilioClientBase extends FakeSdkObject {
  /** The token in use. */
  token: string;
  /** Tokens passed to `updateToken` once the client was initialised, in order. */
  readonly updatedTokens: string[] = [];
  /** How often `shutdown()` was called. */
  shutdowns = 0;
  connectionState = 'unknown';
  /** The options the adapter passed to `createClient` (its `logLevel`). */
  clientOptions: unknown;
  /** Whether the desk takes a token given to `updateToken`. Default: every token. */
  accepts: (token: string) => boolean = () => true;
  /** The users `getUser` knows, by identity (the fake world's members). */
  users: ReadonlyMap<string, FakeTwilioUser> = new Map();
  #init: Subscription | undefined;
  readonly #ready = new VirtualPromise<void>();
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

  /** Connects (`connecting`, `connected`) and reports the client initialised. */
  initialize(): void {
    if (this.connectionState !== 'connecting') this.setConnectionState('connecting');
    this.setConnectionState('connected');
    this.#ready.resolve();
    this.emitInit(true);
  }

  /**
   * Reports that initialisation failed: twilsock's `connectionError` first, then the client's own failure
   * (twilio-chat `client.js:233,249-252`; conversations `client.js:248,269-272`).
   */
  failInit(terminal = false, message = 'init failed'): void {
    this.emit('connectionError', { terminal, message });
    this.#ready.resolve();
    this.emitInit(false, terminal, message);
  }

  /** Changes the connection state and emits `connectionStateChanged` (only on a change, as both clients do); then tells the chats whether it is up. */
  setConnectionState(state: string): void {
    if (state === this.connectionState) return;
    this.connectionState = state;
    this.emit('connectionStateChanged', state);
    const up = state === 'connected' ? true : DOWN_STATES.has(state) ? false : undefined;
    if (up !== undefined) for (const chat of this.#chats.values()) chat.connectionChanged(up);
  }

  /** Emits `tokenAboutToExpire` the way twilsock does: with no argument (twilsock `twilsock.js:472-474`). */
  tokenAboutToExpire(): void {
    this.emit('tokenAboutToExpire');
  }

  /**
   * The token expired: the server closes the socket with 410, `disconnecting` and `tokenExpired`, then `disconnected`
   * once the socket is closed, after the latency (twilsock `twilsock.js:497-501`, `218-224`).
   */
  tokenExpired(): void {
    this.setConnectionState('disconnecting');
    this.emit('tokenExpired');
    this.#afterLatency(() => this.setConnectionState('disconnected'));
  }

  /**
   * The server closes the connection for a failed authentication (401): `disconnecting`, then `disconnected`, with no
   * token event (twilsock `twilsock.js:503-507`). twilsock does not reconnect by itself from there.
   */
  closedByServer(): void {
    this.setConnectionState('disconnecting');
    this.#afterLatency(() => this.setConnectionState('disconnected'));
  }

  /**
   * The desk rejects the token in use (401/403 to an init or update): `denied` with a terminal `connectionError`
   * (twilsock `twilsock.js:576-590`, `599-613`).
   */
  denyToken(message = 'Connection error: Authentication failed'): void {
    this.setConnectionState('denied');
    this.emit('connectionError', { terminal: true, message, httpStatusCode: 401, errorCode: null });
  }

  /** Emits `connectionError` (a terminal one without `denied`: twilsock gave up, e.g. a 406 close). */
  connectionError(terminal: boolean, message = 'connection error'): void {
    this.emit('connectionError', { terminal, message });
  }

  /**
   * Takes a new token, after the client init: the token in use changes nothing; a token the desk does not accept is
   * denied and the call rejects; an accepted one connects a `denied`, `disconnected` or `connecting` client again.
   * While the socket is still closing the call throws, as twilsock's state machine does.
   */
  updateToken(token: string): VirtualPromise<this> {
    return this.#ready.then(() =>
      this.call('updateToken', [token], () => {
        this.updatedTokens.push(token);
        if (token === this.token) return this;
        if (this.connectionState === 'disconnecting') throw new Error('transition is invalid in current state');
        if (!this.accepts(token)) {
          this.denyToken();
          throw new Error('Connection error: Authentication failed');
        }
        this.token = token;
        if (RECONNECTABLE.has(this.connectionState)) this.#initializeAgain();
        return this;
      }),
    );
  }

  /** The user with this identity; rejects for an unknown one (twilio-chat and conversations `Client.getUser`). */
  getUser(identity: string): VirtualPromise<FakeTwilioUser> {
    return this.call('getUser', [identity], () => {
      const user = this.users.get(identity);
      if (!user) throw new Error(`User ${identity} not found`);
      return user;
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
  protected abstract emitInit(ok: boolean, terminal?: boolean, message?: string): void;

  /** twilsock connects again after a new token: `connecting`, then `connected` (no second init event). */
  #initializeAgain(): void {
    this.setConnectionState('connecting');
    this.setConnectionState('connected');
  }

  #afterLatency(run: () => void): void {
    const { scheduler, latencyMs = 0 } = this.timing;
    if (scheduler && latencyMs > 0) scheduler.schedule(run, latencyMs);
    else run();
  }
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
