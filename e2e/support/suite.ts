import type { Browser, BrowserContext } from 'playwright-core';
import { guard, launchChromium, type Guard } from './browser';
import { startDemo, type DemoProcess } from './demo-process';

/** The demo and a browser for one e2e file, with guarded contexts. */
export interface DemoSuite {
  /** The running demo (set in `beforeAll`). */
  readonly demo: DemoProcess;
  /** A new browser context whose outside requests, page errors and console errors fail the test. */
  newContext(width?: number, height?: number): Promise<BrowserContext>;
}

/**
 * Registers the hooks every demo e2e file needs: start the demo and Chromium before all tests, close each test's
 * contexts after it (failing it on any request leaving 127.0.0.1, page error or console error), stop both at the end.
 *
 * @example
 * const suite = demoSuite();
 * it('...', async () => { const page = await (await suite.newContext()).newPage(); await page.goto(suite.demo.origin); });
 */
export function demoSuite(): DemoSuite {
  let demo: DemoProcess | undefined;
  let browser: Browser | undefined;
  const contexts: { context: BrowserContext; guard: Guard }[] = [];

  beforeAll(async () => {
    demo = await startDemo();
    browser = await launchChromium();
  });

  afterEach(async () => {
    const problems = contexts.flatMap((entry) => entry.guard.problems);
    await Promise.all(contexts.splice(0).map((entry) => entry.context.close()));
    expect(problems).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  return {
    get demo() {
      if (!demo) throw new Error('demoSuite: the demo is not started yet (use it inside a test)');
      return demo;
    },
    async newContext(width = 1280, height = 800) {
      if (!browser) throw new Error('demoSuite: the browser is not launched yet (use it inside a test)');
      const context = await browser.newContext({ viewport: { width, height } });
      contexts.push({ context, guard: await guard(context) });
      return context;
    },
  };
}
