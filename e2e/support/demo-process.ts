/** Starts the demo server the way `npm start` does (without rebuilding), on a free port. */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/** A demo server running in a child process. */
export interface DemoProcess {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** Everything the process printed so far. */
  output(): string;
  /** Sends SIGINT (Ctrl-C) and resolves with the exit code. */
  stop(): Promise<number | null>;
}

const ROOT = join(__dirname, '..', '..');

/** Spawns `node scripts/demo.mjs --no-build --port 0` and waits for it to print its URL. */
export function startDemo(): Promise<DemoProcess> {
  const child: ChildProcessByStdio<null, Readable, Readable> = spawn(process.execPath, ['scripts/demo.mjs', '--no-build', '--port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: '', DEMO_VENDOR: '' },
  });
  let printed = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The demo did not print its URL within 20 s. Output:\n${printed}`));
    }, 20_000);
    const onData = (chunk: Buffer) => {
      printed += chunk.toString();
      const match = /Chat page:\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(printed);
      if (!match?.[1]) return;
      clearTimeout(timer);
      resolve({
        origin: match[1],
        output: () => printed,
        stop: () => {
          if (child.exitCode === null) child.kill('SIGINT');
          return exited;
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`The demo exited (${String(code)}) before printing its URL. Output:\n${printed}`));
    });
  });
}
