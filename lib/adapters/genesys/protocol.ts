/**
 * The subset of the Genesys Cloud Web Messaging guest WebSocket protocol this adapter speaks, as types plus pure
 * frame builders. Wire names follow the official Genesys mobile transport (see shared/docs/vendor-protocols.md §6 and
 * the `genesys-wm.*` samples). The simulator (`rx-service-desk/simulator/genesys`) uses the same types.
 */

/** The `channel.from` / `channel.to` of a structured message (`WebMessagingRecipient`). */
export interface WmRecipient {
  readonly id?: string;
  readonly nickname?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly image?: string;
}

/** The `channel` of a structured message. */
export interface WmChannel {
  readonly time?: string | null;
  readonly messageId?: string;
  readonly type?: string;
  readonly from?: WmRecipient;
  readonly to?: WmRecipient;
  readonly metadata?: { readonly customAttributes?: Readonly<Record<string, string>> };
}

/** An attachment inside a message's `content[]`. */
export interface WmAttachment {
  readonly id: string;
  readonly url?: string;
  readonly filename?: string;
  readonly fileSize?: number;
  readonly mediaType?: string;
  readonly mime?: string;
  readonly sha256?: string;
  readonly text?: string;
}

/** One item of a message's `content[]`. Attachments and quick replies reach the user; other kinds are ignored. */
export interface WmContent {
  readonly contentType: 'Attachment' | 'QuickReply' | 'ButtonResponse' | string;
  readonly attachment?: WmAttachment;
  readonly quickReply?: { readonly text?: string; readonly payload?: string; readonly action?: string };
}

/** One event of an `Event` message. */
export type WmEvent =
  | { readonly eventType: 'Typing'; readonly typing: { readonly type: 'On' | 'Off'; readonly duration?: number } }
  | { readonly eventType: 'Presence'; readonly presence: { readonly type: 'Join' | 'Disconnect' | 'Clear' | 'SignIn' | string } };

/** `StructuredMessage`: messages and events, in both directions (Inbound = from the guest, echoed back). */
export interface WmStructuredMessage {
  readonly id: string;
  readonly type: 'Text' | 'Event' | 'Structured' | string;
  readonly direction: 'Inbound' | 'Outbound';
  readonly text?: string;
  readonly channel?: WmChannel;
  readonly content?: readonly WmContent[];
  readonly events?: readonly WmEvent[];
  readonly metadata?: Readonly<Record<string, string>>;
  readonly originatingEntity?: 'Human' | 'Bot' | '' | string;
  readonly originatingMessageId?: string;
}

/** `SessionResponse`: the answer to `configureSession`. */
export interface WmSessionResponse {
  readonly connected: boolean;
  readonly newSession?: boolean;
  readonly readOnly?: boolean;
  readonly maxCustomDataBytes?: number;
  readonly allowedMedia?: {
    readonly inbound?: { readonly fileTypes?: readonly { readonly type: string }[]; readonly maxFileSizeKB?: number };
  };
  readonly blockedExtensions?: readonly string[];
  readonly clearedExistingSession?: boolean;
  readonly durationSeconds?: number;
  readonly expirationDate?: number;
}

/** `PresignedUrlResponse`: where to PUT an attachment, with the headers the PUT must carry. */
export interface WmPresignedUrl {
  readonly attachmentId: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly fileName?: string;
  readonly fileSize?: number;
  readonly fileType?: string;
}

/** `UploadSuccessEvent`. */
export interface WmUploadSuccess {
  readonly attachmentId: string;
  readonly downloadUrl: string;
  readonly timestamp?: string;
}

/** `UploadFailureEvent` and `GenerateUrlError`. */
export interface WmUploadFailure {
  readonly attachmentId: string;
  readonly errorCode: number;
  readonly errorMessage: string;
  readonly timestamp?: string;
}

/** `JwtResponse`: a JWT for the REST history endpoint. */
export interface WmJwt {
  readonly jwt: string;
  readonly exp: number;
}

