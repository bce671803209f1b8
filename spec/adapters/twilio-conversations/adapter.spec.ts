import { marbles } from 'rxjs-marbles/jest';
import { type FakeConversation, type FakeConversationsClient } from '../../../lib/testing/twilio';
import { CONNECT, scenario } from '../twilio-common/kit';
import { conversationsKit } from '../twilio-common/kits';
import { twilioScenarios } from '../twilio-common/scenarios';

twilioScenarios(conversationsKit);

const NO_SUMMARY = { output: { generic: [{ response_type: 'connect_to_agent' }] } };

describe('twilio-conversations: Flex specifics', () => {
  it('by default an agent leaving is not the end: the leave shows after the grace window, the chat goes on', marbles((m) => {
    const s = scenario(m, conversationsKit);
    const ann = s.world.agent('Ann');
    s.play('-----a-----b' + '-'.repeat(200) + 'c', {
      a: () => s.world.target.add(ann),
      b: () => s.world.target.remove(ann),
      c: () => s.world.target.add(s.world.agent('Bob')),
    });
    void s.desk.startChat(CONNECT);
    m.flush();
    expect(s.timeline()).toEqual([[5, 'agentJoined'], [61, 'agentLeftChat'], [212, 'beginTransferToAnotherAgent'], [212, 'agentJoined']]);
  }));

  it("takes the conversation's media limits: a file over the limit is refused before it is sent", marbles((m) => {
    const s = scenario(m, conversationsKit);
    const big = new File([new Uint8Array(6 * 1024 * 1024)], 'big.bin');
    const small = new File(['x'], 'small.txt', { type: 'text/plain' });
    s.play('-----a-b', {
      a: () => s.desk.filesSelectedForUpload([{ id: 'big', file: big }]),
      b: () => void s.desk.sendMessageToAgent({ input: { text: '' } }, 'u1', { filesToUpload: [{ id: 'small', file: small }] }),
    });
    void s.desk.startChat(NO_SUMMARY);
    m.flush();
    expect(s.host.callsOf('setFileUploadStatus').map((call) => call.args.slice(0, 2))).toEqual([['big', true], ['small']]);
    expect(s.world.target.sent).toEqual([{ contentType: 'text/plain', filename: 'small.txt', media: small }]);
  }));

  it('a terminal init failure is not retried', marbles((m) => {
    const s = scenario(m, conversationsKit, {}, { init: 'manual' });
    let failed: unknown;
    s.play('--a', { a: () => s.world.client!.failInit(true) });
    s.desk.startChat(CONNECT).catch((error: unknown) => (failed = error));
    m.flush();
    expect(s.world.clients).toHaveLength(1);
    expect(s.world.listenerCount()).toBe(0);
    return Promise.resolve().then(() => expect(failed).toMatchObject({ code: 'CONNECT_FAILED', retryable: false }));
  }));

  it('ends when the client reports we left the conversation', marbles((m) => {
    const s = scenario(m, conversationsKit);
    s.play('-----a', { a: () => (s.world.client as FakeConversationsClient).leftConversation(s.world.target as FakeConversation) });
    void s.desk.startChat(CONNECT);
    m.flush();
    expect(s.timeline()).toEqual([[5, 'agentEndedChat']]);
  }));
});
