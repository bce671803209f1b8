import { marbles } from 'rxjs-marbles/jest';
import { from } from 'rxjs';
import { fromEmitter } from '../../../lib/core/emitter';
import { fakeTwilioChat, fakeTwilioConversations } from '../../../lib/testing/twilio';

describe('Twilio fakes', () => {
  it('count listeners on every object they made', () => {
    const chat = fakeTwilioChat();
    const client = chat.createClient('t');
    const ann = chat.agent('Ann');
    const subscriptions = [fromEmitter(client, 'tokenExpired').subscribe(), fromEmitter(chat.channel, 'memberJoined').subscribe(), fromEmitter(ann, 'updated').subscribe()];
    expect(chat.listenerCount()).toBe(3);
    subscriptions.forEach((subscription) => subscription.unsubscribe());
    expect(chat.listenerCount()).toBe(0);
  });

  it('record calls, fail or hang once on demand, and settle after their latency', marbles((m) => {
    const desk = fakeTwilioConversations({ scheduler: m.scheduler, latencyMs: 2 });
    desk.conversation.failNext('typing', new Error('429')).hangNext('leave');
    m.expect(from(desk.conversation.typing())).toBeObservable('--#', {}, new Error('429'));
    m.expect(from(desk.conversation.typing())).toBeObservable('--(u|)', { u: undefined });
    m.expect(from(desk.conversation.leave())).toBeObservable('-----');
    m.flush();
    expect(desk.conversation.callsOf('typing')).toHaveLength(2);
  }));

  it('echo what we send as our own message and answer its index', marbles((m) => {
    const chat = fakeTwilioChat({ scheduler: m.scheduler });
    const added: unknown[] = [];
    chat.channel.on('messageAdded', (message: { author: string; body: string }) => added.push([message.author, message.body]));
    m.expect(from(chat.channel.sendMessage('hi'))).toBeObservable('(i|)', { i: 0 });
    m.flush();
    expect(added).toEqual([['guest-1', 'hi']]);
  }));

  it('initialise clients by themselves, or fail, in virtual time', marbles((m) => {
    const ok = fakeTwilioConversations({ scheduler: m.scheduler, latencyMs: 3 });
    const failing = fakeTwilioChat({ scheduler: m.scheduler, init: 'fail' });
    const events: string[] = [];
    const client = ok.createClient('t');
    client.on('initialized', () => events.push(`initialized@${m.scheduler.now()}`));
    failing.createClient('t').on('stateChanged', (state: string) => events.push(state));
    m.flush();
    expect(events).toEqual(['failed', 'initialized@3']);
    expect(client.connectionState).toBe('connected');
  }));
});
