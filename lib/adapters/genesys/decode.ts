import type { AdapterEvent } from '../../core/engine/port.js';
import { ServiceDeskError } from '../../core/errors.js';
import type { AgentContent, AgentOption, Capabilities } from '../../core/events.js';
import { fileContent } from '../../core/files.js';
import {
  WmErrorCode,
  type WmClass,
  type WmContent,
  type WmHistoryPage,
  type WmInboundFrame,
  type WmRecipient,
  type WmSessionResponse,
  type WmStructuredMessage,
} from './protocol.js';

/**
 * A frame the adapter cannot use (not JSON, no known `class`, a field missing). It is logged and skipped.
 *
 * @example
 * try { parseFrame('oops'); } catch (error) { error instanceof MalformedFrameError; } // true
 */
export class MalformedFrameError extends Error {
  override readonly name = 'MalformedFrameError';
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';

function need(condition: boolean, what: string): asserts condition {
  if (!condition) throw new MalformedFrameError(what);
}

/** Required body fields per class (`string` bodies are checked apart). */
const BODY_CHECKS: { readonly [C in Exclude<WmClass, 'string'>]: (body: Json) => boolean } = {
  SessionResponse: (body) => typeof body.connected === 'boolean',
  StructuredMessage: (body) => isString(body.type) && (body.direction === 'Inbound' || body.direction === 'Outbound'),
  PresignedUrlResponse: (body) => isString(body.attachmentId) && isString(body.url),
  UploadSuccessEvent: (body) => isString(body.attachmentId) && isString(body.downloadUrl),
  UploadFailureEvent: (body) => isString(body.attachmentId),
  GenerateUrlError: (body) => isString(body.attachmentId),
  AttachmentDeletedResponse: (body) => isString(body.attachmentId),
  JwtResponse: (body) => isString(body.jwt),
  SessionExpiredEvent: () => true,
  SessionClearedEvent: () => true,
  ConnectionClosedEvent: () => true,
  LogoutEvent: () => true,
  TooManyRequestsErrorMessage: () => true,
};

/**
 * Parses one server frame and checks the fields the adapter relies on. Throws {@link MalformedFrameError} for
 * anything else (non-JSON, an unknown `class`, a missing field), so that the caller can log it and go on.
 *
 * @example
 * parseFrame('{"type":"response","class":"SessionResponse","code":200,"body":{"connected":true,"newSession":true}}');
 * // { type: 'response', class: 'SessionResponse', code: 200, body: { connected: true, newSession: true } }
 */
export function parseFrame(data: unknown): WmInboundFrame {
  need(isString(data), 'a binary frame');
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    throw new MalformedFrameError('a frame that is not JSON');
  }
  need(isObject(json), 'a frame that is not an object');
  const kind = json.class;
  need(isString(kind), 'a frame without a class');
  need(typeof json.code === 'number', `a ${kind} frame without a numeric code`);
  need(json.tracingId === undefined || isString(json.tracingId), `a ${kind} frame with a non-string tracingId`);
  if (kind === 'string') {
    need(json.body === undefined || isString(json.body), 'an error frame whose body is not text');
    return json as unknown as WmInboundFrame;
  }
  const check = Object.prototype.hasOwnProperty.call(BODY_CHECKS, kind)
    ? (BODY_CHECKS as Record<string, (body: Json) => boolean>)[kind]
    : undefined;
  need(check !== undefined, `a frame of unknown class ${kind}`);
  need(isObject(json.body) && check(json.body), `a ${kind} frame with missing fields`);
  if (kind === 'StructuredMessage') need(isString(json.body.id) && json.body.id !== '', 'a StructuredMessage without an id');
  return json as unknown as WmInboundFrame;
}

/** Who sent an agent message, as far as the guest can tell. `key` tells two agents apart. */
export interface Sender {
  readonly key: string;
  readonly nickname: string;
  readonly avatarUrl?: string;
  readonly id?: string;
}

/**
 * The sender of an Outbound message, from `channel.from` (nickname, else first and last name) or `fallbackName`.
 *
 * @example
 * senderOf({ channel: { from: { nickname: 'Ann', image: 'https://x/a.png' } } } as WmStructuredMessage, 'Agent');
 * // { key: 'Ann', nickname: 'Ann', avatarUrl: 'https://x/a.png' }
 */
