import { ServiceDeskError } from '../../core/errors.js';
import type { HistoryMarker } from './decode.js';
import type { WmHistoryPage } from './protocol.js';

/** The `fetch` the adapter uses for REST history and uploads (the global one by default). */
export type FetchLike = (input: string, init?: { method?: string; headers?: Record<string, string>; body?: Blob }) => Promise<{
  readonly ok: boolean;
  readonly status: number;
  json(): Promise<unknown>;
}>;

/** Where and how to read the REST history. */
export interface HistoryRequest {
  readonly apiUrl: string;
  readonly jwt: string;
  readonly marker: HistoryMarker | undefined;
  readonly pageSize: number;
  readonly maxPages: number;
}

/**
 * Reads REST history pages (`GET /api/v2/webmessaging/messages`, newest first) until the page that holds the marker,
 * the last page, or `maxPages`. Every failure is retryable: the next connection attempt gets a fresh JWT.
 *
 * @example
 * const pages = await fetchHistoryPages(fetch, { apiUrl: 'https://api.mypurecloud.com', jwt, marker, pageSize: 25, maxPages: 10 });
 */
export async function fetchHistoryPages(http: FetchLike, request: HistoryRequest): Promise<WmHistoryPage[]> {
  const pages: WmHistoryPage[] = [];
  for (let pageNumber = 1; pageNumber <= request.maxPages; pageNumber += 1) {
    const url = `${request.apiUrl}/api/v2/webmessaging/messages?pageNumber=${pageNumber}&pageSize=${request.pageSize}`;
    const response = await http(url, { headers: { Authorization: `Bearer ${request.jwt}` } });
    if (!response.ok) {
      throw new ServiceDeskError('CONNECTION_LOST', `The Genesys history endpoint answered ${response.status}: reconnecting.`, { retryable: true });
    }
    const page = (await response.json()) as WmHistoryPage;
    if (typeof page !== 'object' || page === null || !Array.isArray(page.entities)) {
      throw new ServiceDeskError('CONNECTION_LOST', 'The Genesys history endpoint answered without entities: reconnecting.', { retryable: true });
    }
    pages.push(page);
    const marker = request.marker;
    if (marker && page.entities.some((entity) => entity?.id === marker.id)) break;
    if (page.entities.length === 0 || pageNumber >= (typeof page.pageCount === 'number' ? page.pageCount : pageNumber)) break;
  }
  return pages;
}

/**
 * PUTs a file to a presigned upload URL with exactly the headers Genesys gave. 5xx and network failures are
 * retryable; other statuses are not (the URL or the file was refused).
 *
 * @example
 * await putFile(fetch, presigned.url, presigned.headers ?? {}, file);
 */
export async function putFile(http: FetchLike, url: string, headers: Record<string, string>, file: Blob): Promise<void> {
  let response: Awaited<ReturnType<FetchLike>>;
  try {
    response = await http(url, { method: 'PUT', headers, body: file });
  } catch (error) {
    throw new ServiceDeskError('UPLOAD_FAILED', 'The file upload could not reach the storage URL.', { retryable: true, cause: error });
  }
  if (!response.ok) {
    throw new ServiceDeskError('UPLOAD_FAILED', `The storage URL refused the file (HTTP ${response.status}).`, { retryable: response.status >= 500 });
  }
}
