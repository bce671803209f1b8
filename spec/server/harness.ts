// Starts the middleware on 127.0.0.1:0 with the fakes as upstreams, and captures every log line.
import type { AddressInfo } from 'node:net';
import { createLogger, type LogSink } from '../../lib/core/logger';
import { createServer, type Authenticate, type ServerConfig } from '../../lib/server';
import { GENESYS, SECRETS, SIDS, type FakeServer } from './fake-vendors';

export interface LogCapture {
  readonly sink: LogSink;
  readonly lines: unknown[][];
  text(): string;
}

export function captureLogs(): LogCapture {
  const lines: unknown[][] = [];
  const push = (level: string) => (...args: unknown[]) => {
    lines.push([level, ...args]);
  };
  return {
    sink: { debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') },
    lines,
    text: () => JSON.stringify(lines),
  };
}

export interface Running {
  readonly url: string;
  readonly logs: LogCapture;
  close(): Promise<void>;
}

export async function startMiddleware(config: ServerConfig, logs: LogCapture = captureLogs()): Promise<Running> {
  const server = createServer({ logger: createLogger({ level: 'debug', sink: logs.sink }), ...config });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    logs,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The identity hook of the tests: `Authorization: User <id>` (a stand-in for the host app's session). */
export const headerAuth: Authenticate = (req) => {
  const match = /^User ([a-z0-9-]+)$/.exec(req.headers.authorization ?? '');
  return match?.[1] === undefined ? null : { id: match[1], name: 'Ada Lovelace' };
};

export const asUser = (id = 'user-42'): Record<string, string> => ({ Authorization: `User ${id}` });

export function twilioConfig(fake: FakeServer, overrides: Partial<NonNullable<ServerConfig['twilio']>> = {}): NonNullable<ServerConfig['twilio']> {
  return {
    accountSid: SIDS.account,
    authToken: SECRETS.twilioAuthToken,
    apiKeySid: SIDS.apiKey,
    apiKeySecret: SECRETS.twilioApiKeySecret,
    tokenTtlSeconds: 600,
    chat: { serviceSid: SIDS.chatService, flexFlowSid: SIDS.flexFlow },
    conversations: { serviceSid: SIDS.conversationsService, addressSid: SIDS.address },
    taskRouter: { workspaceSid: SIDS.workspace, taskQueueSid: SIDS.queue },
    flexApiUrl: fake.url,
    taskRouterUrl: fake.url,
    ...overrides,
  };
}

export function genesysConfig(fake: FakeServer, overrides: Partial<NonNullable<ServerConfig['genesys']>> = {}): NonNullable<ServerConfig['genesys']> {
  return {
    clientId: GENESYS.clientId,
    clientSecret: SECRETS.genesysClientSecret,
    queueId: GENESYS.queueId,
    loginUrl: fake.url,
    apiUrl: fake.url,
    authCode: { secret: SECRETS.authCodeSecret, issuer: 'https://shop.example.com', audience: 'genesys-web-messaging' },
    ...overrides,
  };
}

export async function call(
  base: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown; raw?: string } = {},
): Promise<{ status: number; headers: Headers; json: any }> {
  const hasBody = init.body !== undefined || init.raw !== undefined;
  const response = await fetch(`${base}${path}`, {
    method: init.method ?? (hasBody ? 'POST' : 'GET'),
    headers: { ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...init.headers },
    body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text === '' ? undefined : JSON.parse(text) };
}
