/**
 * Hostile content from agents (nicknames, avatars, texts and attachments carrying HTML, script, markdown links and
 * `javascript:` URLs) reaches a Carbon AI Chat host through the simulated desk and through Genesys Web Messaging as
 * data: profiles are marked `user_type: 'human'` (Carbon sanitises human agent content), unsafe avatar URLs are
 * dropped, texts arrive unchanged, and the only markup we build ourselves (links for attachments) escapes names and
 * keeps nothing but http(s) destinations. Genesys attachments are typed rich content (issue 12 item 2): a file is a
 * link button card (its name a plain label, its URL http(s) only), an image carries its name as title and alt text.
 */
import type { HostAgentProfile, HostGenericItem, HostMessageResponse } from '../../lib/host/types';
import { SimulatedDeskEngine, engineTransport, simulatedDesk, type SimAttachment } from '../../lib/simulator';
import type { RecordingCallback } from '../../lib/testing';
import { after, handoff, makeDesk, world, type World } from '../adapters/genesys/helpers';
import { connectMessage, deskOn, virtualTime } from '../support/virtual';

const NICK_1 = '<img src=x onerror=alert(1)>';
const NICK_2 = '<script>alert(document.cookie)</script>Bob';
const UNSAFE_AVATAR = 'javascript:alert(1)';
const HTML_AVATAR = 'data:text/html,<script>alert(1)</script>';
const SAFE_AVATAR = 'https://example.com/bob.png';

const TEXTS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">click</a>',
  '[click me](javascript:alert(1))',
  '![x](javascript:alert(1))',
  '"><svg onload=alert(1)>',
  '{{constructor.constructor("alert(1)")()}}',
];

/**
 * Attachments, and the item the host must get for each: `item` as an attachment (the simulated desk), `card` as rich
 * content (Genesys), when it differs.
 */
const ATTACHMENTS: readonly { readonly attachment: SimAttachment; readonly item: HostGenericItem; readonly card?: HostGenericItem & Record<string, unknown> }[] = [
  { attachment: { url: 'javascript:alert(1)', name: '<b>form</b>.pdf' }, item: { response_type: 'text', text: '\\<b\\>form\\</b\\>.pdf (link removed)' } },
  { attachment: { url: 'JaVaScRiPt:alert(1)', name: 'x' }, item: { response_type: 'text', text: 'x (link removed)' } },
  { attachment: { url: ' javascript:alert(1)', name: 'y' }, item: { response_type: 'text', text: 'y (link removed)' } },
  { attachment: { url: 'vbscript:msgbox(1)', name: 'v' }, item: { response_type: 'text', text: 'v (link removed)' } },
  { attachment: { url: HTML_AVATAR, name: 'page.html', mimeType: 'text/html' }, item: { response_type: 'text', text: 'page.html (link removed)' } },
  {
    attachment: { url: 'https://files.example/claim form.pdf', name: '[click](javascript:alert(1))', mimeType: 'application/pdf' },
    item: { response_type: 'text', text: '[\\[click\\]\\(javascript:alert\\(1\\)\\)](https://files.example/claim%20form.pdf)' },
    card: { response_type: 'button', button_type: 'url', kind: 'link', url: 'https://files.example/claim form.pdf', label: '[click](javascript:alert(1))', target: '_blank' },
  },
  {
    attachment: { url: 'https://files.example/a"onmouseover="alert(1).pdf', name: 'a.pdf', mimeType: 'application/pdf' },
    item: { response_type: 'text', text: '[a.pdf](https://files.example/a%22onmouseover=%22alert%281%29.pdf)' },
    card: { response_type: 'button', button_type: 'url', kind: 'link', url: 'https://files.example/a"onmouseover="alert(1).pdf', label: 'a.pdf', target: '_blank' },
  },
  {
    attachment: { url: 'https://files.example/i.png', name: '<img src=x onerror=alert(1)>', mimeType: 'image/png' },
    item: { response_type: 'image', source: 'https://files.example/i.png', title: '<img src=x onerror=alert(1)>' },
    card: { response_type: 'image', source: 'https://files.example/i.png', title: '<img src=x onerror=alert(1)>', alt_text: '<img src=x onerror=alert(1)>' },
  },
  {
    attachment: { url: 'javascript:alert(1)', name: 'i.png', mimeType: 'image/png' },
    item: { response_type: 'text', text: 'i.png (link removed)' },
  },
];

const profiles = (host: RecordingCallback, method: 'agentJoined' | 'beginTransferToAnotherAgent') =>
  host.callsOf(method).map((call) => call.args[0] as HostAgentProfile);
const messages = (host: RecordingCallback) => host.callsOf('sendMessageToUser').map((call) => call.args[0] as HostMessageResponse);

/**
 * The markup we build for attachments: a markdown link with an escaped name and an http(s) destination, an image
 * with an http(s) source, or the escaped name and "(link removed)".
 */
