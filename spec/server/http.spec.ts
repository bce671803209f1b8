import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { HttpError } from '../../lib/server';
import { clientAddress, readJsonBody, splitTarget } from '../../lib/server/http';

const fakeRequest = (headers: Record<string, string>, remoteAddress = '10.0.0.9', extra: object = {}) =>
  Object.assign(Readable.from([]), { headers, socket: { remoteAddress }, ...extra }) as unknown as IncomingMessage;

describe('clientAddress', () => {
  it('uses the socket address unless proxies are trusted, then the entry the nearest trusted proxy added', () => {
    const req = fakeRequest({ 'x-forwarded-for': '6.6.6.6, 203.0.113.7, 10.0.0.2' });
    expect(clientAddress(req, 0)).toBe('10.0.0.9');
    expect(clientAddress(req, 1)).toBe('10.0.0.2');
    expect(clientAddress(req, 2)).toBe('203.0.113.7');
    expect(clientAddress(fakeRequest({}), 1)).toBe('10.0.0.9');
  });
});

describe('readJsonBody', () => {
  it('uses a body a framework parsed, and applies the limit to a raw one', async () => {
    expect(await readJsonBody(fakeRequest({}, undefined, { body: { kind: 'chat' } }), 10)).toStrictEqual({ kind: 'chat' });
    expect(await readJsonBody(fakeRequest({}, undefined, { body: Buffer.from('{"a":1}') }), 100)).toStrictEqual({ a: 1 });
    await expect(readJsonBody(fakeRequest({}, undefined, { body: 'x'.repeat(101) }), 100)).rejects.toMatchObject({ status: 413 });
    await expect(readJsonBody(fakeRequest({}, undefined, { body: '{nope' }), 100)).rejects.toBeInstanceOf(HttpError);
  });

  it('refuses a declared length over the limit before reading', async () => {
    await expect(readJsonBody(fakeRequest({ 'content-length': '101' }), 100)).rejects.toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });
});

describe('splitTarget', () => {
  it('splits an origin-form target at the first "?", and parses an absolute-form one', () => {
    expect(splitTarget('/genesys/agent-profile?messageId=m1&x=?')).toStrictEqual({ path: '/genesys/agent-profile', query: 'messageId=m1&x=?' });
    expect(splitTarget('/healthz')).toStrictEqual({ path: '/healthz', query: '' });
    expect(splitTarget(undefined)).toStrictEqual({ path: '/', query: '' });
    expect(splitTarget('http://desk.example.com/twilio/token?a=1')).toStrictEqual({ path: '/twilio/token', query: 'a=1' });
    expect(splitTarget('*')).toStrictEqual({ path: '*', query: '' });
  });
});
