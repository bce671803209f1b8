import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { createLogger, type Logger } from '../core/logger.js';

/** Who is asking: the signed-in user of the host application, or a signed anonymous visitor. */
export interface Identity {
  /** Stable id, used as the vendor identity (Twilio `identity`, Genesys JWT `sub`). At most 256 characters. */
  readonly id: string;
  /** Display name for the agent, when the host knows it. */
  readonly name?: string;
  /** `true` for a visitor the middleware made up (only when `anonymous` is configured). */
  readonly anonymous?: boolean;
}

/**
 * Tells who sent a request, from the host application's own session (a cookie, a bearer token): an {@link Identity},
 * or `null`/`undefined` when nobody is signed in. Throwing counts as "nobody" (the error is logged).
 */
export type Authenticate = (req: IncomingMessage) => Identity | null | undefined | Promise<Identity | null | undefined>;

/** Options for anonymous visitors. Without them, every endpoint but `/healthz` needs `authenticate` to name someone. */
export interface AnonymousOptions {
  /** HMAC key signing visitor ids: at least 32 characters, from the environment. */
  readonly secret: string;
  /** How long a visitor id stays valid. Default 86 400 (a day). */
  readonly maxAgeSeconds?: number;
}

const IDENTITY = /^[A-Za-z0-9_.@:+\-]{1,256}$/;

/**
 * Checks an identity from an {@link Authenticate} hook: a non-empty id of at most 256 safe characters (letters,
 * digits, `_ . @ : + -`) and an optional name of at most 100 printable characters.
 *
 * @example
 * isValidIdentity({ id: 'user-42', name: 'Ada' }); // true
 */
export function isValidIdentity(value: unknown): value is Identity {
  if (value === null || typeof value !== 'object') return false;
  const { id, name } = value as { id?: unknown; name?: unknown };
  return typeof id === 'string' && IDENTITY.test(id) && (name === undefined || isDisplayName(name));
}

/**
 * Whether a value is a display name we pass on to a vendor: 1-100 characters, no control characters.
 *
 * @example
 * isDisplayName('Ada Lovelace'); // true
 */
export function isDisplayName(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '' && value.length <= 100 && !/[\u0000-\u001f\u007f]/.test(value);
}

/** Signs and checks anonymous visitor ids. */
export interface VisitorIds {
  /** A new random visitor: its id and the signed token the browser sends back in `X-Visitor-Token`. */
  issue(now: number): { readonly id: string; readonly token: string };
  /** The visitor id of a valid, unexpired token; `null` otherwise. */
  verify(token: string, now: number): string | null;
}

/**
 * Creates the signer for anonymous visitor ids: `visitor-<random>`, carried as `<id>.<issued-at>.<HMAC-SHA256>`.
 *
 * @example
 * const visitors = visitorIds({ secret: process.env.VISITOR_SECRET! });
 * const { id, token } = visitors.issue(Date.now());
 * visitors.verify(token, Date.now()); // id
 */
export function visitorIds(options: AnonymousOptions): VisitorIds {
  const maxAgeMs = (options.maxAgeSeconds ?? 86_400) * 1000;
  const sign = (payload: string) => createHmac('sha256', options.secret).update(payload).digest('base64url');
  return {
    issue(now) {
      const id = `visitor-${randomBytes(16).toString('base64url')}`;
      const payload = `${id}.${Math.floor(now / 1000)}`;
      return { id, token: `${payload}.${sign(payload)}` };
    },
    verify(token, now) {
      const parts = token.split('.');
      if (parts.length !== 3 || token.length > 200) return null;
      const [id = '', issued = '', signature = ''] = parts;
      const expected = Buffer.from(sign(`${id}.${issued}`));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      const issuedMs = Number(issued) * 1000;
      if (!Number.isInteger(issuedMs) || issuedMs > now + 60_000 || now - issuedMs > maxAgeMs) return null;
      return id;
    },
  };
}

