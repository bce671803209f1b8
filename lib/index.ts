/**
 * rx-service-desk: connect a chat widget (watsonx Assistant web chat, Carbon AI Chat) to a human-agent service desk
 * through typed RxJS streams.
 *
 * This entry is the reviewed public API (api/index.api.md): the desk factory, the adapter contract (the engine's
 * port and `createAdapter`), events and streams, errors and the logger, and the host's types. The plumbing behind
 * them (operators, the binder, the normaliser, the engine's internals) is not exported: import nothing from
 * `rx-service-desk/dist/...`.
 */
export { createServiceDesk, serviceDeskFactory } from './core/desk.js';
export type { HostServiceDeskConfig, ReadReceiptPolicy, RxServiceDesk, ServiceDeskOptions } from './core/desk.js';
export type {
  AdapterSession,
  AvailabilityRequest,
  OutgoingFile,
  OutgoingMessage,
  ServiceDeskAdapter,
  SessionRequest,
} from './core/adapter.js';
export { createAdapter } from './core/engine/engine.js';
export type {
  AdapterEvent,
  AdapterEventType,
  AdapterPort,
  AgentRef,
  AvailabilityQuery,
  AvailabilityStatus,
  CommonAdapterOptions,
  HistoryPage,
  HistoryRequest,
  PortRequest,
  PortSession,
  ShownMessage,
} from './core/engine/port.js';
export { isType, ofType } from './core/events.js';
export type { Agent, AgentContent, AgentOption, Attachment, Capabilities, DomainEvent, DomainEventType, EventOf, LibraryEvent, ScreenShareAnswer } from './core/events.js';
export type { DomainStreams } from './core/streams.js';
export { DEFAULT_TEXTS } from './core/host-calls.js';
export type { UserTexts } from './core/host-calls.js';
export { ServiceDeskError, isRetryable, toServiceDeskError } from './core/errors.js';
export type { ServiceDeskErrorCode, ServiceDeskErrorOptions } from './core/errors.js';
export { createLogger, silentLogger } from './core/logger.js';
export type { LogLevel, LogSink, Logger, LoggerOptions } from './core/logger.js';
export { DEFAULT_RETRY_POLICY } from './core/backoff.js';
export type { RetryPolicy } from './core/backoff.js';
export { decodeEmitter, fromEmitter } from './core/emitter.js';
export type { Decoders, EmitterLike, EmitterListener } from './core/emitter.js';
export type { HostKind } from './host/dialect.js';
export { chatHistory } from './host/history.js';
export type { ChatHistory, ChatHistoryItem, ChatHistoryOptions, HistoryEventHandler, HistoryEventSource, HistoryStorage } from './host/history.js';
export { markReadOnFocus } from './host/read-receipts.js';
export type { FocusTarget } from './host/read-receipts.js';
export type { ChatContext } from './host/context.js';
export { ErrorType } from './host/types.js';
export type {
  AdditionalDataToAgent,
  CarbonAgentAvailability,
  ConnectingErrorInfo,
  DisconnectedErrorInfo,
  EndChatInfo,
  HostAgentProfile,
  HostCallback,
  HostCapabilities,
  HostFileUpload,
  HostGenericItem,
  HostMessageRequest,
  HostMessageResponse,
  HostState,
  HostTransferInfo,
  ServiceDesk,
  ServiceDeskErrorInfo,
  ServiceDeskFactoryParameters,
  StartChatOptions,
  UserMessageErrorInfo,
  WatsonxAgentAvailability,
} from './host/types.js';
