import { Observable, Subject, defer, filter, map, of, take, type SchedulerLike } from 'rxjs';
import type { ServiceDeskAdapter } from '../../core/adapter.js';
import { createAdapter } from '../../core/engine/engine.js';
import type { AdapterEvent, AdapterPort, CommonAdapterOptions, PortSession } from '../../core/engine/port.js';
import { ServiceDeskError } from '../../core/errors.js';
import type { Capabilities } from '../../core/events.js';
import type { EngineOptions } from '../../simulator/engine.js';
import type { ClientFrame, DeskFrame, SimAgent, SimAttachment, SimulatorTransport } from '../../simulator/protocol.js';

/** Options of {@link simulatedDesk}: the common adapter options, and how to reach the desk. */
export interface SimulatedDeskOptions extends CommonAdapterOptions<SimulatedResumeState> {
  /** How to reach the desk. Default: an in-memory desk of its own (see `engine`). */
  transport?: SimulatorTransport;
  /** Options of the in-memory desk made when no `transport` is given. Its scheduler defaults to the session's. */
  engine?: EngineOptions;
  /** What the user may upload. Default: one file at a time, images, PDF and text, up to 5 MB. */
  capabilities?: Partial<Capabilities>;
  /** Default `'rx-service-desk simulated desk'`. */
  name?: string;
}

/** The simulated desk's session state: what a reconnect, and a resume after a page reload, needs. */
export interface SimulatedResumeState {
  readonly token: string;
  /** The sequence number of the last history frame received: the desk replays what came after it. */
  readonly lastSeq: number;
}

const DEFAULT_CAPABILITIES: Capabilities = {
  allowFileUploads: true,
  allowMultipleFileUploads: false,
  allowedFileUploadTypes: 'image/*,.pdf,.txt',
  maxFileSizeBytes: 5 * 1024 * 1024,
};

const isString = (value: unknown): value is string => typeof value === 'string';
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isSeq = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;
const isAgent = (value: unknown): value is SimAgent => {
  const agent = value as Partial<SimAgent> | null;
  return typeof agent === 'object' && agent !== null && isString(agent.id) && agent.id !== '' && isString(agent.nickname) && (agent.avatarUrl === undefined || isString(agent.avatarUrl));
};
const isAttachment = (value: unknown): value is SimAttachment => {
  const item = value as Partial<SimAttachment> | null;
  return typeof item === 'object' && item !== null && isString(item.url) && isString(item.name) && (item.mimeType === undefined || isString(item.mimeType)) && (item.size === undefined || isCount(item.size));
};
/**
 * Reads saved simulated-desk session state back: `undefined` when it is not usable (then the chat is not resumed).
 *
 * @example
 * readSimulatedSession({ token: 'token-1', lastSeq: 4 }); // { token: 'token-1', lastSeq: 4 }
 * readSimulatedSession({ token: 42 }); // undefined
 */
export function readSimulatedSession(saved: unknown): SimulatedResumeState | undefined {
  if (typeof saved !== 'object' || saved === null) return undefined;
  const { token, lastSeq } = saved as Partial<SimulatedResumeState>;
  return typeof token === 'string' && token !== '' && isSeq(lastSeq) ? { token, lastSeq } : undefined;
}

const ERROR_CODES: readonly unknown[] = ['SESSION_NOT_FOUND', 'REPLACED', 'REJECTED', 'BAD_FRAME'];

/**
 * Whether a value is a well-formed desk frame: a known `t` with the fields it needs, of the right types (a message
 * has text or attachments). The adapter logs and skips anything else (a frame from a newer desk, or a broken one).
 *
 * @example
 * isDeskFrame({ t: 'join', seq: 1, agent: { id: 'agent-ann', nickname: 'Ann' } }); // true
 * isDeskFrame({ t: 'join', seq: 1, agent: null }); // false
 */
export function isDeskFrame(value: unknown): value is DeskFrame {
  if (typeof value !== 'object' || value === null) return false;
  const frame = value as Record<string, unknown>;
  switch (frame.t) {
    case 'session':
      return isString(frame.token) && typeof frame.resumed === 'boolean';
    case 'queue':
      return isCount(frame.position) && isCount(frame.waitMinutes);
    case 'join':
      return isSeq(frame.seq) && isAgent(frame.agent);
    case 'transfer':
      return isSeq(frame.seq) && (frame.agent === undefined || isAgent(frame.agent));
    case 'leave':
      return isSeq(frame.seq) && isString(frame.agentId);
    case 'message':
      return (
        isSeq(frame.seq) &&
        isString(frame.id) &&
        frame.id !== '' &&
        isString(frame.agentId) &&
        isString(frame.text) &&
        (frame.attachments === undefined || (Array.isArray(frame.attachments) && frame.attachments.every(isAttachment))) &&
        (frame.content === undefined || Array.isArray(frame.content)) &&
        (frame.text !== '' || (Array.isArray(frame.attachments) && frame.attachments.length > 0) || (Array.isArray(frame.content) && frame.content.length > 0))
      );
    case 'screenShare':
      return typeof frame.on === 'boolean';
    case 'ended':
      return isSeq(frame.seq);
    case 'typing':
      return isString(frame.agentId) && typeof frame.on === 'boolean';
    case 'read':
      return true;
    case 'ack':
    case 'fileAck':
      return isString(frame.id);
    case 'nack':
    case 'fileNack':
      return isString(frame.id) && isString(frame.reason);
    case 'error':
      return ERROR_CODES.includes(frame.code);
    default:
      return false;
  }
}

