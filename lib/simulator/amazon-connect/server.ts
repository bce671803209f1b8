import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { WebSocketServer, type RawData } from 'ws';
import { listen, readBody } from '../http.js';
import { connectSimulatorCore, type ConnectApiResult, type ConnectSimulatorCore, type ConnectSimulatorCoreOptions } from './core.js';

/** Options of {@link startConnectSimulator}. */
export interface ConnectSimulatorOptions extends Omit<ConnectSimulatorCoreOptions, 'websocketUrl' | 'uploadUrl' | 'downloadUrl'> {
  /** Default 0: a free port. The host is always 127.0.0.1 (the only `ws://` host `amazon-connect-chatjs` accepts). */
  port?: number;
  /** Browser origins allowed to call it. Requests without `Origin` (Node) are allowed. Default: any loopback origin. */
  allowedOrigins?: readonly string[];
  /** Largest JSON body and WebSocket frame. Default 64 KiB. */
  maxFrameBytes?: number;
}

/** A running participant simulator: the {@link ConnectSimulatorCore} agent API plus its loopback addresses. */
export interface ConnectSimulator extends ConnectSimulatorCore {
  /** The endpoint to give `amazon-connect-chatjs` (`setGlobalConfig({ endpoint })`) or the AWS SDK: `http://127.0.0.1:PORT`. */
  readonly endpoint: string;
  /** Stops the server and closes every socket. */
  close(): Promise<void>;
}

const LOOPBACK_ORIGIN = /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;

function reply(response: ServerResponse, result: ConnectApiResult): void {
  response.writeHead(result.status, { 'Content-Type': 'application/json', ...result.headers });
  response.end(JSON.stringify(result.body));
}

/**
 * Starts the Amazon Connect participant simulator on 127.0.0.1: StartChatContact (`PUT /contact/chat`), the
 * participant REST API under `/participant/*`, presigned-style upload (`PUT /upload/<id>`) and download
 * (`GET /files/<id>`) URLs and the participant WebSocket (`/connect?token=…`), with Origin checks and bounded bodies
 * and frames. The real `amazon-connect-chatjs` talks to it. Node only; needs the `ws` package.
 *
 * @example
 * import { startConnectSimulator } from 'rx-service-desk/simulator/amazon-connect';
 *
 * const sim = await startConnectSimulator();
 * connect.ChatSession.setGlobalConfig({ endpoint: sim.endpoint, region: 'us-east-1' });
 * sim.on('message', ({ text }) => sim.say(`You said: ${text}`));
 * await sim.close();
 */
export async function startConnectSimulator(options: ConnectSimulatorOptions = {}): Promise<ConnectSimulator> {
  const maxFrameBytes = options.maxFrameBytes ?? 65_536;
  const maxAttachmentBytes = options.maxAttachmentBytes ?? 20 * 1024 * 1024;
  const originAllowed = (origin: string | undefined) =>
    origin === undefined || (options.allowedOrigins ? options.allowedOrigins.includes(origin) : LOOPBACK_ORIGIN.test(origin));
  let base = '';
  const core = connectSimulatorCore({
    ...options,
    websocketUrl: (token) => `${base.replace(/^http/, 'ws')}/connect?token=${encodeURIComponent(token)}`,
    uploadUrl: (id) => `${base}/upload/${id}`,
    downloadUrl: (id) => `${base}/files/${id}`,
  });

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const origin = request.headers.origin;
    if (!originAllowed(origin)) return reply(response, { status: 403, body: { message: `Origin ${origin} is not allowed.` } });
    if (origin) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Vary', 'Origin');
    }
    const path = new URL(request.url ?? '/', base).pathname;
    if (request.method === 'OPTIONS') {
      response.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, OPTIONS');
      response.setHeader('Access-Control-Allow-Headers', request.headers['access-control-request-headers'] ?? '*');
      response.writeHead(204).end();
      return;
    }
    const upload = /^\/upload\/([\w-]+)$/.exec(path);
    if (upload && request.method === 'PUT') {
      const data = await readBody(request, maxAttachmentBytes);
      const stored = data !== undefined && core.upload(upload[1], new Uint8Array(data));
      return reply(response, stored ? { status: 200, body: {} } : { status: 400, body: { message: 'Unknown upload or wrong size.' } });
    }
    const download = /^\/files\/([\w-]+)$/.exec(path);
    if (download && request.method === 'GET') {
      const file = core.file(download[1]);
      if (!file) return reply(response, { status: 404, body: { message: 'No such file.' } });
      response.writeHead(200, { 'Content-Type': file.type, 'Content-Disposition': `attachment; filename="${encodeURIComponent(file.name)}"` });
      response.end(Buffer.from(file.data));
      return;
    }
    const isStart = path === '/contact/chat' && request.method === 'PUT';
    if (!isStart && !(path.startsWith('/participant/') && request.method === 'POST')) {
      return reply(response, { status: 404, body: { message: `No route ${request.method} ${path}.` } });
    }
    const raw = await readBody(request, maxFrameBytes);
    if (raw === undefined) return reply(response, { status: 413, body: { message: `The body is larger than ${maxFrameBytes} bytes.` } });
    let body: unknown;
    try {
      body = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
    } catch {
      return reply(response, { status: 400, body: { message: 'The body is not JSON.' }, headers: { 'x-amzn-ErrorType': 'ValidationException' } });
    }
    const bearer = request.headers['x-amz-bearer'];
    reply(response, isStart ? core.startChatContact(body) : core.participant(path, typeof bearer === 'string' ? bearer : undefined, body));
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => reply(response, { status: 500, body: { message: 'Internal error.' } }));
  });
  // Before the WebSocket server is attached (see listen), so a taken port rejects.
  const { port } = await listen(server, options.port ?? 0, '127.0.0.1');
  const wss = new WebSocketServer({
    server,
    path: '/connect',
    maxPayload: maxFrameBytes,
    verifyClient: ({ origin }: { origin?: string }) => originAllowed(origin || undefined),
  });
  wss.on('connection', (socket, request) => {
    const token = new URL(request.url ?? '/', base).searchParams.get('token') ?? '';
    const peer = core.openSocket(token, {
      send: (text) => {
        if (socket.readyState === socket.OPEN) socket.send(text);
      },
      drop: () => socket.terminate(),
    });
    if (!peer) return socket.close(4003, 'The connection token is not valid.');
    socket.on('message', (data: RawData) => peer.receive(data.toString()));
    socket.on('close', () => peer.closed());
    socket.on('error', () => peer.closed());
  });
  base = `http://127.0.0.1:${port}`;

  return Object.assign(Object.create(core) as ConnectSimulatorCore, {
    endpoint: base,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
