type Listener = (...args: never[]) => void;

/**
 * An event emitter for fakes of vendor SDK objects that counts its listeners, so that tests can prove that every
 * listener added is removed (`listenerCount() === 0` after a chat ends). It speaks both `on`/`off` and
 * `addListener`/`removeListener`.
 *
 * @example
 * const channel = new FakeEmitter();
 * const sub = fromEmitter(channel, 'messageAdded').subscribe();
 * channel.listenerCount(); // 1
 * sub.unsubscribe();
 * channel.listenerCount(); // 0
 */
export class FakeEmitter {
  readonly #listeners = new Map<string, Listener[]>();

  on(event: string, listener: Listener): this {
    const list = this.#listeners.get(event);
    if (list) list.push(listener);
    else this.#listeners.set(event, [listener]);
    return this;
  }

  off(event: string, listener: Listener): this {
    const list = this.#listeners.get(event);
    const index = list ? list.lastIndexOf(listener) : -1;
    if (list && index >= 0) {
      list.splice(index, 1);
      if (list.length === 0) this.#listeners.delete(event);
    }
    return this;
  }

  addListener(event: string, listener: Listener): this {
    return this.on(event, listener);
  }

  removeListener(event: string, listener: Listener): this {
    return this.off(event, listener);
  }

  once(event: string, listener: Listener): this {
    const wrapper = ((...args: never[]) => {
      this.off(event, wrapper);
      listener(...args);
    }) as Listener;
    return this.on(event, wrapper);
  }

  removeAllListeners(event?: string): this {
    if (event === undefined) this.#listeners.clear();
    else this.#listeners.delete(event);
    return this;
  }

  /** Calls the listeners of `event` with `args`; true when there was one. */
  emit(event: string, ...args: unknown[]): boolean {
    const list = this.#listeners.get(event);
    if (!list) return false;
    for (const listener of [...list]) (listener as (...args: unknown[]) => void)(...args);
    return true;
  }

  /** Listeners of one event, or of all events when no name is given. */
  listenerCount(event?: string): number {
    if (event !== undefined) return this.#listeners.get(event)?.length ?? 0;
    let total = 0;
    for (const list of this.#listeners.values()) total += list.length;
    return total;
  }

  /** The events that have listeners now. */
  eventNames(): string[] {
    return [...this.#listeners.keys()];
  }
}
