/**
 * The demo server: serves the chat page, the agent console, their bundles and fonts, and each vendor's endpoints, on
 * 127.0.0.1 only. Everything a page loads comes from here; the Content-Security-Policy makes the browser refuse
 * anything else.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer } from 'ws';
import { sendError, sendJson } from './http-util.js';
import type { ServerVendor, VendorFactory } from './vendors/types.js';

/** Options of {@link startDemoServer}. */
export interface DemoServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Vendor name -> factory; each is started once the port is known. */
  vendors: Readonly<Record<string, VendorFactory>>;
  /** The vendor the chat page uses without `?vendor=`. Default: the first of `vendors`. */
  defaultVendor?: string;
  /** Folder with `index.html`, `console.html`, `carbon0.html` and `files/`. */
  publicDir: string;
  /** Folder with the built bundles, served under `/assets/`. */
  assetsDir: string;
  /** Terminal output. Default: none. */
  log?: (line: string) => void;
}

/** A running demo server. */
export interface DemoServer {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** Closes every socket and connection, stops the vendors and the server. */
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain; charset=utf-8',
};

/** Pages by path. */
const PAGES: Record<string, string> = { '/': 'index.html', '/console': 'console.html', '/carbon0': 'carbon0.html' };

function contentSecurityPolicy(connectSrc: readonly string[]): string {
  return [
    "default-src 'self'",
    `connect-src 'self' ${connectSrc.join(' ')}`.trim(),
    "img-src 'self' data: blob:",
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self'",
    "media-src 'self' blob:",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** A percent-encoded path segment decoded, or `undefined` when the encoding is malformed (`%E0%A4%A`). */
function decodePath(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

/** Whether the request's `Origin`, when it sends one, is this server's own: `http://` and one of `allowedHosts`. */
function ownOrigin(request: IncomingMessage, allowedHosts: ReadonlySet<string>): boolean {
  const origin = request.headers.origin;
  return origin === undefined || (origin.startsWith('http://') && allowedHosts.has(origin.slice('http://'.length)));
}

/**
 * Why a state-changing request (anything but GET, HEAD) must be refused as possibly cross-site, or `undefined`.
 * Another page open in the browser may POST here without a preflight when the body is a "simple" type (`text/plain`,
 * a form): so the body must be JSON (a cross-site JSON POST needs a preflight, which this server never grants), and
 * an `Origin`, when sent, must be this server's own (`null` from a sandboxed frame or a file is refused too).
 */
function crossSite(request: IncomingMessage, allowedHosts: ReadonlySet<string>): string | undefined {
  if (request.method === 'GET' || request.method === 'HEAD') return undefined;
  if (!ownOrigin(request, allowedHosts)) {
    return 'Only the demo\'s own pages may change the desk.';
  }
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  return type === 'application/json' ? undefined : 'Send the command as application/json.';
}

/** Serves one file below `root`, or answers 404. Paths that leave `root` are refused. */
async function serveFile(response: ServerResponse, root: string, relative: string, headers: Record<string, string>, head: boolean) {
  const path = normalize(join(root, relative));
  if (path !== root && !path.startsWith(root.endsWith(sep) ? root : root + sep)) {
    sendError(response, 404, 'NOT_FOUND', 'No such file.');
    return;
  }
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) {
    sendError(response, 404, 'NOT_FOUND', 'No such file.');
    return;
  }
  response.writeHead(200, {
    'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
    'content-length': String(info.size),
    ...headers,
  });
  if (head) response.end();
  // A file that vanishes or cannot be read after its stat ends this response, not the server.
  else pipeline(createReadStream(path), response, () => undefined);
}

/**
 * Starts the demo server on 127.0.0.1.
 *
 * @example
 * const server = await startDemoServer({ port: 0, vendors: serverVendors, publicDir, assetsDir });
 * console.log(`${server.origin}/ and ${server.origin}/console`);
 * await server.close();
 */
export async function startDemoServer(options: DemoServerOptions): Promise<DemoServer> {
  const log = options.log ?? (() => undefined);
  const names = Object.keys(options.vendors);
  const defaultVendor = options.defaultVendor ?? names[0];
  if (!defaultVendor || !options.vendors[defaultVendor]) {
    throw new Error(`Unknown vendor "${String(defaultVendor)}": use one of ${names.join(', ')}.`);
  }
  const vendors = new Map<string, ServerVendor>();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 });
  let origin = '';
  let policy = contentSecurityPolicy([]);
  const allowedHosts = new Set<string>();

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    if (!allowedHosts.has(request.headers.host ?? '')) {
      sendError(response, 421, 'WRONG_HOST', `Open the demo at ${origin}.`);
      return;
    }
    const url = new URL(request.url ?? '/', origin);
    const refused = crossSite(request, allowedHosts);
    if (refused) {
      sendError(response, 403, 'CROSS_SITE', refused);
      return;
    }
    for (const vendor of vendors.values()) {
      if (vendor.route && (await vendor.route(request, response, url))) return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendError(response, 405, 'METHOD_NOT_ALLOWED', `${request.method ?? ''} ${url.pathname} is not supported.`);
      return;
    }
    const head = request.method === 'HEAD';
    if (url.pathname === '/config.json') {
      sendJson(response, 200, {
        defaultVendor,
        vendors: Object.fromEntries([...vendors].map(([name, vendor]) => [name, vendor.client])),
      });
      return;
    }
    const page = PAGES[url.pathname];
    if (page) {
      await serveFile(response, options.publicDir, page, { 'content-security-policy': policy, 'cache-control': 'no-cache' }, head);
      return;
    }
    const folder = url.pathname.startsWith('/assets/') ? 'assets' : url.pathname.startsWith('/files/') ? 'files' : undefined;
    if (folder) {
      const relative = decodePath(url.pathname.slice(folder.length + 2));
      if (relative === undefined) sendError(response, 400, 'BAD_PATH', 'The path is not valid percent-encoding.');
      else if (folder === 'assets') await serveFile(response, options.assetsDir, relative, { 'cache-control': 'no-cache' }, head);
      else await serveFile(response, join(options.publicDir, 'files'), relative, {}, head);
      return;
    }
    sendError(response, 404, 'NOT_FOUND', `Nothing at ${url.pathname}. The pages are /, /console and /carbon0.`);
  };

  const server = createServer((request, response) => {
    response.setHeader('x-content-type-options', 'nosniff');
    response.setHeader('referrer-policy', 'no-referrer');
    handle(request, response).catch((error: unknown) => {
      log(`demo server: ${request.method ?? ''} ${request.url ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) sendError(response, 500, 'INTERNAL', 'The demo server failed on this request.');
      else response.destroy();
    });
  });

  server.on('upgrade', (request, socket, head) => {
    const path = new URL(request.url ?? '/', origin).pathname;
    const handler = [...vendors.values()].map((vendor) => vendor.sockets?.[path]).find(Boolean);
    // Same-origin pages only: another site open in the browser must not drive the desk.
    if (!handler || !allowedHosts.has(request.headers.host ?? '') || !ownOrigin(request, allowedHosts)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => handler(ws, request));
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${options.port} on ${HOST} is in use: pick another with PORT=NNNN or --port NNNN (0 picks a free one).`)
          : error,
      );
    };
    server.once('error', onError);
    server.listen(options.port, HOST, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${HOST}:${port}`;
  allowedHosts.add(`${HOST}:${port}`).add(`localhost:${port}`);

  try {
    for (const name of names) {
      const factory = options.vendors[name] as VendorFactory;
      vendors.set(name, await factory({ origin, log }));
    }
  } catch (error) {
    await Promise.all([...vendors.values()].map((vendor) => vendor.close()));
    server.close();
    throw error;
  }
  policy = contentSecurityPolicy(
    [...vendors.values()].flatMap((vendor) => vendor.connectSrc ?? []).filter((src) => /^(ws|http)s?:\/\/127\.0\.0\.1(:\d+)?(\/|$)/.test(src)),
  );

  let closing: Promise<void> | undefined;
  return {
    origin,
    close: () =>
      (closing ??= (async () => {
        const clients = [...sockets.clients];
        const gone = clients.map((client) => new Promise((resolve) => client.once('close', resolve)));
        for (const client of clients) client.close(1001, 'server stopping');
        await Promise.all([...vendors.values()].map((vendor) => vendor.close()));
        // Give the browsers a moment to answer the close handshake, then cut what is left.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([Promise.all(gone), new Promise((resolve) => (timer = setTimeout(resolve, 500)))]);
        clearTimeout(timer);
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })()),
  };
}
