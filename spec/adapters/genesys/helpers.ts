import type { VirtualTimeScheduler } from 'rxjs';
import { createServiceDesk, type ServiceDeskOptions } from '../../../lib/core/desk';
import type { ServiceDeskAdapter } from '../../../lib/core/adapter';
import { genesysWebMessaging, type GenesysWebMessagingOptions } from '../../../lib/adapters/genesys';
import { recordingCallback, trackingScheduler, type RecordingCallback, type TrackingScheduler } from '../../../lib/testing';
import { inMemoryGenesys, type GenesysDesk, type InMemoryGenesys, type InMemoryGenesysOptions } from '../../../lib/testing/genesys';
import type { HostMessageResponse, ServiceDesk } from '../../../lib/host/types';
import { virtualTime } from '../../support/virtual';

/** The connect item of a handoff. */
export const handoff = (message = 'User needs help with a refund'): HostMessageResponse => ({
  output: { generic: [{ response_type: 'connect_to_agent', message_to_human_agent: message }] },
});

/** A virtual clock that can run forward by a span (periodic timers such as the heartbeat never let `flush` end early). */
export interface Clock {
  readonly scheduler: VirtualTimeScheduler;
  /** Runs every action due within the next `ms`, then sets the clock to now + `ms`. */
  advance(ms: number): void;
  /** Runs `action` at virtual time `time`. */
  at(time: number, action: () => void): void;
}

/** A fresh virtual clock. */
export function clock(): Clock {
  const { scheduler, at } = virtualTime();
  return {
    scheduler,
    at,
    advance(ms) {
      const limit = scheduler.maxFrames;
      const until = scheduler.now() + ms;
      scheduler.maxFrames = until;
      scheduler.flush();
      scheduler.maxFrames = limit;
      scheduler.frame = until;
    },
  };
}

/** In-memory Genesys on a clock. */
export interface World {
  readonly clock: Clock;
  readonly genesys: InMemoryGenesys;
  readonly sim: GenesysDesk;
}

/** A new in-memory Web Messaging desk on a new virtual clock. */
export function world(options: Omit<InMemoryGenesysOptions, 'scheduler'> = {}): World {
  const time = clock();
  const genesys = inMemoryGenesys({ scheduler: time.scheduler, latencyMs: 1, ...options });
  return { clock: time, genesys, sim: genesys.desk };
}

/** Adapter options for the in-memory desk. */
export function simOptions(on: World, extra: Partial<GenesysWebMessagingOptions> = {}): GenesysWebMessagingOptions {
  return {
    deploymentId: on.sim.deploymentId,
    webSocketUrl: on.genesys.webSocketUrl,
    apiUrl: on.genesys.apiUrl,
    socketFactory: on.genesys.socketFactory,
    fetch: on.genesys.fetch,
    heartbeatMs: 1_000,
    ...extra,
  };
}

/** A desk on the in-memory Genesys. */
export interface TestDesk {
  readonly desk: ServiceDesk;
  readonly host: RecordingCallback;
  readonly adapter: ServiceDeskAdapter;
  readonly timers: TrackingScheduler;
}

/** A desk (Carbon host by default) wired to the in-memory desk, in the world's virtual time, counting its timers. */
export function makeDesk(
  on: World,
  options: {
    adapter?: Partial<GenesysWebMessagingOptions>;
    desk?: Partial<ServiceDeskOptions>;
    host?: 'carbon' | 'watsonx';
    persistedState?: unknown;
  } = {},
): TestDesk {
  const timers = trackingScheduler(on.clock.scheduler);
  const host = recordingCallback({ host: options.host ?? 'carbon', persistedState: options.persistedState, scheduler: on.clock.scheduler });
  const adapter = genesysWebMessaging(simOptions(on, options.adapter));
  const desk = createServiceDesk(
    adapter,
    { callback: host.callback, ...(options.persistedState !== undefined ? { persistedState: options.persistedState } : {}) },
    {
      scheduler: timers.scheduler,
      random: () => 0,
      retry: { initialDelayMs: 20, maxDelayMs: 100, maxRetries: 8, factor: 2, jitter: 0 },
      connectTimeoutMs: 3_000,
      endTimeoutMs: 1_000,
      ...options.desk,
    },
  );
  return { desk, host, adapter, timers };
}

/** The texts of the agent messages the host showed, in order (the library's own status lines left out). */
export function shownTexts(host: RecordingCallback): string[] {
  return host
    .callsOf('sendMessageToUser')
    .map((call) => (call.args[0] as HostMessageResponse).output?.generic ?? [])
    .filter((generic) => !generic.every((item) => item.agent_message_type === 'system'))
    .map((generic) => generic.map((item) => item.text ?? item.source ?? '').join(' | '));
}

/** Settles a promise that the clock drives: runs the clock by `ms`, then awaits it. */
export async function after<T>(on: World, ms: number, promise: PromiseLike<T>): Promise<T> {
  on.clock.advance(ms);
  return promise;
}

/** A small seeded PRNG (mulberry32), so that a failing chaos run can be replayed from its seed. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs the clock 1 ms at a time until `check` holds; fails after `limitMs` of virtual time. */
export function until(on: World, check: () => boolean, what: string, limitMs = 10_000): void {
  for (let spent = 0; !check(); spent += 1) {
    if (spent >= limitMs) throw new Error(`${what} did not happen within ${limitMs} ms of virtual time`);
    on.clock.advance(1);
  }
}
