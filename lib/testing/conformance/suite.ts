import { CHECKLIST } from '../checklist.js';
import { RETRY_BUDGET_MS, SUMMARY, openChat, outcomeOf, type ConformanceChat } from './chat.js';
import type {
  ConformanceAgent,
  ConformanceDriver,
  ConformanceExpect,
  ConformanceFeature,
  ConformanceHarness,
  ConformanceRunner,
  TokenRefresh,
} from './harness.js';

/** The agents the scenarios use: Ann takes the chat, Bob takes it over in transfers. */
export const CONFORMANCE_AGENTS: { readonly ann: ConformanceAgent; readonly bob: ConformanceAgent } = {
  ann: { id: 'agent-ann', nickname: 'Ann', avatarUrl: 'https://avatars.example.invalid/ann.png' },
  bob: { id: 'agent-bob', nickname: 'Bob', avatarUrl: 'https://avatars.example.invalid/bob.png' },
};
const { ann: ANN, bob: BOB } = CONFORMANCE_AGENTS;

/** One scenario of the suite, ready to run under any test runner. */
export interface ConformanceScenario {
  /** The group (`describe`) it belongs to. */
  readonly group: string;
  /** Its name, the same for every adapter. */
  readonly name: string;
  /** Why it is skipped for this harness, when the vendor cannot express a feature it needs. */
  readonly skipped?: string;
  /** Runs it, asserting with `expect`. */
  run(expect: ConformanceExpect): Promise<void>;
}

type Play = (chat: ConformanceChat, expect: ConformanceExpect) => Promise<void>;
interface Definition {
  readonly name: string;
  readonly needs: readonly ConformanceFeature[];
  readonly play: Play;
}

const DISCONNECTED = CHECKLIST.reconnect()[0] as string;
const RECONNECTED = CHECKLIST.reconnect()[1] as string;
const shown = (text: string) => `sendMessageToUser(${text})`;
const messages = (log: readonly string[]) => log.filter((line) => line.startsWith('sendMessageToUser('));

/** The items of `expected` found in `log` in that order: equal to `expected` when `log` has them all in order. */
function inOrder(log: readonly string[], expected: readonly string[]): string[] {
  const found: string[] = [];
  let from = 0;
  for (const line of expected) {
    const index = log.indexOf(line, from);
    if (index < 0) break;
    found.push(line);
    from = index + 1;
  }
  return found;
}

/** A driver method a feature needs, or a clear failure naming what to do. */
function driverMethod<K extends keyof ConformanceDriver>(driver: ConformanceDriver, method: K): NonNullable<ConformanceDriver[K]> {
  const found = driver[method];
  if (typeof found !== 'function') {
    throw new Error(`The conformance driver has no ${String(method)}(): implement it, or list the feature it serves in the harness's \`cannot\` with a reason.`);
  }
  return (found as (...args: never[]) => unknown).bind(driver) as NonNullable<ConformanceDriver[K]>;
}

function expectNothingOpen(chat: ConformanceChat, expect: ConformanceExpect): void {
  expect({ ...chat.driver.open(), deskTimers: chat.timers.live }).toEqual({ listeners: 0, sockets: 0, timers: 0, deskTimers: 0 });
}

/** What Ann says when she joins on a vendor whose join is the agent's first message (`cannot.joinEvent`). */
export const GREETING = "Hi, I'm Ann.";

const joinsWithMessage = (chat: ConformanceChat) => chat.harness.cannot?.joinEvent !== undefined;

/** Ann joins now; where the vendor shows a join only with the agent's first message, she greets too. */
function annJoins(chat: ConformanceChat): void {
  chat.driver.agentJoins(ANN);
  if (joinsWithMessage(chat)) chat.driver.agentSays(GREETING);
}

/** What the host shows when Ann joins (see {@link annJoins}). */
const annJoined = (chat: ConformanceChat) => [...CHECKLIST.firstJoin('Ann'), ...(joinsWithMessage(chat) ? [shown(GREETING)] : [])];

