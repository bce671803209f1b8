/**
 * The agent console: what a human agent sees of the simulated desk and of the Amazon Connect chats. It lists the
 * conversations, shows one with its transcript, and acts on it (join, answer, type, transfer, drop the connection,
 * end) through the demo server's `/ws/console` WebSocket (`/ws/console/amazon-connect` for Connect chats).
 */
import type { ConversationSnapshot, SimAgent, TranscriptEntry } from '../../lib/simulator/index.js';
import { RICH_SAMPLES, type ConsoleCommand, type ConsoleConversation, type ConsoleUpdate, type RichSample } from '../shared/console-protocol.js';

/** How long after the last keystroke the agent counts as no longer typing. */
const TYPING_IDLE_MS = 3_000;
/** How long to wait before reconnecting to the server after the console socket closed. */
const RECONNECT_MS = 2_000;

const conversations = new Map<string, ConsoleConversation>();
let agents: readonly SimAgent[] = [];
let selected: string | undefined;
let typingTimer: ReturnType<typeof setTimeout> | undefined;
let typingIn: string | undefined;
const lastUserEntry = new Map<string, string>();

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`The console page has no #${id}.`);
  return element as T;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  if (className) created.className = className;
  if (text !== undefined) created.textContent = text;
  return created;
}

const ui = {
  deskStatus: byId('desk-status'),
  none: byId('no-conversations'),
  list: byId<HTMLUListElement>('conversations'),
  detail: byId('detail'),
  pick: byId('pick'),
  title: byId('title'),
  state: byId('state'),
  presence: byId('presence'),
  autoText: byId('auto-text'),
  autoToggle: byId<HTMLButtonElement>('auto-toggle'),
  queueForm: byId<HTMLFormElement>('queue-form'),
  queuePosition: byId<HTMLInputElement>('queue-position'),
  queueWait: byId<HTMLInputElement>('queue-wait'),
  joinAgent: byId<HTMLSelectElement>('join-agent'),
  join: byId<HTMLButtonElement>('join'),
  transferAgent: byId<HTMLSelectElement>('transfer-agent'),
  transfer: byId<HTMLButtonElement>('transfer'),
  drop: byId<HTMLButtonElement>('drop'),
  context: byId('context'),
  richControl: byId('rich-control'),
  richKind: byId<HTMLSelectElement>('rich-kind'),
  rich: byId<HTMLButtonElement>('rich'),
  shareControl: byId('share-control'),
  share: byId<HTMLButtonElement>('share'),
  shareState: byId('share-state'),
  end: byId<HTMLButtonElement>('end'),
  transcript: byId<HTMLOListElement>('transcript'),
  userTyping: byId('user-typing'),
  composer: byId<HTMLFormElement>('composer'),
  reply: byId<HTMLTextAreaElement>('reply'),
  send: byId<HTMLButtonElement>('send'),
};

/** The desks the console drives, by the console socket's path. */
const DESKS = { simulated: '/ws/console', 'amazon-connect': '/ws/console/amazon-connect' } as const;
type Desk = keyof typeof DESKS;
const sockets = new Map<Desk, WebSocket>();
const deskOf = (conversation: ConsoleConversation | undefined): Desk => conversation?.vendor ?? 'simulated';

function command(next: ConsoleCommand): void {
  const socket = sockets.get(deskOf(conversations.get(next.id)));
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(next));
}

function current(): ConsoleConversation | undefined {
  return selected === undefined ? undefined : conversations.get(selected);
}

function statusText(conversation: ConsoleConversation): string {
  switch (conversation.status) {
    case 'queued':
      return conversation.vendor ? 'Waiting for an agent' : `Queued: #${conversation.position}, about ${conversation.waitMinutes} min`;
    case 'active':
      return `Active with ${conversation.agent?.nickname ?? 'an agent'}`;
    case 'transferring':
      return 'Transferring';
    case 'ended':
      return 'Ended';
  }
}

function summaryOf(conversation: ConversationSnapshot): string {
  const first = conversation.transcript.find((entry) => entry.from === 'system' && entry.text.startsWith('Summary: '));
  const last = [...conversation.transcript].reverse().find((entry) => entry.from !== 'system');
  return (last ?? first)?.text.replace(/^Summary: /, '') ?? '';
}

