/**
 * The host side: the chat widget that hands a conversation to a human agent.
 *
 * These types cover both hosts this library serves, written from their public documentation:
 * - watsonx Assistant web chat 7.x (callbacks return `void`, snake_case availability, `updateState`,
 *   `startChat(message, { agentAppInfo })`);
 * - Carbon AI Chat 1.x (`@carbon/ai-chat`: callbacks return Promises that must be awaited in order, camelCase
 *   availability, `user_type` on profiles, persisted state plus `reconnect`, `ErrorType.USER_MESSAGE`).
 *
 * They are deliberately structural and permissive so that the real host objects are assignable to them (see
 * `spec/host/carbon-compat.spec.ts`). Differences are resolved once, in `lib/host/dialect.ts`.
 */

/** The kinds of error a service desk reports through `setErrorStatus` (numeric values shared by both hosts). */
export const ErrorType = {
  /** Could not connect (before an agent joined). The host treats the chat as ended. */
  CONNECTING: 1,
  /** The connection to the service desk was lost (`isDisconnected: true`) or restored (`false`). */
  DISCONNECTED: 2,
  /** One user message could not be delivered (Carbon AI Chat only). */
  USER_MESSAGE: 3,
} as const;

/** One of the {@link ErrorType} values. */
export type ErrorType = (typeof ErrorType)[keyof typeof ErrorType];

/** `setErrorStatus` for a failure to connect. */
export interface ConnectingErrorInfo {
  type: typeof ErrorType.CONNECTING;
  messageToUser?: string;
  logInfo?: unknown;
}

/** `setErrorStatus` for a lost (`true`) or restored (`false`) connection. */
export interface DisconnectedErrorInfo {
  type: typeof ErrorType.DISCONNECTED;
  isDisconnected: boolean;
  logInfo?: unknown;
}

/** `setErrorStatus` for one user message that failed (Carbon AI Chat). */
export interface UserMessageErrorInfo {
  type: typeof ErrorType.USER_MESSAGE;
  messageID: string;
  logInfo?: unknown;
}

/** What `setErrorStatus` receives. */
export type ServiceDeskErrorInfo = ConnectingErrorInfo | DisconnectedErrorInfo | UserMessageErrorInfo;

/** An agent profile as the host renders it. Carbon AI Chat requires `user_type` (we always send `'human'`). */
export interface HostAgentProfile {
  id: string;
  nickname: string;
  profile_picture_url?: string;
  user_type?: string;
}

/** Queue information in the watsonx web chat dialect (minutes for the wait). */
export interface WatsonxAgentAvailability {
  position_in_queue?: number;
  estimated_wait_time?: number;
  message?: string;
}

/** Queue information in the Carbon AI Chat dialect (minutes for the wait). */
export interface CarbonAgentAvailability {
  positionInQueue?: number;
  estimatedWaitTime?: number;
  message?: string;
}

/** One item of a host message (`output.generic[]`). Only the fields this library reads or writes are named. */
export interface HostGenericItem {
  response_type: string;
  text?: string;
  /** On a `connect_to_agent` item: the message for the human agent. */
  message_to_human_agent?: string;
  /** On a `connect_to_agent` item: vendor-specific data and the summary for the agent. */
  transfer_info?: HostTransferInfo;
  /** On an `image` item. */
  source?: string;
  title?: string;
  /** Set by the host on agent messages. */
  agent_message_type?: string;
}

/** `transfer_info` of a `connect_to_agent` item. */
export interface HostTransferInfo {
  additional_data?: { [key: string]: string };
  summary_message_to_agent?: ReadonlyArray<{ response_type?: string; text?: string }>;
  session_history_key?: string;
}

/** A message from the assistant or an agent (`MessageResponse`). */
export interface HostMessageResponse {
  id?: string;
  output: { generic?: HostGenericItem[] };
}

/** A message the user sends (`MessageRequest`). */
export interface HostMessageRequest {
  id?: string;
  input: { text?: string; message_type?: string };
}

/** A file the user picked (`FileUpload`). `file` is a browser `File` (in Node tests, any Blob with a name). */
export interface HostFileUpload {
  id: string;
  file: Blob & { readonly name: string };
  status?: string;
  isError?: boolean;
  errorMessage?: string;
}

