/**
 * What a user sees in the chat page and what an agent does in the console, as small page objects. Chat text lives in
 * Carbon AI Chat's shadow roots (Playwright's CSS and text locators pierce them); text queries are scoped to the main
 * panel because a screen-reader region repeats every message.
 */
import type { Locator, Page } from 'playwright-core';

/** How long one step may take. The scripted desk answers within a few seconds. */
export const STEP_MS = 15_000;

/** Polls `check` until it returns true, or fails with `what`. */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = STEP_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The customer's page with Carbon AI Chat. */
export class ChatPage {
  constructor(readonly page: Page) {}

  get panel(): Locator {
    return this.page.getByTestId('main_panel');
  }

  get input(): Locator {
    return this.page.getByTestId('input_field');
  }

  /** The "..." shown while someone (here: the agent) is typing. */
  get typingIndicator(): Locator {
    return this.panel.locator('.cds-aichat--received--loading');
  }

  async open(origin: string): Promise<void> {
    await this.page.goto(`${origin}/`);
    await this.input.waitFor({ timeout: STEP_MS });
  }

  /** Types into the chat input and presses Enter. */
  async send(text: string): Promise<void> {
    await eventually('the chat input to be enabled', () => this.inputEnabled());
    await this.input.click();
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Enter');
  }

  text(text: string | RegExp): Locator {
    return this.panel.getByText(text);
  }

  /** Waits until `text` is shown in the messages. */
  async sees(text: string | RegExp, timeoutMs = STEP_MS): Promise<void> {
    await this.text(text).first().waitFor({ state: 'visible', timeout: timeoutMs });
  }

  /** Waits until `text` is shown, then checks it is shown exactly once (also a moment later). */
  async seesOnce(text: string | RegExp): Promise<void> {
    await this.sees(text);
    await this.page.waitForTimeout(500);
    const count = await this.text(text).count();
    if (count !== 1) throw new Error(`"${String(text)}" is shown ${count} times; expected once.`);
  }

  async inputEnabled(): Promise<boolean> {
    return (await this.input.getAttribute('aria-disabled')) !== 'true' && (await this.input.getAttribute('contenteditable')) === 'true';
  }

  async typingShown(): Promise<boolean> {
    return this.typingIndicator.isVisible();
  }
}

/** The agent console. */
export class ConsolePage {
  constructor(readonly page: Page) {}

  async open(origin: string): Promise<void> {
    await this.page.goto(`${origin}/console`);
    await this.page.locator('#desk-status.pill--on').waitFor({ timeout: STEP_MS });
  }

  get transcript(): Locator {
    return this.page.locator('#transcript');
  }

  /** Waits until the open conversation's transcript shows `text` in an entry from `from`. */
  async sees(from: 'user' | 'agent' | 'system', text: string | RegExp, timeoutMs = STEP_MS): Promise<void> {
    await this.transcript.locator(`li[data-from="${from}"]`).filter({ hasText: text }).first().waitFor({ timeout: timeoutMs });
  }

  async click(id: string): Promise<void> {
    const button = this.page.locator(`#${id}`);
    await eventually(`#${id} to be enabled`, () => button.isEnabled());
    await button.click();
  }

  /** Types into the reply box without sending (the user sees the agent typing). */
  async type(text: string): Promise<void> {
    await this.page.locator('#reply').click();
    await this.page.keyboard.type(text);
  }

  /** Sends what is in the reply box (Enter). */
  async send(): Promise<void> {
    await this.page.keyboard.press('Enter');
  }

  async say(text: string): Promise<void> {
    await this.type(text);
    await this.send();
  }

  /** The text of the open conversation's status pill, e.g. "Active with Ann". */
  async state(): Promise<string> {
    return (await this.page.locator('#state').textContent()) ?? '';
  }
}
