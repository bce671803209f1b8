// Middleware: time per request of POST /twilio/token (mints a Twilio Access Token, no upstream call) through the full
// middleware (CORS, identity, rate limit, body limit, validation, JSON errors, per-request logging at the default
// level), next to the same JWT minting written directly on node:http; and two instances sharing a real redis-server
// (rate limit in Redis) next to one instance counting in memory. Each server runs in its own child process on
// 127.0.0.1; this process sends a bounded number of keep-alive requests (and stops at a time bound), in alternating
// rounds, and keeps the median round. Uses dist/ (run `npm run build` first).
import { fork, spawn } from 'node:child_process';
import { request, Agent, createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { runIfMain } from './report.mjs';
import { median } from './rounds.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const WARMUP = 300;
const CONCURRENCY = 16;
const ROUND_LIMIT_MS = 15_000;
const BODY = JSON.stringify({ kind: 'chat' });
const TWILIO = {
  accountSid: `AC${'1'.repeat(32)}`,
  apiKeySid: `SK${'2'.repeat(32)}`,
  apiKeySecret: 'twilio-api-key-secret-0123456789abcdef',
  authToken: 'twilio-auth-token-0123456789abcdef',
  chat: { serviceSid: `IS${'3'.repeat(32)}`, flexFlowSid: `FO${'4'.repeat(32)}` },
  tokenTtlSeconds: 3600,
};

/** The child side: starts one server of `kind` on 127.0.0.1:0 and sends its port to the parent. */
async function serve(kind, redisUrl) {
  const { createServer, connectRedis, mintTwilioToken, redisRateLimitStore } = await import('../dist/server.js');
  const authenticate = (req) => {
    const match = /^User ([a-z0-9-]+)$/.exec(req.headers.authorization ?? '');
    return match ? { id: match[1] } : null;
  };
  let server;
  if (kind === 'direct') {
    server = createHttpServer((req, res) => {
      const chunks = [];
      req.on('data', (chunk) => chunks.push(chunk));
      req.on('end', async () => {
        const identity = authenticate(req);
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (identity === null || body.kind !== 'chat') {
          res.writeHead(400).end();
          return;
        }
        const { token, expiresAt } = await mintTwilioToken({ ...TWILIO, serviceSid: TWILIO.chat.serviceSid, identity: identity.id, ttlSeconds: TWILIO.tokenTtlSeconds });
        const payload = JSON.stringify({ token, identity: identity.id, expiresAt });
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(payload) }).end(payload);
      });
    });
  } else {
    const store = kind === 'redis' ? redisRateLimitStore({ client: await connectRedis(redisUrl) }) : undefined;
    server = createServer({
      authenticate,
      twilio: TWILIO,
      rateLimit: { max: 1_000_000, windowSeconds: 60, ...(store ? { store } : {}) },
      ...(kind === 'silent' ? { logger: { debug() {}, info() {}, warn() {}, error() {} } } : {}),
    });
  }
  process.on('message', () => {
    const { user, system } = process.cpuUsage();
    process.send({ cpu: user + system });
  });
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
}

/** Forks one server process; resolves with its URL and a stop function. Its stdout (the request log) is drained. */
function startChild(kind, redisUrl) {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', kind, redisUrl ?? ''], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  child.stdout.resume();
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`middleware bench: the ${kind} server exited (${code})`)));
    child.once('message', ({ port }) =>
      resolve({
        port,
        /** CPU time (user + system, µs) the server process has used so far. */
        cpu: () =>
          new Promise((done) => {
            child.once('message', ({ cpu }) => done(cpu));
            child.send('cpu');
          }),
        stop: () =>
          new Promise((done) => {
            child.removeAllListeners('exit');
            child.once('exit', done);
            child.kill('SIGTERM');
          }),
      }),
    );
  });
}

/** Sends `count` POST /twilio/token with `CONCURRENCY` keep-alive connections spread over `ports`: how many, wall µs each. */
async function load(ports, count) {
  const agents = ports.map(() => new Agent({ keepAlive: true, maxSockets: CONCURRENCY }));
  let sent = 0;
  let failed = 0;
  const started = performance.now();
  const one = (index) =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: ports[index % ports.length],
          agent: agents[index % ports.length],
          path: '/twilio/token',
          method: 'POST',
          headers: { Authorization: 'User bench-user', 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(BODY) },
        },
        (res) => {
          if (res.statusCode !== 200) failed += 1;
          res.resume();
          res.on('end', resolve);
        },
      );
      req.on('error', reject);
      req.end(BODY);
    });
  const worker = async () => {
    while (sent < count && performance.now() - started < ROUND_LIMIT_MS) await one(sent++);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = performance.now() - started;
  for (const agent of agents) agent.destroy();
  if (failed > 0) throw new Error(`middleware bench: ${failed} of ${sent} requests did not answer 200`);
  return { sent, wallUs: (elapsed * 1000) / sent };
}