/** `TooManyRequestsErrorMessage`. */
export interface WmTooManyRequests {
  readonly retryAfter: number;
  readonly errorCode: number;
  readonly errorMessage: string;
}

/** The body type of each inbound `class`. */
export interface WmBodies {
  SessionResponse: WmSessionResponse;
  StructuredMessage: WmStructuredMessage;
  PresignedUrlResponse: WmPresignedUrl;
  UploadSuccessEvent: WmUploadSuccess;
  UploadFailureEvent: WmUploadFailure;
  GenerateUrlError: WmUploadFailure;
  AttachmentDeletedResponse: { readonly attachmentId: string };
  JwtResponse: WmJwt;
  SessionExpiredEvent: Record<string, never>;
  SessionClearedEvent: Record<string, never>;
  ConnectionClosedEvent: { readonly reason?: string };
  LogoutEvent: Record<string, never>;
  TooManyRequestsErrorMessage: WmTooManyRequests;
  /** Errors: `code` holds the error code (400, 4006, …) and `body` a human string. */
  string: string;
}

/** An inbound `class` this adapter knows. */
export type WmClass = keyof WmBodies;

/** One server → client frame: `{ type, class, code, body, tracingId? }`, discriminated on `class`. */
export type WmInboundFrame = {
  [C in WmClass]: {
    readonly type: 'response' | 'message';
    readonly class: C;
    readonly code: number;
    readonly body: WmBodies[C];
    readonly tracingId?: string;
  };
}[WmClass];

/** The inbound frame of one class. */
export type WmFrameOf<C extends WmClass> = Extract<WmInboundFrame, { class: C }>;

/** The `message` of an outbound `onMessage` text. */
export interface WmOutgoingText {
  readonly type: 'Text';
  readonly text: string;
  readonly content?: readonly { readonly contentType: 'Attachment'; readonly attachment: { readonly id: string } }[];
  readonly metadata?: Readonly<Record<string, string>>;
  readonly channel?: { readonly metadata: { readonly customAttributes: Readonly<Record<string, string>> } };
}

/** The `message` of an outbound `onMessage` event (typing, autostart, clear). */
export interface WmOutgoingEvent {
  readonly type: 'Event';
  readonly events: readonly WmEvent[];
  readonly channel?: { readonly metadata: { readonly customAttributes: Readonly<Record<string, string>> } };
}

/** The `journeyContext` of `configureSession` (optional, passed through). */
export type WmJourneyContext = Readonly<Record<string, unknown>>;

/** One client → server frame. Every frame carries the session token. */
export type WmOutboundFrame =
  | {
      readonly action: 'configureSession';
      readonly token: string;
      readonly deploymentId: string;
      readonly startNew?: boolean;
      readonly journeyContext?: WmJourneyContext;
      readonly tracingId?: string;
    }
  | {
      readonly action: 'configureAuthenticatedSession';
      readonly token: string;
      readonly deploymentId: string;
      readonly startNew?: boolean;
      readonly journeyContext?: WmJourneyContext;
      readonly data: { readonly code: string };
      readonly tracingId?: string;
    }
  | { readonly action: 'onMessage'; readonly token: string; readonly message: WmOutgoingText | WmOutgoingEvent; readonly tracingId?: string }
  | { readonly action: 'echo'; readonly token: string; readonly message: { readonly type: 'Text'; readonly text: string }; readonly tracingId: string }
  | { readonly action: 'getJwt'; readonly token: string; readonly tracingId?: string }
  | {
      readonly action: 'onAttachment';
      readonly token: string;
      readonly attachmentId: string;
      readonly fileName: string;
      readonly fileType: string;
      readonly fileSize?: number;
      readonly errorsAsJson: true;
      readonly tracingId?: string;
    }
  | { readonly action: 'closeSession'; readonly token: string; readonly closeAllConnections: boolean; readonly tracingId?: string };

/** The `action` of an outbound frame. */
export type WmAction = WmOutboundFrame['action'];