function renderList(): void {
  ui.none.hidden = conversations.size > 0;
  const items = [...conversations.values()].reverse().map((conversation) => {
    const item = element('li');
    item.dataset.conversationId = conversation.id;
    const button = element('button');
    button.type = 'button';
    button.setAttribute('aria-current', String(conversation.id === selected));
    const line = element('span', 'line');
    line.append(element('strong', undefined, conversation.id), element('span', 'pill', statusText(conversation)));
    button.append(line, element('span', 'preview', summaryOf(conversation)), ...vendorTag(conversation));
    button.addEventListener('click', () => select(conversation.id));
    item.append(button);
    return item;
  });
  ui.list.replaceChildren(...items);
}

function renderEntry(entry: TranscriptEntry): HTMLLIElement {
  const item = element('li', `entry entry--${entry.from}${entry.failed ? ' entry--failed' : ''}`);
  item.dataset.from = entry.from;
  if (entry.from !== 'system') item.append(element('span', 'entry__who', entry.from === 'user' ? 'User' : (entry.agentName ?? 'Agent')));
  if (entry.text) item.append(document.createTextNode(entry.text));
  for (const attachment of entry.attachments ?? []) {
    const link = element('a', undefined, attachment.name);
    link.href = attachment.url;
    link.target = '_blank';
    item.append(document.createTextNode(entry.text ? '\n' : ''), link);
  }
  for (const content of entry.content ?? []) item.append(document.createTextNode(`${item.childNodes.length ? '\n' : ''}[${contentText(content)}]`));
  if (entry.failed) item.append(element('span', 'entry__who', 'not delivered'));
  return item;
}

/** A line for one piece of rich content, as the agent sees what they sent. */
function contentText(content: NonNullable<TranscriptEntry['content']>[number]): string {
  switch (content.kind) {
    case 'file':
      return `file card: ${content.name ?? content.url}`;
    case 'image':
    case 'video':
      return `${content.kind}: ${content.altText ?? content.title ?? content.url}`;
    case 'error':
      return `error: ${content.text}`;
    case 'options':
      return `quick replies: ${content.options.map((option) => option.label).join(' / ')}`;
    case 'custom':
      return 'custom item';
  }
}

/** The screen share as the agent sees it. */
const SHARE_TEXT: Record<NonNullable<ConversationSnapshot['screenShare']>, string> = {
  requested: 'screen share asked',
  accepted: 'sharing screen',
  declined: 'share declined',
  cancelled: 'share cancelled',
  timedOut: 'share not answered',
  unsupported: 'no screen share here',
  stopped: 'user stopped sharing',
  ended: 'share ended',
};

const sharing = (conversation: ConversationSnapshot) => conversation.screenShare === 'requested' || conversation.screenShare === 'accepted';

function fillAgents(select: HTMLSelectElement, exclude?: string): void {
  const chosen = select.value;
  select.replaceChildren(
    ...agents
      .filter((agent) => agent.id !== exclude)
      .map((agent) => {
        const option = element('option', undefined, agent.nickname);
        option.value = agent.id;
        return option;
      }),
  );
  if (Array.from(select.options).some((option) => option.value === chosen)) select.value = chosen;
}