/**
 * Maps one desk frame to adapter events (pure). Acknowledgements are not events.
 *
 * @example
 * decodeDeskFrame({ t: 'typing', agentId: 'agent-ann', on: true }); // [{ type: 'agentTyping', isTyping: true, agentId: 'agent-ann' }]
 */
export function decodeDeskFrame(frame: DeskFrame): AdapterEvent<SimulatedResumeState>[] {
  switch (frame.t) {
    case 'session':
      return [{ type: 'connected', resumed: frame.resumed }];
    case 'queue':
      return [{ type: 'queueUpdate', position: frame.position, waitMinutes: frame.waitMinutes }];
    case 'join':
      return [{ type: 'agentJoined', agent: { ...frame.agent } }];
    case 'transfer':
      return [frame.agent ? { type: 'transferStarted', agent: { ...frame.agent } } : { type: 'transferStarted' }];
    case 'leave':
      return [{ type: 'agentLeft', agentId: frame.agentId }];
    case 'message':
      return [
        {
          type: 'agentMessage',
          id: frame.id,
          agentId: frame.agentId,
          text: frame.text,
          ...(frame.attachments ? { attachments: frame.attachments.map((attachment) => ({ ...attachment })) } : {}),
          ...(frame.content ? { content: frame.content } : {}),
        },
      ];
    case 'screenShare':
      return [{ type: frame.on ? 'screenShareRequested' : 'screenShareEnded' }];
    case 'typing':
      return [{ type: 'agentTyping', isTyping: frame.on, agentId: frame.agentId }];
    case 'read':
      return [{ type: 'agentRead' }];
    case 'ended':
      return [{ type: 'chatEnded', reason: 'The agent ended the chat.' }];
    default:
      return [];
  }
}

const CLOSED = { t: 'closed' } as const;
type Inbound = DeskFrame | typeof CLOSED;
/** How a command reads the desk's replies: done, failed (with a reason), or not about this command. */
type Answer = true | { readonly reason: string; readonly retryable: boolean } | undefined;
const LOST: Answer = { reason: 'The connection closed before the desk answered.', retryable: true };

/**
 * The simulated desk as a vendor port: one connection per `connect` subscription over the transport
 * `transportFor` gives for the session's scheduler, frames decoded with {@link decodeDeskFrame}, commands answered by
 * the desk's acks. The desk replays the history after `lastSeq` itself and answers a message id it has seen again
 * with the same ack, so the port needs no history read. Not exported from an entry: see `simulatedDeskPort` and
 * {@link simulatedDeskOver}.
 *
 * @example
 * const port = deskPort(() => webSocketTransport('ws://127.0.0.1:5173/ws/desk'));
 */
