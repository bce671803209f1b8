import type { SocketCloseEvent, SocketMessageEvent, WebSocketLike } from '../core/web-socket.js';
import type { ClientFrame, DeskFrame, SimulatorTransport } from './protocol.js';

/** Options of {@link webSocketTransport}. */
export interface WebSocketTransportOptions {
  /** Creates the socket. Default: the global `WebSocket`. */
  createSocket?: (url: string) => WebSocketLike;
}

const OPEN = 1;

/**
 * Reaches a simulated desk served over a WebSocket (the browser demo's server bridges it to a
 * `SimulatedDeskEngine`). Frames are JSON; frames sent before the socket opens wait for it.
 *
 * @example
 * const adapter = simulatedDesk({ transport: webSocketTransport(`ws://${location.host}/desk`) });
 */
export function webSocketTransport(url: string, options: WebSocketTransportOptions = {}): SimulatorTransport {
  const create = options.createSocket ?? ((target: string) => new WebSocket(target) as unknown as WebSocketLike);
  return {
    open(handlers) {
      const socket = create(url);
      const waiting: string[] = [];
      let closed = false;
      const onOpen = () => waiting.splice(0).forEach((data) => socket.send(data));
      const onMessage = (event: SocketMessageEvent) => {
        let frame: DeskFrame;
        try {
          frame = JSON.parse(String(event.data)) as DeskFrame;
        } catch {
          return;
        }
        if (frame && typeof frame === 'object' && typeof frame.t === 'string') handlers.frame(frame);
      };
      const onClose = (event: Partial<SocketCloseEvent> = {}) => {
        if (closed) return;
        closed = true;
        detach();
        handlers.close(event.reason || 'the socket closed');
      };
      const onError = () => onClose();
      const detach = () => {
        socket.removeEventListener('open', onOpen);
        socket.removeEventListener('message', onMessage);
        socket.removeEventListener('close', onClose);
        socket.removeEventListener('error', onError);
      };
      socket.addEventListener('open', onOpen);
      socket.addEventListener('message', onMessage);
      socket.addEventListener('close', onClose);
      socket.addEventListener('error', onError);
      return {
        send(frame: ClientFrame) {
          const data = JSON.stringify(frame);
          if (socket.readyState === OPEN) socket.send(data);
          else waiting.push(data);
        },
        close() {
          if (closed) return;
          closed = true;
          detach();
          socket.close(1000, 'client closed');
        },
      };
    },
  };
}
