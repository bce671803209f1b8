import type { Decoders } from '../../core/emitter.js';
import { endSignalsOf, type EndableLike } from './ended.js';
import { asParticipant } from './participants.js';
import type { MessageInfo, ParticipantLike, TwilioInput } from './types.js';

/** The names that differ between a twilio-chat Channel and a Conversation; the event shapes are the same. */
export interface TargetDialect<P extends ParticipantLike> {
  /** `memberJoined` / `participantJoined`. */
  readonly joined: string;
  readonly left: string;
  readonly updated: string;
  /** Key of the member in the `…Updated` payload: `member` / `participant`. */
  readonly who: string;
  /** Update reason of a read horizon: `lastConsumedMessageIndex` / `lastReadMessageIndex`. */
  readonly readReason: string;
  /** The member's read horizon. */
  readonly readIndex: (who: P) => number | null | undefined;
  /** Key of the target in its `updated` payload: `channel` / `conversation`. */
  readonly target: string;
  /** What the user is told when the target is removed. */
  readonly removedReason: string;
}

/**
 * Decoders of a channel's or conversation's events, the same for both SDKs but for the names in `dialect`: members
 * joining and leaving, typing, read horizons, messages (through `decodeMessage`), and the end signals (`updated`
 * with status `INACTIVE` or a closed state, `removed`). A payload that is not what it should be throws, so the event
 * is logged and skipped.
 *
 * @example
 * decodeEmitter(channel, targetDecoders(channelDialect, decodeChatMessage), logger)
 */
export function targetDecoders<P extends ParticipantLike, M>(dialect: TargetDialect<P>, decodeMessage: (message: M) => MessageInfo): Decoders<TwilioInput> {
  return {
    [dialect.joined]: (who: P) => ({ kind: 'joined', who: asParticipant(who) }),
    [dialect.left]: (who: P) => ({ kind: 'left', who: asParticipant(who) }),
    [dialect.updated]: (update: Readonly<Record<string, unknown>> & { updateReasons?: readonly string[] }) => {
      if (!update?.updateReasons?.includes(dialect.readReason)) return undefined;
      const who = asParticipant(update[dialect.who] as P);
      return { kind: 'read', who, index: dialect.readIndex(who) };
    },
    typingStarted: (who: P) => ({ kind: 'typing', who: asParticipant(who), isTyping: true }),
    typingEnded: (who: P) => ({ kind: 'typing', who: asParticipant(who), isTyping: false }),
    messageAdded: (message: M) => ({ kind: 'message', message: decodeMessage(message) }),
    updated: (update: Readonly<Record<string, unknown>> & { updateReasons?: readonly string[] }) =>
      endSignalsOf(update[dialect.target] as EndableLike, update.updateReasons ?? []),
    removed: () => ({ kind: 'ended', signal: 'removed', reason: dialect.removedReason }),
  };
}
