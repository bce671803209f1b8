/**
 * rx-service-desk/simulator/amazon-connect: an Amazon Connect participant-service simulator, as a transport-free core
 * (virtual time, for the conformance suite) and a loopback HTTP + WebSocket shell (for the real SDK and demos).
 */
export { connectSimulatorCore } from './core.js';
export type {
  ConnectApiResult,
  ConnectSimEvents,
  ConnectSimFile,
  ConnectSimulatorCore,
  ConnectSimulatorCoreOptions,
  ConnectSocketClient,
  ConnectSocketPeer,
} from './core.js';
export { startConnectSimulator } from './server.js';
export type { ConnectSimulator, ConnectSimulatorOptions } from './server.js';
