import type { AdapterEvent } from '../../core/engine/port.js';
import { CONNECT_EVENT, type ConnectAttachment, type ConnectItem } from './protocol.js';

/** What one transcript item or `aws/chat` item means to the port; `skip` for items with no meaning for the user. */
export type Decoded =
  | { readonly kind: 'event'; readonly event: AdapterEvent<never> }
  | { readonly kind: 'agentFiles'; readonly id: string; readonly agentId?: string; readonly nickname?: string; readonly text: string; readonly files: readonly ConnectAttachment[] }
  /** `transfer.succeeded`: the agent is handing over; it names no next agent. */
  | { readonly kind: 'transfer' }
  | { readonly kind: 'skip' };

const SKIP: Decoded = { kind: 'skip' };
/** A plain object (not null, not an array): its fields can be read. */
export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const optionalString = (value: unknown) => value === undefined || typeof value === 'string';
const isAttachment = (value: unknown): value is ConnectAttachment =>
  isObject(value) && typeof value.AttachmentId === 'string' && typeof value.AttachmentName === 'string' && typeof value.ContentType === 'string';

/** Whether a value has the shape of a Connect item: `Id`, `Type` and `AbsoluteTime`, optional fields of the right type. */
export function isConnectItem(value: unknown): value is ConnectItem {
  return (
    isObject(value) &&
    typeof value.Id === 'string' &&
    value.Id !== '' &&
    typeof value.Type === 'string' &&
    typeof value.AbsoluteTime === 'string' &&
    ['ContentType', 'Content', 'ParticipantId', 'DisplayName', 'ParticipantRole'].every((key) => optionalString(value[key])) &&
    (value.Attachments === undefined || (Array.isArray(value.Attachments) && [...value.Attachments].every(isAttachment)))
  );
}

/**
 * Decodes one Connect item (live or from a transcript page) for a CUSTOMER participant: agent messages, files, joins,
 * leaves, chat end, and contact-flow or bot messages (shown as queue lines); the customer's own items and every other
 * event are skipped; `transfer.succeeded` is its own kind (the port orders the handover, see `amazonConnect`).
 * Returns `undefined` for an item that is not a Connect item at all.
 *
 * @example
 * decodeConnectItem({ Id: 'm1', Type: 'MESSAGE', AbsoluteTime: '…', ContentType: 'text/plain', Content: 'Hi', ParticipantRole: 'AGENT', ParticipantId: 'a1', DisplayName: 'Ann' });
 * // { kind: 'event', event: { type: 'agentMessage', id: 'm1', text: 'Hi', agentId: 'a1', sender: { nickname: 'Ann' } } }
 */
export function decodeConnectItem(value: unknown): Decoded | undefined {
  if (!isConnectItem(value)) return undefined;
  const role = value.ParticipantRole;
  const agentId = value.ParticipantId;
  const nickname = value.DisplayName;
  const sender = nickname === undefined ? {} : { sender: { nickname } };
  if (value.Type === 'EVENT') {
    if (value.ContentType === CONNECT_EVENT.ended) return { kind: 'event', event: { type: 'chatEnded' } };
    if (value.ContentType === CONNECT_EVENT.transferSucceeded) return { kind: 'transfer' };
    if (role !== 'AGENT' || agentId === undefined) return SKIP;
    if (value.ContentType === CONNECT_EVENT.joined) return { kind: 'event', event: { type: 'agentJoined', agent: { id: agentId, ...(nickname === undefined ? {} : { nickname }) } } };
    if (value.ContentType === CONNECT_EVENT.left) return { kind: 'event', event: { type: 'agentLeft', agentId } };
    return SKIP;
  }
  if (value.Type === 'ATTACHMENT' && role === 'AGENT' && value.Attachments && value.Attachments.length > 0) {
    return { kind: 'agentFiles', id: value.Id, ...(agentId === undefined ? {} : { agentId }), ...(nickname === undefined ? {} : { nickname }), text: value.Content ?? '', files: value.Attachments };
  }
  if (value.Type !== 'MESSAGE' || typeof value.Content !== 'string' || value.Content === '') return SKIP;
  if (role === 'SYSTEM' || role === 'CUSTOM_BOT') return { kind: 'event', event: { type: 'queueUpdate', message: value.Content } };
  if (role !== 'AGENT') return SKIP;
  return { kind: 'event', event: { type: 'agentMessage', id: value.Id, text: value.Content, ...(agentId === undefined ? {} : { agentId }), ...sender } };
}
