/**
 * The part of `amazon-connect-chatjs` 5.x the adapter uses, as structural types (the SDK's own index.d.ts declares a
 * global namespace, which a library cannot re-export without leaking it into its users' types).
 */

/** An `amazon-connect-chatjs` callback event (`{ data }`, index.d.ts `ChatMessageEvent`). */
export interface ChatJsEvent {
  readonly data?: unknown;
}

/** The part of an `amazon-connect-chatjs` 5.x `CustomerChatSession` the adapter uses (its index.d.ts; promises as `PromiseLike`). */
export interface ChatJsCustomerSession {
  connect(): PromiseLike<unknown>;
  sendMessage(args: { message: string; contentType: string; clientToken?: string }): PromiseLike<unknown>;
  sendEvent(args: { contentType: string; content?: string }): PromiseLike<unknown>;
  sendAttachment(args: { attachment: File }): PromiseLike<unknown>;
  getAttachmentURL(args: { attachmentId: string }): PromiseLike<string>;
  getTranscript(args: { maxResults: number; scanDirection: 'BACKWARD'; sortOrder: 'ASCENDING'; nextToken?: string }): PromiseLike<{ data?: unknown }>;
  disconnectParticipant(): PromiseLike<unknown>;
  onMessage(handler: (event: ChatJsEvent) => void): void;
  onTyping(handler: (event: ChatJsEvent) => void): void;
  onReadReceipt(handler: (event: ChatJsEvent) => void): void;
  onConnectionEstablished(handler: (event: unknown) => void): void;
  onConnectionLost(handler: (event: unknown) => void): void;
  onConnectionBroken(handler: (event: unknown) => void): void;
  /** `cleanUpOnParticipantDisconnect` (index.d.ts) removes every handler; `breakConnection` (in the bundle only) closes the socket. */
  readonly controller?: { cleanUpOnParticipantDisconnect?(): void; breakConnection?(): unknown };
}

/** `ChatDetailsInput` of index.d.ts: what `ChatSession.create` needs for a customer. */
export type ChatJsDetails = { readonly contactId: string; readonly participantId: string; readonly participantToken: string };

/** The global `connect` object of `amazon-connect-chatjs` (`window.connect` after importing it). */
export interface ChatJs {
  readonly ChatSession: { create(args: { chatDetails: ChatJsDetails; type: 'CUSTOMER'; disableCSM?: boolean; options?: { readonly region?: string } }): ChatJsCustomerSession };
}
