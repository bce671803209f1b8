import { endSignalsOf } from '../../../lib/adapters/twilio-common/ended';

describe('endSignalsOf', () => {
  it('reads the legacy Flex status attribute (object or JSON string, any case)', () => {
    expect(endSignalsOf({ attributes: { status: 'INACTIVE' } }).map((s) => s.kind === 'ended' && s.signal)).toEqual(['statusAttribute']);
    expect(endSignalsOf({ attributes: '{"status":"inactive"}' }).map((s) => s.kind === 'ended' && s.signal)).toEqual(['statusAttribute']);
    expect(endSignalsOf({ attributes: { status: 'ACTIVE' } })).toEqual([]);
  });

  it('reads the closed and inactive states', () => {
    expect(endSignalsOf({ state: { current: 'closed' } }).map((s) => s.kind === 'ended' && s.signal)).toEqual(['closedState']);
    expect(endSignalsOf({ state: { current: 'inactive' } }).map((s) => s.kind === 'ended' && s.signal)).toEqual(['inactiveState']);
    expect(endSignalsOf({ state: null, attributes: null })).toEqual([]);
  });

  it('with update reasons, reads only what changed', () => {
    const target = { attributes: { status: 'INACTIVE' }, state: { current: 'closed' } };
    expect(endSignalsOf(target, ['friendlyName'])).toEqual([]);
    expect(endSignalsOf(target, ['state']).map((s) => s.kind === 'ended' && s.signal)).toEqual(['closedState']);
  });
});
