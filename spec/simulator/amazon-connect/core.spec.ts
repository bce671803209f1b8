import { VirtualTimeScheduler } from 'rxjs';
import { connectSimulatorCore, type ConnectSimulatorCore } from '../../../lib/simulator/amazon-connect/index.js';
import type { ConnectItem } from '../../../lib/adapters/amazon-connect/protocol.js';

interface Started {
  core: ConnectSimulatorCore;
  scheduler: VirtualTimeScheduler;
  connection: string;
  frames: string[];
  dropped: number[];
}

function started(options: { connectionTtlMs?: number } = {}): Started {
  const scheduler = new VirtualTimeScheduler();
  const core = connectSimulatorCore({ scheduler, ...options });
  const start = core.startChatContact({ ParticipantDetails: { DisplayName: 'Ada' }, Attributes: { topic: 'refund' } }).body as Record<string, string>;
  const created = core.participant('/participant/connection', start.ParticipantToken, { Type: ['WEBSOCKET', 'CONNECTION_CREDENTIALS'] });
  const connection = (created.body as { ConnectionCredentials: { ConnectionToken: string } }).ConnectionCredentials.ConnectionToken;
  const frames: string[] = [];
  const dropped: number[] = [];
  const peer = core.openSocket(connection, { send: (text) => frames.push(text), drop: () => dropped.push(1) });
  peer?.receive(JSON.stringify({ topic: 'aws/subscribe', content: { topics: ['aws/chat'] } }));
  return { core, scheduler, connection, frames, dropped };
}

const chatItems = (frames: string[]): ConnectItem[] =>
  frames.map((text) => JSON.parse(text) as { topic?: string; content?: string }).filter((frame) => frame.topic === 'aws/chat').map((frame) => JSON.parse(frame.content ?? '{}') as ConnectItem);

