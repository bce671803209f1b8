import { VirtualTimeScheduler } from 'rxjs';
import { createServiceDesk, type ServiceDeskOptions } from '../../lib/core/desk';
import type { ServiceDeskAdapter } from '../../lib/core/adapter';
import { recordingCallback, type RecordingCallbackOptions } from '../../lib/testing';

/** A virtual clock with no frame limit, and a helper to run actions at given times. */
export function virtualTime() {
  const scheduler = new VirtualTimeScheduler(undefined, 3_600_000);
  const at = (time: number, action: () => void) => scheduler.schedule(action, Math.max(0, time - scheduler.now()));
  return { scheduler, at, flush: () => scheduler.flush() };
}

/** A desk on a recording Carbon host in virtual time. */
export function deskOn(
  adapter: ServiceDeskAdapter,
  scheduler: VirtualTimeScheduler,
  options: ServiceDeskOptions = {},
  host: RecordingCallbackOptions = {},
) {
  const recorder = recordingCallback({ host: 'carbon', scheduler, ...host });
  const desk = createServiceDesk(
    adapter,
    { callback: recorder.callback, persistedState: host.persistedState },
    { scheduler, random: () => 0, ...options },
  );
  return { desk, host: recorder };
}

export const connectMessage = (summary = 'The user wants to change a booking.') => ({
  output: { generic: [{ response_type: 'connect_to_agent', message_to_human_agent: summary }] },
});

/** Timers scheduled on a virtual-time scheduler that are still alive (not run, not cancelled). */
export function liveTimers(scheduler: VirtualTimeScheduler): number {
  return scheduler.actions.filter((action) => !action.closed).length;
}
