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
