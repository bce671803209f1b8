import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ServiceDeskError } from '../../../lib/core/errors';
import {
  MalformedFrameError,
  contentOf,
  capabilitiesOf,
  decodeOutbound,
  errorOf,
  eventsOf,
  historyEvents,
  parseFrame,
  senderOf,
} from '../../../lib/adapters/genesys/decode';
import type { WmHistoryPage, WmInboundFrame, WmStructuredMessage } from '../../../lib/adapters/genesys/protocol';

const raw = (name: string) => readFileSync(join(__dirname, 'fixtures', `genesys-wm.${name}.json`), 'utf8');
const frame = (name: string) => parseFrame(raw(name));
const body = (name: string) => (frame(name) as Extract<WmInboundFrame, { class: 'StructuredMessage' }>).body;

describe('parseFrame', () => {
  it.each([
    'session-response.new-session',
    'session-response.resumed',
    'session-response.read-only',
    'structured-message.inbound-text',
    'structured-message.inbound-text-echo-with-tracing-id',
    'structured-message.outbound-text-bot',
    'structured-message.outbound-attachment-human',
    'structured-message.outbound-quick-replies-bot',
    'event.typing-on',
    'event.presence-disconnect-outbound',
    'presigned-url-response',
    'upload-success-event',
    'upload-failure-event',
    'generate-url-error',
    'jwt-response',
    'session-expired-event',
    'session-cleared-event',
    'connection-closed-event.signed-in',
    'logout-event',
    'error.too-many-requests',
    'echo-response.health-check',
    'attachment-deleted-response',
  ])('accepts the vendor sample %s as is', (name) => {
    expect(parseFrame(raw(name))).toStrictEqual(JSON.parse(raw(name)));
  });

  it('accepts every error string frame', () => {
    const frames = JSON.parse(raw('error.string-frames')) as unknown[];
    for (const item of frames) expect(parseFrame(JSON.stringify(item)).class).toBe('string');
  });

  it.each([
    ['non-JSON', 'not json'],
    ['a JSON array', '[1,2]'],
    ['a binary frame', Buffer.from('{}')],
    ['no class', '{"type":"message","code":200,"body":{}}'],
    ['an unknown class', '{"type":"message","class":"Mystery","code":200,"body":{}}'],
    ['no code', '{"type":"message","class":"SessionExpiredEvent","body":{}}'],
    ['a message without id', '{"type":"message","class":"StructuredMessage","code":200,"body":{"type":"Text","direction":"Outbound"}}'],
    ['a message without direction', '{"type":"message","class":"StructuredMessage","code":200,"body":{"id":"m","type":"Text"}}'],
    ['a session response without connected', '{"type":"response","class":"SessionResponse","code":200,"body":{}}'],
    ['an upload URL without url', '{"type":"response","class":"PresignedUrlResponse","code":200,"body":{"attachmentId":"a"}}'],
    ['a non-text error body', '{"type":"response","class":"string","code":400,"body":{}}'],
    ['a numeric tracingId', '{"type":"response","class":"SessionExpiredEvent","code":200,"body":{},"tracingId":5}'],
  ])('rejects %s with a MalformedFrameError', (_what, data) => {
    expect(() => parseFrame(data)).toThrow(MalformedFrameError);
  });
});

