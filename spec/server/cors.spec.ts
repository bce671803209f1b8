import { normalizeOrigin } from '../../lib/server/cors';

describe('normalizeOrigin', () => {
  it('normalises an origin', () => {
    expect(normalizeOrigin(' https://Shop.Example.com/ ')).toBe('https://shop.example.com');
    expect(normalizeOrigin('http://localhost:3000')).toBe('http://localhost:3000');
  });

  it.each(['*', 'https://*.example.com', 'shop.example.com', 'https://shop.example.com/path', 'ftp://shop.example.com'])(
    'refuses %s',
    (origin) => {
      expect(() => normalizeOrigin(origin)).toThrow();
    },
  );
});
