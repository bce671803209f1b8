/**
 * rx-service-desk/amazon-connect: Amazon Connect Chat for the customer, over `amazon-connect-chatjs` (an optional
 * peer dependency you pass in). Start chats with `POST /amazon-connect/chat` of `rx-service-desk/server`.
 */
export { amazonConnect } from './adapter.js';
export type { AmazonConnectOptions, ConnectSession } from './adapter.js';
export type { AmazonConnectAvailability, AmazonConnectChat } from '../../core/middleware-contract.js';
export type { ChatJs, ChatJsCustomerSession, ChatJsDetails, ChatJsEvent } from './types.js';
export { decodeConnectItem, isConnectItem } from './decode.js';
export type { Decoded } from './decode.js';
export { CONNECT_EVENT } from './protocol.js';
export type { ConnectAttachment, ConnectItem, ConnectReceipt, ConnectRole } from './protocol.js';