export function senderOf(message: WmStructuredMessage, fallbackName: string): Sender {
  const from: WmRecipient = message.channel?.from ?? {};
  const fullName = [from.firstName, from.lastName].filter((part) => isString(part) && part.trim()).join(' ');
  const nickname = (isString(from.nickname) && from.nickname.trim()) || fullName || fallbackName;
  const id = isString(from.id) && from.id ? from.id : undefined;
  return {
    key: id ?? nickname,
    nickname,
    ...(isString(from.image) && from.image ? { avatarUrl: from.image } : {}),
    ...(id ? { id } : {}),
  };
}

/** Whether an Outbound message names a human sender (`channel.from` with a name) without `originatingEntity`. */
function hasNamedSender(message: WmStructuredMessage): boolean {
  const from = message.channel?.from;
  return !!from && [from.nickname, from.firstName, from.lastName].some((part) => isString(part) && part.trim() !== '');
}

/**
 * The rich content of a message's `content[]`: attachments as images (`image/*`) or files, and its quick replies as
 * one option list whose choices send their text (what a guest's tap sends in Genesys' own Messenger). Other content
 * kinds, and entries without a URL or a text, are left out.
 *
 * @example
 * contentOf([{ contentType: 'QuickReply', quickReply: { text: 'Yes', payload: 'y' } }, { contentType: 'Attachment', attachment: { id: 'a1', url: 'https://x/f.pdf', filename: 'f.pdf' } }]);
 * // [{ kind: 'file', url: 'https://x/f.pdf', name: 'f.pdf' }, { kind: 'options', options: [{ label: 'Yes', value: 'Yes' }] }]
 */
export function contentOf(content: readonly WmContent[] | undefined): AgentContent[] {
  const out: AgentContent[] = [];
  const options: AgentOption[] = [];
  for (const item of Array.isArray(content) ? content : []) {
    if (item?.contentType === 'QuickReply') {
      const text = item.quickReply?.text;
      if (isString(text) && text.trim()) options.push({ label: text, value: text });
      continue;
    }
    const attachment = item?.contentType === 'Attachment' ? item.attachment : undefined;
    if (!attachment || !isString(attachment.url) || !attachment.url) continue;
    out.push(
      fileContent({
        url: attachment.url,
        ...(isString(attachment.filename) ? { name: attachment.filename } : {}),
        ...(isString(attachment.mime) ? { mimeType: attachment.mime } : {}),
        ...(typeof attachment.fileSize === 'number' ? { size: attachment.fileSize } : {}),
      }),
    );
  }
  return options.length ? [...out, { kind: 'options', options }] : out;
}

/** What an Outbound message or event means for the guest. */
export type OutboundMeaning =
  | { readonly kind: 'agentMessage'; readonly id: string; readonly text: string; readonly content: AgentContent[]; readonly sender: Sender }
  | { readonly kind: 'botMessage'; readonly id: string; readonly text: string; readonly content: AgentContent[] }
  | { readonly kind: 'typing'; readonly isTyping: boolean; readonly durationMs: number }
  | { readonly kind: 'ended'; readonly readOnly: boolean }
  | { readonly kind: 'ignored'; readonly why: string };

/** GT's fallback when a Typing event has no duration. */
const DEFAULT_TYPING_MS = 5000;

/**
 * Reads one Outbound structured message: an agent (`originatingEntity: 'Human'`, or a named sender) or bot message,
 * agent typing (`On` + duration; `Off` accepted defensively), or the end of the conversation (Presence `Disconnect`).
 * Inbound messages (our own echoes) are `ignored`.
 *
 * @example
 * decodeOutbound({ id: 'm1', type: 'Text', direction: 'Outbound', text: 'Hi', originatingEntity: 'Human',
 *   channel: { from: { nickname: 'Ann' } } }, 'Agent');
 * // { kind: 'agentMessage', id: 'm1', text: 'Hi', content: [], sender: { key: 'Ann', nickname: 'Ann' } }
 */
