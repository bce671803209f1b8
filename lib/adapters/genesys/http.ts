import { EMPTY, catchError, defer, expand, from, map, mergeMap, of, reduce, throwError, type Observable } from 'rxjs';
import { ServiceDeskError } from '../../core/errors.js';
import type { HistoryMarker } from './decode.js';
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

/** Where and how to read the REST history. */
export interface HistoryRequest {
  readonly apiUrl: string;
  readonly jwt: string;
  readonly marker: HistoryMarker | undefined;
  readonly pageSize: number;
  readonly maxPages: number;
}

/** Reads one history page; fails retryably on an HTTP error or a body without entities. */
function historyPage(http: FetchLike, request: HistoryRequest, pageNumber: number): Observable<WmHistoryPage> {
  const url = `${request.apiUrl}/api/v2/webmessaging/messages?pageNumber=${pageNumber}&pageSize=${request.pageSize}`;
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
 * Reads REST history pages (`GET /api/v2/webmessaging/messages`, newest first) until the page that holds the marker,
 * the last page, or `maxPages`, and emits them all once. Every failure is retryable: the next connection attempt gets
 * a fresh JWT. Runs on whatever `http` settles on (a fake may settle in virtual time).
 *
 * @example
 * fetchHistoryPages(fetch, { apiUrl: 'https://api.mypurecloud.com', jwt, marker, pageSize: 25, maxPages: 10 })
 *   .subscribe((pages) => show(pages));
 */
export function fetchHistoryPages(http: FetchLike, request: HistoryRequest): Observable<WmHistoryPage[]> {
  const holdsMarker = (page: WmHistoryPage) => request.marker !== undefined && page.entities.some((entity) => entity?.id === request.marker?.id);
  const isLast = (page: WmHistoryPage, pageNumber: number) =>
    pageNumber >= request.maxPages ||
    holdsMarker(page) ||
    page.entities.length === 0 ||
    pageNumber >= (typeof page.pageCount === 'number' ? page.pageCount : pageNumber);
  if (request.maxPages < 1) return of([]);
  return historyPage(http, request, 1).pipe(
    map((page) => ({ page, pageNumber: 1 })),
    expand(({ page, pageNumber }) =>
      isLast(page, pageNumber) ? EMPTY : historyPage(http, request, pageNumber + 1).pipe(map((next) => ({ page: next, pageNumber: pageNumber + 1 }))),
    ),
    reduce((pages: WmHistoryPage[], { page }) => [...pages, page], []),
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
