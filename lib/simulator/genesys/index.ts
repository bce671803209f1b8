/**
 * rx-service-desk/simulator/genesys: a Genesys Cloud Web Messaging simulator on loopback, for tests and demos.
 * Node only; needs the `ws` package (an optional peer dependency).
 */
export { startGenesysSimulator } from './server.js';
export type { GenesysSimulator, GenesysSimulatorOptions } from './server.js';
export type { SimEvents, SimFile, SimGuestMessage } from '../../testing/genesys/desk.js';