describe('Amazon Connect simulator core', () => {
  it('StartChatContact returns only the participant token and ids, and needs a display name', () => {
    const core = connectSimulatorCore({ scheduler: new VirtualTimeScheduler() });
    expect(Object.keys(core.startChatContact({ ParticipantDetails: { DisplayName: 'Ada' } }).body as object).sort()).toEqual(['ContactId', 'ParticipantId', 'ParticipantToken']);
    expect(core.startChatContact({})).toMatchObject({ status: 400, headers: { 'x-amzn-ErrorType': 'InvalidParameterException' } });
  });

  it('answers subscribe, heartbeat and ping like the Connect socket, and an error frame for anything else', () => {
    const { core, connection } = started();
    const frames: string[] = [];
    const peer = core.openSocket(connection, { send: (text) => frames.push(text), drop: () => undefined });
    peer?.receive(JSON.stringify({ topic: 'aws/subscribe', content: { topics: ['aws/chat'] } }));
    peer?.receive(JSON.stringify({ topic: 'aws/heartbeat' }));
    peer?.receive(JSON.stringify({ topic: 'aws/ping' }));
    peer?.receive('not json');
    expect(frames.map((text) => JSON.parse(text) as unknown)).toEqual([
      { topic: 'aws/subscribe', content: { status: 'success', topics: ['aws/chat'] } },
      { topic: 'aws/heartbeat' },
      { topic: 'aws/ping', statusCode: 200, statusContent: 'OK' },
      { message: 'Invalid request', connectionId: expect.any(String), requestId: expect.any(String) },
    ]);
    expect(core.openSocket('wrong', { send: () => undefined, drop: () => undefined })).toBeUndefined();
  });

  it('sends a message once per ClientToken and echoes it on the socket with the contact ids', () => {
    const { core, connection, frames } = started();
    const first = core.participant('/participant/message', connection, { ContentType: 'text/plain', Content: 'Hello', ClientToken: 'm1' });
    const retry = core.participant('/participant/message', connection, { ContentType: 'text/plain', Content: 'Hello', ClientToken: 'm1' });
    expect(retry.body).toEqual(first.body);
    const echoes = chatItems(frames).filter((item) => item.Type === 'MESSAGE');
    expect(echoes).toEqual([expect.objectContaining({ Content: 'Hello', ParticipantRole: 'CUSTOMER', ContactId: expect.any(String), InitialContactId: expect.any(String) })]);
  });

  it('rejects bad messages and events with a ValidationException', () => {
    const { core, connection } = started();
    expect(core.participant('/participant/message', connection, { ContentType: 'image/gif', Content: 'x' })).toMatchObject({ status: 400, headers: { 'x-amzn-ErrorType': 'ValidationException' } });
    expect(core.participant('/participant/message', connection, { ContentType: 'text/plain', Content: 'x'.repeat(16_385) }).status).toBe(400);
    expect(core.participant('/participant/event', connection, { ContentType: 'application/vnd.amazonaws.connect.event.chat.ended' }).status).toBe(400);
    expect(core.participant('/participant/message', connection, 'text')).toMatchObject({ status: 400 });
    expect(core.participant('/participant/nope', connection, {})).toMatchObject({ status: 404 });
  });

  it('pages the transcript backward and forward with NextToken', () => {
    const { core, connection } = started();
    core.join('Ann');
    for (const n of [1, 2, 3, 4, 5]) core.say(`m${n}`);
    const page = (body: object) => core.participant('/participant/transcript', connection, body).body as { Transcript: ConnectItem[]; NextToken?: string };
    const last = page({ MaxResults: 2, ScanDirection: 'BACKWARD', SortOrder: 'ASCENDING' });
    expect(last.Transcript.map((item) => item.Content)).toEqual(['m4', 'm5']);
    const before = page({ MaxResults: 2, ScanDirection: 'BACKWARD', SortOrder: 'ASCENDING', NextToken: last.NextToken });
    expect(before.Transcript.map((item) => item.Content)).toEqual(['m2', 'm3']);
    const after = page({ MaxResults: 10, ScanDirection: 'FORWARD', StartPosition: { Id: before.Transcript[0].Id } });
    expect(after.Transcript.map((item) => item.Content)).toEqual(['m3', 'm4', 'm5']);
    expect(after.NextToken).toBeUndefined();
    expect(page({ MaxResults: 3, SortOrder: 'DESCENDING' }).Transcript.map((item) => item.Content)).toEqual(['m5', 'm4', 'm3']);
    expect(core.participant('/participant/transcript', connection, { MaxResults: 101 }).status).toBe(400);
    expect(core.participant('/participant/transcript', connection, { NextToken: 'forged' }).status).toBe(400);
  });

  it('uploads an attachment (start, PUT, complete) and serves agent and customer files', () => {
    const { core, connection, frames } = started();
    const start = core.participant('/participant/start-attachment-upload', connection, { AttachmentName: 'a.txt', ContentType: 'text/plain', AttachmentSizeInBytes: 3, ClientToken: 'u1' });
    const { AttachmentId, UploadMetadata } = start.body as { AttachmentId: string; UploadMetadata: { Url: string } };
    expect(UploadMetadata.Url).toContain(AttachmentId);
    expect(core.participant('/participant/complete-attachment-upload', connection, { AttachmentIds: [AttachmentId] }).status).toBe(400);
    expect(core.upload(AttachmentId, new Uint8Array(2))).toBe(false);
    expect(core.upload(AttachmentId, new Uint8Array([1, 2, 3]))).toBe(true);
    expect(core.participant('/participant/complete-attachment-upload', connection, { AttachmentIds: [AttachmentId] }).status).toBe(200);
    expect(chatItems(frames).filter((item) => item.Type === 'ATTACHMENT')).toEqual([expect.objectContaining({ Attachments: [expect.objectContaining({ Status: 'APPROVED' })] })]);
    expect(core.participant('/participant/attachment', connection, { AttachmentId }).body).toMatchObject({ AttachmentSizeInBytes: 3 });
    core.join('Ann');
    core.attach({ name: 'b.png', type: 'image/png', data: new Uint8Array([9]) });
    const agentFile = chatItems(frames).filter((item) => item.Type === 'ATTACHMENT')[1].Attachments?.[0];
    expect(core.file(agentFile?.AttachmentId ?? '')).toEqual({ data: new Uint8Array([9]), type: 'image/png', name: 'b.png' });
    expect(core.participant('/participant/start-attachment-upload', connection, { AttachmentName: 'big', ContentType: 'text/plain', AttachmentSizeInBytes: 21 * 1024 * 1024 }).status).toBe(413);
  });

  it('plays join, typing, receipts, transfer (new contact id, same initial contact id) and end in order', () => {
    const { core, frames } = started();
    core.join('Ann');
    core.type();
    core.receipt('m1', 'read');
    core.transfer('Bob');
    core.end();
    const items = chatItems(frames);
    expect(items.map((item) => `${item.Type}:${item.ParticipantRole ?? ''}:${item.ContentType ?? ''}:${item.DisplayName ?? ''}`)).toEqual([
      'EVENT:AGENT:application/vnd.amazonaws.connect.event.participant.joined:Ann',
      'EVENT:AGENT:application/vnd.amazonaws.connect.event.typing:Ann',
      'MESSAGE_METADATA:::',
      'EVENT:SYSTEM:application/vnd.amazonaws.connect.event.transfer.succeeded:SYSTEM_MESSAGE',
      'EVENT:AGENT:application/vnd.amazonaws.connect.event.participant.left:Ann',
      'EVENT:AGENT:application/vnd.amazonaws.connect.event.participant.joined:Bob',
      'EVENT:AGENT:application/vnd.amazonaws.connect.event.participant.left:Bob',
      'EVENT:SYSTEM:application/vnd.amazonaws.connect.event.chat.ended:SYSTEM_MESSAGE',
    ]);
    expect(new Set(items.map((item) => item.InitialContactId)).size).toBe(1);
    expect(items[5].ContactId).not.toBe(items[0].ContactId);
    expect(() => core.say('late')).toThrow('No active chat');
  });

  it('rejects a connection token after its expiry (virtual time) and everything after expire()', () => {
    const { core, scheduler, connection, dropped } = started({ connectionTtlMs: 1_000 });
    scheduler.schedule(() => undefined, 1_000);
    scheduler.flush();
    expect(core.participant('/participant/message', connection, { ContentType: 'text/plain', Content: 'late' })).toMatchObject({ status: 403, headers: { 'x-amzn-ErrorType': 'AccessDeniedException' } });
    core.expire();
    expect(dropped).toEqual([1]);
  });

  it('select() points the agent calls at an earlier chat, by its initial or current contact id', () => {
    const { core, frames } = started();
    const first = (core.transcript[0] as ConnectItem).ParticipantId;
    core.join('Zed');
    const initialContactId = chatItems(frames)[0]?.InitialContactId as string;
    core.startChatContact({ ParticipantDetails: { DisplayName: 'Bob' } });
    expect(core.select('no-such-chat')).toBeUndefined();
    expect(core.select(initialContactId)).toEqual({ initialContactId, contactId: initialContactId, ended: false });
    expect((core.transcript[0] as ConnectItem).ParticipantId).toBe(first);
    core.join('Ann');
    core.transfer('Bob');
    const contactId = chatItems(frames).at(-1)?.ContactId as string;
    expect(contactId).not.toBe(initialContactId);
    core.startChatContact({ ParticipantDetails: { DisplayName: 'Cy' } });
    expect(core.select(contactId)).toEqual({ initialContactId, contactId, ended: false });
    core.say('Still Ada');
    expect(chatItems(frames).at(-1)).toMatchObject({ Content: 'Still Ada', DisplayName: 'Bob', InitialContactId: initialContactId });
    core.end();
    expect(core.select(initialContactId)).toEqual({ initialContactId, contactId, ended: true });
  });

  it('the customer disconnect ends the chat and the participant token stops working', () => {
    const { core, connection, frames } = started();
    const ended: string[] = [];
    core.on('disconnected', ({ contactId }) => ended.push(contactId));
    expect(core.participant('/participant/disconnect', connection, {}).status).toBe(200);
    expect(chatItems(frames).map((item) => item.ContentType).slice(-2)).toEqual(['application/vnd.amazonaws.connect.event.participant.left', 'application/vnd.amazonaws.connect.event.chat.ended']);
    expect(ended).toHaveLength(1);
    expect(core.participant('/participant/message', connection, { ContentType: 'text/plain', Content: 'x' }).status).toBe(403);
  });
});
