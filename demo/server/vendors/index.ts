/**
 * The vendors the demo server starts. To add one (Genesys against its local Web Messaging simulator, say): write
 * `./NAME.ts` returning a {@link VendorFactory}, add it here, and add its browser half to `demo/chat/vendors/index.ts`
 * under the same name. `npm start -- --vendor NAME` makes it the default; `?vendor=NAME` picks it per page.
 */
import { amazonConnectVendor } from './amazon-connect.js';
import { genesysVendor } from './genesys.js';
import { simulatedVendor } from './simulated.js';
import type { VendorFactory } from './types.js';

/** Vendor name -> factory. The first one is the default. */
export const serverVendors: Readonly<Record<string, VendorFactory>> = {
  simulated: simulatedVendor(),
  genesys: genesysVendor(),
  'amazon-connect': amazonConnectVendor(),
};
