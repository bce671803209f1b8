/**
 * The demo's stand-in for an AI assistant (`messaging.customSendMessage`): it greets, answers "agent" or "human" with
 * a `connect_to_agent` response that hands the chat to a human, and answers anything else with a short text.
 */
import { MessageResponseTypes, type ChatInstance, type CustomSendMessageOptions, type MessageRequest, type MessageResponse } from '@carbon/ai-chat';

const WELCOME =
  "Hi! I'm the demo assistant. I can't do much myself, but I can hand you to a human: type **agent** (or **human**) to talk to one.";

const WANTS_HUMAN = /\b(agent|human|person|someone)\b/i;

/**
 * What the assistant answers to one user text (an empty text asks for the welcome message).
 *
 * @example
 * assistantReply('I want a human').output.generic?.[1]?.response_type; // 'connect_to_agent'
 */
export function assistantReply(text: string): MessageResponse {
  const trimmed = text.trim();
  if (!trimmed) return { output: { generic: [{ response_type: MessageResponseTypes.TEXT, text: WELCOME }] } };
  if (!WANTS_HUMAN.test(trimmed)) {
    return {
      output: {
        generic: [
          {
            response_type: MessageResponseTypes.TEXT,
            text: `I'm only a demo assistant, so I can't help with "${trimmed.length > 60 ? `${trimmed.slice(0, 57)}...` : trimmed}". Type **agent** to talk to a human.`,
          },
        ],
      },
    };
  }
  return {
    output: {
      generic: [
        { response_type: MessageResponseTypes.TEXT, text: "Sure, let me find a human agent for you." },
        {
          response_type: MessageResponseTypes.CONNECT_TO_HUMAN_AGENT,
          message_to_human_agent: `The user asked the assistant for a human: "${trimmed}"`,
          agent_available: { message: 'An agent is available. Connecting you now.' },
          agent_unavailable: { message: 'No agent is available right now. Please try again later.' },
          transfer_info: {
            // Routing data for the desk (watsonx Assistant sets it in the action's "Connect to agent" step).
            additional_data: { topic: 'booking' },
            summary_message_to_agent: [{ response_type: MessageResponseTypes.TEXT, text: 'The assistant could not help; the user is waiting.' }],
          },
        },
      ],
    },
  };
}

/**
 * The `messaging.customSendMessage` of the chat page.
 *
 * @example
 * const config = { messaging: { customSendMessage: sendToAssistant } };
 */
export async function sendToAssistant(request: MessageRequest, _options: CustomSendMessageOptions, instance: ChatInstance): Promise<void> {
  await instance.messaging.addMessage(assistantReply(request.input.text ?? ''));
}
