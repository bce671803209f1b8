import { marbles } from 'rxjs-marbles/jest';
import { CHECKLIST, hostLog, settleAfter } from '../../../lib/testing';
import { CONNECT, scenario, type Scenario, type TwilioKit } from './kit';

const NO_SUMMARY = { output: { generic: [{ response_type: 'connect_to_agent', message_to_human_agent: '   ' }] } };

/**
 * The Twilio scenarios the conformance suite (each adapter's `conformance.spec.ts`) does not play, run against the fake SDK
 * of `kit`: snapshot and history reads, tokens and sessions, the participant mapping and end-signal options, sends
 * across SDK reconnects. Both SDKs share these expectations; SDK-specific behaviour is tested in each adapter's spec.
 */
export function twilioScenarios(kit: TwilioKit): void {
  describe(`${kit.name}: start`, () => {
    it('fetches the session once, creates a client with its token, sends the summary first and connects', marbles((m) => {
      const s = scenario(m, kit);
      let resolved = false;
      void s.desk.startChat(CONNECT).then(() => (resolved = true));
      m.flush();
      expect(s.sessions()).toBe(1);
      expect(s.world.clients.map((client) => client.token)).toEqual(['token-1']);
      expect(s.world.client!.clientOptions).toEqual({ logLevel: 'silent' });
      expect(s.world.target.sent).toEqual(['help me\norder 42 is late']);
      expect(s.world.target.callsOf('join')).toHaveLength(0);
      return Promise.resolve().then(() => expect(resolved).toBe(true));
    }));

    it('calls getSession with the chat\'s routing and pre-chat context (issue 12 item 1)', marbles((m) => {
      const asked: unknown[] = [];
      const s = scenario(m, kit, { getSession: (request) => (asked.push(request), settleAfter({}, () => s.world.session())) });
      s.desk.updateState({ userID: 'u-7', locale: 'fr' });
      const routed = { output: { generic: [{ response_type: 'connect_to_agent', message_to_human_agent: 'help me', transfer_info: { additional_data: { queue: 'billing' } } }] } };
      void s.desk.startChat(routed, { preStartChatPayload: { plan: 'gold', nested: { no: 1 } } });
      m.flush();
      expect(asked).toEqual([
        { context: { attributes: { queue: 'billing', plan: 'gold' }, preChat: { plan: 'gold', nested: { no: 1 } }, userId: 'u-7', locale: 'fr' } },
      ]);
      expect(s.world.clients.map((client) => client.token)).toEqual(['token-1']);
    }));

    it('skips an empty summary instead of sending undefined', marbles((m) => {
      const s = scenario(m, kit);
      void s.desk.startChat(NO_SUMMARY);
      m.flush();
      expect(s.world.target.sent).toEqual([]);
    }));

    it('joins the chat when not yet a participant', marbles((m) => {
      const s = scenario(m, kit, {}, { status: 'notParticipating' });
      void s.desk.startChat(CONNECT);
      m.flush();
      expect(s.world.target.callsOf('join')).toHaveLength(1);
      expect(s.world.target.status).toBe('joined');
    }));

    it('listens before reading the snapshot: an agent joining during the read is seen once', marbles((m) => {
      const s = scenario(m, kit, {}, { latencyMs: 4 });
      const ann = s.world.agent('Ann');
      // client init at 4, getChannel at 8, members read from 8 to 12: Ann joins at 10, during the read.
      s.play('----------a', { a: () => s.world.target.add(ann) });
      void s.desk.startChat(CONNECT);
      m.flush();
      expect(s.world.target.calls.map((call) => call.method).slice(0, 2)).toEqual([kit.membersMethod, 'getMessages']);
      expect(s.host.callsOf('agentJoined')).toHaveLength(1);
    }));

    it('a live message during the history read is shown after the history, nothing lost', marbles((m) => {
      const s = scenario(m, kit, {}, { latencyMs: 4 });
      const ann = s.world.agent('Ann');
      s.world.target.present.push(ann);
      s.world.target.addHistory(s.world.target.createMessage('ann', 'earlier', 0));
      // members read 8-12, history read 12-16: the live message arrives at 14.
      s.play('--------------a', { a: () => s.world.target.deliver(s.world.target.createMessage('ann', 'live', 1)) });
      void s.desk.startChat(CONNECT);
      m.flush();
      expect(s.host.callsOf('sendMessageToUser').map((call) => JSON.stringify(call.args[0]))).toEqual([
        expect.stringContaining('earlier'),
        expect.stringContaining('live'),
      ]);
    }));

    it('shows an agent already present and history messages, each once', marbles((m) => {
      const s = scenario(m, kit);
      const ann = s.world.agent('Ann');
      s.world.target.present.push(ann);
      s.world.target.addHistory(s.world.target.createMessage('ann', 'earlier', 0));
      s.world.target.addHistory(s.world.target.createMessage('guest-1', 'mine', 1));
      void s.desk.startChat(CONNECT);
      m.flush();
      expect(s.timeline()).toEqual([[0, 'agentJoined'], [0, 'sendMessageToUser']]);
      expect(s.host.callsOf('sendMessageToUser')[0]?.args[0]).toMatchObject({ id: 'IM0000' });
    }));

    it('refreshes a stale token before reconnecting', marbles((m) => {
      const s = scenario(m, kit, { getSession: () => settleAfter({}, () => s.world.session({ expiresAt: 50_000 })), getToken: () => settleAfter({}, () => ({ token: 'fresh' })) }, { init: 'manual' });
      s.play('a--------------b', { a: () => s.world.clients[0]!.failInit(), b: () => s.world.clients[1]!.initialize() });
      void s.desk.startChat(CONNECT);
      m.flush();
      expect(s.world.clients.map((client) => client.token)).toEqual(['token-1', 'fresh']);
    }));

    it('retries a failed client init with a new client, sending the summary once', marbles((m) => {
      const s = scenario(m, kit, {}, { init: 'manual' });
      s.play('a--------------b', {
        a: () => s.world.clients[0]!.failInit(),
        b: () => s.world.clients[1]!.initialize(),
      });
      void s.desk.startChat(CONNECT);
      m.flush();
      expect(s.world.clients).toHaveLength(2);
      expect(s.world.clients[0]!.shutdowns).toBe(1);
      expect(s.world.target.sent).toEqual(['help me\norder 42 is late']);
      expect(s.sessions()).toBe(1);
    }));
  });

  describe(`${kit.name}: agents`, () => {
    it('never joins: no agent callbacks, queue updates while waiting', marbles((m) => {
      let polls = 0;
      const s = scenario(m, kit, {
        queuePollMs: 100,
        checkAvailability: () => settleAfter({}, () => ({ online: true, agentsAvailable: 1, position: 3 - polls++, waitMinutes: 2 })),
      });
      s.play('-'.repeat(250) + 'e', { e: () => void s.desk.endChat() });
      void s.desk.startChat(CONNECT);
      m.flush();
      expect(s.host.callsOf('agentJoined')).toHaveLength(0);
      const updates = s.host.callsOf('updateAgentAvailability');
      expect(updates).toHaveLength(3);
      expect(s.world.listenerCount()).toBe(0);
      expect(updates[0]?.args[0]).toEqual({ message: 'You are number 3 in line. The wait is about 2 minutes.' });
    }));

    it('falls back to the nickname attribute, then to the identity, when the user cannot be loaded', marbles((m) => {
      const s = scenario(m, kit, { avatarAttribute: 'photo' });
      const bob = s.world.agent('Bob', { friendlyName: '', attributes: { member_type: 'agent', full_name: 'Bob B.', photo: 'https://img.example/b.png' } });
      const eve = s.world.agent('Eve', { friendlyName: '' });
      eve.failNext('getUser');
      s.play('-----a-----b', { a: () => s.world.target.add(bob), b: () => s.world.target.add(eve) });
      void s.desk.startChat(CONNECT);
      m.flush();
      expect(s.host.callsOf('agentJoined').map((call) => call.args[0])).toEqual([
        { id: 'bob', nickname: 'Bob B.', profile_picture_url: 'https://img.example/b.png', user_type: 'human' },
        { id: 'eve', nickname: 'eve', user_type: 'human' },
      ]);
    }));

    it('never counts the customer or ourselves as an agent', marbles((m) => {
      const s = scenario(m, kit);
      const guest = s.world.agent('Gus', { attributes: { member_type: 'guest' } });
      s.play('-----a-----b', { a: () => s.world.target.add(s.world.customer()), b: () => s.world.target.add(guest) });
      void s.desk.startChat(CONNECT);
      m.flush();
      expect(s.host.callsOf('agentJoined')).toHaveLength(0);
    }));

    it('uses a custom classifier', marbles((m) => {
      const s = scenario(m, kit, { classify: (who) => (who.identity === 'bot' ? 'customer' : undefined) });
      s.play('-----a-----b', { a: () => s.world.target.add(s.world.agent('Bot')), b: () => s.world.target.add(s.world.agent('Ann')) });
      void s.desk.startChat(CONNECT);
      m.flush();
      expect(s.host.callsOf('agentJoined').map((call) => (call.args[0] as { id: string }).id)).toEqual(['ann']);
    }));

    it('the same agent leaving and coming back within the window shows nothing', marbles((m) => {
      const s = scenario(m, kit);
      const ann = s.world.agent('Ann');
      s.play('-----a-----b-----c', { a: () => s.world.target.add(ann), b: () => s.world.target.remove(ann), c: () => s.world.target.add(ann) });
      void s.desk.startChat(CONNECT);
      m.flush();
      expect(s.timeline()).toEqual([[5, 'agentJoined']]);
    }));

    it('the last agent leaving ends the chat after the grace window (endWhenAgentLeaves)', marbles((m) => {
      const s = scenario(m, kit, { endWhenAgentLeaves: true });
      const ann = s.world.agent('Ann');
      s.play('-----a-----b', { a: () => s.world.target.add(ann), b: () => s.world.target.remove(ann) });
      void s.desk.startChat(CONNECT);
      m.flush();
      expect(hostLog(s.host)).toEqual([...CHECKLIST.firstJoin('Ann'), ...CHECKLIST.agentEnds()]);
      expect(s.timeline()).toEqual([[5, 'agentJoined'], [61, 'agentEndedChat']]);
      expect(s.world.listenerCount()).toBe(0);
    }));

    it('the last agent leaving is shown as a leave after the grace window (endWhenAgentLeaves off); a later agent is a transfer', marbles((m) => {
      const s = scenario(m, kit, { endWhenAgentLeaves: false });
      const ann = s.world.agent('Ann');
      s.play('-----a-----b' + '-'.repeat(100) + 'c', {
        a: () => s.world.target.add(ann),
        b: () => s.world.target.remove(ann),
        c: () => s.world.target.add(s.world.agent('Bob')),
      });
      void s.desk.startChat(CONNECT);
      m.flush();
      expect(hostLog(s.host)).toEqual([...CHECKLIST.firstJoin('Ann'), ...CHECKLIST.agentLeaves(), ...CHECKLIST.transfer('Bob')]);
      expect(s.timeline()).toEqual([[5, 'agentJoined'], [61, 'agentLeftChat'], [112, 'beginTransferToAnotherAgent'], [112, 'agentJoined']]);
    }));
  });

  describe(`${kit.name}: agent ends the chat`, () => {
    it('ignores the native signal when it is switched off', marbles((m) => {
      const s = scenario(m, kit, { endSignals: { [kit.nativeEnd.signal]: false } });
      s.play('-----a-----b', { a: () => s.world.target.add(s.world.agent('Ann')), b: () => kit.nativeEnd.send(s.world) });
      void s.desk.startChat(CONNECT);
      m.flush();
      expect(s.timeline()).toEqual([[5, 'agentJoined']]);
    }));

    it('ends when the chat is closed (state closed)', marbles((m) => {
      const s = scenario(m, kit);
      s.play('-----a-----b', { a: () => s.world.target.add(s.world.agent('Ann')), b: () => s.world.target.setState('closed') });
      void s.desk.startChat(CONNECT);
      m.flush();
      expect(s.timeline()).toEqual([[5, 'agentJoined'], [11, 'agentEndedChat']]);
    }));

    it('does not end on an inactive state unless asked to', marbles((m) => {
      const off = scenario(m, kit);
      off.play('-----b', { b: () => off.world.target.setState('inactive') });
      void off.desk.startChat(CONNECT);
      const on = scenario(m, kit, { endSignals: { inactiveState: true } });
      on.play('-----b', { b: () => on.world.target.setState('inactive') });
      void on.desk.startChat(CONNECT);
      m.flush();
      expect(off.timeline()).toEqual([]);
      expect(on.timeline()).toEqual([[5, 'agentEndedChat']]);
    }));

    it('ends when the chat is removed, unless removal is switched off', marbles((m) => {
      const on = scenario(m, kit);
      on.play('-----b', { b: () => on.world.target.destroy() });
      void on.desk.startChat(CONNECT);
      const off = scenario(m, kit, { endSignals: { removed: false } });
      off.play('-----b', { b: () => off.world.target.destroy() });
      void off.desk.startChat(CONNECT);
      m.flush();
      expect(on.timeline()).toEqual([[5, 'agentEndedChat']]);
      expect(off.timeline()).toEqual([]);
    }));

    it('ends at once when the chat had already ended before we connected', marbles((m) => {
      const s = scenario(m, kit);
      kit.nativeEnd.send(s.world);
      void s.desk.startChat(CONNECT);
      m.flush();
      expect(s.timeline()).toEqual([[0, 'agentEndedChat']]);
    }));
  });

  describe(`${kit.name}: messages`, () => {
    it('shows agent messages with the vendor id, not our own, and each once (duplicate delivery)', marbles((m) => {
      const s = scenario(m, kit);
      const hello = () => s.world.target.createMessage('ann', 'hello', 5);
      const first = hello();
      s.play('-----a-----b-----c-----d', {
        a: () => s.world.target.add(s.world.agent('Ann')),
        b: () => s.world.target.deliver(first),
        c: () => s.world.target.deliver(first),
        d: () => s.world.target.deliver(s.world.target.createMessage('guest-1', 'my echo', 6)),
      });
      void s.desk.startChat(CONNECT);
      m.flush();
      expect(s.timeline()).toEqual([[5, 'agentJoined'], [11, 'sendMessageToUser']]);
      expect(s.host.callsOf('sendMessageToUser')[0]?.args).toEqual([{ id: first.sid, output: { generic: [{ response_type: 'text', text: 'hello' }] } }, 'ann']);
    }));

    it('shows a message posted by the desk automation (no participant wrote it) without making a join of it', marbles((m) => {
      const s = scenario(m, kit);
      s.play('-----a-----b', {
        a: () => s.world.target.deliver(s.world.target.createMessage('Concierge', 'An agent will be with you shortly')),
        b: () => s.world.target.add(s.world.agent('Ann')),
      });
      void s.desk.startChat(CONNECT);
      m.flush();
      expect(s.timeline()).toEqual([[5, 'sendMessageToUser'], [11, 'agentJoined']]);
    }));

    it('a retried connection does not show history or the agent twice, and sends the summary once', marbles((m) => {
      const s = scenario(m, kit);
      s.world.target.present.push(s.world.agent('Ann'));
      s.world.target.addHistory(s.world.target.createMessage('ann', 'earlier', 0));
      // The first attempt shows Ann and her message, then fails to send the summary (a retryable error).
      s.world.target.failNext('sendMessage', new Error('503'));
      void s.desk.startChat(CONNECT);
      m.flush();
      expect(s.world.clients).toHaveLength(2);
      expect(s.world.clients[0]!.shutdowns).toBe(1);
      expect(hostLog(s.host)).toEqual([...CHECKLIST.firstJoin('Ann'), 'sendMessageToUser(earlier)']);
      expect(s.world.target.sent).toEqual(['help me\norder 42 is late']);
    }));

  });

  describe(`${kit.name}: each user message reaches the desk once`, () => {
    /** What reached the desk as user text (the summary left out). */
    const atDesk = (s: Scenario) => s.world.target.sent.filter((sent) => typeof sent === 'string' && sent.startsWith('my '));
    /** How each message ended for the host: `sent`, `failed`, or still `pending`. */
    const outcomes = (s: Scenario) => {
      const seen: Record<string, string> = {};
      const send = (text: string, id: string) => {
        seen[id] = 'pending';
        s.desk.sendMessageToAgent({ input: { text } }, id).then(
          () => (seen[id] = 'sent'),
          () => (seen[id] = 'failed'),
        );
      };
      return { seen, send };
    };
    /** Lets the desk's promises settle after a flush: microtask hops only, no timer. */
    const settled = () => {
      let drained = Promise.resolve();
      for (let hop = 0; hop < 50; hop += 1) drained = drained.then(() => undefined);
      return drained;
    };

    it('tags each message with its host id in the message attributes (messageIdAttribute)', marbles((m) => {
      const s = scenario(m, kit, { messageIdAttribute: 'hostMessageId' });
      s.play('-----a', { a: () => void s.desk.sendMessageToAgent({ input: { text: 'my order' } }, 'u1') });
      void s.desk.startChat(CONNECT);
      m.flush();
      const [summary, message] = s.world.target.callsOf('sendMessage');
      expect(message).toEqual(['my order', { hostMessageId: 'u1' }]);
      expect(summary?.[1]).toEqual({ hostMessageId: expect.stringMatching(/^rx-summary-/) });
    }));

    it('a send whose answer hangs while the connection flaps, its echo not re-delivered: once, and resolved', marbles((m) => {
      const s = scenario(m, kit, {}, {}, { sendTimeoutMs: 40 });
      const { seen, send } = outcomes(s);
      s.world.target.redeliverAfterReconnect = false;
      // At 5 the connection drops just as the message goes out: it reaches the desk, its answer never comes and its
      // echo is lost. Back at 20 (history read again); the core gives up waiting at 45 and retries at 55.
      s.play('-----a' + '-'.repeat(14) + 'b', {
        a: () => {
          s.world.target.loseNextAnswer('sendMessage', 'hang');
          s.world.client!.setConnectionState('connecting');
          send('my order', 'u1');
        },
        b: () => s.world.client!.setConnectionState('connected'),
      });
      void s.desk.startChat(NO_SUMMARY);
      m.flush();
      expect(atDesk(s)).toEqual(['my order']);
      return settled().then(() => expect(seen).toEqual({ u1: 'sent' }));
    }));

    it('a send that reaches the desk and then rejects: the echo seen, the retry sends nothing', marbles((m) => {
      const s = scenario(m, kit);
      const { seen, send } = outcomes(s);
      s.play('-----a-b', {
        a: () => {
          s.world.target.loseNextAnswer('sendMessage', 'reject', new Error('socket closed'));
          send('my order', 'u1');
        },
        b: () => send('my next', 'u2'),
      });
      void s.desk.startChat(NO_SUMMARY);
      m.flush();
      expect(atDesk(s)).toEqual(['my order', 'my next']);
      expect(s.world.target.callsOf('getMessages')).toHaveLength(1);
      expect(s.host.callsOf('setErrorStatus')).toEqual([]);
      return settled().then(() => expect(seen).toEqual({ u1: 'sent', u2: 'sent' }));
    }));

    it('the answer is lost and the echo comes only after the retry: the retry finds the message in history', marbles((m) => {
      const s = scenario(m, kit);
      const { seen, send } = outcomes(s);
      s.world.target.ownEchoDelayMs = 100;
      s.play('-----a', {
        a: () => {
          s.world.target.loseNextAnswer('sendMessage');
          send('my order', 'u1');
        },
      });
      void s.desk.startChat(NO_SUMMARY);
      m.flush();
      expect(atDesk(s)).toEqual(['my order']);
      // The connect read, then the read before the retry (15); the echo at 105 shows nothing.
      expect(s.world.target.callsOf('getMessages')).toHaveLength(2);
      expect(s.host.callsOf('sendMessageToUser')).toEqual([]);
      return settled().then(() => expect(seen).toEqual({ u1: 'sent' }));
    }));

    it('a retry whose history read fails does not send blindly: it tries again, and sends once when the read works', marbles((m) => {
      const s = scenario(m, kit, {}, {}, { sendRetries: 5 });
      const { seen, send } = outcomes(s);
      s.play('-----a', {
        a: () => {
          s.world.target.failNext('sendMessage');
          s.world.target.failNext('getMessages').failNext('getMessages');
          send('my order', 'u1');
        },
      });
      void s.desk.startChat(NO_SUMMARY);
      m.flush();
      // The first attempt did not reach the desk; two reads fail, the third shows it is not there: sent once.
      expect(atDesk(s)).toEqual(['my order']);
      expect(s.world.target.callsOf('getMessages')).toHaveLength(4);
      return settled().then(() => expect(seen).toEqual({ u1: 'sent' }));
    }));

    it('a summary whose answer was lost is not sent again by the retried connection', marbles((m) => {
      const s = scenario(m, kit);
      s.world.target.ownEchoDelayMs = null;
      s.world.target.loseNextAnswer('sendMessage');
      void s.desk.startChat(CONNECT);
      m.flush();
      expect(s.world.clients).toHaveLength(2);
      expect(s.world.target.sent).toEqual(['help me\norder 42 is late']);
    }));
  });

  describe(`${kit.name}: agent messages while the SDK reconnects by itself`, () => {
    it('messages sent while down and not re-delivered are read from history when back: each once, in order', marbles((m) => {
      const s = scenario(m, kit, {}, { latencyMs: 4 });
      const target = s.world.target;
      target.redeliverAfterReconnect = false;
      const say = (text: string) => () => void target.deliver(target.createMessage('ann', text));
      // Ann joins at 20 (shown at 24) and speaks at 30; the client is down 40-60, she speaks at 45 and 50; back at
      // 60, history is read 60-64; she speaks again at 62, during the read.
      s.play('-'.repeat(20) + 'a' + '-'.repeat(9) + 'b' + '-'.repeat(9) + 'c----d----e' + '-'.repeat(9) + 'f-g', {
        a: () => target.add(s.world.agent('Ann')),
        b: say('before'),
        c: () => s.world.client!.setConnectionState('connecting'),
        d: say('while down 1'),
        e: say('while down 2'),
        f: () => s.world.client!.setConnectionState('connected'),
        g: say('after'),
      });
      void s.desk.startChat(NO_SUMMARY);
      m.flush();
      expect(hostLog(s.host)).toEqual([
        ...CHECKLIST.firstJoin('Ann'),
        'sendMessageToUser(before)',
        ...CHECKLIST.reconnect(),
        'sendMessageToUser(while down 1)',
        'sendMessageToUser(while down 2)',
        'sendMessageToUser(after)',
      ]);
      // The lost / restored notices at 45 and 60, then the gap's messages and the live one together at 64.
      expect(s.timeline().filter(([, method]) => method === 'sendMessageToUser').map(([at]) => at)).toEqual([30, 45, 60, 64, 64, 64]);
    }));

    it('an outage longer than one page of history is read back page by page: every message once, in order', marbles((m) => {
      const s = scenario(m, kit, { historyPageSize: 3 });
      const target = s.world.target;
      target.redeliverAfterReconnect = false;
      const ann = s.world.agent('Ann');
      target.present.push(ann);
      target.addHistory(target.createMessage('ann', 'earlier'));
      s.play('-----a-b', {
        a: () => s.world.client!.setConnectionState('connecting'),
        b: () => {
          for (let i = 1; i <= 7; i += 1) target.deliver(target.createMessage('ann', `down ${i}`));
          s.world.client!.setConnectionState('connected');
        },
      });
      void s.desk.startChat(NO_SUMMARY);
      m.flush();
      expect(hostLog(s.host).filter((call) => call.startsWith('sendMessageToUser'))).toEqual([
        'sendMessageToUser(earlier)',
        ...Array.from({ length: 7 }, (_, i) => `sendMessageToUser(down ${i + 1})`),
      ]);
      // The connect read, then three pages back from the newest (7) until one reaches 'earlier' (0).
      expect(target.callsOf('getMessages')).toEqual([[3], [3], [3, 4], [3, 1]]);
    }));

    it('the history is read again also while the summary is still unanswered, and live events are not held behind it', marbles((m) => {
      const s = scenario(m, kit, {}, {}, { connectTimeoutMs: 1_000 });
      const target = s.world.target;
      target.redeliverAfterReconnect = false;
      target.hangNext('sendMessage');
      const say = (text: string) => () => void target.deliver(target.createMessage('ann', text));
      s.play('-----a-----b---c---d---e', {
        a: () => target.add(s.world.agent('Ann')),
        b: () => s.world.client!.setConnectionState('connecting'),
        c: say('while down'),
        d: () => s.world.client!.setConnectionState('connected'),
        e: say('after'),
      });
      void s.desk.startChat(CONNECT);
      m.flush();
      // The summary never answers (the connect timeout retries the connection at 1 000): the chat goes on meanwhile.
      const shown = s.timeline().filter(([at, method]) => at < 1_000 && method === 'sendMessageToUser');
      // The lost / restored notices at 16 and 19, then the agent's two messages.
      expect(shown).toEqual([[16, 'sendMessageToUser'], [19, 'sendMessageToUser'], [19, 'sendMessageToUser'], [23, 'sendMessageToUser']]);
      expect(hostLog(s.host).filter((call) => call.startsWith('sendMessageToUser'))).toEqual(['sendMessageToUser(while down)', 'sendMessageToUser(after)']);
    }));

    it('a history read that never answers holds live events no longer than historyTimeoutMs', marbles((m) => {
      const s = scenario(m, kit, { historyTimeoutMs: 30 });
      const target = s.world.target;
      s.play('-----a-----b---c-d', {
        a: () => target.add(s.world.agent('Ann')),
        b: () => s.world.client!.setConnectionState('connecting'),
        c: () => {
          target.hangNext('getMessages');
          s.world.client!.setConnectionState('connected');
        },
        d: () => void target.deliver(target.createMessage('ann', 'after')),
      });
      void s.desk.startChat(NO_SUMMARY);
      m.flush();
      expect(s.timeline()).toEqual([[5, 'agentJoined'], [45, 'sendMessageToUser']]);
    }));
  });

  describe(`${kit.name}: typing and read receipts`, () => {
    it('agent typing start/stop/flap becomes agentTyping, and stops before their message', marbles((m) => {
      const s = scenario(m, kit);
      const ann = s.world.agent('Ann');
      s.play('-----a-b-c-d-e-f', {
        a: () => s.world.target.add(ann),
        b: () => s.world.target.setTyping(ann, true),
        c: () => s.world.target.setTyping(ann, true),
        d: () => s.world.target.setTyping(ann, false),
        e: () => s.world.target.setTyping(ann, true),
        f: () => s.world.target.deliver(s.world.target.createMessage('ann', 'done')),
      });
      void s.desk.startChat(CONNECT);
      m.flush();
      expect(s.timeline()).toEqual([
        [5, 'agentJoined'],
        [7, 'agentTyping'],
        [11, 'agentTyping'],
        [13, 'agentTyping'],
        [15, 'agentTyping'],
        [15, 'sendMessageToUser'],
      ]);
      expect(hostLog(s.host)).toEqual([...CHECKLIST.firstJoin('Ann'), ...CHECKLIST.typing(), ...CHECKLIST.typing(), 'sendMessageToUser(done)']);
    }));

    it("calls the SDK's typing() repeatedly while the user types, throttled, and stops when they stop", marbles((m) => {
      const s = scenario(m, kit, { typingIntervalMs: 30 }, {}, { typingThrottleMs: 10 });
      const keystrokes: Record<string, () => void> = { t: () => void s.desk.userTyping(true), s: () => void s.desk.userTyping(false) };
      s.play('-----tttttttttt' + '-'.repeat(80) + 's' + '-'.repeat(100), keystrokes);
      void s.desk.startChat(CONNECT);
      m.flush();
      // Keystrokes 5-14, heartbeat every 30 until the user stops at 95: typing() at 5, 35 and 65, nothing after.
      expect(s.world.target.callsOf('typing')).toHaveLength(3);
    }));

    it('agent read horizon reaching our last message is agentReadMessages, once', marbles((m) => {
      const s = scenario(m, kit);
      const ann = s.world.agent('Ann');
      s.play('-----a-----b-----c-----d', {
        a: () => s.world.target.add(ann),
        b: () => s.world.target.read(ann, -1),
        c: () => s.world.target.read(ann, 0),
        d: () => s.world.target.read(ann, 0),
      });
      void s.desk.startChat(CONNECT);
      m.flush();
      expect(s.timeline()).toEqual([[5, 'agentJoined'], [17, 'agentReadMessages']]);
    }));

  });

  describe(`${kit.name}: connection and tokens`, () => {
    it('a flapping connection within the grace stays quiet, and user messages wait for it', marbles((m) => {
      const s = scenario(m, kit);
      s.play('-----a-----bcbcb-c', {
        a: () => s.world.target.add(s.world.agent('Ann')),
        b: () => s.world.client!.setConnectionState('disconnected'),
        c: () => s.world.client!.setConnectionState('connected'),
      });
      void s.desk.startChat(CONNECT);
      m.flush();
      expect(s.timeline()).toEqual([[5, 'agentJoined']]);
    }));

    it('refreshes the token with getToken when it is about to expire (no ttl argument)', marbles((m) => {
      let tokens = 0;
      const s = scenario(m, kit, { getToken: () => settleAfter({}, () => ({ token: `fresh-${++tokens}` })) });
      s.play('-----a-----b' + '-'.repeat(1000) + 'c', {
        a: () => s.world.target.add(s.world.agent('Ann')),
        b: () => s.world.client!.tokenAboutToExpire(),
        c: () => s.world.client!.tokenExpired(),
      });
      void s.desk.startChat(CONNECT);
      m.flush();
      expect(s.world.client!.updatedTokens[0]).toBe('fresh-1');
      expect(s.world.client!.token).toBe(`fresh-${tokens}`);
      expect(s.world.client!.connectionState).toBe('connected');
      expect(s.sessions()).toBe(1);
      expect(s.timeline()).toEqual([[5, 'agentJoined']]);
    }));

    it('falls back to getSession for a token when there is no getToken', marbles((m) => {
      const s = scenario(m, kit);
      s.play('-----b', { b: () => s.world.client!.tokenAboutToExpire() });
      void s.desk.startChat(CONNECT);
      m.flush();
      expect(s.world.client!.updatedTokens).toEqual(['token-1']);
      expect(s.sessions()).toBe(2);
    }));

    it('a token that cannot be refreshed ends the chat with a clear error', marbles((m) => {
      const s = scenario(m, kit, { getToken: () => settleAfter({}, () => {
          throw new Error('401');
        }), tokenRetries: 1 });
      s.play('-----a-----b', { a: () => s.world.target.add(s.world.agent('Ann')), b: () => s.world.client!.tokenAboutToExpire() });
      void s.desk.startChat(CONNECT);
      m.flush();
      expect(s.timeline().map(([, method]) => method)).toEqual(['agentJoined', 'sendMessageToUser', 'agentEndedChat']);
      expect(s.world.listenerCount()).toBe(0);
    }));
  });

  describe(`${kit.name}: malformed payloads`, () => {
    it('survives a missing identity, null and non-JSON attributes, and garbage events', marbles((m) => {
      const s = scenario(m, kit);
      const noIdentity = s.world.agent('X', { identity: null, attributes: {} });
      const nullAttributes = s.world.agent('Ann');
      nullAttributes.attributes = null;
      const textAttributes = s.world.agent('Bob');
      textAttributes.attributes = '{not json';
      s.play('-a-b-c-d-e-f-g-h', {
        a: () => s.world.target.add(noIdentity),
        b: () => s.world.target.emit('messageAdded', undefined),
        c: () => s.world.target.emit('updated', null),
        d: () => s.world.target.emit(kit.membersMethod === 'getMembers' ? 'memberJoined' : 'participantJoined', { nope: true }),
        e: () => s.world.target.add(nullAttributes),
        f: () => s.world.target.deliver(s.world.target.createMessage('ann', 'still here')),
        g: () => s.world.target.add(textAttributes),
        h: () => s.world.client!.emit('connectionStateChanged', 42),
      });
      void s.desk.startChat(CONNECT);
      m.flush();
      expect(s.timeline()).toEqual([[9, 'agentJoined'], [11, 'sendMessageToUser'], [13, 'beginTransferToAnotherAgent'], [13, 'agentJoined']]);
    }));
  });

  describe(`${kit.name}: the user ends the chat`, () => {
    it("does not leave with endAction 'close'", marbles((m) => {
      const s = scenario(m, kit, { endAction: 'close' });
      s.play('-----c', { c: () => void s.desk.endChat() });
      void s.desk.startChat(CONNECT);
      m.flush();
      expect(s.world.target.callsOf('leave')).toHaveLength(0);
      expect(s.world.listenerCount()).toBe(0);
    }));
  });

  describe(`${kit.name}: resume after a page reload`, () => {
    it('cannot resume without getToken', marbles((m) => {
      const s = scenario(m, kit);
      expect(s.adapter.canResume).toBe(false);
    }));
  });
}
