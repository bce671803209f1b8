// Local fake Twilio and Genesys REST servers (real HTTP on 127.0.0.1, port 0), answering with the captured samples in
// ./fixtures (copied from shared/data/vendor-samples). Tests change `reply` per route to simulate failures.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import channelSample from './fixtures/twilio-flex.channels-v1.create-response.json';
import webChatSample from './fixtures/twilio-flex.webchats-v2.create-response.json';
import oauthSample from './fixtures/genesys-rest.oauth-client-credentials-token.json';
import observationsSample from './fixtures/genesys-rest.analytics-queue-observations.on-queue-users.json';
import userSample from './fixtures/genesys-rest.user-with-images.json';

export interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface FakeReply {
  readonly status?: number;
  readonly json?: unknown;
  readonly headers?: Record<string, string>;
  /**
   * Answer only once this resolves (the test holds the answer, e.g. until every concurrent request is in); `NEVER`
   * keeps it unanswered for timeout tests (the server is closed with its connections).
   */
  readonly after?: Promise<unknown>;
}

/** A promise that never settles: with `after`, a route that never answers. */
export const NEVER: Promise<never> = new Promise<never>(() => undefined);

/** A promise the test releases by hand: `{ promise, release }`. */
export function gate(): { readonly promise: Promise<void>; release(): void } {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

export type FakeRoute = (request: Recorded) => FakeReply;

export interface FakeServer {
  readonly url: string;
  readonly requests: Recorded[];
  /** Routes by `METHOD /path`; replace entries to change behaviour. */
  readonly routes: Map<string, FakeRoute>;
  close(): Promise<void>;
}

export async function startFake(routes: Record<string, FakeRoute>): Promise<FakeServer> {
  const requests: Recorded[] = [];
  const table = new Map(Object.entries(routes));
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const recorded: Recorded = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const route = table.get(`${recorded.method} ${recorded.path}`);
      const reply = route === undefined ? { status: 404, json: { message: 'no such fake route', code: 'not.found' } } : route(recorded);
      const send = () => {
        res.writeHead(reply.status ?? 200, { 'Content-Type': 'application/json', ...reply.headers });
        res.end(reply.json === undefined ? '' : JSON.stringify(reply.json));
      };
      if (reply.after === undefined) send();
      else void reply.after.then(() => (res.destroyed ? undefined : send()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    routes: table,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A base URL on which nothing listens (connection refused). */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

export const SIDS = {
  account: `AC${'1'.repeat(32)}`,
  apiKey: `SK${'2'.repeat(32)}`,
  chatService: `IS${'3'.repeat(32)}`,
  flexFlow: `FO${'4'.repeat(32)}`,
  conversationsService: `IS${'5'.repeat(32)}`,
  address: `IG${'6'.repeat(32)}`,
  workspace: `WS${'7'.repeat(32)}`,
  queue: `WQ${'8'.repeat(32)}`,
  task: `WT${'9'.repeat(32)}`,
  otherTask: `WT${'a'.repeat(32)}`,
};

export const SECRETS = {
  twilioAuthToken: 'twilio-auth-token-0123456789abcdef',
  twilioApiKeySecret: 'twilio-api-key-secret-0123456789abcdef',
  genesysClientSecret: 'genesys-client-secret-0123456789abcdef',
  genesysAccessToken: oauthSample.access_token,
  visitorSecret: 'visitor-secret-0123456789abcdef0123456789',
  authCodeSecret: 'auth-code-secret-0123456789abcdef012345678',
};

export const GENESYS = {
  clientId: 'genesys-client-id',
  queueId: '00000000-0000-4000-8000-000000000001',
  messageId: '4ff1d4b1-0000-4000-8000-00000000aaaa',
  conversationId: '4ff1d4b1-0000-4000-8000-00000000cccc',
  userId: userSample.id,
};

const form = (request: Recorded) => new URLSearchParams(request.body);

/** Twilio Flex API + TaskRouter fake. */
export function fakeTwilio(): Promise<FakeServer> {
  return startFake({
    'POST /v1/Channels': (request) => ({
      status: 201,
      json: { ...channelSample, flex_flow_sid: form(request).get('FlexFlowSid'), task_sid: SIDS.task },
    }),
    'POST /v2/WebChats': (request) => ({ status: 201, json: { ...webChatSample, identity: form(request).get('Identity') } }),
    [`GET /v1/Workspaces/${SIDS.workspace}/TaskQueues/${SIDS.queue}/RealTimeStatistics`]: () => ({
      json: { total_available_workers: 2, total_eligible_workers: 5, tasks_by_status: { pending: 3 }, task_queue_sid: SIDS.queue },
    }),
    [`GET /v1/Workspaces/${SIDS.workspace}/TaskQueues/${SIDS.queue}/CumulativeStatistics`]: () => ({
      json: { avg_task_acceptance_time: 150, reservations_accepted: 4, task_queue_sid: SIDS.queue },
    }),
    [`GET /v1/Workspaces/${SIDS.workspace}/Tasks`]: () => ({
      json: { tasks: [{ sid: SIDS.otherTask }, { sid: SIDS.task }], meta: { page: 0, page_size: 200 } },
    }),
  });
}

/** Genesys login + platform API fake. */
export function fakeGenesys(): Promise<FakeServer> {
  return startFake({
    'POST /oauth/token': () => ({ json: oauthSample }),
    'POST /api/v2/analytics/queues/observations/query': () => ({
      json: {
        results: [
          ...observationsSample.results,
          { group: { queueId: GENESYS.queueId, mediaType: 'message' }, data: [{ metric: 'oWaiting', stats: { count: 2 } }] },
        ],
      },
    }),
    [`GET /api/v2/routing/queues/${GENESYS.queueId}/estimatedwaittime`]: () => ({
      json: { results: [{ formula: 'BEST', estimatedWaitTimeSeconds: 150 }] },
    }),
    [`GET /api/v2/conversations/messages/${GENESYS.messageId}/details`]: () => ({
      json: { id: GENESYS.messageId, conversationId: GENESYS.conversationId, direction: 'outbound', status: 'sent' },
    }),
    [`GET /api/v2/conversations/messages/${GENESYS.conversationId}`]: () => ({
      json: {
        id: GENESYS.conversationId,
        participants: [
          { id: 'p1', purpose: 'customer', state: 'connected' },
          { id: 'p2', purpose: 'agent', state: 'disconnected', user: { id: 'previous-agent-0001' }, endTime: '2024-01-01T00:00:00Z' },
          { id: 'p3', purpose: 'agent', state: 'connected', user: { id: GENESYS.userId }, messages: [{ messageId: GENESYS.messageId }] },
        ],
      },
    }),
    [`GET /api/v2/users/${GENESYS.userId}`]: () => ({ json: userSample }),
  });
}