function renderDetail(): void {
  const conversation = current();
  ui.detail.hidden = !conversation;
  ui.pick.hidden = Boolean(conversation);
  if (!conversation) return;
  const live = conversation.status !== 'ended';
  const queued = conversation.status === 'queued';
  const active = conversation.status === 'active';

  ui.title.textContent = conversation.id;
  ui.state.textContent = statusText(conversation);
  ui.state.className = `pill ${active ? 'pill--on' : live ? 'pill--wait' : ''}`;
  ui.presence.textContent = conversation.connected ? 'user online' : 'user offline';
  ui.presence.className = `pill ${conversation.connected ? 'pill--on' : 'pill--off'}`;
  ui.autoText.textContent = conversation.auto
    ? 'The scripted agent answers this chat.'
    : `You answer this chat${conversation.agent ? ` as ${conversation.agent.nickname}` : ''}.`;
  ui.autoToggle.textContent = conversation.auto ? 'Take over' : 'Let the script answer';
  ui.autoToggle.disabled = !live;

  if (document.activeElement !== ui.queuePosition && document.activeElement !== ui.queueWait) {
    ui.queuePosition.value = String(conversation.position);
    ui.queueWait.value = String(conversation.waitMinutes);
  }
  for (const control of Array.from(ui.queueForm.elements) as HTMLInputElement[]) control.disabled = !queued;
  fillAgents(ui.joinAgent);
  fillAgents(ui.transferAgent, conversation.agent?.id);
  ui.join.disabled = ui.joinAgent.disabled = !live || active;
  ui.transfer.disabled = ui.transferAgent.disabled = !active;
  ui.drop.disabled = !live || !conversation.connected;
  ui.rich.disabled = ui.richKind.disabled = !active;
  ui.share.disabled = !active;
  ui.share.textContent = sharing(conversation) ? 'End screen share' : 'Ask to share screen';
  ui.shareState.textContent = conversation.screenShare ? SHARE_TEXT[conversation.screenShare] : '';
  ui.shareState.hidden = !conversation.screenShare;
  const context = Object.entries(conversation.context ?? {});
  ui.context.hidden = context.length === 0;
  ui.context.replaceChildren(...context.flatMap(([key, value]) => [element('dt', undefined, key), element('dd', undefined, value)]));
  ui.end.disabled = !live;
  ui.reply.disabled = ui.send.disabled = !active;

  const atBottom = ui.transcript.scrollHeight - ui.transcript.scrollTop - ui.transcript.clientHeight < 40;
  ui.transcript.replaceChildren(...conversation.transcript.map(renderEntry));
  const lastAgent = Array.from(ui.transcript.querySelectorAll<HTMLLIElement>('.entry--agent')).pop();
  if (lastAgent && conversation.userRead) lastAgent.append(element('span', 'entry__who', 'read'));
  if (atBottom) ui.transcript.scrollTop = ui.transcript.scrollHeight;
  ui.userTyping.hidden = !conversation.userTyping || !live;
  showVendorControls(conversation);
}

/** The list's tag for a conversation of another desk than the simulated one. */
function vendorTag(conversation: ConsoleConversation): HTMLElement[] {
  return conversation.vendor === 'amazon-connect' ? [element('span', 'pill pill--vendor', 'Amazon Connect')] : [];
}

/**
 * Amazon Connect chats have no scripted agent and no queue the console can move, and the demo sends them no rich
 * content or screen share request: hide those controls.
 */
function showVendorControls(conversation: ConsoleConversation): void {
  const connect = conversation.vendor === 'amazon-connect';
  ui.queueForm.hidden = connect;
  ui.autoToggle.hidden = connect;
  ui.richControl.hidden = connect;
  ui.shareControl.hidden = connect;
}

/** Tells the desk the user's new messages were read, as a real console does when the agent looks at the chat. */
function acknowledge(conversation: ConversationSnapshot): void {
  const last = [...conversation.transcript].reverse().find((entry) => entry.from === 'user');
  if (!last || lastUserEntry.get(conversation.id) === last.id) return;
  lastUserEntry.set(conversation.id, last.id);
  if (conversation.id === selected && !conversation.auto && conversation.agent && document.visibilityState === 'visible') {
    command({ op: 'read', id: conversation.id });
  }
}

function select(id: string): void {
  stopTyping();
  selected = id;
  renderList();
  renderDetail();
  ui.reply.focus();
}

/** Whether the agent is busy with this chat: it is live and its user is there. */
const busyWith = (conversation: ConsoleConversation | undefined) => conversation !== undefined && conversation.status !== 'ended' && conversation.connected;

function update(conversation: ConsoleConversation): void {
  const isNew = !conversations.has(conversation.id);
  conversations.set(conversation.id, conversation);
  // Follow a new chat unless the agent is busy with another one.
  if (selected === undefined || (isNew && !busyWith(current()))) selected = conversation.id;
  acknowledge(conversation);
}

function stopTyping(): void {
  if (typingTimer !== undefined) clearTimeout(typingTimer);
  typingTimer = undefined;
  if (typingIn !== undefined) command({ op: 'typing', id: typingIn, on: false });
  typingIn = undefined;
}

