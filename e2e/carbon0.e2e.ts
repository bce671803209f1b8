/**
 * The watsonx dialect in a real widget: Carbon AI Chat 0.3.3 (`/carbon0`), the open-source fork of watsonx Assistant
 * web chat, hands a chat to a human agent of the simulated desk. The library must recognise it by
 * `instance.getWidgetVersion()` and send snake_case queue data: 0.3.3 words the wait itself only from
 * `estimated_wait_time` (from camelCase fields it shows "Waiting..." until the agent joins). Any request leaving
 * 127.0.0.1, page error or console error fails the test.
 */
import type { Locator, Page } from 'playwright-core';
import { demoSuite } from './support/suite';
import { ConsolePage, eventually, STEP_MS } from './support/pages';

/** The 0.3.3 chat page. 0.3.3 has no test ids; it keeps a hidden second input for its home screen. */
class Carbon0Page {
  constructor(readonly page: Page) {}

  get input(): Locator {
    return this.page.locator('textarea[aria-label="Message to send"] >> visible=true');
  }

  async open(origin: string): Promise<void> {
    await this.page.goto(`${origin}/carbon0`);
    await this.input.waitFor({ timeout: STEP_MS });
  }

  async send(text: string): Promise<void> {
    await eventually('the chat input to be enabled', async () => (await this.input.count()) === 1 && this.input.isEditable());
    await this.input.click();
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Enter');
  }

  async sees(text: string | RegExp): Promise<void> {
    await this.page.getByText(text).first().waitFor({ state: 'visible', timeout: STEP_MS });
  }

  async shown(id: string): Promise<string> {
    return (await this.page.locator(`#${id}`).textContent()) ?? '';
  }
}

const suite = demoSuite();

describe('Carbon AI Chat 0.3.3 (the watsonx dialect)', () => {
  it('hands a chat to a human agent: the wait shows in the queue, messages go both ways, the agent ends', async () => {
    const id = Math.random().toString(36).slice(2, 8);
    const chat = new Carbon0Page(await (await suite.newContext()).newPage());
    const agent = new ConsolePage(await (await suite.newContext(1100)).newPage());
    await chat.open(suite.demo.origin);
    await chat.sees(/type agent/);
    expect(await chat.page.locator('#widget-version').textContent()).toBe('0.3.3');

    // The queue: 0.3.3 words the wait from `estimated_wait_time`; the page lists the fields the desk sent.
    await chat.send(`I need an agent about booking ${id}`);
    await chat.sees('Sure, let me find a human agent for you.');
    await chat.sees(/^Current wait time is \d+ minutes?\.$/);
    const fields = await chat.shown('queue-fields');
    expect(fields).toContain('position_in_queue');
    expect(fields).toContain('estimated_wait_time');
    expect(fields).not.toMatch(/positionInQueue|estimatedWaitTime/);
    await chat.page.screenshot({ path: 'test-results/e2e/carbon0-queue.png' });

    // Ann joins and greets; the agent in the console takes over from the script.
    await chat.sees('Ann connected.');
    await chat.sees(/Hi, I'm Ann/);
    await agent.open(suite.demo.origin);
    await agent.sees('system', `about booking ${id}"`);
    await agent.click('auto-toggle');
    await eventually('the console to say the agent answers', async () => (await agent.page.locator('#auto-text').textContent())?.startsWith('You answer') ?? false);

    await chat.send(`Can I move booking ${id} to Friday?`);
    await agent.sees('user', `Can I move booking ${id} to Friday?`);
    await agent.say(`Booking ${id} is moved to Friday.`);
    await chat.sees(`Booking ${id} is moved to Friday.`);
    await chat.page.getByText(`Booking ${id} is moved to Friday.`).first().scrollIntoViewIfNeeded();
    await chat.page.screenshot({ path: 'test-results/e2e/carbon0.png' });

    // The agent ends the chat: 0.3.3 says so, and the user's next message goes to the assistant again.
    await agent.click('end');
    await chat.sees('Ann ended the chat.');
    await chat.send(`What about my luggage ${id}?`);
    await chat.sees(/I'm only a demo assistant, so I can't help with "What about my luggage/);
    expect(await chat.shown('queue-fields')).toBe(fields);
  });
});
