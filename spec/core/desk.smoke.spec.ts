import { marbles } from 'rxjs-marbles/jest';
import { createServiceDesk } from '../../lib/core/desk';
import { ev, recordingCallback, scriptedAdapter } from '../../lib/testing';

const ann = { id: 'a1', nickname: 'Ann' };

describe('smoke', () => {
  it('runs a chat', marbles((m) => {
    const host = recordingCallback({ host: 'carbon', scheduler: m.scheduler });
    const vendor = m.hot('-c-q-j-m-t-u-e', { c: ev.connected(), q: ev.queue(2), j: ev.joined(ann), m: ev.message('m1', 'hello'), t: ev.typing(true), u: ev.message('m2', 'x'), e: ev.ended() });
    const adapter = scriptedAdapter({ events: () => vendor });
    const desk = createServiceDesk(adapter, { callback: host.callback }, { scheduler: m.scheduler });
    void desk.startChat({ output: { generic: [{ response_type: 'connect_to_agent', message_to_human_agent: 'help me' }] } });
    m.flush();
    expect(host.methods()).toEqual(['updateAgentAvailability', 'agentJoined', 'updatePersistedState', 'sendMessageToUser', 'agentTyping', 'agentTyping', 'sendMessageToUser', 'agentEndedChat']);
    expect(adapter.requests[0]?.summary).toEqual(['help me']);
    expect(adapter.live).toBe(0);
  }));
});
