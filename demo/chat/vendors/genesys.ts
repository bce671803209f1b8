/** Genesys Cloud Web Messaging, against the demo server's local Web Messaging simulator. */
import { genesysWebMessaging } from '../../../lib/adapters/genesys/index.js';
import type { ChatVendor } from './types.js';

const text = (value: unknown, name: string): string => {
  if (typeof value !== 'string' || !value) throw new Error(`The demo server sent no ${name} for Genesys.`);
  return value;
};

/**
 * The chat page's Genesys desk: a scripted agent on the server answers (the console drives the simulated desk and
 * Amazon Connect only).
 */
export const genesysChatVendor: ChatVendor = {
  label: 'Genesys Web Messaging (local simulator)',
  hasConsole: false,
  adapter: (settings) =>
    genesysWebMessaging({
      deploymentId: text(settings.deploymentId, 'deployment id'),
      webSocketUrl: text(settings.webSocketUrl, 'socket URL'),
      apiUrl: text(settings.apiUrl, 'API URL'),
      // In production this is the middleware's GET /genesys/availability (agents on queue); the simulator's
      // scripted agent is always there. Carbon connects by itself only when this answers true.
      checkAvailability: async () => ({ online: true }),
    }),
};
