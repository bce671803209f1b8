import { FakeWebSocket, fakeSocketFactory } from '../../lib/testing';

describe('FakeWebSocket', () => {
  it('records sends, delivers frames, counts listeners and closes', () => {
    const fake = fakeSocketFactory();
    expect(() => fake.latest()).toThrow();
    const socket = fake.factory('wss://x') as FakeWebSocket;
    const seen: unknown[] = [];
    const onMessage = (event: { data: unknown }) => seen.push(event.data);
    const onClose = (event: { code: number }) => seen.push(event.code);
    socket.addEventListener('message', onMessage);
    socket.addEventListener('close', onClose);
    expect(socket.listenerCount()).toBe(2);
    expect(() => socket.send('x')).toThrow(/not open/);
    socket.open();
    socket.send('{"action":"echo"}');
    socket.receive({ a: 1 });
    expect(socket.sentFrames()).toEqual([{ action: 'echo' }]);
    socket.close(1000);
    socket.removeEventListener('message', onMessage);
    socket.removeEventListener('close', onClose);
    expect(seen).toEqual(['{"a":1}', 1000]);
    expect(socket.closedWith).toBe(1000);
    expect(socket.listenerCount()).toBe(0);
    expect(fake.latest()).toBe(socket);
  });
});