/** Options of {@link bearerJwtAuthenticator}. Give `secret` or `jwksUrl`, and `issuer` and `audience`. */
export interface BearerJwtOptions {
  /** HMAC secret of HS256 tokens issued by your application. */
  readonly secret?: string;
  /** URL of your identity provider's JSON Web Key Set (RS256/ES256 tokens). */
  readonly jwksUrl?: string;
  /** Required `iss`. */
  readonly issuer?: string;
  /** Required `aud`. */
  readonly audience?: string;
  /**
   * `true` accepts tokens without `issuer` and `audience` checks (a warning is logged): any token your identity
   * provider signed, for any application, then passes. Default `false`: both are required.
   */
  readonly anyIssuerAndAudience?: boolean;
  /** Tokens issued (`iat`) longer ago than this are refused, whatever their `exp`. Default 3 600. */
  readonly maxTokenAgeSeconds?: number;
  /** Claim holding the display name. Default `'name'`. */
  readonly nameClaim?: string;
  /** Where the warning of `anyIssuerAndAudience` goes. Default `createLogger({ level: 'info' })`. */
  readonly logger?: Logger;
}

const BEARER = /^bearer +([A-Za-z0-9_\-.]+)$/i;

/**
 * An {@link Authenticate} hook that accepts `Authorization: Bearer <JWT>` (the scheme in any case) signed by your
 * application or identity provider, and takes the identity from `sub` (and the name from `name`). Tokens without
 * `exp`, expired, issued more than `maxTokenAgeSeconds` ago, for another issuer or audience, or badly signed count as
 * nobody. Throws at creation without `issuer` and `audience` unless `anyIssuerAndAudience` is set.
 *
 * @example
 * createMiddleware({ authenticate: bearerJwtAuthenticator({ jwksUrl: 'https://id.example.com/jwks.json', issuer: 'https://id.example.com', audience: 'service-desk' }), ... });
 */
export function bearerJwtAuthenticator(options: BearerJwtOptions): Authenticate {
  if ((options.secret === undefined) === (options.jwksUrl === undefined)) {
    throw new Error('bearerJwtAuthenticator needs exactly one of "secret" or "jwksUrl".');
  }
  if (options.anyIssuerAndAudience === true) {
    (options.logger ?? createLogger({ level: 'info' })).warn(
      'bearerJwtAuthenticator accepts tokens of any issuer and audience: a token your identity provider issued for another application passes. Set issuer and audience.',
    );
  } else if (!options.issuer || !options.audience) {
    throw new Error('bearerJwtAuthenticator needs "issuer" and "audience" (or "anyIssuerAndAudience: true" to accept tokens for any application).');
  }
  const key: Uint8Array | JWTVerifyGetKey =
    options.secret !== undefined ? new TextEncoder().encode(options.secret) : createRemoteJWKSet(new URL(options.jwksUrl ?? ''));
  const verifyOptions = {
    issuer: options.issuer,
    audience: options.audience,
    algorithms: options.secret !== undefined ? ['HS256', 'HS384', 'HS512'] : ['RS256', 'PS256', 'ES256', 'EdDSA'],
    requiredClaims: ['exp'],
    maxTokenAge: options.maxTokenAgeSeconds ?? 3600,
  };
  const nameClaim = options.nameClaim ?? 'name';
  return async (req) => {
    const match = BEARER.exec(req.headers.authorization ?? '');
    if (match?.[1] === undefined) return null;
    const { payload } =
      typeof key === 'function' ? await jwtVerify(match[1], key, verifyOptions) : await jwtVerify(match[1], key, verifyOptions);
    return toIdentity(payload, nameClaim);
  };
}

function toIdentity(payload: JWTPayload, nameClaim: string): Identity | null {
  const name = payload[nameClaim];
  const identity = { id: payload.sub, ...(isDisplayName(name) ? { name } : {}) };
  return isValidIdentity(identity) ? identity : null;
}
