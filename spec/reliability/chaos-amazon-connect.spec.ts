/**
 * Chaos on Amazon Connect, in virtual time over the participant simulator core and the fake chatjs (the real SDK
 * runs in the smoke spec): 500 agent messages and 500 user messages, interleaved at random, while the network drops
 * (for 0.2 to 3 s: the socket closes and every REST call fails like a failed fetch), the server closes the socket,
 * and answers to user messages are lost after the message reached Connect. Nothing may be lost, duplicated or
 * reordered, in either direction, and nothing may be left open.
 *
 * The seed is in the test name; replay one with CHAOS_SEED=<seed> npx jest spec/reliability/chaos-amazon-connect.
 */
import { CHECKLIST, hostLog, trackingScheduler } from '../../lib/testing';
import { seeded } from '../adapters/genesys/helpers';
import { connectWorld } from '../adapters/amazon-connect/harness';
import { connectMessage, deskOn, virtualTime } from '../support/virtual';
import { textsOf } from './fuzz-support';

const EACH_WAY = 500;
const SEEDS = process.env.CHAOS_SEED ? [Number(process.env.CHAOS_SEED)] : [20250101, 20251125];

describe.each(SEEDS)('Amazon Connect chaos with drops: %i', (seed) => {
  it(`${EACH_WAY} messages each way: none lost, duplicated or reordered`, async () => {
    const random = seeded(seed);
    const clock = virtualTime();
    const timers = trackingScheduler(clock.scheduler);
    const world = connectWorld(clock.scheduler, { historyPageSize: 100, historyMaxPages: 20 });
    const { desk, host } = deskOn(world.adapter, clock.scheduler, {
      scheduler: timers.scheduler,
      retry: { initialDelayMs: 50, maxDelayMs: 400, maxRetries: 100, factor: 2, jitter: 0 },
      sendRetries: 100,
      sendTimeoutMs: 10_000,
    });
    // One flush for the whole run: queue polling would otherwise run the clock to its horizon before the agent joins.
    const started = desk.startChat(connectMessage());
    clock.at(50, () => world.core.join('Ann'));

    const agentTexts: string[] = [];
    const userTexts: string[] = [];
    const delivered: Promise<void>[] = [];
    let drops = 0;
    let down = false;
    let time = 100;
    for (let agent = 0, user = 0; agent < EACH_WAY || user < EACH_WAY; time += 5 + Math.floor(random() * 20)) {
      const agentTurn = user >= EACH_WAY || (agent < EACH_WAY && random() < 0.5);
      if (agentTurn) {
        const text = `a-${agent++}`;
        agentTexts.push(text);
        clock.at(time, () => world.core.say(text));
      } else {
        const text = `u-${user++}`;
        const id = `id-${user}`;
        userTexts.push(text);
        clock.at(time, () => delivered.push(desk.sendMessageToAgent({ input: { text } }, id)));
      }
      const chance = random();
      if (chance < 0.01 && !down) {
        const outage = 200 + Math.floor(random() * 2_800);
        down = true;
        drops += 1;
        clock.at(time, () => world.driver.dropConnection());
        clock.at(time + outage, () => world.driver.restoreConnection());
        clock.at(time + outage, () => {
          down = false;
        });
      } else if (chance < 0.02) {
        drops += 1;
        clock.at(time, () => world.driver.serverCloses?.());
      } else if (chance < 0.03) {
        clock.at(time, () => world.driver.loseNextAnswer?.());
      }
    }
    clock.flush();
    await started;
    await Promise.all(delivered);

    expect(drops).toBeGreaterThan(10);
    // Agent -> customer: every message shown once, in order.
    expect(textsOf(host.calls)).toEqual(agentTexts);
    // Customer -> agent: every message at Connect once, in order, with its host id.
    const received = world.driver.received().messages;
    expect(received.map((message) => message.text)).toEqual(userTexts);
    expect(new Set(received.map((message) => message.hostId)).size).toBe(EACH_WAY);
    // No error status; only lost/restored status lines in pairs, ending with "restored"; one join.
    expect(host.callsOf('setErrorStatus')).toEqual([]);
    const notices = hostLog(host).filter((line) => line.startsWith('notice'));
    const [lost, restored] = CHECKLIST.reconnect();
    expect(notices).toEqual(notices.map((_line, index) => (index % 2 === 0 ? lost : restored)));
    expect(notices.at(-1)).toBe(restored);
    expect(hostLog(host).filter((line) => line.startsWith('agentJoined'))).toEqual(['agentJoined(Ann)']);

    const ended = desk.endChat();
    clock.flush();
    await ended;
    expect(world.driver.open()).toEqual({ listeners: 0, sockets: 0, timers: 0 });
    expect(timers.live).toBe(0);
  });
});
