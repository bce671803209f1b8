import type { SchedulerLike } from 'rxjs';
import type { Context as RunContext } from 'rxjs-marbles/jest';
import type { ServiceDeskAdapter } from '../../../lib/core/adapter';
import { createServiceDesk, type ServiceDeskOptions } from '../../../lib/core/desk';
import { silentLogger } from '../../../lib/core/logger';
import type { TwilioOptions } from '../../../lib/adapters/twilio-common/adapter';
import type { EndSignal, TwilioSession } from '../../../lib/adapters/twilio-common/types';
import type { HostMessageResponse } from '../../../lib/host/types';
import { recordingCallback, settleAfter, type RecordingCallback } from '../../../lib/testing';
import {
  type FakeInit,
  type FakeTwilioClientBase,
  type FakeTwilioMedia,
  type FakeTwilioParticipant,
  type FakeTwilioTarget,
  type FakeParticipantInit,
} from '../../../lib/testing/twilio';

/** A message of either fake SDK, as far as the scenarios use it. */
export interface KitMessage {
  readonly sid: string;
  readonly index: number;
  readonly author: string | null;
}

/** Either fake world (Programmable Chat or Conversations), seen through what both share. */
export interface KitWorld {
  readonly target: FakeTwilioTarget<FakeTwilioParticipant, KitMessage> & {
    createMessage(author: string | null, body: string, index?: number, media?: FakeTwilioMedia): KitMessage;
  };
  readonly clients: readonly FakeTwilioClientBase[];
  readonly client: FakeTwilioClientBase | undefined;
  session(overrides?: Partial<TwilioSession>): TwilioSession;
  agent(name: string, init?: FakeParticipantInit): FakeTwilioParticipant;
  customer(): FakeTwilioParticipant;
  media(init?: { filename?: string; contentType?: string; size?: number; url?: string }): FakeTwilioMedia;
  listenerCount(): number;
}

/** Adapter options a scenario may set (the kit supplies `createClient`). */
export type KitOptions = Partial<Omit<TwilioOptions<unknown>, 'createClient'>>;

/** The clock a kit runs on: a marble test's context, or any scheduler (a `VirtualTimeScheduler` for long runs). */
export interface KitClock {
  readonly scheduler: SchedulerLike;
}

/** How the fake world starts. */
export interface KitWorldOptions {
  init?: FakeInit;
  latencyMs?: number;
  status?: string;
}

/** What one SDK brings to the shared scenarios. */
export interface TwilioKit {
  readonly name: string;
  /** The SDK's native "agent ended the chat" signal and how the fake desk sends it. */
  readonly nativeEnd: { readonly signal: EndSignal; readonly send: (world: KitWorld) => void };
  /** The read-horizon method the adapter calls for `userReadMessages`. */
  readonly markReadMethod: string;
  /** The snapshot method (getMembers / getParticipants). */
  readonly membersMethod: string;
  create(m: KitClock, world: KitWorldOptions, options: KitOptions): { world: KitWorld; adapter: ServiceDeskAdapter };
}

/** The connect_to_agent message the host hands startChat. */
export const CONNECT: HostMessageResponse = {
  output: {
    generic: [
      {
        response_type: 'connect_to_agent',
        message_to_human_agent: 'help me',
        transfer_info: { summary_message_to_agent: [{ response_type: 'text', text: 'order 42 is late' }] },
      },
    ],
  },
};

/** A desk over a fake world, recording what the host is called with. */
export interface KitDesk {
  readonly world: KitWorld;
  readonly host: RecordingCallback;
  readonly desk: ReturnType<typeof createServiceDesk>;
  readonly adapter: ServiceDeskAdapter;
  /** How often getSession was called. */
  readonly sessions: () => number;
  /** Host calls as `[frame, method]`, without persisted-state and capability bookkeeping. */
  timeline(): [number, string][];
}

/** One running scenario: the fake world, the recording host and the desk. */
export interface Scenario extends KitDesk {
  /** Plays desk actions on a marble diagram: each value is a function run at its frame. */
  play(marble: string, actions: Record<string, () => void>): void;
}

/**
 * Sets up a desk over a fake world on any scheduler. Adapter defaults suit virtual time (short windows); `options`,
 * `world` and `deskOptions` override them.
 */
export function kitDesk(
  clock: KitClock,
  kit: TwilioKit,
  options: KitOptions = {},
  world: KitWorldOptions = {},
  deskOptions: ServiceDeskOptions = {},
): KitDesk {
  let sessions = 0;
  const holder: { world?: KitWorld } = {};
  const { world: created, adapter } = kit.create(clock, world, {
    getSession: () => {
      sessions += 1;
      return settleAfter({}, () => holder.world!.session());
    },
    transferGraceMs: 50,
    disconnectGraceMs: 5,
    queuePollMs: 0,
    ...options,
  });
  holder.world = created;
  const host = recordingCallback({ host: 'carbon', scheduler: clock.scheduler });
  const desk = createServiceDesk(
    adapter,
    { callback: host.callback },
    { scheduler: clock.scheduler, logger: silentLogger, random: () => 0, retry: { initialDelayMs: 10, maxDelayMs: 20 }, ...deskOptions },
  );
  return {
    world: created,
    host,
    desk,
    adapter,
    sessions: () => sessions,
    timeline: () =>
      host.calls
        .filter((call) => call.method !== 'updatePersistedState' && call.method !== 'updateCapabilities')
        .map((call): [number, string] => [call.at, call.method]),
  };
}

/** Sets up a desk over a fake world for one marble test. Adapter defaults suit virtual time (short windows). */
export function scenario(
  m: RunContext,
  kit: TwilioKit,
  options: KitOptions = {},
  world: KitWorldOptions = {},
  deskOptions: ServiceDeskOptions = {},
): Scenario {
  return {
    ...kitDesk(m, kit, options, world, deskOptions),
    play: (marble, actions) => {
      m.hot<() => void>(marble, actions).subscribe((action) => action());
    },
  };
}
