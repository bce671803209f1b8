/** A bounded set of ids with O(1) cost per id at any length: see {@link createSeenIds}. */
export interface SeenIds {
  has(id: string): boolean;
  /** Adds `id`; answers `false` when it was already there. */
  add(id: string): boolean;
}

/**
 * A bounded set of ids: it remembers the newest `limit / 2` to `limit` ids. Two generations of `Set`s: when the
 * newer one is full, it becomes the older one and the oldest generation is dropped whole. Evicting one id at a time
 * from a single `Set` makes V8 rescan the deleted entries on every insert (thousands of ns per id at 10,000 ids,
 * see docs/performance.md); this costs the same at any chat length.
 *
 * @example
 * const seen = createSeenIds(2_000);
 * seen.add('m1'); // true
 * seen.add('m1'); // false
 */
export function createSeenIds(limit: number): SeenIds {
  const half = Math.max(1, Math.floor(limit / 2));
  let newer = new Set<string>();
  let older = new Set<string>();
  const has = (id: string) => newer.has(id) || older.has(id);
  return {
    has,
    add(id) {
      if (has(id)) return false;
      if (newer.size >= half) {
        older = newer;
        newer = new Set();
      }
      newer.add(id);
      return true;
    },
  };
}
