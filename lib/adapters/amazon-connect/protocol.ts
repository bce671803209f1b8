/**
 * The subset of the Amazon Connect Participant Service this package speaks, as types. Wire names follow the AWS API
 * reference (`ConnectParticipant` 2018-09-07) and what `amazon-connect-chatjs` 5.0.0 sends and reads (see
 * docs/vendors/amazon-connect.md). The simulator (`rx-service-desk/simulator/amazon-connect`) uses the same types.
 */

/** Who wrote a transcript item. */
export type ConnectRole = 'AGENT' | 'CUSTOMER' | 'SYSTEM' | 'CUSTOM_BOT' | 'SUPERVISOR';

/** `AttachmentItem` of a transcript item. */
export interface ConnectAttachment {
  readonly AttachmentId: string;
  readonly AttachmentName: string;
  readonly ContentType: string;
  readonly Status: 'APPROVED' | 'REJECTED' | 'IN_PROGRESS';
}

/** `Receipt` inside `MessageMetadata`. */
export type ConnectReceipt = { readonly DeliveredTimestamp?: string; readonly ReadTimestamp?: string; readonly RecipientParticipantId?: string };

/** `Item` of a transcript, and the parsed `content` of an `aws/chat` socket frame (which adds the contact ids). */
export interface ConnectItem {
  readonly Id: string;
  readonly AbsoluteTime: string;
  readonly Type: 'MESSAGE' | 'EVENT' | 'ATTACHMENT' | 'CONNECTION_ACK' | 'MESSAGE_METADATA';
  readonly ContentType?: string;
  readonly Content?: string;
  readonly ParticipantId?: string;
  readonly DisplayName?: string;
  readonly ParticipantRole?: ConnectRole;
  readonly Attachments?: readonly ConnectAttachment[];
  readonly MessageMetadata?: { readonly MessageId: string; readonly Receipts?: readonly ConnectReceipt[] };
  readonly ContactId?: string;
  readonly InitialContactId?: string;
}

/** Content types of the events this package sends or reads. */
export const CONNECT_EVENT = {
  typing: 'application/vnd.amazonaws.connect.event.typing',
  read: 'application/vnd.amazonaws.connect.event.message.read',
  delivered: 'application/vnd.amazonaws.connect.event.message.delivered',
  joined: 'application/vnd.amazonaws.connect.event.participant.joined',
  left: 'application/vnd.amazonaws.connect.event.participant.left',
  transferSucceeded: 'application/vnd.amazonaws.connect.event.transfer.succeeded',
  ended: 'application/vnd.amazonaws.connect.event.chat.ended',
} as const;