/** The agent messages shown after Ann's join (without her greeting). */
const messagesAfterJoin = (chat: ConformanceChat, log: readonly string[]) => messages(log).slice(joinsWithMessage(chat) ? 1 : 0);

/** Starts the chat at 0 and has Ann join at 100. */
function joined(chat: ConformanceChat): Promise<void> {
  const started = chat.start();
  chat.at(100, () => annJoins(chat));
  return started;
}

/**
 * After a failure at `failedAt`: the chat must have ended (an `agentEndedChat` by then + the retry budget) or
 * recovered (a message the agent says once the budget has passed is shown, the host no longer shows the chat as
 * disconnected, and nothing ended).
 */
function settledWithinBudget(chat: ConformanceChat, failedAt: number): () => string {
  const probeAt = failedAt + RETRY_BUDGET_MS;
  chat.at(probeAt, () => chat.driver.agentSays('are you still there?'));
  return () => {
    const ended = chat.host.callsOf('agentEndedChat')[0];
    if (ended) return ended.at <= probeAt ? 'ended' : `ended too late, at ${ended.at - failedAt} ms after the failure`;
    const log = chat.log();
    const stillDisconnected = log.lastIndexOf(DISCONNECTED) > log.lastIndexOf(RECONNECTED);
    if (log.includes(shown('are you still there?')) && !stillDisconnected) return 'recovered';
    return `stuck (last host calls: ${log.slice(-4).join(', ')})`;
  };
}

const start: readonly Definition[] = [
  {
    name: 'start: the summary reaches the desk and startChat resolves',
    needs: [],
    play: async (chat, expect) => {
      const started = chat.start();
      chat.flush();
      expect(await outcomeOf(started)).toEqual({ state: 'resolved', value: undefined });
      const received = chat.driver.received();
      expect(received.chats).toBe(1);
      expect(received.summary.join('\n')).toContain(SUMMARY);
      expect(received.messages).toEqual([]);
    },
  },
  {
    name: 'queue: the place in the queue shows until the agent joins',
    needs: ['queue'],
    play: async (chat, expect) => {
      const queue = driverMethod(chat.driver, 'queue');
      void chat.start();
      chat.at(100, () => queue(3, 3));
      chat.at(10_000, () => queue(2, 2));
      chat.at(20_000, () => annJoins(chat));
      chat.flush();
      const log = chat.fullLog();
      const expected = [
        'updateAgentAvailability({"message":"You are number 3 in line. The wait is about 3 minutes."})',
        'updateAgentAvailability({"message":"You are number 2 in line. The wait is about 2 minutes."})',
        ...CHECKLIST.firstJoin('Ann'),
      ];
      expect(inOrder(log, expected)).toEqual(expected);
      expect(log.slice(log.indexOf('agentJoined(Ann)')).filter((line) => line.startsWith('updateAgentAvailability'))).toEqual([]);
    },
  },
  {
    name: 'availability: areAnyAgentsOnline answers true when agents are online',
    needs: [],
    play: async (chat, expect) => {
      chat.driver.setAgentsOnline?.(true);
      expect(await availability(chat)).toEqual({ state: 'resolved', value: true });
    },
  },
  {
    name: 'availability: areAnyAgentsOnline answers false when no agent is online',
    needs: ['availability'],
    play: async (chat, expect) => {
      driverMethod(chat.driver, 'setAgentsOnline')(false);
      expect(await availability(chat)).toEqual({ state: 'resolved', value: false });
    },
  },
];

/** Asks `areAnyAgentsOnline`, letting an adapter answer on a promise (microtasks) or in virtual time. */
async function availability(chat: ConformanceChat) {
  const answer = chat.desk.areAnyAgentsOnline({ output: { generic: [{ response_type: 'connect_to_agent' }] } });
  const early = await outcomeOf(answer);
  if (early.state !== 'pending') return early;
  chat.flush();
  return outcomeOf(answer);
}

