import type { RecordedCall, RecordingCallback } from './recording-callback.js';

type Generic = { readonly response_type: string; readonly text?: string; readonly agent_message_type?: string };

/**
 * One host call as a short line (`agentJoined(Ann)`, `sendMessageToUser(hello)`, `agentTyping(true)`,
 * `setErrorStatus({"type":2,"isDisconnected":true})`, `notice(Connection lost. Reconnecting...)` for a status line of
 * the library), so that scenario expectations read like a transcript.
 *
 * @example
 * describeHostCall({ method: 'agentJoined', args: [{ id: 'a1', nickname: 'Ann' }], at: 0 }); // 'agentJoined(Ann)'
 */
export function describeHostCall(call: Pick<RecordedCall, 'method' | 'args'>): string {
  const [first, ...rest] = call.args as [unknown, ...unknown[]];
  switch (call.method) {
    case 'agentJoined':
    case 'beginTransferToAnotherAgent':
      return `${call.method}(${(first as { nickname?: string } | undefined)?.nickname ?? ''})`;
    case 'sendMessageToUser': {
      const generic: readonly Generic[] = typeof first === 'string' ? [{ response_type: 'text', text: first }] : (first as { output: { generic: Generic[] } }).output.generic;
      const system = generic.length > 0 && generic.every((item) => item.agent_message_type === 'system');
      return `${system ? 'notice' : 'sendMessageToUser'}(${generic.map((item) => item.text ?? item.response_type).join(' | ')})`;
    }
    case 'updateAgentAvailability':
    case 'setErrorStatus':
      return `${call.method}(${JSON.stringify(first)})`;
    case 'agentTyping':
      return `agentTyping(${String(first)})`;
    case 'setFileUploadStatus':
      return `setFileUploadStatus(${[first, ...rest].filter((value) => value !== undefined).join(', ')})`;
    default:
      return call.method;
  }
}

/** Host calls that are bookkeeping rather than something the user sees; {@link hostLog} leaves them out. */
export const BOOKKEEPING_CALLS: readonly string[] = ['updatePersistedState', 'updateCapabilities'];

/**
 * The calls a recording host received, as {@link describeHostCall} lines, without bookkeeping calls.
 *
 * @example
 * expect(hostLog(host)).toEqual(['agentJoined(Ann)', 'sendMessageToUser(hello)']);
 */
export function hostLog(host: Pick<RecordingCallback, 'calls'>, omit: readonly string[] = BOOKKEEPING_CALLS): string[] {
  return host.calls.filter((call) => !omit.includes(call.method)).map(describeHostCall);
}

/**
 * The host calls every adapter's scenario checklist expects, given agent nicknames, so that the simulated desk,
 * Twilio and Genesys specs assert the same behaviour where it is the same.
 *
 * @example
 * expect(hostLog(host)).toEqual([...CHECKLIST.firstJoin('Ann'), ...CHECKLIST.transfer('Bob')]);
 */
export const CHECKLIST = {
  /** An agent joins for the first time. */
  firstJoin: (nickname: string) => [`agentJoined(${nickname})`],
  /** A second agent takes over (in whichever order the vendor reports join and leave): no `agentLeftChat`. */
  transfer: (nickname: string) => [`beginTransferToAnotherAgent(${nickname})`, `agentJoined(${nickname})`],
  /** The agent types, then stops. */
  typing: () => ['agentTyping(true)', 'agentTyping(false)'],
  /** The connection drops after the join, then comes back. */
  reconnect: () => ['notice(Connection lost. Reconnecting...)', 'notice(Connection restored.)'],
  /** The agent ends the chat. */
  agentEnds: () => ['agentEndedChat'],
  /** The agent leaves without a transfer (the chat goes on until ended). */
  agentLeaves: () => ['agentLeftChat'],
} as const;
