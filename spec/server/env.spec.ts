import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverOptionsFromEnv } from '../../lib/server';
import { SECRETS, SIDS } from './fake-vendors';
import { captureLogs } from './harness';

describe('serverOptionsFromEnv', () => {
  it('reads a full configuration, secrets also from *_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxsd-env-'));
    const secretFile = join(dir, 'genesys-secret');
    writeFileSync(secretFile, `${SECRETS.genesysClientSecret}\n`);
    const { config, port, host } = serverOptionsFromEnv({
      PORT: '9000',
      HOST: '0.0.0.0',
      LOG_LEVEL: 'warn',
      CORS_ORIGINS: 'https://shop.example.com, https://app.example.com',
      SAME_ORIGIN_HOSTS: 'desk.example.com',
      ALLOW_ANONYMOUS: 'true',
      VISITOR_SECRET: SECRETS.visitorSecret,
      AUTH_JWT_SECRET: 'jwt-secret-0123456789abcdef0123456789',
      AUTH_JWT_ISSUER: 'https://shop.example.com',
      AUTH_JWT_AUDIENCE: 'service-desk',
      RATE_LIMIT_MAX: '10',
      RATE_LIMIT_WINDOW_SECONDS: '30',
      TRUST_PROXY_HOPS: '1',
      TWILIO_ACCOUNT_SID: SIDS.account,
      TWILIO_API_KEY_SID: SIDS.apiKey,
      TWILIO_API_KEY_SECRET: SECRETS.twilioApiKeySecret,
      TWILIO_CONVERSATIONS_SERVICE_SID: SIDS.conversationsService,
      TWILIO_CONVERSATIONS_ADDRESS_SID: SIDS.address,
      TWILIO_TOKEN_TTL_SECONDS: '900',
      GENESYS_REGION: 'mypurecloud.ie',
      GENESYS_CLIENT_ID: 'client',
      GENESYS_CLIENT_SECRET_FILE: secretFile,
      GENESYS_QUEUE_ID: '00000000-0000-4000-8000-000000000001',
    });
    expect([port, host]).toStrictEqual([9000, '0.0.0.0']);
    expect(config.cors).toStrictEqual({ origins: ['https://shop.example.com', 'https://app.example.com'], sameOriginHosts: ['desk.example.com'] });
    expect(config.anonymous).toStrictEqual({ secret: SECRETS.visitorSecret, maxAgeSeconds: undefined });
    expect(typeof config.authenticate).toBe('function');
    expect(config.rateLimit).toStrictEqual({ max: 10, windowSeconds: 30 });
    expect(config.trustProxyHops).toBe(1);
    expect(config.twilio).toMatchObject({ tokenTtlSeconds: 900, conversations: { serviceSid: SIDS.conversationsService, addressSid: SIDS.address } });
    expect(config.twilio?.chat).toBeUndefined();
    expect(config.genesys).toMatchObject({ region: 'mypurecloud.ie', clientSecret: SECRETS.genesysClientSecret });
  });

  it('names bad variables without echoing their values', () => {
    const attempt = () =>
      serverOptionsFromEnv({ PORT: 'eighty', LOG_LEVEL: 'loud', ALLOW_ANONYMOUS: 'yes', TWILIO_API_KEY_SECRET: 'never-print-me', REDIS_URL: 'http://:never-print-me@x' });
    expect(attempt).toThrow(/LOG_LEVEL must be one of .* ALLOW_ANONYMOUS needs VISITOR_SECRET\. REDIS_URL must start with redis:\/\/ or rediss:\/\/\. PORT must be a whole number\./);
    expect(attempt).not.toThrow(/never-print-me/);
  });

  it('refuses bearer tokens without issuer and audience unless AUTH_JWT_ANY_ISSUER_AND_AUDIENCE, which warns', () => {
    const jwtSecret = 'jwt-secret-0123456789abcdef0123456789';
    expect(() => serverOptionsFromEnv({ AUTH_JWT_SECRET: jwtSecret, AUTH_JWT_ISSUER: 'https://shop.example.com' })).toThrow(
      'AUTH_JWT_SECRET and AUTH_JWKS_URL need AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE',
    );
    const logs = captureLogs();
    const { config } = serverOptionsFromEnv({ AUTH_JWT_SECRET: jwtSecret, AUTH_JWT_ANY_ISSUER_AND_AUDIENCE: 'true' }, logs.sink);
    expect(typeof config.authenticate).toBe('function');
    expect(logs.lines).toStrictEqual([['warn', expect.stringContaining('accepts tokens of any issuer and audience')]]);
  });

  it('starts quietly with the example configuration and logs through the given sink', () => {
    const logs = captureLogs();
    const { config } = serverOptionsFromEnv({ ALLOW_ANONYMOUS: 'true', VISITOR_SECRET: SECRETS.visitorSecret, CORS_ORIGINS: 'http://localhost:3000' }, logs.sink);
    config.logger?.info('hello', { token: 'x' });
    expect(logs.lines).toStrictEqual([['info', '[rx-service-desk] hello', { token: '[redacted]' }]]);
  });
});