const agents: readonly Definition[] = [
  {
    name: 'receive: the agent joins, then their messages show in order, each once',
    needs: [],
    play: async (chat, expect) => {
      void joined(chat);
      chat.at(200, () => chat.driver.agentSays('hello'));
      chat.at(300, () => chat.driver.agentSays('how can I help?'));
      chat.flush();
      expect(chat.log()).toEqual([...annJoined(chat), shown('hello'), shown('how can I help?')]);
      const joinedAgent = chat.host.callsOf('agentJoined')[0]?.args[0] as { id?: string } | undefined;
      expect(chat.host.callsOf('sendMessageToUser').map((call) => call.args[1])).toEqual(messages(chat.log()).map(() => joinedAgent?.id));
    },
  },
  {
    name: 'nickname: the join shows the agent by nickname, as a human agent',
    needs: [],
    play: async (chat, expect) => {
      void joined(chat);
      chat.flush();
      expect(chat.host.callsOf('agentJoined')[0]?.args[0]).toMatchObject({ nickname: 'Ann', user_type: 'human' });
    },
  },
  {
    name: 'avatar: the join carries the agent picture',
    needs: ['avatar'],
    play: async (chat, expect) => {
      void joined(chat);
      chat.flush();
      expect(chat.host.callsOf('agentJoined')[0]?.args[0]).toMatchObject({ nickname: 'Ann', profile_picture_url: ANN.avatarUrl });
    },
  },
  {
    name: 'receive: an agent file shows as a link',
    needs: ['agentFiles'],
    play: async (chat, expect) => {
      void joined(chat);
      chat.at(200, () => driverMethod(chat.driver, 'agentSendsFile')('claim-form.pdf', 'https://files.example.invalid/claim-form.pdf'));
      chat.flush();
      const message = chat.host.callsOf('sendMessageToUser').at(-1);
      expect(JSON.stringify(message?.args[0] ?? null)).toContain('https://files.example.invalid/claim-form.pdf');
    },
  },
  {
    name: 'order: an agent message 10 ms before its join event shows the join first, from the sender',
    needs: ['joinEvent'],
    play: async (chat, expect) => messageBeforeJoin(chat, expect, 10),
  },
  {
    name: 'order: an agent message in the same tick before its join event shows the join first, from the sender',
    needs: ['joinEvent'],
    play: async (chat, expect) => messageBeforeJoin(chat, expect, 0),
  },
  {
    name: 'order: a join and a message in the same tick show the join, then the message',
    needs: [],
    play: async (chat, expect) => {
      void chat.start();
      chat.at(100, () => {
        chat.driver.agentJoins(ANN);
        chat.driver.agentSays('hello');
      });
      chat.flush();
      expect(chat.log()).toEqual([...CHECKLIST.firstJoin('Ann'), shown('hello')]);
    },
  },
  {
    name: 'transfer, new agent joins first: begin transfer, then the join; the old agent leaving is not shown',
    needs: ['transferJoinFirst'],
    play: async (chat, expect) => transfer(chat, expect, 'joinFirst'),
  },
  {
    name: 'transfer, old agent leaves first: begin transfer, then the join; the leave is not shown',
    needs: ['transferLeaveFirst'],
    play: async (chat, expect) => transfer(chat, expect, 'leaveFirst'),
  },
  {
    name: 'agent leaves: agentLeftChat, and the user can still write',
    needs: ['agentLeaves'],
    play: async (chat, expect) => {
      void joined(chat);
      chat.at(200, () => driverMethod(chat.driver, 'agentLeaves')());
      chat.at(100_000, () => void chat.send('anyone there?', 'u1'));
      chat.flush();
      expect(chat.log()).toEqual([...annJoined(chat), ...CHECKLIST.agentLeaves()]);
      expect(chat.driver.received().messages).toEqual([{ hostId: 'u1', text: 'anyone there?' }]);
    },
  },
  {
    name: 'agent ends: agentEndedChat, and nothing more',
    needs: [],
    play: async (chat, expect) => {
      void joined(chat);
      chat.at(200, () => chat.driver.agentSays('goodbye'));
      chat.at(300, () => chat.driver.agentEnds());
      chat.flush();
      expect(chat.log()).toEqual([...annJoined(chat), shown('goodbye'), ...CHECKLIST.agentEnds()]);
    },
  },
];

