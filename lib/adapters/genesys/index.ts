/**
 * rx-service-desk/genesys: Genesys Cloud Web Messaging (the guest WebSocket API behind Messenger).
 */
export { genesysWebMessaging } from './adapter.js';
export type { GenesysAvailability, GenesysWebMessagingOptions } from './adapter.js';
export type { GenesysSession } from './port.js';
export type { AgentProfile } from './decode.js';
export type { FetchLike } from './http.js';
export { browserSocketFactory, wsSocketFactory } from './socket.js';
export type { SocketCloseEvent, SocketFactory, SocketMessageEvent, WebSocketLike, WsSocketFactoryOptions, WsWebSocketClass } from './socket.js';
export type {
  WmAttachment,
  WmChannel,
  WmContent,
  WmEvent,
  WmHistoryPage,
  WmInboundFrame,
  WmOutboundFrame,
  WmRecipient,
  WmSessionResponse,
  WmStructuredMessage,
} from './protocol.js';
