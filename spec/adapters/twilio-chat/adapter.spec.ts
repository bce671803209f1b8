import { marbles } from 'rxjs-marbles/jest';
import { fakeTwilioChat, type FakeChatChannel, type FakeChatClient } from '../../../lib/testing/twilio';
import { CONNECT, scenario } from '../twilio-common/kit';
import { chatKit } from '../twilio-common/kits';
import { twilioScenarios } from '../twilio-common/scenarios';

twilioScenarios(chatKit);

const NO_SUMMARY = { output: { generic: [{ response_type: 'connect_to_agent' }] } };

describe('twilio-chat: Flex specifics', () => {
  it('ends on status INACTIVE whether the agent member is removed before or after it', marbles((m) => {
    const before = scenario(m, chatKit);
    const ann1 = before.world.agent('Ann');
    before.play('-----a-----b--c', { a: () => before.world.target.add(ann1), b: () => before.world.target.remove(ann1), c: () => before.world.target.markInactive() });
    void before.desk.startChat(CONNECT);
    const after = scenario(m, chatKit);
    const ann2 = after.world.agent('Ann');
    after.play('-----a-----c--b', { a: () => after.world.target.add(ann2), b: () => after.world.target.remove(ann2), c: () => after.world.target.markInactive() });
    void after.desk.startChat(CONNECT);
    m.flush();
    expect(before.timeline()).toEqual([[5, 'agentJoined'], [14, 'agentEndedChat']]);
    expect(after.timeline()).toEqual([[5, 'agentJoined'], [11, 'agentEndedChat']]);
  }));

  it('ends by default when the last agent leaves and nobody joins within the grace window', marbles((m) => {
    const s = scenario(m, chatKit);
    const ann = s.world.agent('Ann');
    s.play('-----a-----b', { a: () => s.world.target.add(ann), b: () => s.world.target.remove(ann) });
    void s.desk.startChat(CONNECT);
    m.flush();
    expect(s.timeline()).toEqual([[5, 'agentJoined'], [61, 'agentEndedChat']]);
  }));

  it('ends when the client reports we left our channel, not another one', marbles((m) => {
    const s = scenario(m, chatKit);
    const other = fakeTwilioChat({ channelSid: 'CH9999' }).channel;
    s.play('-----a-----b', {
      a: () => (s.world.client as FakeChatClient).leftChannel(other),
      b: () => (s.world.client as FakeChatClient).leftChannel(s.world.target as FakeChatChannel),
    });
    void s.desk.startChat(CONNECT);
    m.flush();
    expect(s.timeline()).toEqual([[11, 'agentEndedChat']]);
  }));

  it('sends a file as FormData with its name', marbles((m) => {
    const s = scenario(m, chatKit);
    const file = new File(['%PDF'], 'invoice.pdf', { type: 'application/pdf' });
    s.play('-----a', { a: () => void s.desk.sendMessageToAgent({ input: { text: '' } }, 'u1', { filesToUpload: [{ id: 'f1', file }] }) });
    void s.desk.startChat(NO_SUMMARY);
    m.flush();
    const sent = s.world.target.sent[0] as FormData;
    expect(sent).toBeInstanceOf(FormData);
    expect((sent.get('file') as File).name).toBe('invoice.pdf');
    expect(s.host.callsOf('setFileUploadStatus').map((call) => call.args)).toEqual([['f1']]);
  }));
});
