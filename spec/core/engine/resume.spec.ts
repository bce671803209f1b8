import { readSavedChat } from '../../../lib/core/engine/resume';

const readToken = (saved: unknown) => {
  const token = (saved as { token?: unknown } | null)?.token;
  return typeof token === 'string' ? { token } : undefined;
};

describe('readSavedChat', () => {
  it('reads a versioned saved chat whose session the port accepts, with its last message shown', () => {
    expect(readSavedChat({ v: 1, session: { token: 't' }, last: { id: 'm1', index: 4 } }, readToken)).toEqual({ v: 1, session: { token: 't' }, last: { id: 'm1', index: 4 } });
    expect(readSavedChat({ v: 1, session: { token: 't' }, last: { id: 42 } }, readToken)).toEqual({ v: 1, session: { token: 't' } });
  });

  it.each([
    ['nothing', undefined],
    ['a string', 'v1'],
    ['no version', { session: { token: 't' } }],
    ['another version', { v: 2, session: { token: 't' } }],
    ['a session the port refuses', { v: 1, session: { token: 3 } }],
  ])('refuses %s', (_what, saved) => {
    expect(readSavedChat(saved, readToken)).toBeUndefined();
  });

  it('a port whose reader throws refuses the state instead of failing', () => {
    expect(
      readSavedChat({ v: 1, session: {} }, () => {
        throw new Error('broken');
      }),
    ).toBeUndefined();
  });
});
