import { Subject, startWith } from 'rxjs';
import type { DomainEvent } from '../../lib/core/events';
import {
  RETRY_BUDGET_MS,
  conformanceScenarios,
  describeAdapterConformance,
  ev,
  scriptedAdapter,
  type ConformanceAgent,
  type ConformanceHarness,
  type ConformanceRunner,
} from '../../lib/testing';
import { outcomeOf } from '../../lib/testing/conformance/chat';

/**
 * The smallest vendor the suite can drive: a scripted adapter whose events the driver pushes. `twice` makes it
 * deliver every agent message twice with two ids (a broken vendor), to prove the scenarios can fail.
 * `joinWithFirstMessage` plays a vendor with no join event (Genesys): an agent shows up with their first message.
 */
function scriptedHarness(cannot: ConformanceHarness['cannot'] = {}, { twice = false, joinWithFirstMessage = false } = {}): ConformanceHarness {
  return {
    name: 'scripted',
    cannot,
    create: () => {
      const vendor = new Subject<DomainEvent>();
      let messages = 0;
      let chats = 0;
      let arriving: ConformanceAgent | undefined;
      const adapter = scriptedAdapter({
        events: (request) => {
          if (request.resume === undefined) chats += 1;
          return vendor.pipe(startWith(ev.connected()));
        },
      });
      const say = (text: string) => {
        if (arriving) vendor.next(ev.joined({ ...arriving }));
        arriving = undefined;
        const id = `m${++messages}`;
        vendor.next(ev.message(id, text));
        if (twice) vendor.next(ev.message(`${id}-again`, text));
        return id;
      };
      return {
        adapter,
        driver: {
          agentJoins: (agent) => (joinWithFirstMessage ? (arriving = agent) : vendor.next(ev.joined({ ...agent }))),
          agentSays: say,
          agentEnds: () => vendor.next(ev.ended()),
          dropConnection: () => vendor.next(ev.lost()),
          restoreConnection: () => vendor.next(ev.restored()),
          received: () => ({
            chats,
            summary: adapter.requests.flatMap((request) => request.summary),
            messages: adapter.sent.map((message) => ({ hostId: message.id, text: message.text })),
            files: [],
            typing: adapter.typing,
            reads: adapter.reads,
            userEnded: adapter.ends > 0,
          }),
          open: () => ({ listeners: adapter.live, sockets: adapter.live, timers: 0 }),
        },
      };
    },
  };
}

/** A runner that records what the suite declares instead of running it. */
function recordingRunner() {
  const titles: string[] = [];
  const skipped: string[] = [];
  const path: string[] = [];
  const runner: ConformanceRunner = {
    describe: (name, body) => {
      path.push(name);
      body();
      path.pop();
    },
    it: Object.assign((name: string) => void titles.push([...path, name].join(' > ')), {
      skip: (name: string) => void skipped.push([...path, name].join(' > ')),
    }),
    expect,
  };
  return { runner, titles, skipped };
}

const scenario = (harness: ConformanceHarness, name: string) => {
  const found = conformanceScenarios(harness).find((entry) => entry.name.startsWith(name));
  if (!found) throw new Error(`no scenario "${name}"`);
  return found;
};

describe('describeAdapterConformance', () => {
  it('declares the same scenario names for every adapter; what a vendor cannot express is skipped with its reason', () => {
    const full = recordingRunner();
    const partial = recordingRunner();
    describeAdapterConformance(scriptedHarness(), full.runner);
    describeAdapterConformance(scriptedHarness({ tokens: 'no tokens here' }), partial.runner);

    expect(full.skipped).toEqual([]);
    expect(full.titles).toHaveLength(conformanceScenarios(scriptedHarness()).length);
    expect(partial.skipped).toEqual([
      expect.stringMatching(/^scripted conformance > tokens > token: expired, then refreshed: .* \(skipped: no tokens here\)$/),
      expect.stringMatching(/^scripted conformance > tokens > token: the refreshed token is denied again: .* \(skipped: no tokens here\)$/),
      expect.stringMatching(/^scripted conformance > tokens > token: a refresh that never settles .* \(skipped: no tokens here\)$/),
    ]);
    const names = (titles: string[]) => titles.map((title) => title.replace(/ \(skipped: .*\)$/, '')).sort();
    expect(names([...partial.titles, ...partial.skipped])).toEqual(names(full.titles));
  });

  it('names every checklist area, each scenario once', () => {
    const names = conformanceScenarios(scriptedHarness()).map((entry) => entry.name);
    expect(new Set(names).size).toBe(names.length);
    for (const area of ['start:', 'queue:', 'availability:', 'receive:', 'nickname:', 'avatar:', 'send:', 'transfer, new agent joins first', 'transfer, old agent leaves first', 'typing:', 'read:', 'files:', 'errors:', 'order:', 'history:', 'exactly once:', 'token:', 'resume:', 'cleanup:', 'agent ends:']) {
      expect(names.some((name) => name.startsWith(area))).toBe(true);
    }
  });

  it('runs a scenario with the runner expect it is given, in virtual time', async () => {
    await scenario(scriptedHarness(), 'receive: the agent joins').run(expect);
    await scenario(scriptedHarness(), 'start:').run(expect);
    await scenario(scriptedHarness(), 'send:').run(expect);
  });

  it('fails a scenario when the vendor misbehaves (a message shown twice)', async () => {
    await expect(scenario(scriptedHarness({}, { twice: true }), 'receive: the agent joins').run(expect)).rejects.toThrow(/agentJoined\(Ann\)/);
  });

  it('tells the harness author which driver method is missing, and what to do', async () => {
    await expect(scenario(scriptedHarness(), 'typing: the agent typing shows').run(expect)).rejects.toThrow(
      "The conformance driver has no agentTypes(): implement it, or list the feature it serves in the harness's `cannot` with a reason.",
    );
  });

  it('has the agent greet on joining where the vendor shows a join only with the first message', async () => {
    const genesysLike = scriptedHarness({ joinEvent: 'the first message is the join' }, { joinWithFirstMessage: true });
    await scenario(genesysLike, 'cleanup: the user ends').run(expect);
    await scenario(genesysLike, 'receive: the agent joins').run(expect);
  });

  it('has a retry budget of every retry delay plus every connect timeout', () => {
    expect(RETRY_BUDGET_MS).toBe(500 + 1_000 + 2_000 + 4_000 + 8_000 + 6 * 5_000);
  });
});

describe('outcomeOf', () => {
  it('reads a settled promise, and a promise virtual time never settled as pending', async () => {
    expect(await outcomeOf(Promise.resolve(1))).toEqual({ state: 'resolved', value: 1 });
    expect(await outcomeOf(Promise.reject(new Error('no')))).toEqual({ state: 'rejected', error: new Error('no') });
    expect(await outcomeOf(new Promise(() => undefined))).toEqual({ state: 'pending' });
  });
});