async function messageBeforeJoin(chat: ConformanceChat, expect: ConformanceExpect, gapMs: number): Promise<void> {
  void chat.start();
  chat.at(100, () => driverMethod(chat.driver, 'messageBeforeJoin')(ANN, 'hello', gapMs));
  chat.flush();
  expect(chat.log()).toEqual([...CHECKLIST.firstJoin('Ann'), shown('hello')]);
  const joinedAgent = chat.host.callsOf('agentJoined')[0]?.args[0] as { id?: string } | undefined;
  expect(chat.host.callsOf('sendMessageToUser')[0]?.args[1]).toBe(joinedAgent?.id);
}

async function transfer(chat: ConformanceChat, expect: ConformanceExpect, order: 'joinFirst' | 'leaveFirst'): Promise<void> {
  void joined(chat);
  chat.at(200, () => chat.driver.agentSays('let me find a colleague'));
  chat.at(300, () => driverMethod(chat.driver, 'transfer')(BOB, order));
  chat.at(100_000, () => chat.driver.agentSays('Bob here'));
  chat.flush();
  expect(chat.log()).toEqual([...annJoined(chat), shown('let me find a colleague'), ...CHECKLIST.transfer('Bob'), shown('Bob here')]);
}

const talk: readonly Definition[] = [
  {
    name: 'send: each user message reaches the desk once, with its host id, and its promise resolves',
    needs: [],
    play: async (chat, expect) => {
      void joined(chat);
      let first: Promise<void> | undefined;
      let second: Promise<void> | undefined;
      chat.at(200, () => (first = chat.send('first', 'u1')));
      chat.at(300, () => (second = chat.send('second', 'u2')));
      chat.flush();
      expect(chat.driver.received().messages).toEqual([
        { hostId: 'u1', text: 'first' },
        { hostId: 'u2', text: 'second' },
      ]);
      expect([await outcomeOf(first!), await outcomeOf(second!)]).toEqual([
        { state: 'resolved', value: undefined },
        { state: 'resolved', value: undefined },
      ]);
    },
  },
  {
    name: 'typing: the agent typing shows, then stops',
    needs: ['agentTyping'],
    play: async (chat, expect) => {
      const types = () => driverMethod(chat.driver, 'agentTypes');
      void joined(chat);
      chat.at(200, () => types()(true));
      chat.at(1_200, () => types()(false));
      chat.flush();
      expect(chat.log()).toEqual([...annJoined(chat), ...CHECKLIST.typing()]);
    },
  },
  {
    name: 'typing: the agent typing stops when their message arrives',
    needs: ['agentTyping'],
    play: async (chat, expect) => {
      void joined(chat);
      chat.at(200, () => driverMethod(chat.driver, 'agentTypes')(true));
      chat.at(1_200, () => chat.driver.agentSays('done typing'));
      chat.flush();
      expect(chat.log()).toEqual([...annJoined(chat), ...CHECKLIST.typing(), shown('done typing')]);
    },
  },
  {
    name: 'typing: the user typing reaches the desk, then its stop',
    needs: ['userTyping'],
    play: async (chat, expect) => {
      void joined(chat);
      chat.at(200, () => void chat.desk.userTyping(true));
      chat.at(5_000, () => void chat.desk.userTyping(false));
      chat.flush();
      const typing = chat.driver.received().typing;
      expect([typing[0], typing.at(-1)]).toEqual([true, false]);
    },
  },
  {
    name: "read: the agent reading the user's messages shows as read",
    needs: ['agentRead'],
    play: async (chat, expect) => {
      void joined(chat);
      chat.at(200, () => void chat.send('hello', 'u1'));
      chat.at(300, () => driverMethod(chat.driver, 'agentReads')());
      chat.flush();
      expect(chat.log()).toEqual([...annJoined(chat), 'agentReadMessages']);
    },
  },
  {
    name: "read: the user reading the agent's messages reaches the desk",
    needs: ['userRead'],
    play: async (chat, expect) => {
      void joined(chat);
      chat.at(200, () => chat.driver.agentSays('hello'));
      chat.at(300, () => void chat.desk.userReadMessages());
      chat.flush();
      expect(chat.driver.received().reads).toBeGreaterThan(0);
    },
  },
  {
    name: 'files: a user file reaches the desk and its upload is reported',
    needs: ['userFiles'],
    play: async (chat, expect) => {
      void joined(chat);
      chat.at(200, () => void chat.sendFile('receipt.pdf', 'f1', 'u1'));
      chat.flush();
      expect(chat.log()).toContain('setFileUploadStatus(f1)');
      expect(chat.driver.received().files.map((file) => file.name)).toEqual(['receipt.pdf']);
    },
  },
  {
    name: 'files: a file the desk refuses is reported as failed, with the reason',
    needs: ['userFiles'],
    play: async (chat, expect) => {
      void joined(chat);
      chat.at(200, () => {
        driverMethod(chat.driver, 'refuseNextUpload')('The desk refused this file.');
        void chat.sendFile('receipt.pdf', 'f1', 'u1');
      });
      chat.flush();
      expect(chat.log().find((line) => line.startsWith('setFileUploadStatus(f1'))).toContain('setFileUploadStatus(f1, true, ');
    },
  },
];

