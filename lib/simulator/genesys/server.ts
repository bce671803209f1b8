import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { listen, readBody } from '../http.js';
import { fakeGenesysDesk, type GenesysAgentControls, type GenesysDesk, type GenesysDeskOptions } from '../../testing/genesys/desk.js';

/** Options of {@link startGenesysSimulator}: the desk's (see `GenesysDeskOptions`), plus where to listen. */
export interface GenesysSimulatorOptions extends Omit<GenesysDeskOptions, 'baseUrl' | 'scheduler'> {
  /** Default 0: a free port. */
  port?: number;
  /** Loopback only: `'127.0.0.1'` (default), `'::1'` or `'localhost'`. */
  host?: string;
}

/** A running Web Messaging simulator and its agent-side controls. Every agent action targets the latest session. */
export interface GenesysSimulator extends GenesysAgentControls {
  /** The WebSocket URL to give the adapter as `webSocketUrl` (`ws://127.0.0.1:PORT/v1`). */
  readonly url: string;
  /** The HTTP base URL to give the adapter as `apiUrl` (history, uploads, files). */
  readonly httpUrl: string;
  /** Stops the server: closes every socket. */
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** Serves the desk's REST side over HTTP; browser origins the desk does not accept get 403. */
async function serveHttp(desk: GenesysDesk, maxBodyBytes: number, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const origin = request.headers.origin;
  if (!desk.acceptsOrigin(origin)) return sendJson(response, 403, { message: 'This origin may not call the simulator.' });
  if (origin !== undefined) {
    response.setHeader('Access-Control-Allow-Origin', origin);
    response.setHeader('Vary', 'Origin');
    response.setHeader('Access-Control-Allow-Methods', 'GET, PUT, OPTIONS');
    response.setHeader('Access-Control-Allow-Headers', 'authorization, content-type, x-amz-tagging');
  }
  if (request.method === 'OPTIONS') {
    response.writeHead(204);
    return void response.end();
  }
  const body = request.method === 'PUT' ? await readBody(request, maxBodyBytes) : undefined;
  if (request.method === 'PUT' && body === undefined) return sendJson(response, 413, { message: `The file is larger than ${maxBodyBytes} bytes.` });
  const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]));
  const answer = desk.http({ method: request.method ?? 'GET', path: request.url ?? '/', headers, ...(body ? { body } : {}) });
  if (!answer.file) return sendJson(response, answer.status, answer.json ?? {});
  const data = answer.file.data instanceof Uint8Array ? answer.file.data : new Uint8Array(await answer.file.data.arrayBuffer());
  response.writeHead(answer.status, { 'Content-Type': answer.file.type, 'Content-Length': String(data.length) });
  response.end(data);
}

/**
 * Starts a Genesys Cloud Web Messaging simulator on loopback: a thin ws + HTTP shell over the transport-free desk
 * of `rx-service-desk/testing/genesys` (`fakeGenesysDesk`), for the demo and real-socket smoke tests. Guest frames
 * above `maxFrameBytes` (256 KB by default) close the socket with 1009, and browser pages from origins the desk
 * does not accept (loopback only by default) are refused at the handshake (403) and on HTTP. Node only; needs the
 * `ws` package.
 *
 * Options: see {@link GenesysSimulatorOptions} (port 0 and host 127.0.0.1 by default).
 *
 * @example
 * import { WebSocket } from 'ws';
 * import { startGenesysSimulator } from 'rx-service-desk/simulator/genesys';
 * import { genesysWebMessaging, wsSocketFactory } from 'rx-service-desk/genesys';
 *
 * const sim = await startGenesysSimulator();
 * const adapter = genesysWebMessaging({
 *   deploymentId: sim.deploymentId,
 *   webSocketUrl: sim.url,
 *   apiUrl: sim.httpUrl,
 *   socketFactory: wsSocketFactory(WebSocket),
 * });
 * sim.on('guestMessage', (message) => sim.say(`You said: ${message.text}`));
 * sim.join('Ann', 'https://example.com/ann.png');
 * await sim.close();
 */
export async function startGenesysSimulator(options: GenesysSimulatorOptions = {}): Promise<GenesysSimulator> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new Error(`The Genesys simulator binds to loopback only (127.0.0.1, ::1 or localhost), not ${host}.`);
  let desk: GenesysDesk | undefined;
  const ready = (): GenesysDesk => {
    if (!desk) throw new Error('The Genesys simulator is not listening yet.');
    return desk;
  };
  const maxBodyBytes = (options.maxFileSizeKB ?? 10_240) * 1024;
  const server = createServer((request, response) => {
    serveHttp(ready(), maxBodyBytes, request, response).catch((error: unknown) => sendJson(response, 500, { message: String(error) }));
  });
  // Before the WebSocket server is attached (see listen), so a taken port rejects.
  const address = await listen(server, options.port ?? 0, host);
  const wss = new WebSocketServer({
    server,
    path: '/v1',
    maxPayload: options.maxFrameBytes ?? 256 * 1024,
    verifyClient: (info: { origin?: string }, done: (verified: boolean, code?: number, message?: string) => void) =>
      ready().acceptsOrigin(info.origin) ? done(true) : done(false, 403, 'Origin not allowed'),
  });
  wss.on('connection', (socket: WebSocket) => {
    const connection = ready().connect({
      send: (data) => socket.send(data),
      close: (code, reason) => socket.close(code, reason),
      terminate: () => socket.terminate(),
    });
    socket.on('message', (data: RawData, isBinary: boolean) => connection.receive(isBinary ? '' : data.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => connection.closed());
  });
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const httpUrl = `http://${hostPart}:${address.port}`;
  desk = fakeGenesysDesk({ ...options, baseUrl: httpUrl, randomId: options.randomId ?? (() => randomUUID().replace(/-/g, '')) });
  const running = desk;
  // The desk's controls are closures: the simulator inherits them and adds its URLs and close().
  return Object.create(running, {
    url: { value: `ws://${hostPart}:${address.port}/v1`, enumerable: true },
    httpUrl: { value: httpUrl, enumerable: true },
    close: {
      value: () =>
        new Promise<void>((resolve) => {
          running.dispose();
          for (const client of wss.clients) client.terminate();
          wss.close(() => server.close(() => resolve()));
        }),
    },
  }) as GenesysSimulator;
}
