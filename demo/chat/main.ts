/**
 * The chat page: Carbon AI Chat (React `ChatContainer`) with the demo assistant and this library's
 * `serviceDeskFactory`. The desk is the one `?vendor=NAME` names, or the server's default.
 */
import { BusEventType, CarbonTheme, ChatContainer, type BusEventHumanAgentPreStartChat, type ChatContainerProps, type ChatInstance, type HistoryItem } from '@carbon/ai-chat';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { chatHistory, serviceDeskFactory, type UserTexts } from '../../lib/index.js';
import { sendToAssistant } from './assistant.js';
import { chatVendors } from './vendors/index.js';

/** What `/config.json` holds. */
interface DemoConfig {
  readonly defaultVendor: string;
  readonly vendors: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/**
 * Carbon AI Chat shows either the wait time or the queue position, never both: the library says both in one message,
 * and the demo words it its own way (the `texts` option).
 */
const texts: Partial<UserTexts> = {
  queueStatus: (position, waitMinutes) =>
    `${position <= 1 ? "You're **next** in line." : `You're number **${position}** in line.`} The wait is about ${waitMinutes} ${waitMinutes === 1 ? 'minute' : 'minutes'}.`,
};

/**
 * What a pre-chat form would collect: Carbon passes it to `startChat` as `preStartChatPayload`, and the library hands
 * it to the desk as routing context (the agent console shows it).
 */
function preChatForm(instance: ChatInstance): void {
  instance.on({
    type: BusEventType.HUMAN_AGENT_PRE_START_CHAT,
    handler: (event) => {
      (event as BusEventHumanAgentPreStartChat).preStartChatPayload = { plan: 'gold', page: location.pathname };
    },
  });
}

/**
 * Carbon AI Chat 1.9, resuming a chat after a reload, calls `setTimeout(this.serviceManager?.appWindow?.requestFocus)`
 * before its window exists: `setTimeout(undefined)`, which a browser evaluates as the code "undefined". The page's
 * Content-Security-Policy (no 'unsafe-eval') refuses that and Chrome logs two console errors. A timer whose handler
 * is not a function is dropped here: evaluated, it would have done nothing.
 */
function dropStringTimers(): void {
  const setTimer = window.setTimeout.bind(window);
  window.setTimeout = ((handler: TimerHandler, timeout?: number, ...args: unknown[]) =>
    typeof handler === 'function' ? setTimer(handler, timeout, ...args) : 0) as typeof window.setTimeout;
}

/**
 * Carbon's floating chat is 380 px wide, 32 px from the right: on a phone-sized window (390 px) its left edge would be
 * cut off. These bounds keep it inside the window at every width and change nothing on a desktop.
 */
const FITS_THE_WINDOW = { 'right-position': 'min(32px, 4vw)', 'max-width': 'calc(100vw - 2 * min(32px, 4vw))' } as const;

function show(id: string, text: string): void {
  const element = document.getElementById(id);
  if (element) element.textContent = text;
}

async function main(): Promise<void> {
  dropStringTimers();
  const config = (await (await fetch('/config.json')).json()) as DemoConfig;
  const name = new URLSearchParams(location.search).get('vendor') ?? config.defaultVendor;
  const vendor = chatVendors[name];
  const settings = config.vendors[name];
  if (!vendor || !settings) {
    show('vendor', `Unknown vendor "${name}". Available: ${Object.keys(config.vendors).join(', ')}.`);
    return;
  }
  show('vendor', vendor.label);
  document.body.dataset.vendor = name;
  // The page's hints are written per vendor: show the ones for this vendor, and say when the console cannot help.
  for (const hint of Array.from(document.querySelectorAll<HTMLElement>('[data-for-vendor]'))) hint.hidden = hint.dataset.forVendor !== name;
  for (const note of Array.from(document.querySelectorAll<HTMLElement>('[data-without-console]'))) note.hidden = vendor.hasConsole;

  // One transcript per vendor, so that switching vendors never shows the other one's chat.
  const history = chatHistory<HistoryItem['message']>(name);
  const props: ChatContainerProps = {
    // One storage namespace per vendor, so that switching vendors never resumes the other one's chat.
    namespace: name,
    openChatByDefault: true,
    layout: { customProperties: FITS_THE_WINDOW },
    injectCarbonTheme: CarbonTheme.WHITE,
    assistantName: 'Demo assistant',
    // No "AI" label: the demo assistant is a script. (Carbon 1.9's label, a role=button around its own button, is
    // also what axe reports as nested interactive controls.)
    header: { title: 'Acme Travel support', showAiLabel: false },
    messaging: { customSendMessage: sendToAssistant, customLoadHistory: history.load },
    onBeforeRender: (instance) => {
      history.record(instance);
      preChatForm(instance);
    },
    serviceDesk: { skipConnectHumanAgentCard: true },
    serviceDeskFactory: serviceDeskFactory(() => vendor.adapter(settings, location.origin), { texts }),
  };
  const root = document.getElementById('chat-root');
  if (!root) throw new Error('The page has no #chat-root element.');
  createRoot(root).render(createElement(ChatContainer, props));
}

main().catch((error: unknown) => {
  show('vendor', `The demo could not start: ${error instanceof Error ? error.message : String(error)}`);
  throw error;
});
