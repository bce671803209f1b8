/**
 * The simulated desk adapter, a port on the engine. Public entry: `rx-service-desk/simulator`, which also exports
 * the desk itself.
 */
export { decodeDeskFrame, engineTransport, isDeskFrame, readSimulatedSession, simulatedDesk, simulatedDeskPort } from './adapter.js';
export type { SimulatedDeskOptions, SimulatedResumeState } from './adapter.js';
