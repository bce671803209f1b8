import { EMPTY, catchError, defer, from, map, mergeMap, throwError, type Observable } from 'rxjs';
import { ServiceDeskError } from '../../core/errors.js';
import type { WmHistoryPage } from './protocol.js';

/** The answer of a {@link FetchLike} call, as far as the adapter reads it. */
export interface FetchAnswer {
  readonly ok: boolean;
  readonly status: number;
  json(): PromiseLike<unknown>;
}

/**
 * The `fetch` the adapter uses for REST history and uploads (the global one by default). Any thenable will do, so
 * that a fake can answer in virtual time.
 */
export type FetchLike = (input: string, init?: { method?: string; headers?: Record<string, string>; body?: Blob }) => PromiseLike<FetchAnswer>;

/** One page of the REST history to read. */
export interface HistoryPageRequest {
  readonly apiUrl: string;
  readonly jwt: string;
  /** 1 is the newest page. */
  readonly pageNumber: number;
  readonly pageSize: number;
}

/**
 * Reads one REST history page (`GET /api/v2/webmessaging/messages`, newest first). Every failure is retryable:
 * the next attempt gets a fresh JWT. Runs on whatever `http` settles on (a fake may settle in virtual time).
 *
 * @example
 * fetchHistoryPage(fetch, { apiUrl: 'https://api.mypurecloud.com', jwt, pageNumber: 1, pageSize: 25 }).subscribe(show);
 */
export function fetchHistoryPage(http: FetchLike, request: HistoryPageRequest): Observable<WmHistoryPage> {
  const url = `${request.apiUrl}/api/v2/webmessaging/messages?pageNumber=${request.pageNumber}&pageSize=${request.pageSize}`;
  return defer(() => from(http(url, { headers: { Authorization: `Bearer ${request.jwt}` } }))).pipe(
    mergeMap((response) => {
      if (!response.ok) {
        return throwError(
          () => new ServiceDeskError('CONNECTION_LOST', `The Genesys history endpoint answered ${response.status}: reconnecting.`, { retryable: true }),
        );
      }
      return from(response.json());
    }),
    map((body) => {
      const page = body as WmHistoryPage;
      if (typeof page !== 'object' || page === null || !Array.isArray(page.entities)) {
        throw new ServiceDeskError('CONNECTION_LOST', 'The Genesys history endpoint answered without entities: reconnecting.', { retryable: true });
      }
      return page;
    }),
  );
}

/**
 * PUTs a file to a presigned upload URL with exactly the headers Genesys gave, and completes when stored. 5xx and
 * network failures are retryable; other statuses are not (the URL or the file was refused).
 *
 * @example
 * putFile(fetch, presigned.url, presigned.headers ?? {}, file).subscribe({ complete: () => uploaded() });
 */
export function putFile(http: FetchLike, url: string, headers: Record<string, string>, file: Blob): Observable<never> {
  return defer(() => from(http(url, { method: 'PUT', headers, body: file }))).pipe(
    catchError((error: unknown) =>
      throwError(() => new ServiceDeskError('UPLOAD_FAILED', 'The file upload could not reach the storage URL.', { retryable: true, cause: error })),
    ),
    mergeMap((response) =>
      response.ok
        ? EMPTY
        : throwError(() => new ServiceDeskError('UPLOAD_FAILED', `The storage URL refused the file (HTTP ${response.status}).`, { retryable: response.status >= 500 })),
    ),
  );
}
