/** The simulated desk, reached over the demo server's `/ws/desk` WebSocket. */
import { simulatedDesk, webSocketTransport } from '../../../lib/simulator/index.js';
import type { ChatVendor } from './types.js';

/** The chat page's simulated desk: the agent console at `/console` drives it. */
export const simulatedChatVendor: ChatVendor = {
  label: 'Simulated desk',
  hasConsole: true,
  adapter: (settings, origin) => {
    const path = typeof settings.deskPath === 'string' ? settings.deskPath : '/ws/desk';
    return simulatedDesk({ transport: webSocketTransport(`${origin.replace(/^http/, 'ws')}${path}`) });
  },
};
