/** A bounded set of message ids with O(1) cost per id at any length: see {@link createSeenIds}. */
export interface SeenIds {
  /** Whether `id` (or, when given, the vendor's ordered `index`) was added. */
  has(id: string, index?: number): boolean;
  /** Adds `id` (or `index`, see {@link createSeenIds}); answers `false` when it was already there. */
  add(id: string, index?: number): boolean;
}

/** Indexes the window remembers behind the highest one seen: a 512-byte bitmap. */
const WINDOW = 4096;

const isIndex = (index: number | undefined): index is number => index !== undefined && Number.isSafeInteger(index) && index >= 0;

/**
 * A bounded set of message ids. Messages that carry the vendor's ordered index (Twilio's `index`, a sequence number)
 * are remembered by it in a bitmap window over the newest 4,096 indexes: exact inside the window, no allocation, no
 * hashing; an index older than the window counts as seen (the vendor numbered it long before the newest message, so
 * it was delivered then). A port gives the index on every copy of a message or on none. Messages without an index are
 * remembered by id: the newest `limit / 2` to `limit` ids, in two generations of `Set`s (when the newer one is full,
 * it becomes the older one and the oldest generation is dropped whole; evicting one id at a time from a single `Set`
 * makes V8 rescan the deleted entries on every insert, thousands of ns per id at 10,000 ids, see
 * docs/performance.md).
 *
 * @example
 * const seen = createSeenIds(2_000);
 * seen.add('m1'); // true
 * seen.add('m1'); // false
 * seen.add('m2', 7); // true: remembered by its index
 * seen.add('m2', 7); // false
 */
export function createSeenIds(limit: number): SeenIds {
  const half = Math.max(1, Math.floor(limit / 2));
  let newer = new Set<string>();
  let older = new Set<string>();
  const hasId = (id: string) => newer.has(id) || older.has(id);
  let bits: Uint32Array | undefined;
  let top = -1;
  const hasIndex = (index: number) => {
    if (index > top) return false;
    if (index <= top - WINDOW || !bits) return true;
    const bit = index % WINDOW;
    return (bits[bit >>> 5]! & (1 << (bit & 31))) !== 0;
  };
  const addIndex = (index: number) => {
    if (hasIndex(index)) return false;
    bits ??= new Uint32Array(WINDOW / 32);
    if (index > top) {
      if (index - top >= WINDOW) bits.fill(0);
      else {
        for (let next = top + 1; next < index; next += 1) {
          const bit = next % WINDOW;
          bits[bit >>> 5] = bits[bit >>> 5]! & ~(1 << (bit & 31));
        }
      }
      top = index;
    }
    const bit = index % WINDOW;
    bits[bit >>> 5] = bits[bit >>> 5]! | (1 << (bit & 31));
    return true;
  };
  return {
    has: (id, index) => (isIndex(index) ? hasIndex(index) : hasId(id)),
    add(id, index) {
      if (isIndex(index)) return addIndex(index);
      if (hasId(id)) return false;
      if (newer.size >= half) {
        older = newer;
        newer = new Set();
      }
      newer.add(id);
      return true;
    },
  };
}
