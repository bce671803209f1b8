/**
 * `npm start`: reads the port and vendor from the command line or the environment, starts the demo server, prints
 * the two URLs, and stops cleanly on Ctrl-C (SIGINT) or SIGTERM.
 */
import { startDemoServer, type DemoServer } from './server.js';
import { serverVendors } from './vendors/index.js';

/** Options of {@link runDemo}. */
export interface RunDemoOptions {
  /** The command-line arguments after the script name. */
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  publicDir: string;
  assetsDir: string;
}

const DEFAULT_PORT = 5173;

const USAGE = `Usage: npm start -- [--port N] [--vendor NAME]

  --port N       Port on 127.0.0.1 (default ${DEFAULT_PORT}, or the PORT variable; 0 picks a free port)
  --vendor NAME  The desk the chat page uses by default: ${Object.keys(serverVendors).join(', ')} (or the DEMO_VENDOR variable)
                 Any page can pick another with ?vendor=NAME.`;

interface Settings {
  port: number;
  vendor: string;
}

function parse(argv: readonly string[], env: RunDemoOptions['env']): Settings | string {
  let port = env.PORT;
  let vendor = env.DEMO_VENDOR;
  for (let index = 0; index < argv.length; index += 1) {
    const [flag, inline] = (argv[index] as string).split('=', 2) as [string, string | undefined];
    const value = () => inline ?? argv[++index];
    if (flag === '--port' || flag === '-p') port = value();
    else if (flag === '--vendor') vendor = value();
    else if (flag === '--help' || flag === '-h') return USAGE;
    else return `Unknown option "${flag}".\n\n${USAGE}`;
  }
  const number = port === undefined || port === '' ? DEFAULT_PORT : Number(port);
  if (!Number.isInteger(number) || number < 0 || number > 65_535) return `The port must be a number from 0 to 65535 (got "${String(port)}").`;
  const name = vendor || Object.keys(serverVendors)[0] || '';
  if (!serverVendors[name]) return `Unknown vendor "${name}": use one of ${Object.keys(serverVendors).join(', ')}.`;
  return { port: number, vendor: name };
}

/**
 * Runs the demo until SIGINT or SIGTERM. Resolves with the process exit code once the server has stopped (or could
 * not start).
 *
 * @example
 * process.exitCode = await runDemo({ argv: process.argv.slice(2), env: process.env, publicDir, assetsDir });
 */
export async function runDemo(options: RunDemoOptions): Promise<number> {
  const settings = parse(options.argv, options.env);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  if (typeof settings === 'string') {
    const help = settings === USAGE;
    (help ? process.stdout : process.stderr).write(`${settings}\n`);
    return help ? 0 : 2;
  }
  let server: DemoServer;
  try {
    server = await startDemoServer({
      port: settings.port,
      vendors: serverVendors,
      defaultVendor: settings.vendor,
      publicDir: options.publicDir,
      assetsDir: options.assetsDir,
      log: (line) => process.stderr.write(`${line}\n`),
    });
  } catch (error) {
    process.stderr.write(`Could not start the demo: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  out('');
  out(`  rx-service-desk demo (vendor: ${settings.vendor})`);
  out('');
  out(`  Chat page:      ${server.origin}/`);
  out(`  Agent console:  ${server.origin}/console`);
  out('');
  out('  Type "agent" in the chat to reach a human. Press Ctrl-C to stop.');
  out('');

  return new Promise<number>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop).off('SIGTERM', stop);
      // A second Ctrl-C while closing exits at once.
      process.once('SIGINT', () => process.exit(130));
      out(`Stopping (${signal})...`);
      server.close().then(
        () => {
          out('Stopped.');
          resolve(0);
        },
        (error: unknown) => {
          process.stderr.write(`The demo did not stop cleanly: ${error instanceof Error ? error.message : String(error)}\n`);
          resolve(1);
        },
      );
    };
    process.on('SIGINT', stop).on('SIGTERM', stop);
  });
}