function typed(): void {
  const conversation = current();
  if (!conversation || conversation.status !== 'active') return;
  if (!ui.reply.value.trim()) {
    stopTyping();
    return;
  }
  if (typingIn !== conversation.id) {
    stopTyping();
    typingIn = conversation.id;
    command({ op: 'typing', id: conversation.id, on: true });
  }
  if (typingTimer !== undefined) clearTimeout(typingTimer);
  typingTimer = setTimeout(stopTyping, TYPING_IDLE_MS);
}

function sendReply(): void {
  const conversation = current();
  const text = ui.reply.value.trim();
  if (!conversation || !text) return;
  // The desk clears the agent's typing indicator when the message goes out.
  if (typingTimer !== undefined) clearTimeout(typingTimer);
  typingTimer = undefined;
  typingIn = undefined;
  command({ op: 'say', id: conversation.id, text });
  ui.reply.value = '';
  ui.reply.focus();
}

function wire(): void {
  ui.reply.addEventListener('input', typed);
  ui.reply.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      sendReply();
    }
  });
  ui.composer.addEventListener('submit', (event) => {
    event.preventDefault();
    sendReply();
  });
  ui.queueForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const conversation = current();
    if (!conversation) return;
    const waitMinutes = ui.queueWait.value === '' ? undefined : Number(ui.queueWait.value);
    command({ op: 'queue', id: conversation.id, position: Number(ui.queuePosition.value), ...(waitMinutes === undefined ? {} : { waitMinutes }) });
  });
  const act = (button: HTMLButtonElement, make: (id: string) => ConsoleCommand) =>
    button.addEventListener('click', () => {
      const conversation = current();
      if (conversation) command(make(conversation.id));
    });
  act(ui.join, (id) => ({ op: 'join', id, agentId: ui.joinAgent.value }));
  act(ui.transfer, (id) => ({ op: 'transfer', id, agentId: ui.transferAgent.value }));
  act(ui.drop, (id) => ({ op: 'drop', id }));
  act(ui.rich, (id) => ({ op: 'rich', id, kind: (RICH_SAMPLES as readonly string[]).includes(ui.richKind.value) ? (ui.richKind.value as RichSample) : 'file' }));
  act(ui.share, (id) => {
    const conversation = current();
    return { op: 'share', id, on: !(conversation && sharing(conversation)) };
  });
  act(ui.end, (id) => {
    stopTyping();
    return { op: 'end', id };
  });
  act(ui.autoToggle, (id) => ({ op: 'auto', id, on: !current()?.auto }));
}

/** The status pill: connected once every desk's console socket is open. */
function showDeskStatus(): void {
  const open = Object.keys(DESKS).every((desk) => sockets.get(desk as Desk)?.readyState === WebSocket.OPEN);
  ui.deskStatus.textContent = open ? 'connected to the desk' : 'desk unreachable, retrying...';
  ui.deskStatus.className = `pill ${open ? 'pill--on' : 'pill--off'}`;
}

function connect(desk: Desk): void {
  const next = new WebSocket(`${location.origin.replace(/^http/, 'ws')}${DESKS[desk]}`);
  sockets.set(desk, next);
  next.addEventListener('open', showDeskStatus);
  next.addEventListener('message', (event: MessageEvent<string>) => {
    const message = JSON.parse(event.data) as ConsoleUpdate;
    if (message.t === 'hello') {
      agents = message.agents;
      for (const [id, conversation] of conversations) if (deskOf(conversation) === desk) conversations.delete(id);
      for (const conversation of message.conversations) update(conversation);
      // Open the newest chat whose user is there, else the newest one.
      const all = [...conversations.values()].reverse();
      if (!busyWith(current())) selected = (all.find(busyWith) ?? all[0])?.id;
    } else if (message.t === 'conversation') update(message.conversation);
    else {
      ui.deskStatus.textContent = `refused: ${message.reason}`;
      return;
    }
    renderList();
    renderDetail();
  });
  next.addEventListener('close', () => {
    if (sockets.get(desk) !== next) return;
    showDeskStatus();
    setTimeout(() => connect(desk), RECONNECT_MS);
  });
}

wire();
for (const desk of Object.keys(DESKS)) connect(desk as Desk);
