/** The browser half of a demo vendor (the server half is in `demo/server/vendors/`). */
import type { ServiceDeskAdapter } from '../../../lib/index.js';

/** What the chat page needs to reach one vendor. */
export interface ChatVendor {
  /** Shown on the page. */
  readonly label: string;
  /**
   * A new adapter for one chat widget. `settings` is what the server half put in `client` (in `/config.json`);
   * `origin` is the demo's origin (`http://127.0.0.1:5173`).
   */
  adapter(settings: Readonly<Record<string, unknown>>, origin: string): ServiceDeskAdapter;
  /** Whether the agent console (`/console`) drives this vendor. */
  readonly hasConsole: boolean;
}