export function decodeOutbound(message: WmStructuredMessage, fallbackName = 'Agent'): OutboundMeaning {
  if (message.direction !== 'Outbound') return { kind: 'ignored', why: 'inbound' };
  if (message.type === 'Event') {
    for (const event of Array.isArray(message.events) ? message.events : []) {
      if (event?.eventType === 'Presence' && event.presence?.type === 'Disconnect') {
        return { kind: 'ended', readOnly: message.metadata?.readOnly === 'true' };
      }
      if (event?.eventType === 'Typing' && event.typing) {
        const duration = typeof event.typing.duration === 'number' && event.typing.duration > 0 ? event.typing.duration : DEFAULT_TYPING_MS;
        return { kind: 'typing', isTyping: event.typing.type !== 'Off', durationMs: duration };
      }
    }
    return { kind: 'ignored', why: 'event' };
  }
  if (message.type !== 'Text' && message.type !== 'Structured') return { kind: 'ignored', why: `type ${message.type}` };
  const text = isString(message.text) ? message.text : '';
  const content = contentOf(message.content);
  if (!text && content.length === 0) return { kind: 'ignored', why: 'empty' };
  const human = message.originatingEntity === 'Human' || (message.originatingEntity !== 'Bot' && hasNamedSender(message));
  return human
    ? { kind: 'agentMessage', id: message.id, text, content, sender: senderOf(message, fallbackName) }
    : { kind: 'botMessage', id: message.id, text, content };
}

/**
 * The capabilities a `SessionResponse` grants (`allowedMedia.inbound`); `undefined` when it says nothing about files.
 *
 * @example
 * capabilitiesOf({ connected: true, allowedMedia: { inbound: { fileTypes: [{ type: 'image/png' }], maxFileSizeKB: 100 } } });
 * // { allowFileUploads: true, allowMultipleFileUploads: true, allowedFileUploadTypes: 'image/png', maxFileSizeBytes: 102400 }
 */
export function capabilitiesOf(session: WmSessionResponse): Partial<Capabilities> | undefined {
  const inbound = session.allowedMedia?.inbound;
  if (!inbound) return undefined;
  const types = (Array.isArray(inbound.fileTypes) ? inbound.fileTypes : []).map((entry) => entry?.type).filter(isString);
  const allowedFileUploadTypes = types.includes('*/*') ? '' : types.join(',');
  return {
    allowFileUploads: types.length > 0,
    allowMultipleFileUploads: true,
    allowedFileUploadTypes,
    ...(typeof inbound.maxFileSizeKB === 'number' && inbound.maxFileSizeKB >= 0 ? { maxFileSizeBytes: inbound.maxFileSizeKB * 1024 } : {}),
  };
}

/** When an error frame arrived: while configuring the session, or once it was running. */
export type ErrorPhase = 'configure' | 'running' | 'request';

const RETRYABLE_CODES = new Set<number>([WmErrorCode.TooManyRequests, WmErrorCode.RateTooHigh, WmErrorCode.Unexpected]);

/**
 * Turns an error frame (`class: 'string'`, code in `code`) into a {@link ServiceDeskError} that says what to do.
 * Rate limits and 5000 are retryable; a rejected configuration, an expired session or a bad request are not.
 *
 * @example
 * errorOf(403, 'Deployment not found', 'configure').code; // 'CONNECT_FAILED', not retryable
 */
export function errorOf(code: number, text: string | undefined, phase: ErrorPhase): ServiceDeskError {
  const detail = `Genesys answered ${code}${text ? `: ${text}` : ''}`;
  const retryable = RETRYABLE_CODES.has(code);
  const context = { genesysCode: code };
  if (code === WmErrorCode.SessionExpired || code === WmErrorCode.SessionNotFound) {
    return new ServiceDeskError('SESSION_EXPIRED', `${detail}. The Web Messaging session is gone: start a new chat.`, { context });
  }
  if (phase === 'configure') {
    if (retryable) return new ServiceDeskError('CONNECT_FAILED', `${detail}. Retrying.`, { retryable, context });
    if (code === WmErrorCode.Unauthorized) {
      return new ServiceDeskError('AUTH_FAILED', `${detail}. The authenticated session was refused: get a new auth code (sign the user in again).`, { context });
    }
    return new ServiceDeskError(
      'CONNECT_FAILED',
      `${detail}. Genesys refused the session: check deploymentId, the region domain, that the deployment is active, and that this site's origin is allowed by the deployment.`,
      { context },
    );
  }
  if (phase === 'request') {
    return new ServiceDeskError('SEND_FAILED', retryable ? `${detail}. Trying again.` : `${detail}.`, { retryable, context });
  }
  return new ServiceDeskError('CONNECTION_LOST', `${detail}.`, { retryable, context });
}

