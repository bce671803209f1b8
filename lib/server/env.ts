import { readFileSync } from 'node:fs';
import { ServiceDeskError } from '../core/errors.js';
import { amazonConnectFromEnv } from './amazon-connect.js';
import { createLogger, type LogLevel, type LogSink } from '../core/logger.js';
import type { GenesysConfig } from './genesys.js';
import { bearerJwtAuthenticator } from './identity.js';
import { lazyRedis, redisRateLimitStore, redisTokenCache, type RedisClient } from './redis.js';
import type { ServerConfig } from './middleware.js';
import type { TwilioConfig } from './twilio.js';

/** What {@link serverOptionsFromEnv} reads: the config plus where to listen. */
export interface ServerOptions {
  readonly config: ServerConfig;
  readonly port: number;
  readonly host: string;
  /** The Redis connection when `REDIS_URL` is set (it connects on first use): `quit()` it when stopping. */
  readonly redis?: RedisClient & { quit(): Promise<void> };
}

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

/**
 * Builds the middleware configuration from environment variables (the names are listed, with comments, in
 * `.env.example`). Every secret may also be given as a file path in `<NAME>_FILE` (Docker and Kubernetes secrets).
 * Throws a `CONFIG` {@link ServiceDeskError} naming each bad variable, never its value.
 *
 * @example
 * const { config, port, host } = serverOptionsFromEnv(process.env);
 * createServer(config).listen(port, host);
 */
export function serverOptionsFromEnv(env: Readonly<Record<string, string | undefined>>, sink?: LogSink): ServerOptions {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const secret = (name: string): string | undefined => {
    const direct = text(name);
    const file = text(`${name}_FILE`);
    if (direct !== undefined || file === undefined) return direct;
    try {
      return readFileSync(file, 'utf8').trim();
    } catch {
      problems.push(`${name}_FILE: cannot read the file it names.`);
      return undefined;
    }
  };
  const int = (name: string): number | undefined => {
    const value = text(name);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) {
      problems.push(`${name} must be a whole number.`);
      return undefined;
    }
    return Number(value);
  };
  const flag = (name: string): boolean => /^(1|true|yes|on)$/i.test(text(name) ?? '');
  const list = (name: string): string[] => (text(name) ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');

  const level = (text('LOG_LEVEL') ?? 'info') as LogLevel;
  if (!LEVELS.includes(level)) problems.push(`LOG_LEVEL must be one of ${LEVELS.join(', ')}.`);
  const logger = createLogger({ level: LEVELS.includes(level) ? level : 'info', ...(sink === undefined ? {} : { sink }) });

  const jwtSecret = secret('AUTH_JWT_SECRET');
  const jwksUrl = text('AUTH_JWKS_URL');
  const jwt = {
    issuer: text('AUTH_JWT_ISSUER'),
    audience: text('AUTH_JWT_AUDIENCE'),
    anyIssuerAndAudience: flag('AUTH_JWT_ANY_ISSUER_AND_AUDIENCE'),
    maxTokenAgeSeconds: int('AUTH_JWT_MAX_AGE_SECONDS'),
  };
  const useJwt = (jwtSecret === undefined) !== (jwksUrl === undefined);
  if (useJwt && !jwt.anyIssuerAndAudience && (jwt.issuer === undefined || jwt.audience === undefined)) {
    problems.push('AUTH_JWT_SECRET and AUTH_JWKS_URL need AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE (or AUTH_JWT_ANY_ISSUER_AND_AUDIENCE=true to accept tokens for any application).');
  }
  const authenticate =
    !useJwt || problems.length > 0
      ? undefined
      : bearerJwtAuthenticator({ ...(jwtSecret === undefined ? { jwksUrl } : { secret: jwtSecret }), ...jwt, logger });
  if (jwtSecret !== undefined && jwksUrl !== undefined) problems.push('Set AUTH_JWT_SECRET or AUTH_JWKS_URL, not both.');
  const visitorSecret = secret('VISITOR_SECRET');
  if (flag('ALLOW_ANONYMOUS') && visitorSecret === undefined) problems.push('ALLOW_ANONYMOUS needs VISITOR_SECRET.');
  const anonymous = flag('ALLOW_ANONYMOUS') && visitorSecret !== undefined ? { secret: visitorSecret, maxAgeSeconds: int('VISITOR_MAX_AGE_SECONDS') } : undefined;

  const redisUrl = secret('REDIS_URL');
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) problems.push('REDIS_URL must start with redis:// or rediss://.');
  const redis = redisUrl === undefined || problems.length > 0 ? undefined : lazyRedis(redisUrl, logger);
  const twilio = text('TWILIO_ACCOUNT_SID') === undefined ? undefined : twilioFromEnv(text, secret, int);
  const genesysSettings = text('GENESYS_CLIENT_ID') === undefined ? undefined : genesysFromEnv(text, secret, int);
  const genesys =
    genesysSettings === undefined || redis === undefined ? genesysSettings : { ...genesysSettings, tokenCache: redisTokenCache({ client: redis, logger }) };
  const amazonConnect = amazonConnectFromEnv(text);

  const max = int('RATE_LIMIT_MAX');
  const port = int('PORT') ?? 8787;
  if (problems.length > 0) throw new ServiceDeskError('CONFIG', `Invalid environment: ${problems.join(' ')}`);
  const config: ServerConfig = {
    ...(authenticate === undefined ? {} : { authenticate }),
    ...(anonymous === undefined ? {} : { anonymous }),
    cors: { origins: list('CORS_ORIGINS'), sameOriginHosts: list('SAME_ORIGIN_HOSTS') },
    rateLimit:
      max === 0
        ? false
        : {
            max,
            windowSeconds: int('RATE_LIMIT_WINDOW_SECONDS'),
            ...(redis === undefined ? {} : { store: redisRateLimitStore({ client: redis, logger }) }),
          },
    bodyLimitBytes: int('BODY_LIMIT_BYTES'),
    upstreamTimeoutMs: int('UPSTREAM_TIMEOUT_MS'),
    trustProxyHops: int('TRUST_PROXY_HOPS'),
    basePath: text('BASE_PATH'),
    ...(twilio === undefined ? {} : { twilio }),
    ...(genesys === undefined ? {} : { genesys }),
    ...(amazonConnect === undefined ? {} : { amazonConnect }),
    logger,
  };
  return { config, port, host: text('HOST') ?? '127.0.0.1', ...(redis === undefined ? {} : { redis }) };
}

