/**
 * The chat page: Carbon AI Chat (React `ChatContainer`) with the demo assistant and this library's
 * `serviceDeskFactory`. The desk is the one `?vendor=NAME` names, or the server's default.
 */
import { CarbonTheme, ChatContainer, type ChatContainerProps } from '@carbon/ai-chat';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { map } from 'rxjs';
import { serviceDeskFactory, type DomainStreams, type EventOf } from '../../lib/index.js';
import { sendToAssistant } from './assistant.js';
import { sessionHistory } from './history.js';
import { chatVendors } from './vendors/index.js';

/** What `/config.json` holds. */
interface DemoConfig {
  readonly defaultVendor: string;
  readonly vendors: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/**
 * Carbon AI Chat shows either the wait time or the queue position, never both: the demo writes both into the queue
 * message instead, by reshaping the library's `availability$` stream.
 */
function queueMessage({ position, waitMinutes }: EventOf<'queueUpdate'>): EventOf<'queueUpdate'> {
  const place = position === undefined ? '' : position <= 1 ? "You're **next** in line." : `You're number **${position}** in line.`;
  const wait = waitMinutes === undefined ? '' : ` The wait is about ${waitMinutes} ${waitMinutes === 1 ? 'minute' : 'minutes'}.`;
  return { type: 'queueUpdate', message: `${place}${wait}`.trim() || 'Waiting for an agent...' };
}

const streams = ({ availability$ }: DomainStreams): Partial<DomainStreams> => ({ availability$: availability$.pipe(map(queueMessage)) });

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

  const history = sessionHistory(name);
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
    onBeforeRender: history.record,
    serviceDesk: { skipConnectHumanAgentCard: true },
    serviceDeskFactory: serviceDeskFactory(() => vendor.adapter(settings, location.origin), { streams }),
  };
  const root = document.getElementById('chat-root');
  if (!root) throw new Error('The page has no #chat-root element.');
  createRoot(root).render(createElement(ChatContainer, props));
}

main().catch((error: unknown) => {
  show('vendor', `The demo could not start: ${error instanceof Error ? error.message : String(error)}`);
  throw error;
});