/** How the adapter reads Outbound messages (its options). */
export interface DecodeOptions {
  /** Bot (Architect flow) messages: shown without an agent, or dropped. */
  readonly botMessages: 'show' | 'drop';
  /** Agent name when a human message names nobody. */
  readonly agentFallbackName: string;
}

/**
 * The adapter events of one Outbound message, live or read from the history (where typing is stale and left out).
 * An agent message names its sender (`agentId` is the sender's key): the engine shows the join, or the transfer,
 * from it, since Web Messaging sends the guest no join event.
 *
 * @example
 * eventsOf({ id: 'm1', type: 'Text', direction: 'Outbound', text: 'Hi', originatingEntity: 'Human', channel: { from: { nickname: 'Ann' } } },
 *   { botMessages: 'show', agentFallbackName: 'Agent' }, true);
 * // [{ type: 'agentMessage', id: 'm1', text: 'Hi', agentId: 'Ann', sender: { nickname: 'Ann' } }]
 */
export function eventsOf(message: WmStructuredMessage, options: DecodeOptions, live: boolean): AdapterEvent[] {
  const meaning = decodeOutbound(message, options.agentFallbackName);
  switch (meaning.kind) {
    case 'typing':
      if (!live) return [];
      return [meaning.isTyping ? { type: 'agentTyping', isTyping: true, forMs: meaning.durationMs } : { type: 'agentTyping', isTyping: false }];
    case 'ended':
      return [{ type: 'chatEnded', reason: meaning.readOnly ? 'The agent ended the chat (read-only).' : 'The agent ended the chat.' }];
    case 'botMessage':
      if (options.botMessages === 'drop') return [];
      return [{ type: 'agentMessage', id: meaning.id, text: meaning.text, ...(meaning.content.length ? { content: meaning.content } : {}) }];
    case 'agentMessage': {
      const { sender } = meaning;
      return [
        {
          type: 'agentMessage',
          id: meaning.id,
          text: meaning.text,
          ...(meaning.content.length ? { content: meaning.content } : {}),
          agentId: sender.key,
          sender: { nickname: sender.nickname, ...(sender.avatarUrl ? { avatarUrl: sender.avatarUrl } : {}) },
        },
      ];
    }
    case 'ignored':
      return [];
  }
}

/**
 * The adapter events of one REST history page (entities newest first), oldest first: agent messages, and the
 * user's own messages that carry the host id in `messageIdAttribute` (as `userMessageSeen`). Entities without an id
 * are skipped, as `parseFrame` refuses live ones.
 *
 * @example
 * historyEvents({ entities: [m2, m1], pageSize: 25, pageNumber: 1, total: 2, pageCount: 1 }, { botMessages: 'show', agentFallbackName: 'Agent' });
 * // [agentMessage m1, agentMessage m2]
 */
export function historyEvents(page: WmHistoryPage, options: DecodeOptions & { readonly messageIdAttribute?: string }): AdapterEvent[] {
  const attribute = options.messageIdAttribute;
  return [...page.entities].reverse().flatMap((entity): AdapterEvent[] => {
    if (!isObject(entity) || !isString(entity.id) || entity.id === '') return [];
    if (entity.direction === 'Outbound') return eventsOf(entity, options, false).filter((event) => event.type === 'agentMessage');
    const hostId = attribute ? entity.channel?.metadata?.customAttributes?.[attribute] : undefined;
    return isString(hostId) ? [{ type: 'userMessageSeen', messageId: hostId }] : [];
  });
}