/** The REST history page (`GET /api/v2/webmessaging/messages`): newest first, page 1 = most recent. */
export interface WmHistoryPage {
  readonly entities: readonly WmStructuredMessage[];
  readonly pageSize: number;
  readonly pageNumber: number;
  readonly total: number;
  readonly pageCount: number;
}

/** Error codes of the guest API that the adapter acts on. */
export const WmErrorCode = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  TooManyRequests: 429,
  FeatureUnavailable: 4000,
  SessionExpired: 4006,
  SessionNotFound: 4007,
  MessageTooLong: 4011,
  CustomAttributesTooLarge: 4013,
  MissingParameter: 4020,
  RateTooHigh: 4029,
  Unexpected: 5000,
} as const;

/**
 * Builders of the outbound frames the adapter sends: pure, one per action. Each takes the session token first.
 *
 * @example
 * socket.send(JSON.stringify(frames.text(token, 'Hello', { tracingId: hostMessageId })));
 * socket.send(JSON.stringify(frames.echo(token, 'rx-heartbeat')));
 */
export const frames = {
  configure(options: {
    token: string;
    deploymentId: string;
    startNew?: boolean;
    journeyContext?: WmJourneyContext;
    authCode?: string;
  }): WmOutboundFrame {
    const base = {
      token: options.token,
      deploymentId: options.deploymentId,
      ...(options.startNew ? { startNew: true } : {}),
      ...(options.journeyContext ? { journeyContext: options.journeyContext } : {}),
    };
    return options.authCode === undefined
      ? { action: 'configureSession', ...base }
      : { action: 'configureAuthenticatedSession', ...base, data: { code: options.authCode } };
  },
  text(
    token: string,
    text: string,
    options: { tracingId?: string; attachmentIds?: readonly string[]; customAttributes?: Readonly<Record<string, string>> } = {},
  ): WmOutboundFrame {
    const content = options.attachmentIds?.map((id) => ({ contentType: 'Attachment' as const, attachment: { id } }));
    const message: WmOutgoingText = {
      type: 'Text',
      text,
      ...(content?.length ? { content } : {}),
      ...(options.customAttributes ? { channel: { metadata: { customAttributes: options.customAttributes } } } : {}),
    };
    return { action: 'onMessage', token, message, ...(options.tracingId ? { tracingId: options.tracingId } : {}) };
  },
  event(token: string, event: WmEvent, tracingId?: string): WmOutboundFrame {
    return { action: 'onMessage', token, message: { type: 'Event', events: [event] }, ...(tracingId ? { tracingId } : {}) };
  },
  typing(token: string, tracingId?: string): WmOutboundFrame {
    return frames.event(token, { eventType: 'Typing', typing: { type: 'On' } }, tracingId);
  },
  presence(token: string, type: 'Join' | 'Clear', tracingId?: string): WmOutboundFrame {
    return frames.event(token, { eventType: 'Presence', presence: { type } }, tracingId);
  },
  echo(token: string, tracingId: string): WmOutboundFrame {
    return { action: 'echo', token, message: { type: 'Text', text: 'ping' }, tracingId };
  },
  getJwt(token: string, tracingId: string): WmOutboundFrame {
    return { action: 'getJwt', token, tracingId };
  },
  attachment(token: string, file: { attachmentId: string; fileName: string; fileType: string; fileSize?: number }, tracingId?: string): WmOutboundFrame {
    return {
      action: 'onAttachment',
      token,
      attachmentId: file.attachmentId,
      fileName: file.fileName,
      fileType: file.fileType,
      ...(file.fileSize !== undefined ? { fileSize: file.fileSize } : {}),
      errorsAsJson: true,
      ...(tracingId ? { tracingId } : {}),
    };
  },
  closeSession(token: string, tracingId?: string): WmOutboundFrame {
    return { action: 'closeSession', token, closeAllConnections: true, ...(tracingId ? { tracingId } : {}) };
  },
};
