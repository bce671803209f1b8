import { WebSocket } from 'ws';
import { createServiceDesk, type ServiceDeskOptions } from '../../../lib/core/desk';
import type { ServiceDeskAdapter } from '../../../lib/core/adapter';
import { genesysWebMessaging, wsSocketFactory, type GenesysWebMessagingOptions } from '../../../lib/adapters/genesys';
import type { GenesysSimulator } from '../../../lib/simulator/genesys';
import { recordingCallback, trackingScheduler, type RecordingCallback, type TrackingScheduler } from '../../../lib/testing';
import type { HostMessageResponse, ServiceDesk } from '../../../lib/host/types';

/** Polls until `check` returns true (or a value), failing with `what` after `timeoutMs`. */
export async function waitFor<T>(check: () => T | undefined | false, what: string, timeoutMs = 5_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Lets pending I/O and timers run for `ms` (to show that something does NOT happen). */
export const settle = (ms = 50) => new Promise((resolve) => setTimeout(resolve, ms));

/** The connect item of a handoff. */
export const handoff = (message = 'User needs help with a refund'): HostMessageResponse => ({
  output: { generic: [{ response_type: 'connect_to_agent', message_to_human_agent: message }] },
});

/** A desk on the simulator. */
export interface TestDesk {
  readonly desk: ServiceDesk;
  readonly host: RecordingCallback;
  readonly adapter: ServiceDeskAdapter;
  readonly timers: TrackingScheduler;
}

/** Adapter options for the simulator with short timings. */
export function simOptions(sim: GenesysSimulator, extra: Partial<GenesysWebMessagingOptions> = {}): GenesysWebMessagingOptions {
  return {
    deploymentId: sim.deploymentId,
    webSocketUrl: sim.url,
    apiUrl: sim.httpUrl,
    socketFactory: wsSocketFactory(WebSocket),
    heartbeatMs: 1_000,
    ...extra,
  };
}

/** A desk (Carbon host by default) wired to the simulator, with a timer-counting scheduler. */
export function makeDesk(
  sim: GenesysSimulator,
  options: {
    adapter?: Partial<GenesysWebMessagingOptions>;
    desk?: Partial<ServiceDeskOptions>;
    host?: 'carbon' | 'watsonx';
    persistedState?: unknown;
  } = {},
): TestDesk {
  const timers = trackingScheduler();
  const host = recordingCallback({ host: options.host ?? 'carbon', persistedState: options.persistedState });
  const adapter = genesysWebMessaging(simOptions(sim, options.adapter));
  const desk = createServiceDesk(
    adapter,
    { callback: host.callback, ...(options.persistedState !== undefined ? { persistedState: options.persistedState } : {}) },
    {
      scheduler: timers.scheduler,
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
