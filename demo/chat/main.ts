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

function show(id: string, text: string): void {
  const element = document.getElementById(id);
  if (element) element.textContent = text;
}

async function main(): Promise<void> {
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
  if (!vendor.hasConsole) document.getElementById('console-hint')?.setAttribute('hidden', '');

  const history = sessionHistory(name);
  const props: ChatContainerProps = {
    // One storage namespace per vendor, so that switching vendors never resumes the other one's chat.
    namespace: name,
    openChatByDefault: true,
    injectCarbonTheme: CarbonTheme.WHITE,
    assistantName: 'Demo assistant',
    header: { title: 'Acme Travel support' },
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