describe('decodeOutbound', () => {
  it('reads a human agent message with its image attachment as an image (issue 12 item 2)', () => {
    expect(decodeOutbound(body('structured-message.outbound-attachment-human'))).toStrictEqual({
      kind: 'agentMessage',
      id: 'msg_id',
      text: 'Hi',
      content: [{ kind: 'image', url: 'https://downloadurl.com', title: 'image.png', altText: 'image.png' }],
      sender: { key: 'Agent', nickname: 'Agent' },
    });
  });

  it('reads bot messages as bot messages, their quick replies as one option list that sends the reply text (issue 12 item 2)', () => {
    expect(decodeOutbound(body('structured-message.outbound-text-bot'))).toStrictEqual({
      kind: 'botMessage',
      id: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      text: 'Hello',
      content: [],
    });
    expect(decodeOutbound(body('structured-message.outbound-quick-replies-bot'))).toStrictEqual({
      kind: 'botMessage',
      id: 'msg_id',
      text: 'Hi',
      content: [{ kind: 'options', options: [{ label: 'text_a', value: 'text_a' }, { label: 'text_b', value: 'text_b' }] }],
    });
  });

  it('takes a named sender without originatingEntity for a human (first and last name)', () => {
    expect(decodeOutbound(body('structured-message.outbound-text-from-participant'))).toMatchObject({
      kind: 'agentMessage',
      sender: { key: 'Tony Stark', nickname: 'Tony Stark' },
    });
  });

  it('reads typing On with its duration, and Off defensively', () => {
    expect(decodeOutbound(body('event.typing-on'))).toStrictEqual({ kind: 'typing', isTyping: true, durationMs: 5000 });
    expect(decodeOutbound(body('event.typing-off.test-only'))).toStrictEqual({ kind: 'typing', isTyping: false, durationMs: 1000 });
    const noDuration = { ...body('event.typing-on'), events: [{ eventType: 'Typing', typing: { type: 'On' } }] } as WmStructuredMessage;
    expect(decodeOutbound(noDuration)).toStrictEqual({ kind: 'typing', isTyping: true, durationMs: 5000 });
  });

  it('reads Presence Disconnect as the end, with the read-only flag', () => {
    expect(decodeOutbound(body('event.presence-disconnect-outbound'))).toStrictEqual({ kind: 'ended', readOnly: false });
    expect(decodeOutbound(body('event.presence-disconnect-outbound.read-only'))).toStrictEqual({ kind: 'ended', readOnly: true });
  });

  it('ignores inbound echoes, inbound presence, empty texts and unknown types', () => {
    expect(decodeOutbound(body('structured-message.inbound-text')).kind).toBe('ignored');
    expect(decodeOutbound(body('event.presence-join-inbound')).kind).toBe('ignored');
    expect(decodeOutbound({ id: 'e', type: 'Text', direction: 'Outbound', text: '', originatingEntity: 'Human' }).kind).toBe('ignored');
    expect(decodeOutbound({ id: 'e', type: 'Receipt', direction: 'Outbound' }).kind).toBe('ignored');
  });
});

describe('senders and agents', () => {
  const channel = JSON.parse(raw('channel.recipient-nickname-image')) as { to: object };

  it('reads nickname and image from channel.from', () => {
    const message = { id: 'm', type: 'Text', direction: 'Outbound', channel: { from: channel.to } } as WmStructuredMessage;
    expect(senderOf(message, 'Agent')).toStrictEqual({
      key: 'participant_nickname',
      nickname: 'participant_nickname',
      avatarUrl: 'http://participant.image',
    });
  });

  it('prefers a recipient id as the key', () => {
    const message = { id: 'm', type: 'Text', direction: 'Outbound', channel: { from: { id: 'u1', nickname: 'Ann' } } } as WmStructuredMessage;
    expect(senderOf(message, 'Agent')).toStrictEqual({ key: 'u1', nickname: 'Ann', id: 'u1' });
  });

  it('skips attachments without a URL and quick replies without a text', () => {
    expect(contentOf([{ contentType: 'Attachment', attachment: { id: 'a' } }, { contentType: 'QuickReply' }, { contentType: 'QuickReply', quickReply: { text: ' ', payload: 'p' } }])).toStrictEqual([]);
  });

  it('reads a file attachment as a file, with its name, type and size', () => {
    expect(contentOf([{ contentType: 'Attachment', attachment: { id: 'a', url: 'https://x/f.pdf', filename: 'f.pdf', mime: 'application/pdf', fileSize: 9 } }])).toStrictEqual([
      { kind: 'file', url: 'https://x/f.pdf', name: 'f.pdf', mimeType: 'application/pdf', size: 9 },
    ]);
  });

});

