/**
 * Genesys Cloud Web Messaging, against the local Web Messaging simulator (`rx-service-desk/simulator/genesys`) on
 * 127.0.0.1, with a small scripted agent: Gina answers the first guest message (Web Messaging has no join event:
 * her first message is the join), types before each answer, hands over to Gus on `transfer` and ends on `end`.
 */
import { startGenesysSimulator } from '../../../lib/simulator/genesys/index.js';
import type { VendorFactory } from './types.js';

/** Timing of the scripted Genesys agent, in ms. */
const TYPING_MS = 900;

export function genesysVendor(): VendorFactory {
  return async ({ log }) => {
    const simulator = await startGenesysSimulator({ host: '127.0.0.1', port: 0, typingDurationMs: 3_000 });
    const timers = new Set<NodeJS.Timeout>();
    const later = (ms: number, action: () => void) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        action();
      }, ms);
      timers.add(timer);
    };
    const joined = new Set<string>();
    const stop = simulator.on('guestMessage', (message) => {
      const text = message.text.trim().toLowerCase();
      if (!joined.has(message.token)) {
        joined.add(message.token);
        later(TYPING_MS, () => simulator.join('Gina', undefined, "Hi, I'm Gina from the Genesys desk. How can I help?"));
        return;
      }
      simulator.typing(TYPING_MS);
      later(TYPING_MS, () => {
        if (text === 'transfer') simulator.transfer('Gus', undefined, "Hi, Gus here. I've got the notes from Gina.");
        else if (text === 'end') {
          simulator.say('Thanks for chatting with us. Goodbye!');
          simulator.end();
        } else simulator.say(`You said "${message.text.slice(0, 80)}". Type "transfer" or "end" to try those.`);
      });
    });
    log(`Genesys Web Messaging simulator: ${simulator.url} (deployment ${simulator.deploymentId})`);
    return {
      client: { deploymentId: simulator.deploymentId, webSocketUrl: simulator.url, apiUrl: simulator.httpUrl },
      connectSrc: [new URL(simulator.url).origin, new URL(simulator.httpUrl).origin],
      async close() {
        stop();
        for (const timer of timers) clearTimeout(timer);
        await simulator.close();
      },
    };
  };
}
