/**
 * Every way a chat can end leaves nothing behind: 0 listeners on the vendor's emitters, 0 timers, 0 subscriptions.
 * The vendor here is a small emitter-based SDK fake (a client and a channel), decoded with `decodeEmitter`, with a
 * typing timeout timer, the shapes real adapters have.
 */
import { concat, defer, merge, of, switchMap, throwError, timer, type SchedulerLike } from 'rxjs';
import { map } from 'rxjs/operators';
import type { ServiceDeskAdapter } from '../../lib/core/adapter';
import { decodeEmitter } from '../../lib/core/emitter';
import { ServiceDeskError } from '../../lib/core/errors';
import type { DomainEvent } from '../../lib/core/events';
import { FakeEmitter, hostLog } from '../../lib/testing';
import { connectMessage, deskOn, liveTimers, virtualTime } from '../support/virtual';

interface Member {
  identity: string;
  name: string;
}

function fakeVendor(scheduler: SchedulerLike) {
  const client = new FakeEmitter();
  const channel = new FakeEmitter();
  let opened = 0;
  const vendor = { down: false };
  const adapter: ServiceDeskAdapter = {
    name: 'emitter desk',
    open: (request) => ({
      events$: defer(() => {
        opened += 1;
        if (vendor.down) return throwError(() => new ServiceDeskError('CONNECT_FAILED', 'unreachable', { retryable: true }));
        const connection$ = decodeEmitter<DomainEvent>(client, {
          connectionStateChanged: (state: string) =>
            state === 'connected' ? { type: 'connectionRestored' } : state === 'denied' ? undefined : { type: 'connectionLost', reason: state },
        }, request.logger);
        const failures$ = decodeEmitter<never>(client, {
          connectionError: (error: { terminal: boolean; message: string }) => {
            throw new ServiceDeskError('CONNECTION_LOST', error.message, { retryable: !error.terminal });
          },
        });
        const channel$ = decodeEmitter<DomainEvent>(channel, {
          memberJoined: (member: Member) => ({ type: 'agentJoined', agent: { id: member.identity, nickname: member.name } }),
          memberLeft: (member: Member) => ({ type: 'agentLeft', agentId: member.identity }),
          messageAdded: (message: { sid: string; body: string }) => ({ type: 'agentMessage', id: message.sid, text: message.body }),
          updated: (update: { status: string }) => (update.status === 'INACTIVE' ? { type: 'chatEnded' } : undefined),
        }, request.logger);
        // Typing shows for 5 s unless the agent types again: a timer per indication.
        const typing$ = decodeEmitter<null>(channel, { typingStarted: () => null }).pipe(
          switchMap(() => concat(of<DomainEvent>({ type: 'agentTyping', isTyping: true }), timer(5000, request.scheduler).pipe(map((): DomainEvent => ({ type: 'agentTyping', isTyping: false }))))),
        );
        return merge(of<DomainEvent>({ type: 'connected' }), connection$, failures$, channel$, typing$);
      }),
      sendMessage: () => of(true),
      end: () => timer(10, request.scheduler),
    }),
  };
  const listeners = () => client.listenerCount() + channel.listenerCount();
  return { client, channel, adapter, listeners, opened: () => opened, scheduler, vendor };
}

function setup() {
  const clock = virtualTime();
  const vendor = fakeVendor(clock.scheduler);
  const { desk, host } = deskOn(vendor.adapter, clock.scheduler, { retry: { maxRetries: 2, initialDelayMs: 100 } });
  const left = () => ({ listeners: vendor.listeners(), timers: liveTimers(clock.scheduler) });
  return { ...clock, ...vendor, desk, host, left };
}

const ann = { identity: 'ann', name: 'Ann' };
const bob = { identity: 'bob', name: 'Bob' };
const nothing = { listeners: 0, timers: 0 };