const errors: readonly Definition[] = [
  {
    name: 'errors: a message the desk refuses is reported on that message, and its promise rejects',
    needs: ['refuseMessage'],
    play: async (chat, expect) => {
      void joined(chat);
      let sent: Promise<void> | undefined;
      chat.at(200, () => {
        driverMethod(chat.driver, 'refuseNextMessage')('The desk refused this message.');
        sent = chat.send('refuse me', 'u1');
      });
      chat.flush();
      expect((await outcomeOf(sent!)).state).toBe('rejected');
      expect(chat.log().find((line) => line.startsWith('setErrorStatus({"type":3'))).toContain('"messageID":"u1"');
    },
  },
  {
    name: 'errors: a start the desk refuses fails startChat, and nothing stays open',
    needs: ['refuseStart'],
    play: async (chat, expect) => {
      driverMethod(chat.driver, 'refuseNextStart')();
      const started = chat.start();
      chat.flush();
      expect((await outcomeOf(started)).state).toBe('rejected');
      expect(chat.log().filter((line) => line.startsWith('agentJoined'))).toEqual([]);
      expectNothingOpen(chat, expect);
    },
  },
  {
    name: 'errors: a malformed frame is skipped and the chat goes on',
    needs: ['malformedFrames'],
    play: async (chat, expect) => {
      void joined(chat);
      chat.at(200, () => driverMethod(chat.driver, 'malformedFrame')());
      chat.at(300, () => chat.driver.agentSays('still here'));
      chat.flush();
      expect(chat.log()).toEqual([...annJoined(chat), shown('still here')]);
    },
  },
];

