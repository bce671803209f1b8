/**
 * The simulated desk adapter, a port on the engine. Public entry: `rx-service-desk/simulator`, which also exports
 * the desk itself.
 */
export { decodeDeskFrame, isDeskFrame, readSimulatedSession, simulatedDeskOver } from './adapter.js';
export type { SimulatedDeskOptions, SimulatedDeskOverOptions, SimulatedResumeState } from './adapter.js';
export { engineTransport, simulatedDesk, simulatedDeskPort } from './embedded.js';
