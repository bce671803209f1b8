import { ServiceDeskError } from '../core/errors.js';
import type { ServiceDesk } from './types.js';

/** What {@link markReadOnFocus} listens to: a window (or any event target with `focus` / `visibilitychange`). */
export interface FocusTarget {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

/**
 * Marks the agent's messages read whenever the page gets focus or becomes visible again (the hook of the read-receipt
 * policy; see `ServiceDeskOptions.readReceipts`). Returns a function that stops listening.
 *
 * @example
 * const config = {
 *   serviceDeskFactory: async (parameters) => {
 *     const desk = createServiceDesk(simulatedDesk(), parameters);
 *     markReadOnFocus(desk);
 *     return desk;
 *   },
 * };
 */
export function markReadOnFocus(desk: Pick<ServiceDesk, 'userReadMessages'>, target?: FocusTarget): () => void {
  const on = target ?? (globalThis as { window?: FocusTarget }).window;
  if (!on) throw new ServiceDeskError('CONFIG', 'markReadOnFocus: no window here (not a browser?): pass the event target to listen to.');
  const read = () => {
    const page = (globalThis as { document?: { visibilityState?: string } }).document;
    if (page?.visibilityState === 'hidden') return;
    void desk.userReadMessages();
  };
  on.addEventListener('focus', read);
  on.addEventListener('visibilitychange', read);
  return () => {
    on.removeEventListener('focus', read);
    on.removeEventListener('visibilitychange', read);
  };
}
