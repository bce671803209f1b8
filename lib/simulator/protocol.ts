/**
 * The simulated desk's wire protocol: JSON frames between a chat client and the desk, small enough to carry over an
 * in-memory transport (tests, the terminal demo) or a WebSocket (the browser demo's server).
 */

import type { AgentContent, ScreenShareAnswer } from '../core/events.js';

/** An agent as the desk describes them. */
export interface SimAgent {
  readonly id: string;
  readonly nickname: string;
  readonly avatarUrl?: string;
}

/** A file or link sent by an agent. */
export interface SimAttachment {
  readonly url: string;
  readonly name: string;
  readonly mimeType?: string;
  readonly size?: number;
}

/** Rich content of an agent message: the library's own typed content (files, images, video, errors, options, custom). */
export type SimContent = AgentContent;

/** The user's answer to a screen-share request, or `stopped`. */
export type SimScreenShareAnswer = ScreenShareAnswer;

/** Client -> desk. */
export type ClientFrame =
  | { readonly t: 'start'; readonly summary: readonly string[]; readonly userName?: string; readonly context?: Readonly<Record<string, string>> }
  | { readonly t: 'screenShare'; readonly answer: SimScreenShareAnswer }
  | { readonly t: 'resume'; readonly token: string; readonly lastSeq: number }
  | { readonly t: 'message'; readonly id: string; readonly text: string }
  | { readonly t: 'file'; readonly id: string; readonly name: string; readonly size: number; readonly mimeType: string }
  | { readonly t: 'typing'; readonly on: boolean }
  | { readonly t: 'read' }
  | { readonly t: 'end' };

/** Desk -> client frames that belong to the conversation's history (numbered, replayed on resume). */
export type HistoryFrame =
  | { readonly t: 'join'; readonly seq: number; readonly agent: SimAgent }
  | { readonly t: 'transfer'; readonly seq: number; readonly agent?: SimAgent }
  | { readonly t: 'leave'; readonly seq: number; readonly agentId: string }
  | {
      readonly t: 'message';
      readonly seq: number;
      readonly id: string;
      readonly agentId: string;
      readonly text: string;
      readonly attachments?: readonly SimAttachment[];
      readonly content?: readonly SimContent[];
    }
  | { readonly t: 'ended'; readonly seq: number };

/** Desk -> client. */
export type DeskFrame =
  | HistoryFrame
  | { readonly t: 'session'; readonly token: string; readonly resumed: boolean }
  | { readonly t: 'queue'; readonly position: number; readonly waitMinutes: number }
  | { readonly t: 'typing'; readonly agentId: string; readonly on: boolean }
  | { readonly t: 'read' }
  /** The agent asks the user to share their screen (`on: true`) or ends the share (`false`). */
  | { readonly t: 'screenShare'; readonly on: boolean }
  | { readonly t: 'ack'; readonly id: string }
  | { readonly t: 'nack'; readonly id: string; readonly reason: string }
  | { readonly t: 'fileAck'; readonly id: string }
  | { readonly t: 'fileNack'; readonly id: string; readonly reason: string }
  | { readonly t: 'error'; readonly code: 'SESSION_NOT_FOUND' | 'REPLACED' | 'REJECTED' | 'BAD_FRAME'; readonly message: string };

/** What a transport tells the client side. */
export interface TransportHandlers {
  frame(frame: DeskFrame): void;
  /** The connection is gone (dropped by the desk or the network). */
  close(reason: string): void;
}

/** An open connection, client side. */
export interface TransportConnection {
  send(frame: ClientFrame): void;
  close(): void;
}

/** How the simulated desk adapter reaches a desk: in memory, or over a WebSocket. */
export interface SimulatorTransport {
  open(handlers: TransportHandlers): TransportConnection;
}
