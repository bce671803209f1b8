import { marbles } from 'rxjs-marbles/jest';
import { from, type SchedulerLike } from 'rxjs';
import { fromEmitter } from '../../../lib/core/emitter';
import type { FakeEmitter } from '../../../lib/testing';
import { fakeTwilioChat, fakeTwilioConversations, type FakeInit, type FakeTwilioParticipant, type FakeTwilioTarget } from '../../../lib/testing/twilio';

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

/** Records every event of a fake client, in order, as `name` or `name:argument`. */
function record(client: FakeEmitter, names: readonly string[]): string[] {
  const events: string[] = [];
  for (const name of names) {
    client.on(name, (argument?: unknown) => {
      const detail = typeof argument === 'string' ? argument : (argument as { terminal?: boolean } | undefined)?.terminal !== undefined ? `terminal=${String((argument as { terminal: boolean }).terminal)}` : '';
      events.push(detail ? `${name}:${detail}` : name);
    });
  }
  return events;
}

const CLIENT_EVENTS = ['connectionStateChanged', 'connectionError', 'tokenExpired', 'stateChanged', 'initialized', 'initFailed'];

describe.each([
  ['twilio-chat', (scheduler: SchedulerLike, init?: FakeInit) => fakeTwilioChat({ scheduler, ...(init ? { init } : {}) })],
  ['twilio-conversations', (scheduler: SchedulerLike, init?: FakeInit) => fakeTwilioConversations({ scheduler, ...(init ? { init } : {}) })],
] as const)('%s fake client follows the SDK on the failure paths', (name, world) => {
  const initEvents = name === 'twilio-chat' ? ['stateChanged:initialized'] : ['stateChanged:initialized', 'initialized'];

  it('starts in state unknown, connects, then reports init (Conversations: stateChanged before each init event)', marbles((m) => {
    const client = world(m.scheduler, 'manual').createClient('t');
    const events = record(client, CLIENT_EVENTS);
    expect(client.connectionState).toBe('unknown');
    client.initialize();
    expect(events).toEqual(['connectionStateChanged:connecting', 'connectionStateChanged:connected', ...initEvents]);
  }));

  it('a failed init emits connectionError before stateChanged(failed)', marbles((m) => {
    const client = world(m.scheduler, 'manual').createClient('t');
    const events = record(client, CLIENT_EVENTS);
    client.failInit(true);
    expect(events).toEqual(
      name === 'twilio-chat'
        ? ['connectionError:terminal=true', 'stateChanged:failed']
        : ['connectionError:terminal=true', 'stateChanged:failed', 'initFailed'],
    );
  }));

  it('updateToken waits for the client init', marbles((m) => {
    const client = world(m.scheduler, 'manual').createClient('t');
    let settled = false;
    void client.updateToken('t2').then(() => (settled = true));
    expect(client.updatedTokens).toEqual([]);
    client.initialize();
    expect(client.updatedTokens).toEqual(['t2']);
    expect(settled).toBe(true);
  }));

  it('updateToken with a rejected token rejects, with denied and a terminal connectionError', marbles((m) => {
    const client = world(m.scheduler).createClient('t');
    m.flush();
    client.accepts = (token) => token !== 'bad';
    const events = record(client, CLIENT_EVENTS);
    let error: unknown;
    client.updateToken('bad').then(undefined, (rejected: unknown) => (error = rejected));
    expect(error).toBeInstanceOf(Error);
    expect(events).toEqual(['connectionStateChanged:denied', 'connectionError:terminal=true']);
    expect(client.connectionState).toBe('denied');
  }));

  it('the token in use changes nothing; another one connects a denied client again', marbles((m) => {
    const client = world(m.scheduler).createClient('t');
    m.flush();
    client.denyToken();
    const events = record(client, CLIENT_EVENTS);
    void client.updateToken('t');
    expect(client.connectionState).toBe('denied');
    void client.updateToken('t2');
    expect(events).toEqual(['connectionStateChanged:connecting', 'connectionStateChanged:connected']);
  }));

  it('an expired token closes as disconnecting, tokenExpired, disconnected (not denied)', marbles((m) => {
    const client = world(m.scheduler).createClient('t');
    m.flush();
    const events = record(client, CLIENT_EVENTS);
    client.tokenExpired();
    expect(events).toEqual(['connectionStateChanged:disconnecting', 'tokenExpired', 'connectionStateChanged:disconnected']);
  }));

  it('a server close (401) goes disconnecting, disconnected with no token event', marbles((m) => {
    const client = world(m.scheduler).createClient('t');
    m.flush();
    const events = record(client, CLIENT_EVENTS);
    client.closedByServer();
    expect(events).toEqual(['connectionStateChanged:disconnecting', 'connectionStateChanged:disconnected']);
  }));
});

/** The events a chat emits when an agent types, then writes twice. */
function typingThenMessages<P extends FakeTwilioParticipant, M extends { readonly index: number; readonly author: string | null }>(
  target: FakeTwilioTarget<P, M>,
  agent: P,
): string[] {
  target.add(agent);
  const events: string[] = [];
  target.on('typingEnded', () => events.push('typingEnded'));
  target.on('messageAdded', () => events.push('messageAdded'));
  target.setTyping(agent, true);
  target.deliver(target.createMessage('ann', 'hi'));
  target.deliver(target.createMessage('ann', 'again'));
  return events;
}

describe('Twilio fake chats', () => {
  it('emit typingEnded before messageAdded of the agent who typed (twilio-chat)', () => {
    const chat = fakeTwilioChat();
    expect(typingThenMessages(chat.channel, chat.agent('Ann'))).toEqual(['typingEnded', 'messageAdded', 'messageAdded']);
  });

  it('emit typingEnded before messageAdded of the agent who typed (Conversations)', () => {
    const desk = fakeTwilioConversations();
    expect(typingThenMessages(desk.conversation, desk.agent('Ann'))).toEqual(['typingEnded', 'messageAdded', 'messageAdded']);
  });

  it('give a message the sid of the member/participant who wrote it, none to anyone else', () => {
    const chat = fakeTwilioChat();
    const desk = fakeTwilioConversations();
    const ann = chat.agent('Ann');
    const bob = desk.agent('Bob');
    expect(chat.channel.createMessage('ann', 'hi').memberSid).toBe(ann.sid);
    expect(chat.channel.createMessage('Bot', 'welcome').memberSid).toBeNull();
    expect(desk.conversation.createMessage('bob', 'hi').participantSid).toBe(bob.sid);
    expect(desk.conversation.createMessage('Concierge', 'welcome').participantSid).toBeNull();
  });
});
