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
  return new BoundedSeenIds(Math.max(1, Math.floor(limit / 2)));
}

/**
 * {@link createSeenIds}'s set: a class, so that a chat holds one small object and no closures, and with its sets and
 * bitmap made at their first use (a chat whose vendor numbers its messages never makes the id sets).
 */
class BoundedSeenIds implements SeenIds {
  private newer: Set<string> | undefined;
  private older: Set<string> | undefined;
  private bits: Uint32Array | undefined;
  private top = -1;

  constructor(private readonly half: number) {}

  has(id: string, index?: number): boolean {
    return isIndex(index) ? this.hasIndex(index) : this.hasId(id);
  }

  add(id: string, index?: number): boolean {
    if (isIndex(index)) return this.addIndex(index);
    if (this.hasId(id)) return false;
    if (!this.newer || this.newer.size >= this.half) {
      this.older = this.newer;
      this.newer = new Set();
    }
    this.newer.add(id);
    return true;
  }

  private hasId(id: string): boolean {
    return this.newer?.has(id) === true || this.older?.has(id) === true;
  }

  private hasIndex(index: number): boolean {
    if (index > this.top) return false;
    if (index <= this.top - WINDOW || !this.bits) return true;
    const bit = index % WINDOW;
    return (this.bits[bit >>> 5]! & (1 << (bit & 31))) !== 0;
  }

  private addIndex(index: number): boolean {
    if (this.hasIndex(index)) return false;
    const bits = (this.bits ??= new Uint32Array(WINDOW / 32));
    if (index > this.top) {
      if (index - this.top >= WINDOW) bits.fill(0);
      else {
        for (let next = this.top + 1; next < index; next += 1) {
          const bit = next % WINDOW;
          bits[bit >>> 5] = bits[bit >>> 5]! & ~(1 << (bit & 31));
        }
      }
      this.top = index;
    }
    const bit = index % WINDOW;
    bits[bit >>> 5] = bits[bit >>> 5]! | (1 << (bit & 31));
    return true;
  }
}
