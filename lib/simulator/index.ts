/**
 * rx-service-desk/simulator: the simulated service desk, the embedded default of the demo and the tests.
 */
export {
  decodeDeskFrame,
  engineTransport,
  isDeskFrame,
  readSimulatedSession,
  simulatedDesk,
  simulatedDeskOver,
  simulatedDeskPort,
} from '../adapters/simulated/index.js';
export type { SimulatedDeskOptions, SimulatedDeskOverOptions, SimulatedResumeState } from '../adapters/simulated/index.js';
export { DEFAULT_AGENTS, DEFAULT_LIMITS, DEFAULT_TIMING, SimulatedDeskEngine } from './engine.js';
export type { ConversationChange, ConversationSnapshot, EngineOptions, EngineTiming, TranscriptEntry } from './engine.js';
export { webSocketTransport } from './websocket-transport.js';
export type { WebSocketTransportOptions } from './websocket-transport.js';
export type { SocketCloseEvent, SocketMessageEvent, WebSocketLike } from '../core/web-socket.js';
export type {
  ClientFrame,
  DeskFrame,
  HistoryFrame,
  SimAgent,
  SimAttachment,
  SimContent,
  SimScreenShareAnswer,
  SimulatorTransport,
  TransportConnection,
  TransportHandlers,
} from './protocol.js';
