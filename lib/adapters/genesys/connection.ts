import { EMPTY, Subject, defer, finalize, merge, mergeMap, of, take, throwError, type Observable } from 'rxjs';
import { ServiceDeskError } from '../../core/errors.js';
import { errorOf } from './decode.js';
import type { WmInboundFrame, WmOutboundFrame } from './protocol.js';
import { SOCKET_OPEN, type WebSocketLike } from './socket.js';

/**
 * One socket's worth of state: what the adapter sends on it and the frames it received, for commands that wait for
 * a reply. Made per connection attempt; `dispose` completes `frames$` so that waiting commands stop.
 *
 * @example
 * const conn = new Connection();
 * conn.socket = socket;
 * conn.request(frames.getJwt(token, 'j1'), 'j1', (reply) => (reply.class === 'JwtResponse' ? reply.body.jwt : undefined));
 */
export class Connection {
  /** Every parsed frame of this socket, as it arrives (before the ordered event pipeline). */
  readonly frames$ = new Subject<WmInboundFrame>();
  /** Emits once the session is configured (starts the heartbeat). */
  readonly configured$ = new Subject<void>();
  socket: WebSocketLike | undefined;
  closed = false;
  configured = false;
  /** A `configureSession` with `startNew: true` was sent on this socket. */
  startedNew = false;
  /** An echo was sent and not answered yet. */
  awaitingEcho = false;
  /** Tracing ids of requests waiting for a reply: their error frames belong to them. */
  readonly pending = new Set<string>();

  /** Sends one frame; throws a retryable error when the socket is not open. */
  send(frame: WmOutboundFrame): void {
    const socket = this.socket;
    if (this.closed || !socket || socket.readyState !== SOCKET_OPEN) {
      throw new ServiceDeskError('NOT_CONNECTED', 'The Genesys socket is not open.', { retryable: true });
    }
    socket.send(JSON.stringify(frame));
  }

  /**
   * Sends `frame` and emits the first reply that `match` accepts. An error frame with the same tracing id errors;
   * the socket closing completes without a value (the caller decides whether that is a failure).
   */
  request<T>(frame: WmOutboundFrame, tracingId: string, match: (reply: WmInboundFrame) => T | undefined): Observable<T> {
    return defer(() => {
      this.pending.add(tracingId);
      const replies$ = this.frames$.pipe(
        mergeMap((reply): Observable<T> => {
          if (reply.tracingId === tracingId && reply.class === 'string') return throwError(() => errorOf(reply.code, reply.body, 'request'));
          if (reply.tracingId === tracingId && reply.class === 'TooManyRequestsErrorMessage') {
            return throwError(() => errorOf(reply.code, reply.body.errorMessage, 'request'));
          }
          const value = match(reply);
          return value === undefined ? EMPTY : of(value);
        }),
      );
      const send$ = defer(() => {
        this.send(frame);
        return EMPTY;
      });
      return merge(replies$, send$).pipe(
        take(1),
        finalize(() => this.pending.delete(tracingId)),
      );
    });
  }

  /** Ends this connection: waiting requests complete, the socket is closed (normally) if still open. */
  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.frames$.complete();
    this.configured$.complete();
    const socket = this.socket;
    this.socket = undefined;
    if (!socket || socket.readyState > SOCKET_OPEN) return;
    // Until the close completes, a late 'error' (ws emits one when a socket still connecting is closed, and throws
    // when nobody listens) is swallowed; both helper listeners go away with the 'close' event.
    const swallow = () => undefined;
    const closed = () => {
      socket.removeEventListener('error', swallow);
      socket.removeEventListener('close', closed);
    };
    socket.addEventListener('error', swallow);
    socket.addEventListener('close', closed);
    socket.close(1000, 'done');
  }
}