type Read = (name: string) => string | undefined;
type ReadInt = (name: string) => number | undefined;

function twilioFromEnv(text: Read, secret: Read, int: ReadInt): TwilioConfig {
  const chatService = text('TWILIO_CHAT_SERVICE_SID');
  const flexFlow = text('TWILIO_FLEX_FLOW_SID');
  const conversationsService = text('TWILIO_CONVERSATIONS_SERVICE_SID');
  const address = text('TWILIO_CONVERSATIONS_ADDRESS_SID');
  const workspace = text('TWILIO_WORKSPACE_SID');
  return {
    accountSid: text('TWILIO_ACCOUNT_SID') ?? '',
    authToken: secret('TWILIO_AUTH_TOKEN'),
    apiKeySid: text('TWILIO_API_KEY_SID') ?? '',
    apiKeySecret: secret('TWILIO_API_KEY_SECRET') ?? '',
    tokenTtlSeconds: int('TWILIO_TOKEN_TTL_SECONDS'),
    ...(chatService === undefined && flexFlow === undefined ? {} : { chat: { serviceSid: chatService ?? '', flexFlowSid: flexFlow ?? '' } }),
    ...(conversationsService === undefined && address === undefined
      ? {}
      : { conversations: { serviceSid: conversationsService ?? '', addressSid: address ?? '' } }),
    ...(workspace === undefined
      ? {}
      : {
          taskRouter: {
            workspaceSid: workspace,
            taskQueueSid: text('TWILIO_TASK_QUEUE_SID') ?? '',
            statisticsMinutes: int('TWILIO_STATISTICS_MINUTES'),
          },
        }),
    flexApiUrl: text('TWILIO_FLEX_API_URL'),
    taskRouterUrl: text('TWILIO_TASKROUTER_URL'),
  };
}

function genesysFromEnv(text: Read, secret: Read, int: ReadInt): GenesysConfig {
  const codeSecret = secret('GENESYS_AUTH_CODE_SECRET');
  const codeKey = secret('GENESYS_AUTH_CODE_PRIVATE_KEY');
  return {
    region: text('GENESYS_REGION'),
    loginUrl: text('GENESYS_LOGIN_URL'),
    apiUrl: text('GENESYS_API_URL'),
    clientId: text('GENESYS_CLIENT_ID') ?? '',
    clientSecret: secret('GENESYS_CLIENT_SECRET') ?? '',
    queueId: text('GENESYS_QUEUE_ID'),
    mediaType: text('GENESYS_MEDIA_TYPE'),
    ...(codeSecret === undefined && codeKey === undefined
      ? {}
      : {
          authCode: {
            secret: codeSecret,
            privateKey: codeKey?.replace(/\\n/g, '\n'),
            keyId: text('GENESYS_AUTH_CODE_KEY_ID'),
            issuer: text('GENESYS_AUTH_CODE_ISSUER') ?? '',
            audience: text('GENESYS_AUTH_CODE_AUDIENCE') ?? '',
            ttlSeconds: int('GENESYS_AUTH_CODE_TTL_SECONDS'),
          },
        }),
  };
}