async function freePort() {
  const server = createNetServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A redis-server on a free loopback port without persistence, or `{ missing }`: why there is none (not installed, or
 * it exited before it was ready, for example when another process took the port first).
 */
async function startRedis() {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let output = '';
  const missing = await new Promise((resolve) => {
    child.once('error', (error) => resolve(error.code === 'ENOENT' ? 'redis-server is not installed (apt-get install redis-server)' : `redis-server did not start: ${error.message}`));
    child.once('exit', (code, signal) => {
      const said = output.trim().split('\n').at(-1);
      resolve(`redis-server exited (${signal ?? `code ${code}`}) before it was ready${said ? `: ${said}` : ''}`);
    });
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) resolve(undefined);
    });
  });
  if (missing) return { missing };
  child.stdout.resume();
  return { url: `redis://127.0.0.1:${port}`, stop: () => new Promise((done) => child.once('exit', done).kill('SIGTERM')) };
}

const cpuOf = async (servers) => (await Promise.all(servers.map((server) => server.cpu()))).reduce((a, b) => a + b, 0);

/**
 * Median of each setup over alternating rounds: server CPU µs per request (user + system of the server processes: the
 * cost, little swayed by other load on the machine) and wall µs per request (swayed by it).
 */
async function measure(setups) {
  const perSetup = new Map(setups.map(({ name }) => [name, { cpu: [], wall: [] }]));
  for (let round = 0; round < ROUNDS; round += 1) {
    // Each round starts with the next setup, so that none is always measured first or last.
    for (const { name, servers } of [...setups.slice(round % setups.length), ...setups.slice(0, round % setups.length)]) {
      const ports = servers.map((server) => server.port);
      await load(ports, WARMUP);
      const before = await cpuOf(servers);
      const { sent, wallUs } = await load(ports, REQUESTS);
      perSetup.get(name).cpu.push(((await cpuOf(servers)) - before) / sent);
      perSetup.get(name).wall.push(wallUs);
    }
  }
  return Object.fromEntries([...perSetup].map(([name, { cpu, wall }]) => [name, { cpu: median(cpu), wall: median(wall) }]));
}

export async function run() {
  const started = await startRedis();
  const redis = started.missing ? undefined : started;
  const children = {};
  try {
    for (const kind of ['direct', 'middleware', 'silent']) children[kind] = await startChild(kind);
    if (redis) children.redisA = await startChild('redis', redis.url);
    if (redis) children.redisB = await startChild('redis', redis.url);
    const setups = [
      { name: 'direct', servers: [children.direct] },
      { name: 'middleware', servers: [children.middleware] },
      { name: 'silent', servers: [children.silent] },
      ...(redis ? [{ name: 'redis', servers: [children.redisA, children.redisB] }] : []),
    ];
    const m = await measure(setups);
    const wall = (name) => `${Math.round(1e6 / m[name].wall)} requests/s wall`;
    return {
      name: 'Middleware: POST /twilio/token',
      note:
        `Server CPU time per request (user + system of the server processes), median of ${ROUNDS} rounds (setups in rotating order) of ${REQUESTS} keep-alive requests (${CONCURRENCY} at a time) per setup, each server in its own process on 127.0.0.1. Wall-clock requests/s alongside (2 shared cores: noisy).` +
        (redis ? ' The Redis row leaves out redis-server\'s own CPU.' : `\nThe Redis row is left out: ${started.missing}.`),
      rows: [
        { what: 'the same JWT minting written directly on node:http', value: m.direct.cpu, unit: 'CPU µs/request', extra: wall('direct') },
        { what: 'through the middleware, logging at the default level (info)', value: m.middleware.cpu, unit: 'CPU µs/request', extra: wall('middleware'), baseline: m.direct.cpu, baselineName: 'direct', targetRatio: 1.1 },
        { what: 'through the middleware, logging off', value: m.silent.cpu, unit: 'CPU µs/request', extra: wall('silent'), baseline: m.direct.cpu, baselineName: 'direct' },
        ...(redis
          ? [{ what: '2 instances sharing the rate limit in Redis (requests alternate), both processes', value: m.redis.cpu, unit: 'CPU µs/request', extra: wall('redis'), baseline: m.middleware.cpu, baselineName: '1 instance in memory' }]
          : []),
      ],
    };
  } finally {
    await Promise.all(Object.values(children).map((child) => child.stop()));
    await redis?.stop();
  }
}

if (process.argv[2] === '--serve') await serve(process.argv[3], process.argv[4]);
else await runIfMain(import.meta.url, run);
