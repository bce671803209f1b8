import type { ClientFrame, DeskFrame, SimulatorTransport } from './protocol.js';

/** The part of the WebSocket API the transport uses (the browser's `WebSocket` and `ws` both fit). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: { data?: unknown; reason?: string }) => void): void;
  removeEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: { data?: unknown; reason?: string }) => void): void;
}

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
      const onMessage = (event: { data?: unknown }) => {
        let frame: DeskFrame;
        try {
          frame = JSON.parse(String(event.data)) as DeskFrame;
        } catch {
          return;
        }
        if (frame && typeof frame === 'object' && typeof frame.t === 'string') handlers.frame(frame);
      };
      const onClose = (event: { reason?: string }) => {
        if (closed) return;
        closed = true;
        detach();
        handlers.close(event.reason || 'the socket closed');
      };
      const listeners = [
        ['open', onOpen],
        ['message', onMessage],
        ['close', onClose],
        ['error', onClose],
      ] as const;
      const detach = () => listeners.forEach(([type, listener]) => socket.removeEventListener(type, listener));
      listeners.forEach(([type, listener]) => socket.addEventListener(type, listener));
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