export function deskPort(transportFor: (scheduler: SchedulerLike) => SimulatorTransport, name?: string): AdapterPort<SimulatedResumeState> {
  return {
    name: name ?? 'rx-service-desk simulated desk',
    capabilities: DEFAULT_CAPABILITIES,
    readSession: readSimulatedSession,
    open: (request): PortSession<SimulatedResumeState> => {
      const { logger } = request;
      const desk = transportFor(request.scheduler);
      const inbound = new Subject<Inbound>();
      let send: ((frame: ClientFrame) => void) | undefined;

      const connect = (session: SimulatedResumeState | undefined) =>
        new Observable<AdapterEvent<SimulatedResumeState>>((subscriber) => {
          let state = session;
          const connection = desk.open({
            frame: (frame) => {
              if (!isDeskFrame(frame)) {
                logger.warn('skipped a malformed frame from the simulated desk', { t: (frame as { t?: unknown } | null)?.t });
                return;
              }
              inbound.next(frame);
              if (frame.t === 'error') {
                if (frame.code === 'BAD_FRAME') {
                  logger.warn('the simulated desk refused a frame', { reason: frame.message });
                  return;
                }
                const code = frame.code === 'REJECTED' ? 'CONNECT_FAILED' : 'SESSION_EXPIRED';
                subscriber.error(new ServiceDeskError(code, `The simulated desk ended the session: ${frame.message}`));
                return;
              }
              if (frame.t === 'session' || 'seq' in frame) {
                // Never backwards: an old frame again (a replay, out of order) must not make a resume replay history.
                const lastSeq = Math.max('seq' in frame ? frame.seq : 0, state?.lastSeq ?? 0);
                const token = frame.t === 'session' ? frame.token : (state?.token ?? '');
                if (token !== state?.token || lastSeq !== state.lastSeq) {
                  state = { token, lastSeq };
                  subscriber.next({ type: 'sessionState', state });
                }
              }
              for (const event of decodeDeskFrame(frame)) subscriber.next(event);
            },
            close: (reason) => {
              inbound.next(CLOSED);
              subscriber.error(new ServiceDeskError('CONNECTION_LOST', `The simulated desk connection closed: ${reason}.`, { retryable: true }));
            },
          });
          send = (frame) => connection.send(frame);
          const context = request.context?.attributes;
          connection.send(
            state
              ? { t: 'resume', token: state.token, lastSeq: state.lastSeq }
              : { t: 'start', summary: request.summary, ...(context && Object.keys(context).length ? { context } : {}) },
          );
          // The user's screen-share answers go to the desk while connected.
          const shares = request.screenShare$?.subscribe((answer) => connection.send({ t: 'screenShare', answer }));
          return () => {
            shares?.unsubscribe();
            send = undefined;
            connection.close();
          };
        });

      const command = (frame: ClientFrame, answer: (reply: Inbound) => Answer) =>
        defer(() => {
          if (!send) throw new ServiceDeskError('NOT_CONNECTED', 'The simulated desk is not connected.', { retryable: true });
          const reply$ = inbound.pipe(
            map(answer),
            filter((result) => result !== undefined),
            take(1),
            map((result) => {
              if (result === true) return true;
              throw new ServiceDeskError('SEND_FAILED', result.reason, { retryable: result.retryable });
            }),
          );
          send(frame);
          return reply$;
        });
      const fire = (frame: ClientFrame) =>
        defer(() => {
          send?.(frame);
          return of(true);
        });

      return {
        connect,
        sendMessage: ({ id, text }) =>
          command({ t: 'message', id, text }, (reply) => {
            if (reply.t === 'closed') return LOST;
            if (reply.t === 'ack' && reply.id === id) return true;
            return reply.t === 'nack' && reply.id === id ? { reason: reply.reason, retryable: false } : undefined;
          }),
        sendFile: ({ id, name, size, type }) =>
          command({ t: 'file', id, name, size, mimeType: type }, (reply) => {
            if (reply.t === 'closed') return LOST;
            if (reply.t === 'fileAck' && reply.id === id) return true;
            return reply.t === 'fileNack' && reply.id === id ? { reason: reply.reason, retryable: false } : undefined;
          }),
        sendTyping: (on) => fire({ t: 'typing', on }),
        markRead: () => fire({ t: 'read' }),
        leave: () => fire({ t: 'end' }),
      };
    },
  };
}

/**
 * The simulated desk's adapter on `port`, with `options`: availability always online, no queue polling (the desk
 * sends its own queue frames). Not exported from an entry.
 *
 * @example
 * const adapter = deskAdapter(deskPort(() => transport), { transferGraceMs: 5_000 });
 */
export function deskAdapter(port: AdapterPort<SimulatedResumeState>, options: CommonAdapterOptions<SimulatedResumeState>): ServiceDeskAdapter {
  return createAdapter(port, {
    checkAvailability: async () => ({ online: true }),
    // The desk sends its own queue frames.
    queuePollMs: 0,
    ...options,
  });
}

/** Options of {@link simulatedDeskOver}: those of `simulatedDesk` but how to reach the desk, which is given. */
export type SimulatedDeskOverOptions = Omit<SimulatedDeskOptions, 'transport' | 'engine'>;

/**
 * The simulated desk reached over `transport` (a WebSocket to a desk server, as the demo's chat page does). Unlike
 * `simulatedDesk`, it does not import the in-memory desk, so a page bundling it does not carry one (about 4 KB gzip).
 *
 * @example
 * import { simulatedDeskOver, webSocketTransport } from 'rx-service-desk/simulator';
 *
 * const adapter = simulatedDeskOver(webSocketTransport('wss://desk.example.com/ws/desk'));
 */
export function simulatedDeskOver(transport: SimulatorTransport, options: SimulatedDeskOverOptions = {}): ServiceDeskAdapter {
  return deskAdapter(deskPort(() => transport, options.name), options);
}