const connection: readonly Definition[] = [
  {
    name: 'connection: a drop shows disconnected, then reconnected; messages both ways while down arrive once',
    needs: [],
    play: async (chat, expect) => {
      void joined(chat);
      let sent: Promise<void> | undefined;
      chat.at(200, () => chat.driver.dropConnection());
      chat.at(300, () => (sent = chat.send('typed while down', 'u1')));
      chat.at(400, () => chat.driver.agentSays('said while down'));
      // 5 s: longer than a vendor's own disconnect grace (Twilio 2 s), shorter than the retries (15.5 s).
      chat.at(5_200, () => chat.driver.restoreConnection());
      chat.flush();
      const log = chat.log();
      expect(inOrder(log, [...CHECKLIST.firstJoin('Ann'), DISCONNECTED, RECONNECTED])).toEqual([...CHECKLIST.firstJoin('Ann'), DISCONNECTED, RECONNECTED]);
      expect(messagesAfterJoin(chat, log)).toEqual([shown('said while down')]);
      expect(chat.driver.received().messages).toEqual([{ hostId: 'u1', text: 'typed while down' }]);
      expect(await outcomeOf(sent!)).toEqual({ state: 'resolved', value: undefined });
    },
  },
  {
    name: 'history: a message seen live and again from history after a reconnect shows once',
    needs: [],
    play: async (chat, expect) => {
      void joined(chat);
      chat.at(200, () => chat.driver.agentSays('only once'));
      chat.at(300, () => chat.driver.dropConnection());
      chat.at(1_000, () => chat.driver.restoreConnection({ redeliver: true }));
      chat.at(10_000, () => chat.driver.agentSays('after the drop'));
      chat.flush();
      const log = chat.log();
      expect(messagesAfterJoin(chat, log)).toEqual([shown('only once'), shown('after the drop')]);
      expect(log.filter((line) => line.startsWith('agentJoined'))).toEqual(CHECKLIST.firstJoin('Ann'));
    },
  },
  {
    name: 'exactly once: a message whose answer was lost in a drop reaches the desk once, and its promise resolves',
    needs: ['lostAnswers'],
    play: async (chat, expect) => {
      void joined(chat);
      let sent: Promise<void> | undefined;
      chat.at(200, () => {
        driverMethod(chat.driver, 'loseNextAnswer')();
        sent = chat.send('only once', 'u1');
      });
      chat.flush();
      expect(chat.driver.received().messages).toEqual([{ hostId: 'u1', text: 'only once' }]);
      expect(await outcomeOf(sent!)).toEqual({ state: 'resolved', value: undefined });
    },
  },
  {
    name: 'exactly once: a file whose answer was lost in a drop reaches the desk once',
    needs: ['lostAnswers', 'userFiles'],
    play: async (chat, expect) => {
      void joined(chat);
      chat.at(200, () => {
        driverMethod(chat.driver, 'loseNextAnswer')();
        void chat.sendFile('receipt.pdf', 'f1', 'u1');
      });
      chat.flush();
      expect(chat.driver.received().files.map((file) => file.name)).toEqual(['receipt.pdf']);
      expect(chat.log()).toContain('setFileUploadStatus(f1)');
    },
  },
];

function tokenScenario(refresh: TokenRefresh, name: string, outcomes: readonly string[]): Definition {
  return {
    name,
    needs: ['tokens'],
    play: async (chat, expect) => {
      void joined(chat);
      chat.at(1_000, () => driverMethod(chat.driver, 'expireToken')(refresh));
      const outcome = settledWithinBudget(chat, 1_000);
      chat.flush();
      expect(outcomes).toContain(outcome());
      if (outcome() === 'ended') expectNothingOpen(chat, expect);
    },
  };
}

const tokens: readonly Definition[] = [
  tokenScenario('works', 'token: expired, then refreshed: the chat recovers within the retry budget', ['recovered']),
  tokenScenario('denied', 'token: the refreshed token is denied again: the chat ends within the retry budget', ['ended']),
  tokenScenario('hangs', 'token: a refresh that never settles counts as failed: the chat ends or recovers within the retry budget', ['ended', 'recovered']),
  {
    name: 'connection: closed by the server with no token event: the chat reconnects or ends within the retry budget',
    needs: ['serverClose'],
    play: async (chat, expect) => {
      void joined(chat);
      chat.at(1_000, () => driverMethod(chat.driver, 'serverCloses')());
      const outcome = settledWithinBudget(chat, 1_000);
      chat.flush();
      expect(['ended', 'recovered']).toContain(outcome());
    },
  },
];

/** Saved states no adapter can resume from. */
const BAD_SAVED_STATES: readonly unknown[] = [
  { resume: 'corrupt' },
  { resume: null },
  { resume: [] },
  { resume: { token: 42, lastSeq: 'x' } },
  { resume: { version: 999, session: {} } },
  { resume: { token: '', lastSeq: -1 } },
];

