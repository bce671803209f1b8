/**
 * rx-service-desk/client: browser helpers that call the `rx-service-desk/server` middleware (no Node imports). Hand
 * their methods to the adapters as `getSession`, `getToken`, `checkAvailability`, `lookupProfile`.
 */
export { middlewareClient } from './middleware-client.js';
export type { MiddlewareClient, MiddlewareClientOptions } from './middleware-client.js';
export type {
  GenesysAgentProfile,
  GenesysAuthCodeAnswer,
  GenesysAvailabilityAnswer,
  MiddlewareErrorBody,
  TwilioAvailabilityAnswer,
  TwilioChatSessionAnswer,
  TwilioConversationsSessionAnswer,
  TwilioKind,
  TwilioSessionAnswer,
  TwilioSessionBody,
  TwilioTokenAnswer,
} from './contract.js';
