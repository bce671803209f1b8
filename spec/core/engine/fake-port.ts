import { NEVER, Observable, defer, map, of, throwError, timer, type SchedulerLike, type Subscriber } from 'rxjs';
import type { OutgoingMessage } from '../../../lib/core/adapter';
import { ServiceDeskError } from '../../../lib/core/errors';
import type { AdapterEvent, AdapterPort, AgentRef, PortRequest, PortSession } from '../../../lib/core/engine/port';
import type { Logger } from '../../../lib/core/logger';

export interface FakeSession {
  readonly token: string;
}

/** What a spec controls and observes of a fake vendor behind {@link fakePort}. */
export interface FakeVendor {
  /** The open connection, if any. */
  live: Subscriber<AdapterEvent<FakeSession>> | undefined;
  /** The session state each `connect` got. */
  readonly connects: (FakeSession | undefined)[];
  /** Connections closed by the engine. */
  closed: number;
  /** Host ids of the messages the vendor received, in order (a retried send appears twice). */
  readonly received: string[];
  /** The vendor's whole history, oldest first: what `readHistory` pages through. */
  readonly history: AdapterEvent<FakeSession>[];
  /** The `before` cursor of each history read. */
  readonly historyReads: unknown[];
  /** How many of the next sends reach the vendor without an answer. */
  loseAnswers: number;
  /** History reads never answer. */
  historyHangs: boolean;
  /** History reads answer after this long (virtual time). */
  historyDelayMs: number;
  readonly lookups: string[];
  refreshes: number;
  left: boolean;
  /** Emits to the open connection. */
  emit(...events: AdapterEvent<FakeSession>[]): void;
  /** An agent message, live and in history. */
  say(id: string, agentId: string | undefined, text: string): void;
  /** The connection drops (a retryable error). */
  drop(): void;
}

export interface FakePortOptions {
  /** Emitted at once on each connect. Default: `connected` then the session state. */
  onConnect?: (vendor: FakeVendor, session: FakeSession | undefined) => AdapterEvent<FakeSession>[];
  /** Answers a profile lookup; `scheduler` is the chat's (virtual) one. */
  lookupAgent?: (agent: AgentRef, scheduler: SchedulerLike) => Observable<Omit<AgentRef, 'id'> | undefined>;
  refreshToken?: () => Observable<unknown>;
  /** Leave out `readHistory` (a vendor that replays what was missed itself). */
  noHistory?: boolean;
}

/** A scriptable vendor port for engine specs: everything happens when the spec says, in virtual time. */
export function fakePort(options: FakePortOptions = {}): { port: AdapterPort<FakeSession>; vendor: FakeVendor } {
  const vendor: FakeVendor = {
    live: undefined,
    connects: [],
    closed: 0,
    received: [],
    history: [],
    historyReads: [],
    loseAnswers: 0,
    historyHangs: false,
    historyDelayMs: 0,
    lookups: [],
    refreshes: 0,
    left: false,
    emit: (...events) => events.forEach((event) => vendor.live?.next(event)),
    say: (id, agentId, text) => {
      const event: AdapterEvent<FakeSession> = agentId === undefined ? { type: 'agentMessage', id, text } : { type: 'agentMessage', id, agentId, text };
      vendor.history.push(event);
      vendor.emit(event);
    },
    drop: () => vendor.live?.error(new ServiceDeskError('CONNECTION_LOST', 'dropped', { retryable: true })),
  };
  const onConnect =
    options.onConnect ?? ((_vendor: FakeVendor, session: FakeSession | undefined): AdapterEvent<FakeSession>[] => [{ type: 'connected' }, { type: 'sessionState', state: session ?? { token: 'tok-1' } }]);

  const open = ({ scheduler }: PortRequest<FakeSession>): PortSession<FakeSession> => ({
    connect: (session) =>
      new Observable<AdapterEvent<FakeSession>>((subscriber) => {
        vendor.live = subscriber;
        vendor.connects.push(session);
        for (const event of onConnect(vendor, session)) subscriber.next(event);
        return () => {
          if (vendor.live === subscriber) vendor.live = undefined;
          vendor.closed += 1;
        };
      }),
    sendMessage: (message: OutgoingMessage) =>
      defer(() => {
        if (!vendor.live) return throwError(() => new ServiceDeskError('NOT_CONNECTED', 'not connected', { retryable: true }));
        vendor.received.push(message.id);
        vendor.history.push({ type: 'userMessageSeen', messageId: message.id });
        if (vendor.loseAnswers > 0) {
          vendor.loseAnswers -= 1;
          return NEVER;
        }
        return of(true);
      }),
    leave: () =>
      defer(() => {
        vendor.left = true;
        return of(true);
      }),
    ...(options.noHistory
      ? {}
      : {
          readHistory: ({ before, pageSize }) =>
            defer(() => {
              vendor.historyReads.push(before);
              if (vendor.historyHangs) return NEVER;
              const end = typeof before === 'number' ? before : vendor.history.length;
              const start = Math.max(0, end - pageSize);
              const page = { events: vendor.history.slice(start, end), ...(start > 0 ? { before: start } : {}) };
              return vendor.historyDelayMs > 0 ? timer(vendor.historyDelayMs, scheduler).pipe(map(() => page)) : of(page);
            }),
        }),
    ...(options.lookupAgent
      ? {
          lookupAgent: (agent: AgentRef) => {
            vendor.lookups.push(agent.id);
            return options.lookupAgent!(agent, scheduler);
          },
        }
      : {}),
    ...(options.refreshToken
      ? {
          refreshToken: () => {
            vendor.refreshes += 1;
            return options.refreshToken!();
          },
        }
      : {}),
  });

  const port: AdapterPort<FakeSession> = {
    name: 'fake desk',
    readSession: (saved) => {
      const token = (saved as Partial<FakeSession> | null)?.token;
      return typeof token === 'string' && token ? { token } : undefined;
    },
    open,
  };
  return { port, vendor };
}

/** A logger that keeps its warnings and errors, for specs that check what was logged. */
export function keptLogger(): Logger & { readonly warnings: string[]; readonly errors: string[] } {
  const warnings: string[] = [];
  const errors: string[] = [];
  return {
    warnings,
    errors,
    debug: () => undefined,
    info: () => undefined,
    warn: (message: string) => void warnings.push(message),
    error: (message: string) => void errors.push(message),
  } as Logger & { readonly warnings: string[]; readonly errors: string[] };
}
