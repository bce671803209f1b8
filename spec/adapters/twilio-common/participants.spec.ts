import { agentProfile, asParticipant, classify, parseAttributes, participantId } from '../../../lib/adapters/twilio-common/participants';

describe('parseAttributes', () => {
  it.each([
    [{ member_type: 'agent' }, { member_type: 'agent' }],
    ['{"member_type":"agent"}', { member_type: 'agent' }],
    ['{not json', {}],
    [null, {}],
    [undefined, {}],
    [[1, 2], {}],
    ['"a string"', {}],
    [42, {}],
  ])('reads %p as %p', (value, expected) => {
    expect(parseAttributes(value)).toEqual(expected);
  });
});

describe('classify', () => {
  it('knows ourselves by identity, whatever the attributes say', () => {
    expect(classify({ sid: 'MB1', identity: 'guest-1', attributes: { member_type: 'agent' } }, 'guest-1')).toBe('self');
  });

  it('reads the Flex member_type attribute, also as a JSON string', () => {
    expect(classify({ sid: 'MB1', identity: 'ann', attributes: { member_type: 'agent' } }, 'guest-1')).toBe('agent');
    expect(classify({ sid: 'MB2', identity: 'gus', attributes: '{"member_type":"guest"}' }, 'guest-1')).toBe('customer');
  });

  it('takes a configured attribute and values', () => {
    const options = { roleAttribute: 'role', agentRoles: ['worker'], customerRoles: ['visitor'] };
    expect(classify({ sid: 'MB1', identity: 'ann', attributes: { role: 'worker' } }, 'me', options)).toBe('agent');
    expect(classify({ sid: 'MB2', identity: 'vic', attributes: { role: 'visitor' } }, 'me', options)).toBe('customer');
  });

  it('falls back to "not us is an agent", and to unknown without identity or role', () => {
    expect(classify({ sid: 'MB1', identity: 'ann', attributes: null }, 'guest-1')).toBe('agent');
    expect(classify({ sid: 'MB2', identity: null, attributes: {} }, 'guest-1')).toBe('unknown');
    expect(classify({ sid: 'MB3', identity: null, attributes: { member_type: 'agent' } }, 'guest-1')).toBe('agent');
  });

  it('asks a custom classifier first', () => {
    const classifyBots = () => 'customer' as const;
    expect(classify({ sid: 'MB1', identity: 'bot', attributes: { member_type: 'agent' } }, 'me', { classify: classifyBots })).toBe('customer');
  });
});

describe('agentProfile', () => {
  it('prefers the user friendly name, then the nickname attribute, then the identity', () => {
    expect(agentProfile({ sid: 'MB1', identity: 'ann' }, { friendlyName: ' Ann ' })).toEqual({ id: 'ann', nickname: 'Ann' });
    expect(agentProfile({ sid: 'MB1', identity: 'ann', attributes: { full_name: 'Ann A.' } }, { friendlyName: null })).toEqual({ id: 'ann', nickname: 'Ann A.' });
    expect(agentProfile({ sid: 'MB1', identity: 'ann' }, { friendlyName: '', attributes: { full_name: 'Ann U.' } })).toEqual({ id: 'ann', nickname: 'Ann U.' });
    expect(agentProfile({ sid: 'MB1', identity: 'ann' }, undefined)).toEqual({ id: 'ann', nickname: 'ann' });
  });

  it('takes an http(s) avatar from the configured attribute and ignores anything else', () => {
    expect(agentProfile({ sid: 'MB1', identity: 'ann', attributes: { pic: 'https://x/a.png' } }, undefined, { avatarAttribute: 'pic' })).toEqual({
      id: 'ann',
      nickname: 'ann',
      avatarUrl: 'https://x/a.png',
    });
    expect(agentProfile({ sid: 'MB1', identity: 'ann', attributes: { avatar_url: 'javascript:alert(1)' } }, undefined)).toEqual({ id: 'ann', nickname: 'ann' });
  });
});

describe('participantId and asParticipant', () => {
  it('uses the identity, else the sid', () => {
    expect(participantId({ sid: 'MB1', identity: 'ann' })).toBe('ann');
    expect(participantId({ sid: 'MB1', identity: null })).toBe('MB1');
  });

  it('rejects payloads without a sid', () => {
    expect(() => asParticipant(undefined)).toThrow(TypeError);
    expect(() => asParticipant({ identity: 'x' } as never)).toThrow(TypeError);
    expect(asParticipant({ sid: 'MB1' })).toEqual({ sid: 'MB1' });
  });
});
