/**
 * The agent console's protocol: what the demo server tells an agent console about the simulated desk, and what the
 * console asks of it. JSON over the `/ws/console` WebSocket; the same commands are accepted by `POST /api/console`.
 * Amazon Connect chats (on the local participant simulator) speak the same protocol over `/ws/console/amazon-connect`
 * and `POST /api/console/amazon-connect`.
 */
import type { ConversationSnapshot, SimAgent } from '../../lib/simulator/index.js';

/** A conversation as the console shows it; `vendor` tells the desk it belongs to (none: the simulated desk). */
export interface ConsoleConversation extends ConversationSnapshot {
  readonly vendor?: 'amazon-connect';
}

/** Server -> console. */
export type ConsoleUpdate =
  /** Sent once when the console connects: every conversation so far and the agents of the desk. */
  | { readonly t: 'hello'; readonly conversations: readonly ConsoleConversation[]; readonly agents: readonly SimAgent[] }
  /** One conversation changed. */
  | { readonly t: 'conversation'; readonly conversation: ConsoleConversation }
  /** A command was refused (unknown conversation, malformed command). */
  | { readonly t: 'refused'; readonly reason: string };

/** Console -> server: one action of a human agent on one conversation. */
export type ConsoleCommand =
  /** An agent (the next free one, or `agentId`) takes a queued chat now. */
  | { readonly op: 'join'; readonly id: string; readonly agentId?: string }
  | { readonly op: 'say'; readonly id: string; readonly text: string }
  | { readonly op: 'typing'; readonly id: string; readonly on: boolean }
  | { readonly op: 'read'; readonly id: string }
  /** Hand the chat to another agent (the next one, or `agentId`). */
  | { readonly op: 'transfer'; readonly id: string; readonly agentId?: string }
  /** Put a queued user at this place in the queue (the wait defaults to one minute per place). */
  | { readonly op: 'queue'; readonly id: string; readonly position: number; readonly waitMinutes?: number }
  /** Drop the user's connection; reconnecting fails for `outageMs` (default: the desk's). */
  | { readonly op: 'drop'; readonly id: string; readonly outageMs?: number }
  | { readonly op: 'end'; readonly id: string }
  /** `false`: a person takes over from the scripted agent; `true`: hand back. */
  | { readonly op: 'auto'; readonly id: string; readonly on: boolean }
  /** Send a sample of rich content (a file card, an image, an error, quick replies). */
  | { readonly op: 'rich'; readonly id: string; readonly kind: RichSample }
  /** Ask the user to share their screen (`on: true`) or end the share (`false`). */
  | { readonly op: 'share'; readonly id: string; readonly on: boolean };

/** The rich content samples the console can send. */
export const RICH_SAMPLES = ['file', 'image', 'error', 'options'] as const;
/** One of {@link RICH_SAMPLES}. */
export type RichSample = (typeof RICH_SAMPLES)[number];

/** The `op` of a {@link ConsoleCommand}. */
export type ConsoleOp = ConsoleCommand['op'];