const resume: readonly Definition[] = [
  {
    name: 'resume: after a page reload, reconnect() is true and the transcript goes on without repeats',
    needs: ['resume'],
    play: async (chat, expect) => {
      void joined(chat);
      chat.at(200, () => chat.driver.agentSays('before the reload'));
      let reloaded: ReturnType<ConformanceChat['deskFor']> | undefined;
      let resumed: Promise<boolean> | undefined;
      chat.at(300, () => (reloaded = chat.deskFor(driverMethod(chat.driver, 'reloadPage')(), chat.host.persisted)));
      chat.at(400, () => chat.driver.agentSays('while the page reloads'));
      chat.at(500, () => (resumed = reloaded!.desk.reconnect!()));
      chat.at(10_000, () => chat.driver.agentSays('after the reload'));
      chat.at(10_100, () => void reloaded!.desk.sendMessageToAgent({ input: { text: 'from the new page' } }, 'u9'));
      chat.flush();
      expect(await outcomeOf(resumed!)).toEqual({ state: 'resolved', value: true });
      expect(reloaded!.log().filter((line) => line.startsWith('agentJoined') || line.startsWith('sendMessageToUser'))).toEqual([
        shown('while the page reloads'),
        shown('after the reload'),
      ]);
      const received = chat.driver.received();
      expect(received.chats).toBe(1);
      expect(received.messages).toEqual([{ hostId: 'u9', text: 'from the new page' }]);
    },
  },
  {
    name: 'resume: the agent ended while the page reloaded: the new page shows the end, or reconnect() is false',
    needs: ['resume'],
    play: async (chat, expect) => {
      void joined(chat);
      let reloaded: ReturnType<ConformanceChat['deskFor']> | undefined;
      let resumed: Promise<boolean> | undefined;
      chat.at(200, () => (reloaded = chat.deskFor(driverMethod(chat.driver, 'reloadPage')(), chat.host.persisted)));
      chat.at(300, () => chat.driver.agentEnds());
      chat.at(400, () => (resumed = reloaded!.desk.reconnect!()));
      chat.flush();
      const outcome = await outcomeOf(resumed!);
      const shownThen = reloaded!.log();
      expect({ outcome, shown: shownThen }).toEqual(
        outcome.state === 'resolved' && outcome.value === false
          ? { outcome, shown: [] }
          : { outcome: { state: 'resolved', value: true }, shown: CHECKLIST.agentEnds() },
      );
      expect(chat.driver.received().chats).toBe(1);
    },
  },
  {
    name: 'resume: bad saved state makes reconnect() false and starts no chat at the desk',
    needs: [],
    play: async (chat, expect) => {
      const results = [];
      // A fresh vendor world per state, so that one state's leftovers cannot hide another's.
      for (const [index, saved] of BAD_SAVED_STATES.entries()) {
        const world = index === 0 ? chat : openChat(chat.harness);
        // A desk that cannot resume has no reconnect at all (the host then never asks): that counts as false.
        const { desk } = world.deskFor(world.adapter, saved);
        const resumed = desk.reconnect ? desk.reconnect() : Promise.resolve(false);
        world.flush();
        results.push({ saved, answer: await outcomeOf(resumed), chats: world.driver.received().chats, open: { ...world.driver.open(), deskTimers: world.timers.live } });
      }
      expect(results).toEqual(
        BAD_SAVED_STATES.map((saved) => ({
          saved,
          answer: { state: 'resolved', value: false },
          chats: 0,
          open: { listeners: 0, sockets: 0, timers: 0, deskTimers: 0 },
        })),
      );
    },
  },
];

