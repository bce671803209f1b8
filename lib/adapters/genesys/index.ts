/**
 * rx-service-desk/genesys: Genesys Cloud Web Messaging (the guest WebSocket API behind Messenger).
 */
export { genesysWebMessaging } from './adapter.js';
export type { GenesysWebMessagingOptions } from './adapter.js';
export type { GenesysAgentProfile, GenesysAvailability } from '../../core/middleware-contract.js';
export type { GenesysSession } from './port.js';
export type { FetchAnswer, FetchLike } from './http.js';
export { browserSocketFactory, wsSocketFactory } from './socket.js';
export type { SocketCloseEvent, SocketFactory, SocketMessageEvent, WebSocketLike, WsSocketFactoryOptions, WsWebSocketClass } from './socket.js';
export type {
  WmAttachment,
  WmBodies,
  WmClass,
  WmChannel,
  WmContent,
  WmEvent,
  WmHistoryPage,
  WmInboundFrame,
  WmJourneyContext,
  WmJwt,
  WmOutboundFrame,
  WmOutgoingEvent,
  WmOutgoingText,
  WmPresignedUrl,
  WmRecipient,
  WmSessionResponse,
  WmStructuredMessage,
  WmTooManyRequests,
  WmUploadFailure,
  WmUploadSuccess,
} from './protocol.js';
