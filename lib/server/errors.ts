/** The `error.code` values the middleware answers with, one per failure the browser may need to tell apart. */
export type ServerErrorCode =
  /** 400: the body is not JSON, or a field is missing or invalid. */
  | 'BAD_REQUEST'
  /** 401: no signed-in identity (and anonymous visitors are not allowed). */
  | 'UNAUTHENTICATED'
  /** 403: the request's `Origin` is not on the CORS allowlist. */
  | 'ORIGIN_NOT_ALLOWED'
  /** 404: no such endpoint, or the thing asked for is unknown. */
  | 'NOT_FOUND'
  /** 405: the endpoint exists, the method does not. */
  | 'METHOD_NOT_ALLOWED'
  /** 413: the body is larger than `bodyLimitBytes`. */
  | 'PAYLOAD_TOO_LARGE'
  /** 415: a body that is not `application/json`. */
  | 'UNSUPPORTED_MEDIA_TYPE'
  /** 429: too many requests for this identity or address; see `Retry-After`. */
  | 'RATE_LIMITED'
  /** 500: a bug or a broken hook; details are in the server log only. */
  | 'INTERNAL'
  /** 502: the vendor answered with an error, or could not be reached. */
  | 'UPSTREAM_ERROR'
  /** 503: the vendor is rate limiting us; see `Retry-After`. */
  | 'UPSTREAM_BUSY'
  /** 504: the vendor did not answer within `upstreamTimeoutMs`. */
  | 'UPSTREAM_TIMEOUT';

/**
 * A failure the middleware answers as `{ "error": { "code", "message" } }` with `status`. The message goes to the
 * browser, so it never holds a secret, an upstream body or a stack.
 *
 * @example
 * throw new HttpError(400, 'BAD_REQUEST', '"kind" must be "chat" or "conversations".');
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;
  readonly code: ServerErrorCode;
  /** Extra response headers, such as `Retry-After`. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: ServerErrorCode, message: string, headers: Readonly<Record<string, string>> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/**
 * Shorthand for the most common 400.
 *
 * @example
 * if (typeof body.kind !== 'string') throw badRequest('"kind" is required.');
 */
export function badRequest(message: string): HttpError {
  return new HttpError(400, 'BAD_REQUEST', message);
}