/** Extra data on `sendMessageToAgent`. */
export interface AdditionalDataToAgent {
  filesToUpload?: HostFileUpload[];
}

/** What the host lets the user upload (`ServiceDeskCapabilities`). */
export interface HostCapabilities {
  allowFileUploads: boolean;
  allowMultipleFileUploads: boolean;
  /** The `accept` string of the file input, e.g. `".pdf,image/*"`. */
  allowedFileUploadTypes: string;
}

/** The second argument of `startChat`: Carbon passes `preStartChatPayload`, watsonx web chat `agentAppInfo`. */
export interface StartChatOptions {
  preStartChatPayload?: unknown;
  agentAppInfo?: { sessionHistoryKey?: string };
}

/** The argument of `endChat`. */
export interface EndChatInfo {
  preEndChatPayload?: unknown;
  endedByHumanAgent?: boolean;
}

/** The web chat state that watsonx web chat passes to `updateState`. */
export interface HostState {
  sessionID?: string;
  userID?: string;
  locale?: string;
}

/**
 * The callback object the host gives the service desk. Every method may return a Promise (Carbon AI Chat) or
 * nothing (watsonx web chat); the binder awaits what it gets.
 */
export interface HostCallback {
  updateAgentAvailability(availability: CarbonAgentAvailability | WatsonxAgentAvailability): void | Promise<void>;
  agentJoined(profile: HostAgentProfile): void | Promise<void>;
  agentReadMessages(): void | Promise<void>;
  agentTyping(isTyping: boolean): void | Promise<void>;
  sendMessageToUser(message: HostMessageResponse | string, agentID?: string): void | Promise<void>;
  beginTransferToAnotherAgent(profile?: HostAgentProfile): void | Promise<void>;
  agentLeftChat(): void | Promise<void>;
  agentEndedChat(): void | Promise<void>;
  setErrorStatus(errorInfo: ServiceDeskErrorInfo): void | Promise<void>;
  setFileUploadStatus?(fileID: string, isError?: boolean, errorMessage?: string): void | Promise<void>;
  updateCapabilities?(capabilities: Partial<HostCapabilities>): void | Promise<void>;
  /**
   * Asks the user to share their screen (a modal). Resolves with the user's answer (Carbon AI Chat: `'accepted'`,
   * `'declined'`, `'cancelled'`, `'ended'`); a headless host may never answer, so the desk bounds it.
   */
  screenShareRequest?(): unknown;
  /** The screen share ended or was cancelled at the agent's side. */
  screenShareEnded?(): void | Promise<void>;
  /** Carbon AI Chat: the state stored with {@link HostCallback.updatePersistedState}. */
  persistedState?(): unknown;
  /** Carbon AI Chat: store state that survives a page reload. */
  updatePersistedState?(state: unknown, mergeWithCurrent?: boolean): void;
}

/** What the host passes to `serviceDeskFactory`. */
export interface ServiceDeskFactoryParameters {
  callback: HostCallback;
  instance?: unknown;
  /** Carbon AI Chat: the state stored before a page reload. */
  persistedState?: unknown;
}

/**
 * The `ServiceDesk` a host drives. `reconnect` is present only when the adapter can resume a chat after a page
 * reload: Carbon AI Chat warns the user that reloading ends the chat exactly when a desk has no `reconnect`.
 */
export interface ServiceDesk {
  getName(): string;
  startChat(connectMessage: HostMessageResponse, startChatOptions?: StartChatOptions): Promise<void>;
  endChat(info?: EndChatInfo): Promise<void>;
  sendMessageToAgent(message: HostMessageRequest, messageID: string, additionalData?: AdditionalDataToAgent): Promise<void>;
  userTyping(isTyping: boolean): Promise<void>;
  userReadMessages(): Promise<void>;
  areAnyAgentsOnline(connectMessage: HostMessageResponse): Promise<boolean | null>;
  filesSelectedForUpload(uploads: HostFileUpload[]): void;
  updateState(state: HostState): void;
  /** The user stops sharing their screen. */
  screenShareStop(): Promise<void>;
  reconnect?(): Promise<boolean>;
}
