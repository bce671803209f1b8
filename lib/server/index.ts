/**
 * rx-service-desk/server (Node only): the middleware that holds vendor credentials, so the browser never does. It mints
 * per-user Twilio Access Tokens, starts Flex chats, answers availability questions and looks up Genesys agent
 * profiles, behind an identity hook, a CORS allowlist, rate limits and body limits. See docs/server.md.
 */
export { createHandlers, createMiddleware, createServer, validateServerConfig } from './middleware.js';
export type { RateLimitOptions, ServerConfig, ServiceDeskHandlers } from './middleware.js';
export { serverOptionsFromEnv } from './env.js';
export type { ServerOptions } from './env.js';
export type { RequestHandler } from './http.js';
export { HttpError } from './errors.js';
export type { ServerErrorCode } from './errors.js';
export { bearerJwtAuthenticator, visitorIds } from './identity.js';
export type { AnonymousOptions, Authenticate, BearerJwtOptions, Identity, VisitorIds } from './identity.js';
export { VISITOR_HEADER } from '../core/middleware-contract.js';
export type { CorsOptions } from './cors.js';
export { createRateLimiter, memoryRateLimitStore } from './rate-limit.js';
export type { MemoryRateLimitStoreOptions, RateLimitHit, RateLimitStore, RateLimitVerdict, RateLimiterOptions } from './rate-limit.js';
export { createTokenProvider, memoryTokenCache } from './token-cache.js';
export { connectRedis, redisRateLimitStore, redisTokenCache } from './redis.js';
export type { RedisClient, RedisConnection, RedisStoreOptions, RedisTokenCacheOptions } from './redis.js';
export type { CachedToken, TokenCache, TokenProvider, TokenProviderOptions } from './token-cache.js';
export { mintTwilioToken } from './twilio.js';
export type { MintTwilioTokenOptions, TwilioConfig } from './twilio.js';
export type { GenesysAuthCodeConfig, GenesysConfig } from './genesys.js';
export type { AmazonConnectConfig } from './amazon-connect.js';
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
