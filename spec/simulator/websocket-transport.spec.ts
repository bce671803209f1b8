import { webSocketTransport, type DeskFrame, type WebSocketLike } from '../../lib/simulator';
import { FakeEmitter } from '../../lib/testing';

class FakeSocket extends FakeEmitter implements WebSocketLike {
  readyState = 0;
  readonly sent: string[] = [];
  closedWith: [number?, string?] | undefined;
  send(data: string) {
    this.sent.push(data);
  }
  close(code?: number, reason?: string) {
    this.closedWith = [code, reason];
  }
  addEventListener(type: string, listener: (event: never) => void) {
    this.on(type, listener as never);
  }
  removeEventListener(type: string, listener: (event: never) => void) {
    this.off(type, listener as never);
  }
}

describe('webSocketTransport', () => {
  it('queues frames until the socket opens, parses frames, skips malformed ones, and removes its listeners', () => {
    const socket = new FakeSocket();
    const frames: DeskFrame[] = [];
    const closes: string[] = [];
    const connection = webSocketTransport('ws://127.0.0.1/desk', { createSocket: () => socket }).open({ frame: (frame) => frames.push(frame), close: (reason) => closes.push(reason) });
    connection.send({ t: 'start', summary: [] });
    expect(socket.sent).toEqual([]);
    socket.readyState = 1;
    socket.emit('open', {});
    connection.send({ t: 'read' });
    expect(socket.sent).toEqual(['{"t":"start","summary":[]}', '{"t":"read"}']);
    socket.emit('message', { data: 'not json' });
    socket.emit('message', { data: '{"no":"t"}' });
    socket.emit('message', { data: '{"t":"read"}' });
    expect(frames).toEqual([{ t: 'read' }]);
    socket.emit('close', { reason: 'server going away' });
    expect(closes).toEqual(['server going away']);
    expect(socket.listenerCount()).toBe(0);
  });

  it('close() closes the socket once and removes its listeners', () => {
    const socket = new FakeSocket();
    const connection = webSocketTransport('ws://x', { createSocket: () => socket }).open({ frame: () => undefined, close: () => undefined });
    connection.close();
    connection.close();
    expect(socket.closedWith).toEqual([1000, 'client closed']);
    expect(socket.listenerCount()).toBe(0);
  });
});
