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
    problems.push(`console error on ${name()}: ${text}${where}`);
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
