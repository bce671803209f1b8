import { VirtualTimeScheduler } from 'rxjs';
import type { ServiceDeskAdapter } from '../../core/adapter.js';
import { createServiceDesk, type RxServiceDesk } from '../../core/desk.js';
import type { RetryPolicy } from '../../core/backoff.js';
import type { HostFileUpload, HostMessageResponse } from '../../host/types.js';
import { hostLog } from '../checklist.js';
import { recordingCallback, type RecordingCallback } from '../recording-callback.js';
import { trackingScheduler, type TrackingScheduler } from '../tracking-scheduler.js';
import type { ConformanceHarness, ConformanceWorld } from './harness.js';

/** The retry policy of every desk the suite builds: the default one without jitter, so runs are reproducible. */
export const CONFORMANCE_RETRY: Readonly<RetryPolicy> = { maxRetries: 5, initialDelayMs: 500, maxDelayMs: 10_000, factor: 2, jitter: 0 };

/** Time allowed for one connection attempt in the suite's desks. */
export const CONFORMANCE_CONNECT_TIMEOUT_MS = 5_000;

/**
 * The longest a chat may take to recover or end after a failure: every retry's delay plus every attempt's connect
 * timeout (45 500 ms). An adapter's own timeouts (a token refresh) must fit in the connect timeout.
 *
 * @example
 * expect(endedAt - failedAt).toBeLessThanOrEqual(RETRY_BUDGET_MS);
 */
export const RETRY_BUDGET_MS = retryBudget(CONFORMANCE_RETRY, CONFORMANCE_CONNECT_TIMEOUT_MS);

function retryBudget(policy: RetryPolicy, connectTimeoutMs: number): number {
  let delays = 0;
  for (let retry = 1; retry <= policy.maxRetries; retry += 1) {
    delays += Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** (retry - 1));
  }
  return delays + (policy.maxRetries + 1) * connectTimeoutMs;
}

/** The summary every scenario starts its chat with. */
export const SUMMARY = 'The user wants to change a booking.';

const CONNECT: HostMessageResponse = {
  output: { generic: [{ response_type: 'connect_to_agent', message_to_human_agent: SUMMARY }] },
};

/** A desk of the chat under test, on a recording Carbon host. */
export interface ConformanceDesk {
  readonly desk: RxServiceDesk;
  readonly host: RecordingCallback;
  /** What the host showed, without bookkeeping and without queue updates (see {@link hostLog}). */
  log(): string[];
  /** Every line, queue updates included. */
  fullLog(): string[];
}

/** The outcome of a promise, read after the virtual clock ran. */
export type Outcome = { readonly state: 'pending' } | { readonly state: 'resolved'; readonly value: unknown } | { readonly state: 'rejected'; readonly error: unknown };

/**
 * The outcome of a promise after the virtual clock ran: what it settled with, or `pending` when it has not settled
 * once the microtasks queued so far have run (a promise that virtual time cannot settle never will).
 *
 * @example
 * chat.flush();
 * expect(await outcomeOf(started)).toEqual({ state: 'resolved', value: undefined });
 */
export async function outcomeOf(promise: Promise<unknown>): Promise<Outcome> {
  const pending: Outcome = { state: 'pending' };
  let drained: Promise<Outcome> = Promise.resolve(pending);
  for (let hop = 0; hop < 50; hop += 1) drained = drained.then((value) => value);
  return Promise.race([
    promise.then(
      (value): Outcome => ({ state: 'resolved', value }),
      (error: unknown): Outcome => ({ state: 'rejected', error }),
    ),
    drained,
  ]);
}

/** One test's chat: the vendor world, the clock, and the desks on it. */
export interface ConformanceChat extends ConformanceDesk, ConformanceWorld {
  readonly scheduler: VirtualTimeScheduler;
  /** The harness under test. */
  readonly harness: ConformanceHarness;
  /** Counts the desk's and the adapter's timers. */
  readonly timers: TrackingScheduler;
  /** The harness's `handoverMs` (default 1 000). */
  readonly handoverMs: number;
  /** Runs `action` at virtual time `time` (ms from the start of the test). */
  at(time: number, action: () => void): void;
  /** Runs the clock until nothing is left to run (or its one-hour horizon). */
  flush(): void;
  /** Starts the chat now, with {@link SUMMARY}. */
  start(): Promise<void>;
  /** The user sends a text message now. */
  send(text: string, hostId: string): Promise<void>;
  /** The user sends a file now. */
  sendFile(name: string, uploadId: string, hostId: string): Promise<void>;
  /** Another desk (a reloaded page) on the same clock, with the given adapter and persisted state. */
  deskFor(adapter: ServiceDeskAdapter, persistedState: unknown): ConformanceDesk;
}

/**
 * Builds one test's chat: the harness's world, a virtual clock, and a desk on a recording Carbon host whose
 * timers are counted.
 *
 * @example
 * const chat = openChat(harness);
 * const started = chat.track(chat.start());
 * chat.flush();
 */
export function openChat(harness: ConformanceHarness): ConformanceChat {
  const scheduler = new VirtualTimeScheduler(undefined, 3_600_000);
  const timers = trackingScheduler(scheduler);
  const world = harness.create({ scheduler });

  const deskFor = (adapter: ServiceDeskAdapter, persistedState: unknown): ConformanceDesk => {
    const host = recordingCallback({ host: 'carbon', scheduler, persistedState });
    const desk = createServiceDesk(adapter, { callback: host.callback, persistedState }, {
      ...harness.deskOptions,
      scheduler: timers.scheduler,
      retry: CONFORMANCE_RETRY,
      connectTimeoutMs: CONFORMANCE_CONNECT_TIMEOUT_MS,
      random: () => 0,
    });
    return {
      desk,
      host,
      log: () => hostLog(host).filter((line) => !line.startsWith('updateAgentAvailability')),
      fullLog: () => hostLog(host),
    };
  };
  const main = deskFor(world.adapter, undefined);

  const file = (name: string) => Object.assign(new Blob(['%PDF-1.4 conformance']), { name }) as HostFileUpload['file'];

  return {
    ...world,
    ...main,
    scheduler,
    harness,
    timers,
    handoverMs: harness.handoverMs ?? 1_000,
    at: (time, action) => void scheduler.schedule(action, Math.max(0, time - scheduler.now())),
    flush: () => scheduler.flush(),
    start: () => main.desk.startChat(CONNECT),
    send: (text, hostId) => main.desk.sendMessageToAgent({ input: { text } }, hostId),
    sendFile: (name, uploadId, hostId) =>
      main.desk.sendMessageToAgent({ input: { text: '' } }, hostId, { filesToUpload: [{ id: uploadId, file: file(name) }] }),
    deskFor,
  };
}
