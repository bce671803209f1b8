import type { Agent, AgentContent, Attachment, Capabilities, EventOf } from '../core/events.js';
import type {
  CarbonAgentAvailability,
  HostAgentProfile,
  HostCallback,
  HostCapabilities,
  HostGenericItem,
  HostMessageResponse,
  WatsonxAgentAvailability,
} from './types.js';

/** Which host drives the desk. */
export type HostKind = 'carbon' | 'watsonx';

/** How domain values are written for one host: the only place where the two hosts differ. */
export interface Dialect {
  readonly kind: HostKind;
  /** Whether the host keeps state across a page reload (`updatePersistedState`). */
  readonly persistsState: boolean;
  /** Whether the host marks one failed user message (`ErrorType.USER_MESSAGE`): Carbon AI Chat 1.x only. */
  readonly userMessageErrors: boolean;
  profile(agent: Agent): HostAgentProfile;
  availability(update: EventOf<'queueUpdate'>): CarbonAgentAvailability | WatsonxAgentAvailability;
  /** An agent message: its text, attachments, then its rich content in the items this host renders. */
  message(id: string, text: string, attachments?: readonly Attachment[], content?: readonly AgentContent[]): HostMessageResponse;
  /** A line from the library itself (not from an agent), shown as a status line. */
  notice(id: string, text: string): HostMessageResponse;
  capabilities(capabilities: Partial<Capabilities>): Partial<HostCapabilities>;
}

const hasWidgetVersion = (instance: unknown): boolean =>
  typeof instance === 'object' && instance !== null && typeof (instance as { getWidgetVersion?: unknown }).getWidgetVersion === 'function';

/**
 * Tells the hosts apart by the chat instance and the callback. watsonx Assistant web chat (7.x, 8.x) and Carbon AI
 * Chat 0.x, its open-source fork, have `instance.getWidgetVersion()` and speak the watsonx dialect (snake_case
 * availability), whether or not they keep persisted state; Carbon AI Chat 1.x has no `getWidgetVersion` and offers
 * persisted state. Without an instance, the callback decides: persisted state means Carbon 1.x.
 *
 * @example
 * detectHost(params.callback, params.instance); // 'carbon' inside @carbon/ai-chat 1.x, 'watsonx' inside 0.x or web chat
 */
export function detectHost(callback: HostCallback, instance?: unknown): HostKind {
  if (hasWidgetVersion(instance)) return 'watsonx';
  return typeof callback.updatePersistedState === 'function' ? 'carbon' : 'watsonx';
}

