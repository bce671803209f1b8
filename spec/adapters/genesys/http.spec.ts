import { lastValueFrom } from 'rxjs';
import { fetchHistoryPage, putFile, type FetchLike } from '../../../lib/adapters/genesys/http';
import type { WmHistoryPage, WmStructuredMessage } from '../../../lib/adapters/genesys/protocol';

const message = (id: string): WmStructuredMessage => ({ id, type: 'Text', direction: 'Outbound', text: id });

function pagedFetch(pages: WmHistoryPage[], calls: string[], status = 200): FetchLike {
  return async (url, init) => {
    calls.push(`${url} ${init?.headers?.Authorization ?? ''}`);
    const pageNumber = Number(new URL(url).searchParams.get('pageNumber'));
    return { ok: status < 400, status, json: async () => pages[pageNumber - 1] };
  };
}

describe('fetchHistoryPage', () => {
  const pages: WmHistoryPage[] = [
    { entities: [message('m6'), message('m5')], pageSize: 2, pageNumber: 1, total: 6, pageCount: 3 },
    { entities: [message('m4'), message('m3')], pageSize: 2, pageNumber: 2, total: 6, pageCount: 3 },
  ];

  it('reads one page with the JWT', async () => {
    const calls: string[] = [];
    const read = await lastValueFrom(fetchHistoryPage(pagedFetch(pages, calls), { apiUrl: 'https://api.x', jwt: 'j', pageNumber: 2, pageSize: 2 }));
    expect(read).toEqual(pages[1]);
    expect(calls).toEqual(['https://api.x/api/v2/webmessaging/messages?pageNumber=2&pageSize=2 Bearer j']);
  });

  it('fails retryably on an HTTP error or a body without entities', async () => {
    const request = { apiUrl: 'https://api.x', jwt: 'j', pageNumber: 1, pageSize: 2 };
    await expect(lastValueFrom(fetchHistoryPage(pagedFetch(pages, [], 401), request))).rejects.toMatchObject({ code: 'CONNECTION_LOST', retryable: true });
    await expect(lastValueFrom(fetchHistoryPage(pagedFetch([{} as WmHistoryPage], []), request))).rejects.toMatchObject({ retryable: true });
  });
});

describe('putFile', () => {
  it('PUTs the file with exactly the given headers', async () => {
    const seen: unknown[] = [];
    const file = new Blob(['x']);
    await lastValueFrom(putFile(async (url, init) => {
      seen.push([url, init]);
      return { ok: true, status: 200, json: async () => ({}) };
    }, 'https://up/1', { 'x-amz-tagging': 't' }, file), { defaultValue: undefined });
    expect(seen).toEqual([['https://up/1', { method: 'PUT', headers: { 'x-amz-tagging': 't' }, body: file }]]);
  });

  it('retries 5xx and network failures, not other refusals', async () => {
    const answer = (status: number): FetchLike => async () => ({ ok: false, status, json: async () => ({}) });
    await expect(lastValueFrom(putFile(answer(503), 'u', {}, new Blob([])))).rejects.toMatchObject({ code: 'UPLOAD_FAILED', retryable: true });
    await expect(lastValueFrom(putFile(answer(403), 'u', {}, new Blob([])))).rejects.toMatchObject({ code: 'UPLOAD_FAILED', retryable: false });
    await expect(lastValueFrom(putFile(async () => Promise.reject(new Error('ECONNRESET')), 'u', {}, new Blob([])))).rejects.toMatchObject({ retryable: true });
  });
});
