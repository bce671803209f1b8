/**
 * rx-service-desk/testing: the fakes, recorders and marble helpers our own specs use, for yours.
 */
export { recordingCallback } from './recording-callback.js';
export type { RecordedCall, RecordingCallback, RecordingCallbackOptions } from './recording-callback.js';
export type { HostMethod } from '../core/host-calls.js';
export { FakeEmitter } from './fake-emitter.js';
export { ev, scriptedAdapter, silentVendor } from './scripted-adapter.js';
export type { ScriptedAdapter, ScriptedAdapterOptions } from './scripted-adapter.js';
export { FakeWebSocket, fakeSocketFactory } from './fake-web-socket.js';
export type { FakeSocketFactory } from './fake-web-socket.js';
export type { SocketListener } from './socket-listeners.js';
export { trackingScheduler } from './tracking-scheduler.js';
export type { TrackingScheduler } from './tracking-scheduler.js';
export { BOOKKEEPING_CALLS, CHECKLIST, describeHostCall, hostLog } from './checklist.js';
export { VirtualPromise, settleAfter } from './virtual-promise.js';
export type { FakeTiming } from './virtual-promise.js';
export type {
  ConformanceAgent,
  ConformanceContext,
  ConformanceDriver,
  ConformanceExpect,
  ConformanceFeature,
  ConformanceHarness,
  ConformanceIt,
  ConformanceMatchers,
  ConformanceRunner,
  ConformanceWorld,
  DeskReceived,
  OpenResources,
  ReceivedFile,
  ReceivedMessage,
  TokenRefresh,
  TransferOrder,
} from './conformance/harness.js';
export { CONFORMANCE_AGENTS, GREETING, conformanceScenarios, describeAdapterConformance } from './conformance/suite.js';
export type { ConformanceScenario } from './conformance/suite.js';
export { CONFORMANCE_CONNECT_TIMEOUT_MS, CONFORMANCE_RETRY, RETRY_BUDGET_MS, SUMMARY } from './conformance/chat.js';
