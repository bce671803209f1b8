import type { Logger } from '../core/logger.js';
import { HttpError } from './errors.js';

/** Which vendor a call goes to (for log lines and error messages). */
export type Vendor = 'twilio' | 'genesys';

/** How {@link callUpstream} reaches a vendor. */
export interface UpstreamContext {
  readonly fetch: typeof fetch;
  /** Time allowed for the whole call, body included. */
  readonly timeoutMs: number;
  readonly logger: Logger;
}

/** One vendor REST call. */
export interface UpstreamRequest {
  readonly vendor: Vendor;
  /** A short name for logs, e.g. `'create Flex channel'`. Never put ids of people or secrets here. */
  readonly operation: string;
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as is; set the matching `Content-Type` in `headers`. */
  readonly body?: string;
}

/** What the vendor answered: any HTTP status, with the JSON body (`undefined` when empty). */
export interface UpstreamResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
}

const MAX_UPSTREAM_BYTES = 1024 * 1024;

/**
 * Calls a vendor REST API with a timeout covering the body too. Transport failures become {@link HttpError}s the
 * browser may see (504 `UPSTREAM_TIMEOUT`, 502 `UPSTREAM_ERROR`); an HTTP error status is returned for the caller to
 * judge (see {@link expectOk}).
 *
 * @example
 * const res = await callUpstream(ctx, { vendor: 'genesys', operation: 'estimated wait', method: 'GET', url });
 */
export async function callUpstream(context: UpstreamContext, request: UpstreamRequest): Promise<UpstreamResponse> {
  const signal = AbortSignal.timeout(context.timeoutMs);
  const log = { vendor: request.vendor, operation: request.operation };
  try {
    const response = await context.fetch(request.url, {
      method: request.method,
      headers: { Accept: 'application/json', ...request.headers },
      body: request.body,
      signal,
      redirect: 'error',
    });
    const text = await response.text();
    if (text.length > MAX_UPSTREAM_BYTES) {
      context.logger.error('upstream answer too large', { ...log, status: response.status });
      throw new HttpError(502, 'UPSTREAM_ERROR', `The ${request.vendor} answer was too large.`);
    }
    let body: unknown;
    try {
      body = text.trim() === '' ? undefined : JSON.parse(text);
    } catch {
      context.logger.error('upstream answer is not JSON', { ...log, status: response.status });
      throw new HttpError(502, 'UPSTREAM_ERROR', `The ${request.vendor} answer could not be read.`);
    }
    return { status: response.status, body, headers: response.headers };
  } catch (error) {
    if (error instanceof HttpError) throw error;
    if (signal.aborted) {
      context.logger.warn('upstream timed out', { ...log, timeoutMs: context.timeoutMs });
      throw new HttpError(504, 'UPSTREAM_TIMEOUT', `${capitalize(request.vendor)} did not answer in time. Try again.`);
    }
    context.logger.warn('upstream unreachable', { ...log, cause: errorName(error) });
    throw new HttpError(502, 'UPSTREAM_ERROR', `${capitalize(request.vendor)} could not be reached. Try again.`);
  }
}

/**
 * Returns the body of a 2xx answer; anything else becomes a logged 502 (or 503 with `Retry-After` when the vendor
 * rate limits us). Only the status and the vendor's own error code are logged, never the body.
 *
 * @example
 * const channel = expectOk(ctx.logger, req, await callUpstream(ctx, req));
 */
export function expectOk(logger: Logger, request: UpstreamRequest, response: UpstreamResponse): unknown {
  if (response.status >= 200 && response.status < 300) return response.body;
  const log = {
    vendor: request.vendor,
    operation: request.operation,
    status: response.status,
    vendorCode: vendorCode(response.body),
  };
  if (response.status === 429) {
    logger.warn('upstream rate limited us', log);
    const retryAfter = response.headers.get('retry-after');
    const seconds = retryAfter !== null && /^\d{1,5}$/.test(retryAfter) ? retryAfter : '5';
    throw new HttpError(503, 'UPSTREAM_BUSY', `${capitalize(request.vendor)} is busy. Try again shortly.`, {
      'Retry-After': seconds,
    });
  }
  if (response.status === 401 || response.status === 403) {
    logger.error('upstream rejected our credentials or permissions: check the server configuration', log);
  } else {
    logger.warn('upstream answered with an error', log);
  }
  throw new HttpError(502, 'UPSTREAM_ERROR', `${capitalize(request.vendor)} answered with an error (${response.status}).`);
}

/**
 * HTTP Basic credentials for an `Authorization` header.
 *
 * @example
 * headers: { Authorization: basicAuth(accountSid, authToken) }
 */
export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/**
 * Form-encodes the defined entries of `fields` (Twilio and OAuth take `application/x-www-form-urlencoded`).
 *
 * @example
 * formBody({ grant_type: 'client_credentials', scope: undefined }); // 'grant_type=client_credentials'
 */
export function formBody(fields: Readonly<Record<string, string | undefined>>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) params.append(key, value);
  return params.toString();
}

function vendorCode(body: unknown): string | number | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const code = (body as { code?: unknown }).code;
  return typeof code === 'string' || typeof code === 'number' ? code : undefined;
}

function errorName(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const code = cause !== null && typeof cause === 'object' ? (cause as { code?: unknown }).code : undefined;
    return typeof code === 'string' ? code : error.name;
  }
  return typeof error;
}

function capitalize(vendor: Vendor): string {
  return vendor === 'twilio' ? 'Twilio' : 'Genesys';
}
