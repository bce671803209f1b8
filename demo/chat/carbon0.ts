/**
 * The second chat page (`/carbon0`): Carbon AI Chat 0.3.3, the open-source fork of watsonx Assistant web chat
 * (installed as `carbon-ai-chat-0`), with the same demo assistant and the simulated desk. It is the watsonx dialect's
 * real widget: the library tells it apart by `instance.getWidgetVersion()` and sends it snake_case queue data. The page
 * shows the widget's version and the fields of the last queue update the desk sent, for people and for the e2e test.
 */
import { ChatContainer, MessageInputType, type ChatInstance, type MessageRequest, type MessageResponse, type PublicConfig, type ServiceDeskCallback } from 'carbon-ai-chat-0';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { serviceDeskFactory } from '../../lib/index.js';
import { assistantReply } from './assistant.js';
import { simulatedChatVendor } from './vendors/simulated.js';

interface DemoConfig {
  readonly vendors: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

function show(id: string, text: string): void {
  const element = document.getElementById(id);
  if (element) element.textContent = text;
}

/**
 * The demo assistant for 0.3.3. Besides the user's texts, 0.3.3 sends `update_history` event requests (when a message
 * changes, e.g. the hand-over card), which are not for the assistant: they get no answer. The assistant's reply is
 * built with 1.9.1's types; the items are the same JSON for 0.3.3 (the two packages' enums are distinct types with the
 * same string values).
 */
async function sendToAssistant(request: MessageRequest, _options: unknown, instance: ChatInstance): Promise<void> {
  if (request.input.message_type === MessageInputType.EVENT) return;
  await instance.messaging.addMessage(assistantReply(request.input.text ?? '') as unknown as MessageResponse);
}

/**
 * The host callback, unchanged, except that the field names of the queue updates the desk sends are shown on the page
 * (`position_in_queue, estimated_wait_time` in the watsonx dialect, `positionInQueue, estimatedWaitTime` in Carbon
 * 1.x's).
 */
function showingQueueFields(callback: ServiceDeskCallback): ServiceDeskCallback {
  const fields = new Set<string>();
  return new Proxy(callback, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key);
      if (key === 'updateAgentAvailability') {
        return (availability: object) => {
          for (const field of Object.keys(availability)) fields.add(field);
          show('queue-fields', [...fields].join(', '));
          return target.updateAgentAvailability(availability);
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function main(): Promise<void> {
  const config = (await (await fetch('/config.json')).json()) as DemoConfig;
  const settings = config.vendors.simulated;
  if (!settings) throw new Error('The demo server offers no simulated desk.');
  // No `queueStatus` text: the desk sends the queue figures as they are, and 0.3.3 words them itself ("Current wait
  // time is 2 minutes."), which it does only from the watsonx dialect's snake_case fields.
  const factory = serviceDeskFactory(() => simulatedChatVendor.adapter(settings, location.origin), { texts: { queueStatus: () => undefined } });
  const chatConfig: PublicConfig = {
    namespace: 'carbon0',
    openChatByDefault: true,
    messaging: { customSendMessage: sendToAssistant },
    serviceDesk: { skipConnectAgentCard: true },
    serviceDeskFactory: (parameters) => factory({ ...parameters, callback: showingQueueFields(parameters.callback) }),
  };
  const root = document.getElementById('chat-root');
  if (!root) throw new Error('The page has no #chat-root element.');
  createRoot(root).render(
    createElement(ChatContainer, {
      config: chatConfig,
      onBeforeRender: (instance) => show('widget-version', instance.getWidgetVersion()),
    }),
  );
}

main().catch((error: unknown) => {
  show('widget-version', `The page could not start: ${error instanceof Error ? error.message : String(error)}`);
  throw error;
});
