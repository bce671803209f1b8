/**
 * The vendors the chat page can use, by the name the server registers them under (`demo/server/vendors/index.ts`).
 * To add one: write `./NAME.ts` exporting a {@link ChatVendor} and add it here.
 */
import { amazonConnectChatVendor } from './amazon-connect.js';
import { genesysChatVendor } from './genesys.js';
import { simulatedChatVendor } from './simulated.js';
import type { ChatVendor } from './types.js';

/** Vendor name -> browser half. */
export const chatVendors: Readonly<Record<string, ChatVendor>> = {
  simulated: simulatedChatVendor,
  genesys: genesysChatVendor,
  'amazon-connect': amazonConnectChatVendor,
};
