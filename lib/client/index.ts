/**
 * rx-service-desk/client: browser helpers that call the `rx-service-desk/server` middleware (no Node imports). Hand
 * their methods to the adapters as `getSession`, `getToken`, `checkAvailability`, `lookupProfile`.
 */
export { middlewareClient } from './middleware-client.js';
export type { MiddlewareClient, MiddlewareClientOptions } from './middleware-client.js';
export { VISITOR_HEADER } from '../core/middleware-contract.js';
export type {
  AmazonConnectAvailability,
  AmazonConnectChat,
  GenesysAgentProfile,
  GenesysAuthCode,
  GenesysAvailability,
  MiddlewareErrorBody,
  TwilioAvailability,
  TwilioKind,
  TwilioSession,
  TwilioSessionBody,
  TwilioToken,
} from '../core/middleware-contract.js';
