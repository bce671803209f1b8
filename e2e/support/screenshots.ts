/**
 * Screenshots of the demo: always saved under `test-results/e2e/` (for looking at a failed run), and with
 * `UPDATE_DOCS_IMAGES=1` also as the documentation's images under `docs/img/`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

const ROOT = join(__dirname, '..', '..');
const RESULTS = join(ROOT, 'test-results', 'e2e');
const DOCS = process.env.UPDATE_DOCS_IMAGES === '1' ? join(ROOT, 'docs', 'img') : undefined;

function save(name: string, png: Buffer, inDocs = true): void {
  for (const dir of [RESULTS, inDocs ? DOCS : undefined]) {
    if (!dir) continue;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}.png`), png);
  }
}

/** Where the floating chat sits in a 1280 x 800 window (with a margin for its shadow). */
const CHAT_WIDGET = { x: 852, y: 96, width: 416, height: 672 };

/**
 * Saves the chat page, the agent console (`console.png`), and `demo.png`: the chat widget and the console side by
 * side, composed in a blank page of `context`.
 */
export async function saveDemoScreenshots(context: BrowserContext, chat: Page, agent: Page): Promise<void> {
  const chatPng = await chat.screenshot();
  const widgetPng = await chat.screenshot({ clip: CHAT_WIDGET });
  const consolePng = await agent.screenshot();
  save('chat-page', chatPng, false);
  save('console', consolePng);
  const canvas = await context.newPage();
  const img = (png: Buffer, caption: string) =>
    `<figure><figcaption>${caption}</figcaption><img src="data:image/png;base64,${png.toString('base64')}"></figure>`;
  await canvas.setContent(
    `<style>body{margin:0;background:#e0e0e0;font:600 15px sans-serif;color:#393939}main{display:inline-flex;gap:16px;padding:16px}` +
      `figure{margin:0}figcaption{margin:0 0 8px}img{display:block;box-shadow:0 1px 4px #0003}</style>` +
      `<main>${img(widgetPng, 'The customer: Carbon AI Chat')}${img(consolePng, 'The human agent: the console')}</main>`,
  );
  save('demo', await canvas.locator('main').screenshot());
  await canvas.close();
}
