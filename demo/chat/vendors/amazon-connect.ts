/**
 * Amazon Connect Chat: the REAL `amazon-connect-chatjs` in the browser, against the demo server's local participant
 * simulator. The demo server plays the middleware (`POST /amazon-connect/chat`, StartChatContact).
 */
import 'amazon-connect-chatjs';
import { amazonConnect, type ChatJs } from '../../../lib/adapters/amazon-connect/index.js';
import type { ChatVendor } from './types.js';

/** The part of `window.connect` the page sets up: `endpoint` is read by chatjs 5.0.0 but missing from its .d.ts. */
interface ChatJsGlobal extends ChatJs {
  readonly ChatSession: ChatJs['ChatSession'] & { setGlobalConfig(config: { endpoint: string; region: string }): void };
}

const text = (value: unknown, name: string): string => {
  if (typeof value !== 'string' || !value) throw new Error(`The demo server sent no ${name} for Amazon Connect.`);
  return value;
};

/** The chat page's Amazon Connect desk: a person answers from the agent console (`/console`). */
export const amazonConnectChatVendor: ChatVendor = {
  label: 'Amazon Connect Chat (local simulator)',
  hasConsole: true,
  adapter: (settings, origin) => {
    const region = text(settings.region, 'region');
    const chatPath = text(settings.chatPath, 'chat path');
    const chatjs = (window as unknown as { connect: ChatJsGlobal }).connect;
    chatjs.ChatSession.setGlobalConfig({ endpoint: text(settings.endpoint, 'simulator endpoint'), region });
    return amazonConnect({
      chatjs,
      region,
      // In production this is the middleware's POST /amazon-connect/chat (rx-service-desk/server), which calls
      // StartChatContact with the AWS SDK; here the demo server answers it from the simulator.
      startChat: async ({ initialMessage }) => {
        const response = await fetch(`${origin}${chatPath}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(initialMessage === undefined ? {} : { initialMessage }),
        });
        if (!response.ok) throw new Error(`The demo server could not start an Amazon Connect chat (HTTP ${response.status}).`);
        return (await response.json()) as { contactId: string; participantId: string; participantToken: string };
      },
      // In production: the middleware's GET /amazon-connect/availability. The console's agents are always there.
      checkAvailability: async () => ({ online: true }),
    });
  },
};
