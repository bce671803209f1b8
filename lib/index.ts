/**
 * rx-service-desk: connect a chat widget (watsonx Assistant web chat, Carbon AI Chat) to a human-agent service desk
 * through typed RxJS streams.
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
export { ENGINE_SEEN_LIMIT, createAdapter } from './core/engine/engine.js';
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
export { SAVED_CHAT_VERSION, readSavedChat } from './core/engine/resume.js';
export type { SavedChat } from './core/engine/resume.js';
export { createSeenIds } from './core/engine/seen.js';
export type { SeenIds } from './core/engine/seen.js';
export { inOrder } from './core/engine/ordered.js';
export type { StepEffects } from './core/engine/ordered.js';
export { isType, ofType } from './core/events.js';
export type { Agent, AgentContent, AgentOption, Attachment, Capabilities, DomainEvent, DomainEventType, EventOf, LibraryEvent, ScreenShareAnswer } from './core/events.js';
export { mergeStreams, splitStreams } from './core/streams.js';
export type { DomainStreams } from './core/streams.js';
export { createNormalizer, isWellFormed, normalize } from './core/normalize.js';
export type { NormalizeStart } from './core/normalize.js';
export { runSession, runSessionInto } from './core/session.js';
export type { QueuedMessage, SessionCommands, SessionOptions } from './core/session.js';
export { bind, createBinder } from './core/bind.js';
export type { BindOptions, Binder, Binding } from './core/bind.js';
export { DEFAULT_TEXTS, createHostMapper, toHostCalls } from './core/host-calls.js';
export type { HostCall, HostCallOutcome, HostMethod, UserTexts } from './core/host-calls.js';
export { ServiceDeskError, isRetryable, toServiceDeskError } from './core/errors.js';
export type { ServiceDeskErrorCode, ServiceDeskErrorOptions } from './core/errors.js';
export { createLogger, redact, silentLogger } from './core/logger.js';
export type { LogLevel, LogSink, Logger, LoggerOptions } from './core/logger.js';
export { DEFAULT_RETRY_POLICY, backoffDelay } from './core/backoff.js';
export type { RetryPolicy } from './core/backoff.js';
export { decodeEmitter, fromEmitter } from './core/emitter.js';
export type { Decoders, EmitterLike } from './core/emitter.js';
export { consume, flatScan } from './core/operators.js';
export type { FlatScanStep } from './core/operators.js';
export { acceptsFile, validateUploads } from './core/files.js';
export { detectHost, dialectFor, escapeMarkdown } from './host/dialect.js';
export { chatHistory } from './host/history.js';
export { markReadOnFocus } from './host/read-receipts.js';
export type { FocusTarget } from './host/read-receipts.js';
export { CHAT_CONTEXT_LIMITS, readChatContext } from './host/context.js';
export type { ChatContext, ChatContextSource } from './host/context.js';
export type { ChatHistory, ChatHistoryItem, ChatHistoryOptions, HistoryEventHandler, HistoryEventSource, HistoryStorage } from './host/history.js';
export type { Dialect, HostKind } from './host/dialect.js';
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