function expectSafeAttachmentItem(item: HostGenericItem | undefined): void {
  const unescaped = /(^|[^\\])[<>[\]()`*_#!|~]/;
  if (item?.response_type === 'image') {
    expect(item.source).toMatch(/^https:\/\//);
    return;
  }
  if (item?.response_type === 'button') {
    // A link button card: Carbon renders its label as text and its URL as the link's destination, never as markup.
    expect((item as { url?: unknown }).url).toMatch(/^https:\/\//);
    return;
  }
  const text = item?.text ?? '';
  const link = /^\[((?:\\.|[^\\[\]])*)\]\(([^\s]*)\)$/.exec(text);
  if (link) {
    expect(link[1]).not.toMatch(unescaped);
    expect(link[2]).toMatch(/^https:\/\//);
    return;
  }
  expect(text).toMatch(/ \(link removed\)$/);
  expect(text.replace(/ \(link removed\)$/, '')).not.toMatch(unescaped);
}

function expectHostileContentAsData(host: RecordingCallback, ids: { first: string; second: string }, files: 'attachments' | 'content'): void {
  // Profiles: names unchanged, marked human (Carbon sanitises them), unsafe avatars dropped.
  expect(profiles(host, 'agentJoined')).toEqual([
    { id: ids.first, nickname: NICK_1, user_type: 'human' },
    { id: ids.second, nickname: NICK_2, user_type: 'human', profile_picture_url: SAFE_AVATAR },
  ]);
  expect(profiles(host, 'beginTransferToAnotherAgent')).toEqual([{ id: ids.second, nickname: NICK_2, user_type: 'human', profile_picture_url: SAFE_AVATAR }]);
  // Texts: unchanged, as text items.
  const items = messages(host).flatMap((message) => message.output?.generic ?? []);
  for (const text of TEXTS) expect(items).toContainEqual({ response_type: 'text', text });
  // Attachments: the items we built, exactly.
  const attachmentItems = messages(host).slice(-ATTACHMENTS.length).map((message) => message.output?.generic?.at(-1));
  attachmentItems.forEach(expectSafeAttachmentItem);
  expect(attachmentItems).toEqual(ATTACHMENTS.map(({ item, card }) => (files === 'content' ? (card ?? item) : item)));
}

function simulatedChat(agents: readonly { id: string; nickname: string; avatarUrl?: string }[]) {
  const clock = virtualTime();
  const engine = new SimulatedDeskEngine({ scheduler: clock.scheduler, agents, autoAgent: false, createToken: () => 'tok', timing: { transferMs: 1000 } });
  const { desk, host } = deskOn(simulatedDesk({ transport: engineTransport(engine) }), clock.scheduler);
  void desk.startChat(connectMessage());
  return { ...clock, engine, desk, host };
}

describe('hostile content through the simulated desk', () => {
  const agents = [
    { id: 'agent-x', nickname: NICK_1, avatarUrl: UNSAFE_AVATAR },
    { id: 'agent-y', nickname: NICK_2, avatarUrl: SAFE_AVATAR },
  ];

  it('reaches the Carbon host as data', async () => {
    const s = simulatedChat(agents);
    s.at(10, () => s.engine.join('conv-1', agents[0]));
    s.at(20, () => TEXTS.forEach((text) => s.engine.say('conv-1', text)));
    s.at(30, () => s.engine.transfer('conv-1', agents[1]));
    s.at(2000, () => ATTACHMENTS.forEach(({ attachment }) => s.engine.say('conv-1', '', [attachment])));
    s.flush();
    expectHostileContentAsData(s.host, { first: 'agent-x', second: 'agent-y' }, 'attachments');
    const ended = s.desk.endChat();
    s.flush();
    await ended;
  });

  it('drops an avatar that is an HTML data: URL', () => {
    const s = simulatedChat([{ id: 'agent-z', nickname: NICK_1, avatarUrl: HTML_AVATAR }]);
    s.at(10, () => s.engine.join('conv-1'));
    s.flush();
    expect(profiles(s.host, 'agentJoined')).toEqual([{ id: 'agent-z', nickname: NICK_1, user_type: 'human' }]);
    void s.desk.endChat();
    s.flush();
  });
});

describe('hostile content through Genesys Web Messaging (in-memory desk, virtual time)', () => {
  let w: World;

  beforeEach(() => {
    w = world();
  });

  it('reaches the Carbon host as data', async () => {
    const test = makeDesk(w, { adapter: { summary: false } });
    await after(w, 50, test.desk.startChat(handoff()));
    w.sim.join(NICK_1, UNSAFE_AVATAR, TEXTS[0]);
    for (const text of TEXTS.slice(1)) w.sim.say(text);
    w.sim.transfer(NICK_2, SAFE_AVATAR, 'Bob here');
    ATTACHMENTS.forEach(({ attachment }, index) =>
      w.sim.sendRaw({
        type: 'message',
        class: 'StructuredMessage',
        code: 200,
        body: {
          id: `att-${index}`,
          type: 'Text',
          direction: 'Outbound',
          text: '',
          originatingEntity: 'Human',
          channel: { time: new Date(w.clock.scheduler.now()).toISOString(), from: { nickname: NICK_2, image: SAFE_AVATAR } },
          content: [{ contentType: 'Attachment', attachment: { id: `a${index}`, url: attachment.url, filename: attachment.name, ...(attachment.mimeType ? { mime: attachment.mimeType } : {}) } }],
        },
      }),
    );
    w.clock.advance(10);
    expect(messages(test.host)).toHaveLength(TEXTS.length + 1 + ATTACHMENTS.length);
    // Genesys has no agent ids for guests: the sender's name is the id.
    expectHostileContentAsData(test.host, { first: NICK_1, second: NICK_2 }, 'content');
    await after(w, 1_000, test.desk.endChat());
  });

  it('drops an avatar that is an HTML data: URL', async () => {
    const test = makeDesk(w, { adapter: { summary: false } });
    await after(w, 50, test.desk.startChat(handoff()));
    w.sim.join(NICK_1, HTML_AVATAR, 'hi');
    w.clock.advance(10);
    expect(profiles(test.host, 'agentJoined')).toEqual([{ id: NICK_1, nickname: NICK_1, user_type: 'human' }]);
    await after(w, 1_000, test.desk.endChat());
  });
});
