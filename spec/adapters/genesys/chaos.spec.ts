import { ErrorType } from '../../../lib/host/types';
import { startGenesysSimulator, type GenesysSimulator } from '../../../lib/simulator/genesys';
import { handoff, makeDesk, seeded, settle, shownTexts, waitFor } from './helpers';

// A 500-message exchange over real sockets while the server drops the guest socket at random points: between
// messages, right after accepting a guest message, instead of echoing one (the guest must resend it, and the
// server deduplicates by tracing id), and while the guest fetches the history
// after a reconnect. Nothing may be lost, duplicated or reordered, in either direction.

const SEEDS = [20240601, 7];
const TOTAL = 500;

let sim: GenesysSimulator;

beforeEach(async () => {
  sim = await startGenesysSimulator();
});

afterEach(async () => {
  await sim.close();
});

describe.each(SEEDS)('chaos: 500 messages with random socket drops (seed %i)', (seed) => {
  it('loses, duplicates and reorders nothing', async () => {
    const random = seeded(seed);
    let drops = 0;
    const drop = () => {
      drops += 1;
      sim.drop();
    };
    sim.on('guestMessage', () => random() < 0.05 && drop());
    sim.on('frame', ({ frame }) => (frame as { action?: string }).action === 'getJwt' && random() < 0.2 && drop());

    const test = makeDesk(sim, {
      adapter: { summary: false, heartbeatMs: 2_000 },
      desk: { retry: { initialDelayMs: 5, maxDelayMs: 40, maxRetries: 50, factor: 2, jitter: 0.5 }, random, sendTimeoutMs: 10_000 },
    });
    await test.desk.startChat(handoff());
    sim.join('Ann', undefined, 'a-greeting');

    const agentTexts = ['a-greeting'];
    const userTexts: string[] = [];
    const delivered: Promise<void>[] = [];
    for (let step = 0; step < TOTAL; step += 1) {
      if (random() < 0.5) {
        const text = `a-${step}`;
        agentTexts.push(text);
        sim.say(text);
      } else {
        const text = `u-${step}`;
        userTexts.push(text);
        delivered.push(test.desk.sendMessageToAgent({ input: { text } }, `id-${step}`));
      }
      const chance = random();
      if (chance < 0.03) drop();
      else if (chance < 0.05) sim.dropBeforeNextEcho();
      if (random() < 0.3) await settle(random() < 0.5 ? 0 : 3);
    }

    await Promise.all(delivered);
    await waitFor(() => shownTexts(test.host).length >= agentTexts.length, 'every agent message', 30_000);
    await settle(100);

    expect(drops).toBeGreaterThan(10);
    expect(sim.totalConnections).toBeGreaterThan(10);
    // Agent -> guest: every message shown once, in order.
    expect(shownTexts(test.host)).toEqual(agentTexts);
    // Guest -> agent: every message accepted once, in order.
    expect(sim.guestMessages.map((message) => message.text)).toEqual(userTexts);
    // No failed user message and no CONNECTING error: only DISCONNECTED on/off pairs.
    const errors = test.host.callsOf('setErrorStatus').map((call) => call.args[0] as { type: number; isDisconnected?: boolean });
    expect(errors.filter((error) => error.type !== ErrorType.DISCONNECTED)).toEqual([]);
    expect(errors.at(-1)).toEqual({ type: ErrorType.DISCONNECTED, isDisconnected: false });
    expect(test.host.callsOf('agentJoined')).toHaveLength(1);

    await test.desk.endChat();
    await waitFor(() => sim.connections === 0, 'the socket to close');
    await settle(20);
    expect(test.timers.live).toBe(0);
  }, 60_000);
});
