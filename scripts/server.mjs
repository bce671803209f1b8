// Runs the rx-service-desk middleware as a standalone Node service, configured from environment variables.
//   npm run server                         reads .env when present, else the process environment
//   ENV_FILE=.env.example npm run server   reads the given file first
// Variables already set in the environment win over the file. See .env.example and docs/server.md.
import { existsSync } from 'node:fs';
import process from 'node:process';

const envFile = process.env.ENV_FILE ?? (existsSync('.env') ? '.env' : undefined);
if (envFile !== undefined) {
  if (!existsSync(envFile)) {
    console.error(`ENV_FILE ${envFile} does not exist.`);
    process.exit(1);
  }
  process.loadEnvFile(envFile);
}

const { createServer, serverOptionsFromEnv } = await import('../dist/server.js');

let options;
let server;
try {
  options = serverOptionsFromEnv(process.env);
  server = createServer(options.config);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

server.listen(options.port, options.host, () => {
  const { address, port } = server.address();
  console.info(`[rx-service-desk] middleware listening on http://${address.includes(':') ? `[${address}]` : address}:${port} (health check: GET /healthz)`);
});

const stop = (signal) => {
  console.info(`[rx-service-desk] ${signal}: closing`);
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 5000).unref();
};
process.once('SIGINT', () => stop('SIGINT'));
process.once('SIGTERM', () => stop('SIGTERM'));