describe('eventsOf', () => {
  const options = { botMessages: 'show' as const, agentFallbackName: 'Agent' };
  const says = (fields: Partial<WmStructuredMessage>): WmStructuredMessage => ({ id: 'm1', type: 'Text', direction: 'Outbound', text: 'Hi', ...fields });

  it('names the sender of a human message, so that the engine can show the join or the transfer', () => {
    const human = says({ originatingEntity: 'Human', channel: { from: { nickname: 'Ann', image: 'https://x/ann.png' } }, content: [{ contentType: 'Attachment', attachment: { id: 'a', url: 'https://x/f.pdf' } }] });
    expect(eventsOf(human, options, true)).toStrictEqual([
      { type: 'agentMessage', id: 'm1', text: 'Hi', content: [{ kind: 'file', url: 'https://x/f.pdf' }], agentId: 'Ann', sender: { nickname: 'Ann', avatarUrl: 'https://x/ann.png' } },
    ]);
  });

  it('shows bot messages without an agent, or drops them', () => {
    expect(eventsOf(says({ originatingEntity: 'Bot' }), options, true)).toStrictEqual([{ type: 'agentMessage', id: 'm1', text: 'Hi' }]);
    expect(eventsOf(says({ originatingEntity: 'Bot' }), { ...options, botMessages: 'drop' }, true)).toStrictEqual([]);
  });

  it('gives typing its duration live and leaves it out of the history; a Presence Disconnect ends the chat', () => {
    expect(eventsOf(body('event.typing-on'), options, true)).toStrictEqual([{ type: 'agentTyping', isTyping: true, forMs: 5000 }]);
    expect(eventsOf(body('event.typing-on'), options, false)).toStrictEqual([]);
    expect(eventsOf(body('event.presence-disconnect-outbound.read-only'), options, false)).toStrictEqual([{ type: 'chatEnded', reason: 'The agent ended the chat (read-only).' }]);
  });
});

describe('capabilitiesOf', () => {
  it('maps allowedMedia to upload capabilities (*/* = any type)', () => {
    const session = (frame('session-response.new-session') as Extract<WmInboundFrame, { class: 'SessionResponse' }>).body;
    expect(capabilitiesOf(session)).toStrictEqual({
      allowFileUploads: true,
      allowMultipleFileUploads: true,
      allowedFileUploadTypes: '',
      maxFileSizeBytes: 10240 * 1024,
    });
  });

  it('says nothing when the session response has no allowedMedia, and forbids uploads without types', () => {
    expect(capabilitiesOf({ connected: true })).toBeUndefined();
    expect(capabilitiesOf({ connected: true, allowedMedia: { inbound: { fileTypes: [] } } })).toMatchObject({ allowFileUploads: false });
  });
});

describe('errorOf', () => {
  const frames = JSON.parse(raw('error.string-frames')) as { code: number; body: string }[];

  it.each([
    [403, 'configure', 'CONNECT_FAILED', false],
    [400, 'configure', 'CONNECT_FAILED', false],
    [401, 'configure', 'AUTH_FAILED', false],
    [5000, 'configure', 'CONNECT_FAILED', true],
    [429, 'configure', 'CONNECT_FAILED', true],
    [4006, 'running', 'SESSION_EXPIRED', false],
    [4007, 'configure', 'SESSION_EXPIRED', false],
    [4011, 'request', 'SEND_FAILED', false],
    [4029, 'request', 'SEND_FAILED', true],
    [5000, 'running', 'CONNECTION_LOST', true],
  ] as const)('code %i while %s -> %s (retryable %s)', (code, phase, expected, retryable) => {
    const error = errorOf(code, frames.find((item) => item.code === code)?.body, phase);
    expect(error).toBeInstanceOf(ServiceDeskError);
    expect(error).toMatchObject({ code: expected, retryable });
  });

  it('tells the developer what to check when the deployment is refused', () => {
    expect(errorOf(403, 'HTTP authorization error', 'configure').message).toMatch(/deploymentId.*domain.*origin/);
  });
});