const SAFE_URL = /^(https?:|blob:|data:image\/(png|gif|jpe?g|webp|svg\+xml)[;,])/i;
const MARKDOWN = /[\\`*_{}[\]()<>#!|~]/g;

/**
 * Escapes text so that markdown and HTML in it render literally.
 *
 * @example
 * escapeMarkdown('[x](javascript:alert(1))'); // '\\[x\\]\\(javascript:alert\\(1\\)\\)'
 */
export function escapeMarkdown(text: string): string {
  return text.replace(MARKDOWN, (char) => `\\${char}`);
}

function attachmentItem(attachment: Attachment): HostGenericItem {
  const name = attachment.name || 'attachment';
  if (!SAFE_URL.test(attachment.url)) return removed(name);
  if (attachment.mimeType?.startsWith('image/')) return { response_type: 'image', source: attachment.url, title: name };
  return markdownLink(name, attachment.url);
}

/** A file as a markdown link: its name escaped, its URL a safe link target. */
const markdownLink = (name: string, url: string): HostGenericItem => ({ response_type: 'text', text: `[${escapeMarkdown(name)}](${linkTarget(url)})` });

/** What is shown instead of a link whose URL scheme is not safe. */
const removed = (label: string): HostGenericItem => ({ response_type: 'text', text: `${escapeMarkdown(label)} (link removed)` });

/** A URL as a markdown link target: percent-encoded, parentheses included, so that it cannot close the link early. */
function linkTarget(url: string): string {
  return encodeURI(decodeSafe(url)).replace(/\(/g, '%28').replace(/\)/g, '%29');
}

function decodeSafe(url: string): string {
  try {
    return decodeURI(url);
  } catch {
    return url;
  }
}

/**
 * A host item with fields beyond {@link HostGenericItem}, which names only what the library reads (naming more would
 * make it clash with one of Carbon AI Chat's enum-typed item types, and the desk types must stay assignable both ways).
 */
function item(fields: { response_type: string } & Record<string, unknown>): HostGenericItem {
  return fields;
}

/** A link button card, as Carbon AI Chat's own mock desk sends files. */
const linkButton = (url: string, label: string) => item({ response_type: 'button', button_type: 'url', kind: 'link', url, label, target: '_blank' });

/** Optional text fields of a media item, left out when empty. */
function mediaText(content: { altText?: string; title?: string; description?: string }): Record<string, string> {
  return {
    ...(content.title ? { title: content.title } : {}),
    ...(content.description ? { description: content.description } : {}),
    ...(content.altText ? { alt_text: content.altText } : {}),
  };
}

/**
 * One piece of rich content as host items. `rich`: the host renders Carbon AI Chat's button and inline error items
 * (Carbon 1.x); otherwise they fall back to text (watsonx web chat's `sendMessageToUser` documents text only).
 */
function contentItems(content: AgentContent, rich: boolean): HostGenericItem[] {
  switch (content.kind) {
    case 'file': {
      const name = content.name || 'file';
      if (!SAFE_URL.test(content.url)) return [removed(name)];
      return rich
        ? [linkButton(content.url, name)]
        : [markdownLink(name, content.url)];
    }
    case 'image':
    case 'video':
      if (!SAFE_URL.test(content.url)) return [removed(content.title || content.kind)];
      return [item({ response_type: content.kind, source: content.url, ...mediaText(content) })];
    case 'error':
      return [rich ? { response_type: 'inline_error', text: content.text } : { response_type: 'text', text: escapeMarkdown(content.text) }];
    case 'options': {
      // A numbered text list on both hosts: Carbon AI Chat 1.9.1 sends the choice of an `option` item to the
      // assistant even while an agent chat runs (OptionComponent -> actions.sendWithCatch; only the input field checks
      // selectIsInputToHumanAgent), so the user answers the agent by typing the choice.
      const options = (Array.isArray(content.options) ? content.options : []).filter((option) => typeof option?.label === 'string' && option.label && typeof option.value === 'string' && option.value);
      if (!options.length) return content.title ? [{ response_type: 'text', text: escapeMarkdown(content.title) }] : [];
      const lines = options.map((option, index) => `${index + 1}. ${escapeMarkdown(option.label)}`);
      return [{ response_type: 'text', text: [...(content.title ? [escapeMarkdown(content.title)] : []), ...lines].join('\n') }];
    }
    case 'custom':
      return [item({ response_type: 'user_defined', user_defined: content.data })];
    default:
      // A kind this version does not know (a newer adapter): nothing is shown rather than something wrong.
      return [];
  }
}

function messageFor(rich: boolean) {
  return (id: string, text: string, attachments?: readonly Attachment[], content?: readonly AgentContent[]): HostMessageResponse => {
    const generic: HostGenericItem[] = text ? [{ response_type: 'text', text }] : [];
    // Text-only messages are most of the traffic: no default arrays, iterators or spreads for them.
    if (attachments) for (let i = 0; i < attachments.length; i += 1) generic.push(attachmentItem(attachments[i]!));
    if (content) for (let i = 0; i < content.length; i += 1) generic.push(...contentItems(content[i]!, rich));
    return { id, output: { generic } };
  };
}

/**
 * A status line of the library. Carbon AI Chat keeps an item's own `agent_message_type` and shows any type but
 * "from_agent", "from_user", "disconnected" and "inline_error" centred as a status line with the item's text, without
 * the agent's avatar (`sendMessageToUser` and `isHumanAgentStatusMessage` in its ChatAppEntry.js, 1.9.1).
 */
function notice(id: string, text: string): HostMessageResponse {
  return { id, output: { generic: [{ response_type: 'text', text, agent_message_type: SYSTEM_MESSAGE_TYPE }] } };
}

/** Carbon AI Chat's `HumanAgentMessageType.SYSTEM`. */
const SYSTEM_MESSAGE_TYPE = 'system';

function capabilities(caps: Partial<Capabilities>): Partial<HostCapabilities> {
  const out: Partial<HostCapabilities> = {};
  if (caps.allowFileUploads !== undefined) out.allowFileUploads = caps.allowFileUploads;
  if (caps.allowMultipleFileUploads !== undefined) out.allowMultipleFileUploads = caps.allowMultipleFileUploads;
  if (caps.allowedFileUploadTypes !== undefined) out.allowedFileUploadTypes = caps.allowedFileUploadTypes;
  return out;
}

const carbon: Dialect = {
  kind: 'carbon',
  persistsState: true,
  userMessageErrors: true,
  profile: (agent) => ({
    id: agent.id,
    nickname: agent.nickname,
    user_type: 'human',
    ...(agent.avatarUrl && SAFE_URL.test(agent.avatarUrl) ? { profile_picture_url: agent.avatarUrl } : {}),
  }),
  availability: ({ position, waitMinutes, message }) => ({
    ...(position !== undefined ? { positionInQueue: position } : {}),
    ...(waitMinutes !== undefined ? { estimatedWaitTime: waitMinutes } : {}),
    ...(message !== undefined ? { message } : {}),
  }),
  message: messageFor(true),
  notice,
  capabilities,
};

const watsonx: Dialect = {
  kind: 'watsonx',
  persistsState: false,
  userMessageErrors: false,
  profile: (agent) => ({
    id: agent.id,
    nickname: agent.nickname,
    ...(agent.avatarUrl && SAFE_URL.test(agent.avatarUrl) ? { profile_picture_url: agent.avatarUrl } : {}),
  }),
  availability: ({ position, waitMinutes, message }) => ({
    ...(position !== undefined ? { position_in_queue: position } : {}),
    ...(waitMinutes !== undefined ? { estimated_wait_time: waitMinutes } : {}),
    ...(message !== undefined ? { message } : {}),
  }),
  message: messageFor(false),
  notice,
  capabilities,
};

/**
 * The dialect of a host. Pass the callback to keep persisted state on a watsonx-dialect host that offers it
 * (watsonx web chat 8.x, Carbon AI Chat 0.x).
 *
 * @example
 * dialectFor('watsonx').availability({ type: 'queueUpdate', position: 2 }); // { position_in_queue: 2 }
 */
export function dialectFor(kind: HostKind, callback?: HostCallback): Dialect {
  if (kind === 'carbon') return carbon;
  return typeof callback?.updatePersistedState === 'function' ? { ...watsonx, persistsState: true } : watsonx;
}