const cleanup: readonly Definition[] = [
  {
    name: 'cleanup: the user ends: the desk is told, and nothing stays open',
    needs: [],
    play: async (chat, expect) => {
      void joined(chat);
      let ended: Promise<void> | undefined;
      chat.at(200, () => (ended = chat.desk.endChat()));
      chat.flush();
      expect(await outcomeOf(ended!)).toEqual({ state: 'resolved', value: undefined });
      expect(chat.driver.received().userEnded).toBe(true);
      expect(chat.log()).toEqual(annJoined(chat));
      expectNothingOpen(chat, expect);
    },
  },
  {
    name: 'cleanup: the agent ends: nothing stays open',
    needs: [],
    play: async (chat, expect) => {
      void joined(chat);
      chat.at(200, () => chat.driver.agentEnds());
      chat.flush();
      expectNothingOpen(chat, expect);
    },
  },
  {
    name: 'cleanup: the session fails: the chat ends with a notice, and nothing stays open',
    needs: ['sessionFailure'],
    play: async (chat, expect) => {
      void joined(chat);
      chat.at(200, () => driverMethod(chat.driver, 'failSession')());
      chat.flush();
      expect(chat.log().at(-1)).toBe('agentEndedChat');
      expectNothingOpen(chat, expect);
    },
  },
  {
    name: 'cleanup: the user ends while waiting for an agent: the desk is told, and nothing stays open',
    needs: [],
    play: async (chat, expect) => {
      void chat.start();
      chat.at(5_000, () => void chat.desk.endChat());
      chat.flush();
      expect(chat.driver.received().userEnded).toBe(true);
      expect(chat.log()).toEqual([]);
      expectNothingOpen(chat, expect);
    },
  },
  {
    name: 'cleanup: endChat during connect: nothing stays open',
    needs: [],
    play: async (chat, expect) => {
      const started = chat.start();
      const ended = chat.desk.endChat();
      chat.flush();
      expect([await outcomeOf(started), await outcomeOf(ended)]).toEqual([
        { state: 'resolved', value: undefined },
        { state: 'resolved', value: undefined },
      ]);
      expectNothingOpen(chat, expect);
    },
  },
  {
    name: 'cleanup: endChat during a transfer: nothing stays open',
    needs: ['transferLeaveFirst'],
    play: async (chat, expect) => {
      void joined(chat);
      chat.at(200, () => driverMethod(chat.driver, 'transfer')(BOB, 'leaveFirst'));
      chat.at(200 + Math.floor(chat.handoverMs / 2), () => void chat.desk.endChat());
      chat.flush();
      expect(chat.log()).not.toContain('agentJoined(Bob)');
      expectNothingOpen(chat, expect);
    },
  },
];

const GROUPS: readonly (readonly [string, readonly Definition[]])[] = [
  ['start and availability', start],
  ['agents', agents],
  ['messages, typing, read, files', talk],
  ['errors', errors],
  ['connection and history', connection],
  ['tokens', tokens],
  ['resume', resume],
  ['cleanup', cleanup],
];

/**
 * The conformance scenarios for one adapter, as runner-independent functions: each runs one chat in virtual time
 * against the harness's fake vendor and asserts with the `expect` it is given. Scenarios whose feature the
 * harness lists in `cannot` carry the reason in `skipped`.
 *
 * @example
 * for (const scenario of conformanceScenarios(harness)) {
 *   if (!scenario.skipped) await scenario.run(expect);
 * }
 */
export function conformanceScenarios(harness: ConformanceHarness): ConformanceScenario[] {
  return GROUPS.flatMap(([group, definitions]) =>
    definitions.map((definition): ConformanceScenario => {
      const reasons = definition.needs.map((feature) => harness.cannot?.[feature]).filter((reason): reason is string => reason !== undefined);
      return {
        group,
        name: definition.name,
        ...(reasons.length ? { skipped: reasons.join('; ') } : {}),
        run: async (expect) => {
          await definition.play(openChat(harness), expect);
        },
      };
    }),
  );
}

/**
 * Declares the adapter conformance suite with the test runner's `describe`, `it` and `expect` (jest or vitest):
 * one `describe` per adapter, one test per scenario, each named the same for every adapter. A scenario the
 * vendor cannot express is declared with `it.skip`, its title ending in `(skipped: reason)`.
 *
 * @example
 * import { describeAdapterConformance } from 'rx-service-desk/testing';
 *
 * describeAdapterConformance(simulatedDeskHarness, { describe, it, expect });
 */
export function describeAdapterConformance(harness: ConformanceHarness, runner: ConformanceRunner): void {
  const scenarios = conformanceScenarios(harness);
  runner.describe(`${harness.name} conformance`, () => {
    for (const [group] of GROUPS) {
      runner.describe(group, () => {
        for (const scenario of scenarios.filter((entry) => entry.group === group)) {
          if (scenario.skipped) runner.it.skip(`${scenario.name} (skipped: ${scenario.skipped})`, async () => undefined);
          else runner.it(scenario.name, () => scenario.run(runner.expect));
        }
      });
    }
  });
}
