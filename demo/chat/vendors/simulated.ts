/** The simulated desk, reached over the demo server's `/ws/desk` WebSocket. */
import { simulatedDeskOver, webSocketTransport } from '../../../lib/simulator/index.js';
import type { ChatVendor } from './types.js';

/** The chat page's simulated desk: the agent console at `/console` drives it. */
export const simulatedChatVendor: ChatVendor = {
  label: 'Simulated desk',
  hasConsole: true,
  adapter: (settings, origin) => {
    const path = typeof settings.deskPath === 'string' ? settings.deskPath : '/ws/desk';
    const adapter = simulatedDeskOver(webSocketTransport(`${origin.replace(/^http/, 'ws')}${path}`));
    // `?resume=off` plays a desk that cannot resume after a reload: the desk then has no `reconnect`, and Carbon warns
    // that leaving the page ends the chat.
    return new URLSearchParams(location.search).get('resume') === 'off' ? { ...adapter, canResume: false } : adapter;
  },
};
