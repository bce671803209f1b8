import { createSeenIds } from '../../../lib/core/engine/seen';

describe('createSeenIds', () => {
  it('answers whether an id was new, and remembers at least half of its limit', () => {
    const seen = createSeenIds(4);
    expect(seen.add('a')).toBe(true);
    expect(seen.add('a')).toBe(false);
    seen.add('b');
    seen.add('c');
    expect(seen.has('b')).toBe(true);
    expect(seen.has('c')).toBe(true);
    seen.add('d');
    seen.add('e');
    // The oldest generation (a, b) is gone; the newest limit / 2 ids are always kept.
    expect(seen.has('a')).toBe(false);
    expect(['d', 'e'].every((id) => seen.has(id))).toBe(true);
  });
});

describe('createSeenIds with the vendor ordered index', () => {
  it('remembers indexed messages by index, exactly, inside a window of 4,096 behind the newest', () => {
    const seen = createSeenIds(4);
    expect(seen.add('m5', 5)).toBe(true);
    expect(seen.add('m5', 5)).toBe(false);
    // Out of order inside the window: each is new once.
    expect(seen.add('m3', 3)).toBe(true);
    expect(seen.add('m3', 3)).toBe(false);
    expect(seen.has('m4', 4)).toBe(false);
    expect(seen.add('m4', 4)).toBe(true);
    expect(seen.has('m6', 6)).toBe(false);
    // The id set is not used (nor filled) for indexed messages: its limit of 4 does not evict them.
    for (let i = 6; i < 4_000; i += 1) expect(seen.add(`m${i}`, i)).toBe(true);
    expect(seen.add('m5', 5)).toBe(false);
    expect(seen.add('m3', 3)).toBe(false);
  });

  it('forgets nothing inside the window when the newest index jumps, and reuses slots of indexes that left it', () => {
    const seen = createSeenIds(4);
    seen.add('a', 0);
    seen.add('b', 2);
    // 4,097 is 4,096 after 1: the slot of 1 is reused, and 1 (never added) left the window.
    expect(seen.add('c', 4_097)).toBe(true);
    expect(seen.has('x', 4_096 + 2)).toBe(false);
    expect(seen.add('d', 4_096 + 2)).toBe(true);
    expect(seen.add('b', 2)).toBe(false);
    // Older than the window: delivered long ago.
    expect(seen.add('a', 0)).toBe(false);
    expect(seen.has('z', 1)).toBe(true);
    // A jump of more than the window clears it.
    expect(seen.add('e', 20_000)).toBe(true);
    expect(seen.has('f', 19_999)).toBe(false);
    expect(seen.add('f', 19_999)).toBe(true);
  });

  it('uses the id set for a message whose index is absent or not a non-negative integer', () => {
    const seen = createSeenIds(4);
    expect(seen.add('a', 1.5)).toBe(true);
    expect(seen.add('a')).toBe(false);
    expect(seen.add('b', -1)).toBe(true);
    expect(seen.has('b')).toBe(true);
    expect(seen.add('c', Number.NaN)).toBe(true);
    expect(seen.add('c')).toBe(false);
  });
});
