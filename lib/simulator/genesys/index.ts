/**
 * rx-service-desk/simulator/genesys: a Genesys Cloud Web Messaging simulator on loopback, for tests and demos.
 * Node only; needs the `ws` package (an optional peer dependency).
 */
export { startGenesysSimulator } from './server.js';
export type { GenesysSimulator, GenesysSimulatorOptions, SimEvents, SimFile, SimGuestMessage } from './server.js';
