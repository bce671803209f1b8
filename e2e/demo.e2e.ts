/**
 * The browser demo end to end: a user in Carbon AI Chat is handed to a human agent of the simulated desk, and an
 * agent in the console answers, transfers, drops the connection and ends the chat. Every assertion is about what the
 * user or the agent sees. Any request leaving 127.0.0.1, page error or console error fails the test.
 */
import { seriousViolations } from './support/axe';
import { demoSuite } from './support/suite';
import { ChatPage, ConsolePage, eventually, STEP_MS } from './support/pages';
import { saveDemoScreenshots } from './support/screenshots';

const suite = demoSuite();

/** A marker that tells this test's conversation apart in the console. */
const marker = () => Math.random().toString(36).slice(2, 8);

describe('the browser demo', () => {
  // First, while the desk has no conversation yet.
  it('the agent console without a chat shows no controls, Tab reaches only what works, and axe finds nothing serious', async () => {
    const agent = new ConsolePage(await (await suite.newContext(1100)).newPage());
    await agent.open(suite.demo.origin);
    await agent.page.locator('#pick').waitFor();
    expect(await agent.page.locator('#detail').isHidden()).toBe(true);
    for (const id of ['auto-toggle', 'join', 'transfer', 'drop', 'end', 'send', 'reply']) expect(await agent.page.locator(`#${id}`).isVisible()).toBe(false);
    // Tab from the top of the page: the two links, then out of the page (no hidden or unlabelled control on the way).
    const focused: string[] = [];
    for (let i = 0; i < 6; i++) {
      await agent.page.keyboard.press('Tab');
      const entry = await agent.page.evaluate(() => {
        const active = document.activeElement;
        return !active || active === document.body ? '' : `${active.tagName.toLowerCase()}:${active.textContent?.trim() ?? ''}`;
      });
      if (entry === '' || focused.includes(entry)) break;
      focused.push(entry);
    }
    expect(focused).toEqual(['a:open a chat page', 'a:chat page']);
    expect(await seriousViolations(agent.page)).toEqual([]);
  });

  it('fits the chat in a 390 px wide window, and axe finds nothing serious in the chat page', async () => {
    const context = await suite.newContext(390, 844);
    const chat = new ChatPage(await context.newPage());
    await chat.open(suite.demo.origin);
    await chat.sees(/type agent/);
    const box = await chat.panel.boundingBox();
    await chat.page.screenshot({ path: 'test-results/e2e/chat-390.png' });
    expect(box).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    expect(await seriousViolations(chat.page)).toEqual([]);
  });

  it('hands a chat to a human agent and back to the assistant', async () => {
    const id = marker();
    const chatContext = await suite.newContext();
    const chat = new ChatPage(await chatContext.newPage());
    const agent = new ConsolePage(await (await suite.newContext(1100)).newPage());
    await chat.open(suite.demo.origin);
    await chat.sees(/type agent/);

    // Request an agent: the assistant hands over, the user waits in the queue, Ann joins and greets once.
    await chat.send(`I'd like to talk to an agent about booking ${id}`);
    await chat.sees("Sure, let me find a human agent for you.");
    // Position AND wait, in one line (Carbon would show only the wait).
    await chat.sees(/You're number 2 in line\. The wait is about 2 minutes\./);
    await chat.sees('Ann connected.');
    await chat.seesOnce(/Hi, I'm Ann/);

    // The agent console shows this conversation and its routing / pre-chat context; the agent takes over.
    await agent.open(suite.demo.origin);
    await agent.sees('system', `about booking ${id}"`);
    await agent.page.locator('#context').getByText('booking', { exact: true }).waitFor();
    await agent.page.locator('#context').getByText('gold', { exact: true }).waitFor();
    await agent.click('auto-toggle');
    await eventually('the console to say the agent answers', async () => (await agent.page.locator('#auto-text').textContent())?.startsWith('You answer') ?? false);

    // The user's message reaches the agent.
    await chat.send(`Can I move booking ${id} to Friday?`);
    await agent.sees('user', `Can I move booking ${id} to Friday?`);

    // The agent types: the user sees the indicator; the message replaces it, shown once.
    if (await chat.typingShown()) throw new Error('The typing indicator shows before the agent types.');
    await agent.type('Let me check that for you.');
    await eventually('the agent typing indicator to show', () => chat.typingShown());
    await agent.send();
    await chat.seesOnce('Let me check that for you.');
    await eventually('the agent typing indicator to go', async () => !(await chat.typingShown()));
    // Show the hand-over in the screenshot: from "Ann connected." down.
    await chat.text('Ann connected.').evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await saveDemoScreenshots(chatContext, chat.page, agent.page);

    // Transfer to Bob.
    await agent.page.locator('#transfer-agent').selectOption({ label: 'Bob' });
    await agent.click('transfer');
    await chat.sees("You're being transferred.");
    await chat.sees('Bob connected.');
    await eventually('the console to show Bob', async () => (await agent.state()) === 'Active with Bob');

    // The connection drops: the user is told the library is reconnecting (a status line, not Carbon's "try again");
    // the agent writes meanwhile.
    await agent.click('drop');
    await chat.sees('Connection lost. Reconnecting...');
    expect(await chat.text(/try again to connect/).count()).toBe(0);
    await agent.say(`Sorry, the line dropped ${id}`);
    // Restored: told once, the input works, and the message written meanwhile is delivered once.
    await chat.seesOnce('Connection restored.');
    await eventually('the chat input to be enabled', () => chat.inputEnabled());
    await chat.seesOnce(`Sorry, the line dropped ${id}`);
    await chat.send(`Back again ${id}`);
    await agent.sees('user', `Back again ${id}`);

    // The agent ends the chat; the next message goes to the assistant, not the agent.
    await agent.click('end');
    await chat.sees('Bob ended the chat.');
    await chat.send(`What about my luggage ${id}?`);
    await chat.sees(/I'm only a demo assistant, so I can't help with "What about my luggage/);
    expect(await agent.transcript.getByText('What about my luggage').count()).toBe(0);
  });

  it('the agent sends a file card and quick replies, and the user shares their screen and stops', async () => {
    const id = marker();
    const chat = new ChatPage(await (await suite.newContext()).newPage());
    const agent = new ConsolePage(await (await suite.newContext(1100)).newPage());
    await chat.open(suite.demo.origin);
    await chat.send(`an agent please ${id}`);
    await chat.seesOnce(/Hi, I'm Ann/);
    await agent.open(suite.demo.origin);
    await agent.sees('system', `"an agent please ${id}"`);
    await agent.click('auto-toggle');

    // A file as a link button card.
    await agent.page.locator('#rich-kind').selectOption('file');
    await agent.click('rich');
    await chat.seesOnce('Here is your invoice.');
    await chat.panel.getByRole('link', { name: 'claim-form.pdf' }).or(chat.panel.getByRole('button', { name: 'claim-form.pdf' })).first().waitFor();

    // Quick replies: a numbered list the user answers by typing (Carbon's option buttons would go to the assistant).
    await agent.page.locator('#rich-kind').selectOption('options');
    await agent.click('rich');
    await chat.sees('What would you like to do?');
    await chat.sees('Track my order');
    await chat.send('Track my order');
    await agent.sees('user', 'Track my order');

    // Screen share: the agent asks, the user accepts in Carbon's dialog, then stops sharing.
    await agent.click('share');
    await chat.page.getByRole('button', { name: 'Share screen' }).click();
    await eventually('the console to see the share accepted', async () => (await agent.page.locator('#share-state').textContent()) === 'sharing screen');
    await chat.page.getByRole('button', { name: 'Stop sharing screen' }).click();
    await eventually('the console to see the share stopped', async () => (await agent.page.locator('#share-state').textContent()) === 'user stopped sharing');
  });

  it('reconnects to the same conversation after a page reload', async () => {
    const id = marker();
    const chat = new ChatPage(await (await suite.newContext()).newPage());
    const agent = new ConsolePage(await (await suite.newContext()).newPage());
    await chat.open(suite.demo.origin);
    await chat.send(`human please ${id}`);
    await chat.seesOnce(/Hi, I'm Ann/);
    await agent.open(suite.demo.origin);
    await agent.sees('system', `"human please ${id}"`);
    await agent.click('auto-toggle');
    expect(await seriousViolations(agent.page)).toEqual([]);
    await chat.send(`Before the reload ${id}`);
    await agent.sees('user', `Before the reload ${id}`);

    await chat.page.reload();
    await chat.input.waitFor();
    // Still with Ann (the header shows her), the messages so far are back, each once, and the input works.
    await chat.page.getByText('Ann', { exact: true }).first().waitFor();
    await chat.seesOnce(`Before the reload ${id}`);
    await chat.seesOnce('Ann connected.');
    await chat.seesOnce(/Hi, I'm Ann/);
    await eventually('the chat input to be enabled', () => chat.inputEnabled());

    await agent.say(`After the reload ${id}`);
    await chat.seesOnce(`After the reload ${id}`);
    await chat.send(`Still here ${id}`);
    await agent.sees('user', `Still here ${id}`);
    expect(await chat.text('You disconnected from the live agent.').count()).toBe(0);
    expect(await agent.page.locator('#conversations li').filter({ hasText: 'Active with Ann' }).count()).toBeGreaterThan(0);
  });

  it('warns that a reload ends the chat only when the desk cannot resume (?resume=off)', async () => {
    const warning = "If you refresh or leave the current page, you'll have to request a new agent.";
    const cannot = new ChatPage(await (await suite.newContext()).newPage());
    await cannot.page.goto(`${suite.demo.origin}/?resume=off`);
    await cannot.input.waitFor();
    await cannot.send(`agent please, no resume ${marker()}`);
    await cannot.seesOnce(/Hi, I'm Ann/);
    await cannot.sees(warning);

    const can = new ChatPage(await (await suite.newContext()).newPage());
    await can.open(suite.demo.origin);
    await can.send(`agent please ${marker()}`);
    await can.seesOnce(/Hi, I'm Ann/);
    expect(await can.text(warning).count()).toBe(0);
  });

  it('hands a chat to a Genesys Web Messaging agent on the local simulator (?vendor=genesys)', async () => {
    const chat = new ChatPage(await (await suite.newContext()).newPage());
    await chat.page.goto(`${suite.demo.origin}/?vendor=genesys`);
    await chat.input.waitFor({ timeout: 15_000 });
    // The page gives Genesys hints and says that the agent console does not show Genesys chats.
    await chat.page.getByText('Gina, the simulator\'s scripted agent').waitFor();
    await chat.page.getByText('it does not show the chats of this desk').waitFor();
    expect(await chat.page.locator('[data-for-vendor="simulated"]').count()).toBe(2);
    expect(await chat.page.locator('[data-for-vendor="simulated"]:visible').count()).toBe(0);

    // Web Messaging sends no join event: Gina's first message is the join.
    await chat.send('I need a human agent please');
    await chat.sees('Gina connected.');
    await chat.seesOnce(/Hi, I'm Gina from the Genesys desk/);

    // Messages both ways, over real sockets to the simulator.
    await chat.send('Where is my parcel?');
    await chat.seesOnce('You said "Where is my parcel?". Type "transfer" or "end" to try those.');

    // A change of human sender is a transfer.
    await chat.send('transfer');
    await chat.sees('Gus connected.');
    await chat.seesOnce(/Gus here/);

    // Gus ends the chat: the next message goes back to the assistant.
    await chat.send('end');
    await chat.seesOnce('Thanks for chatting with us. Goodbye!');
    await eventually('the chat to end', async () => (await chat.text(/ended the chat|disconnected/).count()) > 0);
  });

  it('hands a chat to an agent of Amazon Connect on the local simulator, with the real amazon-connect-chatjs (?vendor=amazon-connect)', async () => {
    const id = marker();
    const chatContext = await suite.newContext();
    const chat = new ChatPage(await chatContext.newPage());
    const agent = new ConsolePage(await (await suite.newContext(1100)).newPage());
    await chat.page.goto(`${suite.demo.origin}/?vendor=amazon-connect`);
    await chat.input.waitFor({ timeout: STEP_MS });
    await chat.page.getByText('you are the Connect agent').waitFor();
    expect(await chat.page.locator('#no-console-note').isHidden()).toBe(true);

    // The user asks for a person: StartChatContact with the summary, and the chat waits for an agent.
    await chat.send(`I need a human agent about refund ${id}`);
    await chat.sees('Sure, let me find a human agent for you.');
    await agent.open(suite.demo.origin);
    const row = agent.page.locator('#conversations li').filter({ hasText: 'Amazon Connect' }).filter({ hasText: `refund ${id}` });
    await row.locator('button').click();
    await agent.sees('system', `about refund ${id}`);
    await eventually('the console to show the user online', async () => (await agent.page.locator('#presence').textContent()) === 'user online');
    // Connect has no scripted agent and no queue this console can move.
    expect(await agent.page.locator('#auto-toggle').isHidden()).toBe(true);
    expect(await agent.page.locator('#queue-form').isHidden()).toBe(true);

    // Ann joins and writes: participant.joined and the message reach chatjs over the simulator's socket.
    await agent.page.locator('#join-agent').selectOption({ label: 'Ann' });
    await agent.click('join');
    await chat.sees('Ann connected.');
    await eventually('the console to show Ann', async () => (await agent.state()) === 'Active with Ann');
    // The demo sends no rich content or screen share request on Connect: those controls stay hidden in an active chat.
    for (const control of ['#rich', '#rich-kind', '#share', '#share-state']) expect(await agent.page.locator(control).isHidden()).toBe(true);
    await agent.say(`Hello, Ann from Connect here ${id}`);
    await chat.seesOnce(`Hello, Ann from Connect here ${id}`);

    // The user answers: chatjs sends it (SendMessage), the console sees it once.
    await chat.send(`Thanks Ann ${id}`);
    await agent.sees('user', `Thanks Ann ${id}`);
    expect(await agent.transcript.getByText(`Thanks Ann ${id}`).count()).toBe(1);
    await chat.seesOnce(`Thanks Ann ${id}`);
    await chat.text('Ann connected.').evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await chat.page.screenshot({ path: 'test-results/e2e/amazon-connect-chat.png' });
    await agent.page.screenshot({ path: 'test-results/e2e/amazon-connect-console.png' });

    // Ann ends the chat (participant.left, chat.ended): the next message goes to the assistant.
    await agent.click('end');
    await chat.sees('Ann ended the chat.');
    await eventually('the console to show the chat ended', async () => (await agent.state()) === 'Ended');
    await chat.send(`And my hotel ${id}?`);
    await chat.sees(/I'm only a demo assistant, so I can't help with "And my hotel/);
    expect(await agent.transcript.getByText('And my hotel').count()).toBe(0);
  });

  it('serves nothing but its own files, and stops cleanly on Ctrl-C', async () => {
    const context = await suite.newContext();
    const page = await context.newPage();
    const response = await page.goto(`${suite.demo.origin}/`);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
    await new ChatPage(page).sees(/type agent/);
    // A page left open would log the server's disappearance: close it first.
    await context.close();
    const code = await suite.demo.stop();
    expect(code).toBe(0);
    expect(suite.demo.output()).toContain('Stopped.');
  });
});
