import { build } from 'esbuild';

/** A page's bundle of `imports` from the simulator entry (sources, peers external), minified. */
async function pageBundle(imports: string): Promise<string> {
  const result = await build({
    stdin: { contents: `import { ${imports} } from './lib/simulator/index.ts'; globalThis.used = [${imports}];`, resolveDir: `${__dirname}/../../..`, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    external: ['rxjs', 'ws'],
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/** A text only the in-memory desk (lib/simulator/engine.ts) has. */
const IN_MEMORY_DESK = 'The desk is full';

describe('the simulated desk in a page bundle', () => {
  it('over a transport of the page (simulatedDeskOver + webSocketTransport) carries no in-memory desk', async () => {
    expect(await pageBundle('simulatedDeskOver, webSocketTransport')).not.toContain(IN_MEMORY_DESK);
  });

  it('with its in-memory default (simulatedDesk) carries the in-memory desk', async () => {
    expect(await pageBundle('simulatedDesk')).toContain(IN_MEMORY_DESK);
  });
});
