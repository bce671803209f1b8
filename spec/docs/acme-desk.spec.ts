/**
 * The complete adapter of docs/writing-an-adapter.md (docs/examples/acme-desk.ts): the doc shows the file as it is,
 * and the file passes the conformance suite on an in-memory Acme desk (./fake-acme.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { acmeDesk, decodeAcme } from '../../docs/examples/acme-desk';
import { describeAdapterConformance, settleAfter, type ConformanceHarness } from '../../lib/testing';
import { FakeAcme } from './fake-acme';

const root = join(__dirname, '..', '..');

describe('docs/writing-an-adapter.md', () => {
  it('shows docs/examples/acme-desk.ts as it is', () => {
    const doc = readFileSync(join(root, 'docs', 'writing-an-adapter.md'), 'utf8');
    const file = readFileSync(join(root, 'docs', 'examples', 'acme-desk.ts'), 'utf8');
    const block = /<!-- example: docs\/examples\/acme-desk\.ts -->\n```ts\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(block).toBe(file);
  });
});

describe('decodeAcme', () => {
  it('decodes what the desk sends, and malformed frames to nothing', () => {
    expect(decodeAcme({ t: 'msg', id: 'a1', seq: 3, from: 'agent-ann', text: 'hi' })).toEqual([{ type: 'agentMessage', id: 'a1', agentId: 'agent-ann', text: 'hi', index: 3 }]);
    expect(decodeAcme({ t: 'msg', id: 'u1', from: 'user', ref: 'host-1', text: 'hello' })).toEqual([{ type: 'userMessageSeen', messageId: 'host-1' }]);
    for (const frame of [null, 'msg', { t: 'msg', id: 42 }, { t: 'join', agent: null }, { t: 'queue', position: '2' }, { t: 'nope' }]) {
      expect(decodeAcme(frame)).toEqual([]);
    }
  });
});

const HANDOVER_MS = 1_000;

const acmeHarness: ConformanceHarness = {
  name: 'Acme desk (docs example)',
  handoverMs: HANDOVER_MS,
  cannot: {
    agentFiles: 'Acme agents send text only',
    userFiles: 'Acme takes no files',
    agentRead: 'Acme has no read receipts',
    userRead: 'Acme has no read receipts',
    tokens: 'Acme sockets need no token',
  },
  create: ({ scheduler }) => {
    const acme = new FakeAcme(scheduler);
    let page = 1;
    const adapterFor = (n: number) => acmeDesk({ api: acme.api(n), checkAvailability: () => settleAfter({ scheduler }, () => ({ online: acme.online })) });
    return {
      adapter: adapterFor(page),
      driver: {
        agentJoins: (agent) => acme.join(agent),
        agentSays: (text) => acme.say(text),
        agentTypes: (on) => acme.push({ t: 'typing', on }),
        transfer: (to, order) => {
          if (order === 'joinFirst') {
            const from = acme.chat.agent;
            acme.join(to);
            acme.leave(from);
            return;
          }
          acme.leave();
          scheduler.schedule(() => acme.join(to), HANDOVER_MS);
        },
        agentLeaves: () => acme.leave(),
        agentEnds: () => acme.end(),
        messageBeforeJoin: (agent, text, gapMs) => {
          acme.say(text, agent);
          acme.join(agent, 1 + gapMs);
        },
        queue: (position, waitMinutes) => acme.push({ t: 'queue', position, waitMinutes }),
        setAgentsOnline: (online) => (acme.online = online),
        dropConnection: () => acme.drop(),
        restoreConnection: (options) => acme.restore(options?.redeliver === true),
        serverCloses: () => acme.serverCloses(),
        malformedFrame: () => acme.push({ t: 'msg', id: 42, text: null }),
        loseNextAnswer: () => acme.loseNextAnswer(),
        refuseNextMessage: (reason) => acme.refuseNextMessage(reason),
        refuseNextStart: () => acme.refuseNextStart(),
        failSession: () => acme.failSession(),
        reloadPage: () => {
          acme.cut(page);
          page += 1;
          return adapterFor(page);
        },
        received: () => acme.received(),
        open: () => ({ listeners: acme.openSockets(), sockets: acme.openSockets(), timers: 0 }),
      },
    };
  },
};

describeAdapterConformance(acmeHarness, { describe, it, expect });
