/** A listener as a DOM-style socket takes it: one event argument. */
export type SocketListener = (event: never) => void;

/**
 * The `addEventListener` side of a fake DOM-style socket: listeners by event type, counted for teardown checks, and
 * called in the order they were added (a listener removed while an event is handed out still gets that event, as in
 * the DOM).
 *
 * @example
 * const listeners = new SocketListeners();
 * listeners.add('message', onMessage);
 * listeners.emit('message', { data: '{}' });
 * listeners.count(); // 1
 */
export class SocketListeners {
  readonly #byType = new Map<string, Set<SocketListener>>();

  add(type: string, listener: SocketListener): void {
    const set = this.#byType.get(type) ?? new Set<SocketListener>();
    this.#byType.set(type, set);
    set.add(listener);
  }

  remove(type: string, listener: SocketListener): void {
    this.#byType.get(type)?.delete(listener);
  }

  /** Listeners of one event type, or of all. */
  count(type?: string): number {
    if (type !== undefined) return this.#byType.get(type)?.size ?? 0;
    let total = 0;
    for (const set of this.#byType.values()) total += set.size;
    return total;
  }

  emit(type: string, event: unknown): void {
    for (const listener of [...(this.#byType.get(type) ?? [])]) (listener as (event: unknown) => void)(event);
  }
}
