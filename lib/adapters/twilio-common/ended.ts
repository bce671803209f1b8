import { parseAttributes } from './participants.js';
import type { TwilioInput } from './types.js';

/** A channel or conversation, as far as its end signals go (both SDKs' objects fit). */
export interface EndableLike {
  readonly attributes?: unknown;
  readonly state?: { readonly current?: string } | null;
}

/**
 * The end signals a channel/conversation shows: attribute `status` `INACTIVE` (legacy Flex), `state.current`
 * `closed` or `inactive`. With `reasons` (an `updated` event), only the fields that changed are read.
 *
 * @example
 * endSignalsOf({ attributes: { status: 'INACTIVE' } }, ['attributes']); // [{ kind: 'ended', signal: 'statusAttribute', … }]
 */
export function endSignalsOf(target: EndableLike, reasons?: readonly string[]): TwilioInput[] {
  const out: TwilioInput[] = [];
  const changed = (reason: string) => !reasons || reasons.includes(reason);
  if (changed('attributes')) {
    const status = parseAttributes(target.attributes).status;
    if (typeof status === 'string' && status.toUpperCase() === 'INACTIVE') {
      out.push({ kind: 'ended', signal: 'statusAttribute', reason: 'the agent ended the chat (status INACTIVE)' });
    }
  }
  if (changed('state')) {
    const current = target.state?.current;
    if (current === 'closed') out.push({ kind: 'ended', signal: 'closedState', reason: 'the chat was closed' });
    if (current === 'inactive') out.push({ kind: 'ended', signal: 'inactiveState', reason: 'the chat became inactive' });
  }
  return out;
}
