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

/** A compact log line per host call, for readable assertions. */
export function describeCall(call: { method: string; args: readonly unknown[] }): string {
  const [first, second] = call.args as [Record<string, unknown> | string | boolean | undefined, unknown];
  switch (call.method) {
    case 'agentJoined':
    case 'beginTransferToAnotherAgent':
      return `${call.method}(${(first as { nickname?: string } | undefined)?.nickname ?? ''})`;
    case 'sendMessageToUser': {
      const generic = (first as { output: { generic: { text?: string; response_type: string }[] } }).output.generic;
      return `sendMessageToUser(${generic.map((item) => item.text ?? item.response_type).join(' | ')})`;
    }
    case 'updateAgentAvailability':
      return `updateAgentAvailability(${JSON.stringify(first)})`;
    case 'setErrorStatus':
      return `setErrorStatus(${JSON.stringify(first)})`;
    case 'agentTyping':
      return `agentTyping(${String(first)})`;
    case 'setFileUploadStatus':
      return `setFileUploadStatus(${[first, second, call.args[2]].filter((value) => value !== undefined).join(', ')})`;
    default:
      return call.method;
  }
}
