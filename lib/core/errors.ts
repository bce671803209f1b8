/** Stable codes for {@link ServiceDeskError}. */
export type ServiceDeskErrorCode =
  /** The vendor could not be reached or refused the session. */
  | 'CONNECT_FAILED'
  /** No answer from the vendor within the connect timeout. */
  | 'CONNECT_TIMEOUT'
  /** The connection dropped and could not be restored within the retry limit. */
  | 'CONNECTION_LOST'
  /** Credentials were rejected or could not be refreshed. */
  | 'AUTH_FAILED'
  /** The vendor session is gone (expired, closed elsewhere). */
  | 'SESSION_EXPIRED'
  /** A user message could not be delivered. */
  | 'SEND_FAILED'
  /** A file could not be uploaded. */
  | 'UPLOAD_FAILED'
  /** There is no running chat for this call. */
  | 'NOT_CONNECTED'
  /** The vendor does not support what was asked. */
  | 'UNSUPPORTED'
  /** A wiring mistake: a missing option or a wrong value. */
  | 'CONFIG';

/** Options of {@link ServiceDeskError}. */
export interface ServiceDeskErrorOptions {
  /** Whether trying again may succeed (a dropped socket) or not (a rejected deployment id). Default `false`. */
  retryable?: boolean;
  /** The underlying error. */
  cause?: unknown;
  /** Extra facts for the log. Never put tokens or message bodies here. */
  context?: Readonly<Record<string, unknown>>;
}

/**
 * The one error class of this library: a stable `name`, a `code`, whether it is `retryable`, and a message that says
 * what to do.
 *
 * @example
 * throw new ServiceDeskError('AUTH_FAILED', 'The token endpoint answered 401: sign the user in first.');
 */
export class ServiceDeskError extends Error {
  override readonly name = 'ServiceDeskError';
  readonly code: ServiceDeskErrorCode;
  readonly retryable: boolean;
  readonly context: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ServiceDeskErrorCode, message: string, options: ServiceDeskErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.context = options.context;
  }
}

/**
 * Whether an error is worth another attempt. A {@link ServiceDeskError} says so itself; anything else (an SDK
 * failure we know nothing about) is assumed to be transient.
 *
 * @example
 * isRetryable(new ServiceDeskError('AUTH_FAILED', 'denied')); // false
 * isRetryable(new Error('socket hang up')); // true
 */
export function isRetryable(error: unknown): boolean {
  return error instanceof ServiceDeskError ? error.retryable : true;
}

/**
 * Wraps anything thrown into a {@link ServiceDeskError} with the given code (kept as is when it already is one).
 *
 * @example
 * catchError(err => throwError(() => toServiceDeskError(err, 'CONNECT_FAILED', 'Could not reach Twilio.')))
 */
export function toServiceDeskError(
  error: unknown,
  code: ServiceDeskErrorCode,
  message: string,
  retryable = isRetryable(error),
): ServiceDeskError {
  if (error instanceof ServiceDeskError) return error;
  const detail = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  return new ServiceDeskError(code, detail ? `${message} (${detail})` : message, { cause: error, retryable });
}
