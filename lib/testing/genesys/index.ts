/**
 * rx-service-desk/testing/genesys: a Genesys Cloud Web Messaging desk without sockets, and in-memory sockets and
 * fetch that run the real `rx-service-desk/genesys` adapter against it on an injected (virtual-time) scheduler.
 */
export { fakeGenesysDesk } from './desk.js';
export type {
  DeskHttpRequest,
  DeskHttpResponse,
  GenesysAgentControls,
  GenesysDesk,
  GenesysDeskOptions,
  GuestConnection,
  GuestLink,
  SimEvents,
  SimFile,
  SimGuestMessage,
} from './desk.js';
export { InMemoryGuestSocket, inMemoryGenesys } from './in-memory.js';
export type { InMemoryGenesys, InMemoryGenesysOptions } from './in-memory.js';
