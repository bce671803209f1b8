import type { TwilioSession } from '../../adapters/twilio-common/types.js';
import { listenersOn, type FakeInit, type FakeTwilioClientBase } from './fake-base.js';
import { FakeTwilioMedia, type FakeParticipantInit, type FakeTwilioParticipant, type FakeTwilioTarget } from './fake-target.js';
import type { FakeTiming } from '../virtual-promise.js';

/** Options both fake Twilio worlds take. */
export interface FakeWorldOptions extends FakeTiming {
  /** Our identity. Default `'guest-1'`. */
  identity?: string;
  /** How new clients initialise. Default `'auto'`. */
  init?: FakeInit;
}

/** What builds the SDK-specific objects of a fake world. */
export interface FakeWorldParts<T, P, C> {
  readonly sid: string;
  readonly sidKey: 'channelSid' | 'conversationSid';
  target(timing: FakeTiming, sid: string, identity: string): T;
  participant(timing: FakeTiming, init: FakeParticipantInit & { sid: string }): P;
  client(token: string, timing: FakeTiming, init: FakeInit, targets: ReadonlyMap<string, T>): C;
}

/** A fake Twilio world: one chat, the clients the adapter creates, and helpers to play the agents. */
export interface FakeWorld<T, P, C> {
  readonly target: T;
  /** Every client `createClient` made, in order. */
  readonly clients: C[];
  /** The latest client. */
  readonly client: C | undefined;
  /** Pass it as the adapter's `createClient`; keeps the client options on the client. */
  createClient(token: string, clientOptions?: unknown): C;
  /** What a middleware would answer to `POST /twilio/session`. */
  session(overrides?: Partial<TwilioSession>): TwilioSession;
  /** A new agent (not yet in the chat: `add(agent)`), with `member_type: 'agent'` and a friendly name. */
  agent(name: string, init?: FakeParticipantInit): P;
  /** Our own member/participant. */
  customer(): P;
  /** A media item for `createMessage(author, body, index, media)`. */
  media(init?: { filename?: string; contentType?: string; size?: number; url?: string }): FakeTwilioMedia;
  /** Listeners left on every client, the chat and its members (0 after a chat ended means nothing leaked). */
  listenerCount(): number;
}

/**
 * Builds a fake Twilio world from its SDK-specific parts; `fakeTwilioChat` and `fakeTwilioConversations` are this
 * with their parts.
 *
 * @example
 * const world = fakeWorld({ scheduler }, { sid: 'CH1', sidKey: 'channelSid', target, participant, client });
 */
export function fakeWorld<T extends FakeTwilioTarget<P, { readonly index: number; readonly author: string | null }>, P extends FakeTwilioParticipant, C extends FakeTwilioClientBase>(
  options: FakeWorldOptions,
  parts: FakeWorldParts<T, P, C>,
): FakeWorld<T, P, C> {
  const timing: FakeTiming = { ...(options.scheduler ? { scheduler: options.scheduler } : {}), latencyMs: options.latencyMs ?? 0 };
  const identity = options.identity ?? 'guest-1';
  const target = parts.target(timing, parts.sid, identity);
  const targets = new Map([[parts.sid, target]]);
  const clients: C[] = [];
  const members: P[] = [];
  const users = new Map<string, P['user']>();
  let count = 0;
  const member = (init: FakeParticipantInit & { sid: string }) => {
    const created = parts.participant(timing, init);
    members.push(created);
    if (typeof init.identity === 'string') {
      target.participantSids.set(init.identity, init.sid);
      users.set(init.identity, created.user);
    }
    return created;
  };
  return {
    target,
    clients,
    get client() {
      return clients[clients.length - 1];
    },
    createClient: (token, clientOptions) => {
      const client = parts.client(token, timing, options.init ?? 'auto', targets);
      client.clientOptions = clientOptions;
      client.users = users;
      clients.push(client);
      return client;
    },
    session: (overrides = {}) => ({ token: 'token-1', identity, [parts.sidKey]: parts.sid, ...overrides }),
    agent: (name, init = {}) =>
      member({ identity: name.toLowerCase(), friendlyName: name, attributes: { member_type: 'agent' }, ...init, sid: init.sid ?? `MB${++count}` }),
    customer: () => member({ identity, attributes: { member_type: 'guest' }, sid: `MB${++count}` }),
    media: (init = {}) => new FakeTwilioMedia(timing, { sid: `ME${++count}`, ...init }),
    listenerCount: () => listenersOn([...clients, target, ...members]),
  };
}
