/**
 * Headless Debian Chromium for the end-to-end tests, and a guard that records what must fail a test: a request to
 * any host but 127.0.0.1, an uncaught page error, a console error.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** The flags the machine needs: without the background-networking ones Chromium tries to reach Google at start. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches Debian's Chromium (`CHROMIUM_PATH`, default `/usr/bin/chromium`). Playwright gives it a fresh, empty
 * user data directory of its own.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: FLAGS });
}

/**
 * Console errors that are not failures of the demo, each with its reason.
 * - Carbon AI Chat 1.9, reconnecting after a reload, calls `setTimeout(this.serviceManager?.appWindow?.requestFocus)`
 *   before its window exists: that is `setTimeout(undefined)`, which the browser treats as code to evaluate, and the
 *   demo's Content-Security-Policy (no 'unsafe-eval') blocks it. Harmless (the code would be `undefined`); Chrome logs
 *   it as two console errors.
 */
const TOLERATED_CONSOLE_ERRORS: readonly RegExp[] = [
  /^Evaluating a string as JavaScript violates the following Content Security Policy directive because 'unsafe-eval'/,
  /^\s*Note that 'script-src' was not explicitly set, so 'default-src' is used as a fallback\.$/,
];

/** What a {@link guard} saw go wrong. */
export interface Guard {
  readonly problems: string[];
}

function isLocal(url: string): boolean {
  if (/^(data|blob|about):/.test(url)) return true;
  try {
    return new URL(url).hostname === '127.0.0.1';
  } catch {
    return false;
  }
}

function watchPage(page: Page, problems: string[]): void {
  const name = () => new URL(page.url() || 'about:blank', 'http://127.0.0.1').pathname;
  page.on('pageerror', (error) => problems.push(`page error on ${name()}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    const { url, lineNumber, columnNumber } = message.location();
    const where = url ? ` (${url.replace(/^http:\/\/127\.0\.0\.1:\d+/, '')}:${lineNumber}:${columnNumber})` : '';
    if (!TOLERATED_CONSOLE_ERRORS.some((pattern) => pattern.test(text))) problems.push(`console error on ${name()}: ${text}${where}`);
  });
  page.on('websocket', (socket) => {
    if (!/^ws:\/\/127\.0\.0\.1[:/]/.test(socket.url())) problems.push(`WebSocket to another host: ${socket.url()}`);
  });
}

/** Records (and aborts) every request of `context` that leaves 127.0.0.1, and records every page and console error. */
export async function guard(context: BrowserContext): Promise<Guard> {
  const problems: string[] = [];
  await context.route(
    (url) => !isLocal(url.href),
    (route) => {
      problems.push(`request to another host: ${route.request().method()} ${route.request().url()}`);
      return route.abort('blockedbyclient');
    },
  );
  context.on('page', (page) => watchPage(page, problems));
  for (const page of context.pages()) watchPage(page, problems);
  return { problems };
}