describe('historyEvents', () => {
  const options = { botMessages: 'show' as const, agentFallbackName: 'Agent' };

  it('reads the vendor history sample (with null times) oldest first; the guest\'s own event is not an agent message', () => {
    const sample = JSON.parse(raw('rest.history-messages')) as WmHistoryPage;
    expect(historyEvents(sample, options).map((event) => (event.type === 'agentMessage' ? event.id : event.type))).toEqual(['message3_id', '5befde6373a23f32f20b59b4e1cba0e6']);
    expect(historyEvents(JSON.parse(raw('rest.history-messages.empty')) as WmHistoryPage, options)).toEqual([]);
  });

  it("finds the user's own messages by messageIdAttribute, and leaves out typing", () => {
    const entities = [
      { id: 't', type: 'Event', direction: 'Outbound', events: [{ eventType: 'Typing', typing: { type: 'On', duration: 5000 } }] },
      { id: 'in', type: 'Text', direction: 'Inbound', text: 'mine', channel: { metadata: { customAttributes: { rxId: 'host-1' } } } },
    ] as WmStructuredMessage[];
    const page = { entities, pageSize: 25, pageNumber: 1, total: 2, pageCount: 1 } as WmHistoryPage;
    expect(historyEvents(page, { ...options, messageIdAttribute: 'rxId' })).toStrictEqual([{ type: 'userMessageSeen', messageId: 'host-1' }]);
    expect(historyEvents(page, options)).toStrictEqual([]);
  });
});

describe('malformed frames found by fuzzing (spec/reliability/fuzz-genesys.spec.ts)', () => {
  const structured = (fields: Record<string, unknown>) =>
    JSON.stringify({ type: 'message', class: 'StructuredMessage', code: 200, body: { id: 'm1', type: 'Text', direction: 'Outbound', text: 'hi', ...fields } });

  it('refuses classes that are Object.prototype keys instead of throwing a TypeError', () => {
    for (const kind of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(() => parseFrame(JSON.stringify({ type: 'message', class: kind, code: 200, body: {} }))).toThrow(MalformedFrameError);
    }
  });

  it('refuses a StructuredMessage with an empty id (the core drops repeated ids as duplicates)', () => {
    expect(() => parseFrame(structured({ id: '' }))).toThrow(MalformedFrameError);
  });

  it('reads content and events that are not arrays as empty', () => {
    const message = (fields: Record<string, unknown>) => (parseFrame(structured(fields)) as Extract<WmInboundFrame, { class: 'StructuredMessage' }>).body;
    expect(decodeOutbound(message({ content: {}, originatingEntity: 'Human' }))).toMatchObject({ kind: 'agentMessage', text: 'hi', content: [] });
    expect(decodeOutbound(message({ type: 'Event', events: {} }))).toEqual({ kind: 'ignored', why: 'event' });
    expect(decodeOutbound(message({ type: 'Event', events: 7 }))).toEqual({ kind: 'ignored', why: 'event' });
  });

  it('reads fileTypes that are not an array as no types, and ignores a negative size limit', () => {
    expect(capabilitiesOf({ connected: true, allowedMedia: { inbound: { fileTypes: '<script>' as never, maxFileSizeKB: -1 } } })).toEqual({
      allowFileUploads: false,
      allowMultipleFileUploads: true,
      allowedFileUploadTypes: '',
    });
  });

  it('skips history entities with an empty id, as parseFrame refuses live ones', () => {
    const entities = [{ id: '', type: 'Text', direction: 'Outbound', text: 'no id' }, { id: 'm1', type: 'Text', direction: 'Outbound', text: 'ok' }] as WmStructuredMessage[];
    const page = { entities, pageSize: 25, pageNumber: 1, total: 2, pageCount: 1 } as WmHistoryPage;
    expect(historyEvents(page, { botMessages: 'show', agentFallbackName: 'Agent' }).map((event) => (event.type === 'agentMessage' ? event.text : ''))).toEqual(['ok']);
  });
});
