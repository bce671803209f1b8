import type { ShownMessage } from './port.js';

/** The version of {@link SavedChat}. A saved chat of another version is not resumed. */
export const SAVED_CHAT_VERSION = 1;

/**
 * What the engine keeps in the host's persisted state to resume a chat after a page reload: the port's session state
 * and the last agent message shown (where the gap fill reads back to).
 */
export interface SavedChat<Session> {
  readonly v: typeof SAVED_CHAT_VERSION;
  readonly session: Session;
  readonly last?: ShownMessage;
}

const isShownMessage = (value: unknown): value is ShownMessage => {
  const last = value as Partial<ShownMessage> | null;
  return (
    typeof last === 'object' &&
    last !== null &&
    typeof last.id === 'string' &&
    last.id !== '' &&
    (last.index === undefined || (typeof last.index === 'number' && Number.isFinite(last.index)))
  );
};

/**
 * Reads saved state back: the saved chat when it has this version and `readSession` accepts its session state,
 * `undefined` otherwise (then the chat is not resumed).
 *
 * @example
 * readSavedChat({ v: 1, session: { token: 't' } }, (s) => s as { token: string }); // { v: 1, session: { token: 't' } }
 * readSavedChat({ token: 't' }, (s) => s as { token: string }); // undefined: not versioned
 */
export function readSavedChat<Session>(saved: unknown, readSession: (saved: unknown) => Session | undefined): SavedChat<Session> | undefined {
  if (typeof saved !== 'object' || saved === null) return undefined;
  const { v, session: raw, last } = saved as Partial<SavedChat<unknown>>;
  if (v !== SAVED_CHAT_VERSION) return undefined;
  let session: Session | undefined;
  try {
    session = readSession(raw);
  } catch {
    return undefined;
  }
  if (session === undefined) return undefined;
  return isShownMessage(last) ? { v, session, last: last.index === undefined ? { id: last.id } : { id: last.id, index: last.index } } : { v, session };
}