describe('lifecycle: nothing is left behind', () => {
  it('listens while the chat runs', () => {
    const s = setup();
    void s.desk.startChat(connectMessage());
    s.flush();
    expect(s.listeners()).toBeGreaterThan(0);
  });

  it('the agent ends the chat (with a typing timer running)', () => {
    const s = setup();
    void s.desk.startChat(connectMessage());
    s.at(1, () => s.channel.emit('memberJoined', ann));
    s.at(2, () => s.channel.emit('typingStarted', ann));
    s.at(3, () => s.channel.emit('updated', { status: 'INACTIVE' }));
    s.at(4, () => expect(s.left()).toEqual(nothing));
    s.flush();
    expect(hostLog(s.host)).toEqual(['agentJoined(Ann)', 'agentTyping(true)', 'agentTyping(false)', 'agentEndedChat']);
  });

  it('the user ends the chat', async () => {
    const s = setup();
    void s.desk.startChat(connectMessage());
    s.at(1, () => s.channel.emit('memberJoined', ann));
    s.at(2, () => s.channel.emit('typingStarted', ann));
    let ended: Promise<void> | undefined;
    s.at(3, () => (ended = s.desk.endChat()));
    s.at(20, () => expect(s.left()).toEqual(nothing));
    s.flush();
    await ended;
  });

  it('the user ends the chat while connecting', async () => {
    const s = setup();
    void s.desk.startChat(connectMessage());
    const ended = s.desk.endChat();
    s.at(20, () => expect(s.left()).toEqual(nothing));
    s.flush();
    await ended;
  });

  it('the user ends the chat during a transfer', async () => {
    const s = setup();
    void s.desk.startChat(connectMessage());
    s.at(1, () => s.channel.emit('memberJoined', ann));
    s.at(2, () => s.channel.emit('memberLeft', ann));
    s.at(3, () => void s.desk.endChat());
    s.at(4, () => s.channel.emit('memberJoined', bob));
    s.at(20, () => expect(s.left()).toEqual(nothing));
    s.flush();
    expect(hostLog(s.host)).toEqual(['agentJoined(Ann)', 'agentLeftChat']);
  });

  it('a terminal vendor error', () => {
    const s = setup();
    void s.desk.startChat(connectMessage());
    s.at(1, () => s.channel.emit('memberJoined', ann));
    s.at(2, () => s.client.emit('connectionError', { terminal: true, message: 'denied' }));
    s.at(3, () => expect(s.left()).toEqual(nothing));
    s.flush();
    expect(hostLog(s.host).slice(-1)).toEqual(['agentEndedChat']);
  });

  it('retries that run out', () => {
    const s = setup();
    void s.desk.startChat(connectMessage());
    s.at(1, () => s.channel.emit('memberJoined', ann));
    s.at(2, () => {
      s.vendor.down = true;
      s.client.emit('connectionError', { terminal: false, message: 'socket closed' });
    });
    s.at(1000, () => expect(s.left()).toEqual(nothing));
    s.flush();
    expect(s.opened()).toBe(3);
    expect(hostLog(s.host).slice(-1)).toEqual(['agentEndedChat']);
  });

  it('startChat twice: the first session is gone', () => {
    const s = setup();
    void s.desk.startChat(connectMessage());
    s.flush();
    const one = s.listeners();
    void s.desk.startChat(connectMessage());
    s.flush();
    expect(s.listeners()).toBe(one);
  });

  it('a malformed vendor event is skipped and the stream goes on', () => {
    const s = setup();
    void s.desk.startChat(connectMessage());
    s.at(1, () => s.channel.emit('memberJoined', ann));
    s.at(2, () => s.channel.emit('messageAdded', null));
    s.at(3, () => s.channel.emit('messageAdded', { sid: 'm1', body: 'still here' }));
    s.flush();
    expect(hostLog(s.host)).toEqual(['agentJoined(Ann)', 'sendMessageToUser(still here)']);
  });
});
