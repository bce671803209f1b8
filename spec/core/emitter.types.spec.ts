import { TSC_7, typecheck } from '../docs/typecheck';

// What a consumer writes: the real emitter types of Node, `ws` and the DOM lib handed to fromEmitter/decodeEmitter.
// Each `@ts-expect-error` line must stay an error: if EmitterLike ever accepts it, tsc reports the unused directive.
const consumer = `
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import { decodeEmitter, fromEmitter } from 'rx-service-desk';
import type { Observable } from 'rxjs';

const node = new EventEmitter();
const joined$: Observable<{ name: string }> = fromEmitter<{ name: string }>(node, 'joined');
decodeEmitter(node, { joined: (agent: { name: string }) => agent.name, left: () => 'left' });

const socket = new WebSocket('ws://127.0.0.1:1');
fromEmitter<WebSocket.RawData>(socket, 'message');
decodeEmitter(socket, { message: (data: WebSocket.RawData) => data.toString() });

declare const browserSocket: globalThis.WebSocket;
fromEmitter<MessageEvent<string>>(browserSocket, 'message');
decodeEmitter(browserSocket, { message: (event: MessageEvent<string>) => event.data });

const target = new EventTarget();
fromEmitter<Event>(target, 'ping');
decodeEmitter(target, { ping: (event: Event) => event.type });

// @ts-expect-error a value without listener methods is not an emitter
fromEmitter({}, 'message');
// @ts-expect-error on without off cannot be unsubscribed
fromEmitter({ on: (_event: string, _listener: () => void) => undefined }, 'message');
// @ts-expect-error a listener method whose event is not a string
fromEmitter({ on: (_event: number, _l: () => void) => 0, off: (_event: number, _l: () => void) => 0 }, 'message');

export { joined$ };
`;

// Checked with TypeScript 7 (tsgo, a tenth of tsc 5.9's time here); the TypeScript 5.9 consumer is covered by the doc
// samples, which pass a Node EventEmitter to decodeEmitter (docs/writing-an-adapter.md) and are checked with both.
describe('EmitterLike (types, compiled in strict mode)', () => {
  it('accepts a Node EventEmitter, a ws WebSocket, a DOM WebSocket and an EventTarget, and rejects non-emitters', () => {
    // control.ts proves that the check reports an error where there is one.
    const control = "import { fromEmitter } from 'rx-service-desk';\nfromEmitter(42, 'x');\n";
    const errors = typecheck(TSC_7, 'emitter-types', { 'consumer.ts': consumer, 'control.ts': control });
    expect(errors.map((error) => `${error.file}:${error.line} ${error.code}`)).toEqual(['control.ts:2 TS2345']);
  });
});
