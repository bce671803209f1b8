/**
 * The routing and pre-chat context of a chat, read once from what the host gives `startChat` and `updateState`, in
 * one bounded shape that every vendor can carry (Twilio task attributes, Genesys custom attributes, Amazon Connect
 * contact attributes, the simulated desk's console).
 */
import type { Logger } from '../core/logger.js';
import type { HostState, HostTransferInfo } from './types.js';

/** What a chat starts with, for routing and for the agent. */
export interface ChatContext {
  /**
   * Flat string attributes for routing: `transfer_info.additional_data` of the `connect_to_agent` item, then the
   * top-level text, number and boolean fields of the pre-chat payload (the assistant's data wins on a clash). Bounded:
   * see {@link CHAT_CONTEXT_LIMITS}; entries beyond them are left out (and logged by key name).
   */
  readonly attributes: Readonly<Record<string, string>>;
  /** The pre-chat payload as the host gave it: Carbon AI Chat's `preStartChatPayload`, watsonx's `agentAppInfo`. */
  readonly preChat?: unknown;
  /** `updateState`'s `userID` when the chat started (watsonx web chat). */
  readonly userId?: string;
  /** `updateState`'s `locale` when the chat started (watsonx web chat). */
  readonly locale?: string;
}

/**
 * The bounds of {@link ChatContext.attributes}: the smallest a supported vendor takes (Genesys: 2 KB of custom
 * attributes per message; Amazon Connect: attribute keys up to 128 characters).
 */
export const CHAT_CONTEXT_LIMITS = {
  maxAttributes: 32,
  maxValueLength: 256,
  maxTotalBytes: 2_048,
  /** Key names: a letter or `_`, then letters, digits, `_`, `.` or `-`; at most 64 characters. */
  keyPattern: /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/,
} as const;

/** Key names refused even where {@link CHAT_CONTEXT_LIMITS}.keyPattern matches: they reach an object's prototype. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** What {@link readChatContext} reads. */
export interface ChatContextSource {
  readonly transferInfo?: HostTransferInfo;
  readonly startPayload?: unknown;
  readonly hostState?: HostState;
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') return String(value);
  return undefined;
}

function entriesOf(value: unknown): [string, unknown][] {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value) : [];
}

/**
 * Reads the routing and pre-chat context of a new chat. Bad entries (a key name outside
 * {@link CHAT_CONTEXT_LIMITS}.keyPattern, a value that is not text, number or boolean, too long, too many, too large)
 * are left out and logged by key name only, never by value.
 *
 * @example
 * readChatContext({ transferInfo: { additional_data: { queue: 'billing' } }, startPayload: { plan: 'gold', vip: true } }, logger);
 * // { attributes: { queue: 'billing', plan: 'gold', vip: 'true' }, preChat: { plan: 'gold', vip: true } }
 */
export function readChatContext(source: ChatContextSource, logger: Logger): ChatContext {
  const attributes: Record<string, string> = {};
  const skipped: string[] = [];
  let bytes = 2;
  const add = (key: string, raw: unknown) => {
    const value = scalar(raw);
    if (Object.prototype.hasOwnProperty.call(attributes, key)) return;
    const size = new TextEncoder().encode(JSON.stringify(key) + JSON.stringify(value ?? '')).length + 2;
    if (
      value === undefined ||
      RESERVED_KEYS.has(key) ||
      !CHAT_CONTEXT_LIMITS.keyPattern.test(key) ||
      value.length > CHAT_CONTEXT_LIMITS.maxValueLength ||
      Object.keys(attributes).length >= CHAT_CONTEXT_LIMITS.maxAttributes ||
      bytes + size > CHAT_CONTEXT_LIMITS.maxTotalBytes
    ) {
      skipped.push(key.slice(0, 64));
      return;
    }
    attributes[key] = value;
    bytes += size;
  };
  for (const [key, value] of entriesOf(source.transferInfo?.additional_data)) add(key, value);
  for (const [key, value] of entriesOf(source.startPayload)) add(key, value);
  if (skipped.length) logger.warn('routing context: entries left out (key name, type or size)', { keys: skipped.slice(0, 10) });
  const { userID, locale } = source.hostState ?? {};
  return {
    attributes,
    ...(source.startPayload !== undefined ? { preChat: source.startPayload } : {}),
    ...(typeof userID === 'string' && userID ? { userId: userID } : {}),
    ...(typeof locale === 'string' && locale ? { locale } : {}),
  };
}
