import { createHostMapper, type HostCall } from '../../lib/core/host-calls';
import { dialectFor } from '../../lib/host/dialect';

describe('createHostMapper', () => {
  const events = [
    { type: 'agentJoined', agent: { id: 'a1', nickname: 'Ann' } },
    { type: 'agentMessage', id: 'm1', text: 'hello' },
    { type: 'agentMessage', id: 'm2', text: 'hi', agentId: 'a2' },
    { type: 'agentTyping', isTyping: true },
  ] as const;
  const hello = { id: 'm1', output: { generic: [{ response_type: 'text', text: 'hello' }] } };
  const hi = { id: 'm2', output: { generic: [{ response_type: 'text', text: 'hi' }] } };

  it('emits every call as a call object without a direct path', () => {
    const step = createHostMapper(dialectFor('watsonx'));
    const calls: HostCall[] = [];
    for (const event of events) step(event, (call) => calls.push(call));
    expect(calls.map((call) => [call.method, call.args])).toEqual([
      ['agentJoined', [{ id: 'a1', nickname: 'Ann' }]],
      ['sendMessageToUser', [hello, 'a1']],
      ['sendMessageToUser', [hi, 'a2']],
      ['agentTyping', [true]],
    ]);
  });

  it('makes agent messages and typing through the direct path, with the same arguments, and emits the rest', () => {
    const direct: unknown[][] = [];
    const step = createHostMapper(dialectFor('watsonx'), undefined, {
      message: (...args) => void direct.push(['sendMessageToUser', ...args]),
      typing: (...args) => void direct.push(['agentTyping', ...args]),
    });
    const calls: HostCall[] = [];
    for (const event of events) step(event, (call) => calls.push(call));
    expect(calls.map((call) => call.method)).toEqual(['agentJoined']);
    expect(direct).toEqual([
      ['sendMessageToUser', hello, 'a1'],
      ['sendMessageToUser', hi, 'a2'],
      ['agentTyping', true],
    ]);
  });
});
