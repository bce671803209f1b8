/**
 * Rich agent messages (issue 12 item 2): the typed `content` of an agent message becomes the items each host
 * renders, checked against Carbon AI Chat 1.9.1's own item types, with text fallbacks on watsonx web chat.
 */
import type { ButtonItem, InlineErrorItem, MediaItem, UserDefinedItem } from '@carbon/ai-chat';
import { NEVER, concat, of } from 'rxjs';
import { createAdapter } from '../../lib/core/engine/engine';
import type { AdapterEvent, AdapterPort } from '../../lib/core/engine/port';
import type { AgentContent } from '../../lib/core/events';
import { dialectFor } from '../../lib/host/dialect';
import { ev, hostLog, scriptedAdapter } from '../../lib/testing';
import { connectMessage, deskOn, virtualTime } from '../support/virtual';

const every: AgentContent[] = [
  { kind: 'file', url: 'https://files.example.com/invoice 42.pdf', name: 'invoice 42.pdf', mimeType: 'application/pdf' },
  { kind: 'image', url: 'https://files.example.com/router.png', altText: 'The back of the router, the reset button circled', title: 'Reset button' },
  { kind: 'video', url: 'https://files.example.com/howto.mp4', title: 'How to reset', altText: 'A hand presses the reset button' },
  { kind: 'error', text: 'The attachment could not be scanned and was not delivered.' },
  { kind: 'options', title: 'Which plan?', options: [{ label: 'Basic', value: 'basic' }, { label: 'Gold *plus*', value: 'gold' }] },
  { kind: 'custom', data: { type: 'rating', scale: 5 } },
];

const ann = { id: 'a1', nickname: 'Ann' };

describe('rich agent content on Carbon AI Chat 1.x', () => {
  const items = dialectFor('carbon').message('m1', 'Here you go', [], every).output.generic ?? [];

  it('text first, then a link button card, an image with alt_text, a video, an inline error, an option list as text and a user_defined item', () => {
    expect(items.map((item) => item.response_type)).toEqual(['text', 'button', 'image', 'video', 'inline_error', 'text', 'user_defined']);
    expect(items[1]).toEqual({ response_type: 'button', button_type: 'url', kind: 'link', url: 'https://files.example.com/invoice 42.pdf', label: 'invoice 42.pdf', target: '_blank' });
    expect(items[2]).toEqual({ response_type: 'image', source: 'https://files.example.com/router.png', title: 'Reset button', alt_text: 'The back of the router, the reset button circled' });
    // Not Carbon's `option` item: its choices go to the assistant (OptionComponent -> actions.sendWithCatch in 1.9.1).
    expect(items[5]).toEqual({ response_type: 'text', text: 'Which plan?\n1. Basic\n2. Gold \\*plus\\*' });
    expect(items[6]).toEqual({ response_type: 'user_defined', user_defined: { type: 'rating', scale: 5 } });
  });

  it('each item has the shape of Carbon\'s own item type (checked by the compiler)', () => {
    const [, button, image, video, error, , custom] = items as unknown as [unknown, ButtonItem, MediaItem, MediaItem, InlineErrorItem, unknown, UserDefinedItem];
    expect([button.url, image.alt_text, video.source, error.text, custom.user_defined]).toEqual([
      'https://files.example.com/invoice 42.pdf',
      'The back of the router, the reset button circled',
      'https://files.example.com/howto.mp4',
      'The attachment could not be scanned and was not delivered.',
      { type: 'rating', scale: 5 },
    ]);
  });

  it('unsafe URLs are not rendered: the item says the link was removed', () => {
    const bad = dialectFor('carbon').message('m2', '', [], [
      { kind: 'file', url: 'javascript:alert(1)', name: 'x[1].pdf' },
      { kind: 'image', url: 'data:text/html,<script>', title: 'pic' },
      { kind: 'video', url: 'ftp://example.com/v.mp4' },
    ]);
    expect(bad.output.generic).toEqual([
      { response_type: 'text', text: 'x\\[1\\].pdf (link removed)' },
      { response_type: 'text', text: 'pic (link removed)' },
      { response_type: 'text', text: 'video (link removed)' },
    ]);
  });
});

describe('malformed rich content from an adapter', () => {
  it('an unknown kind or broken option list shows nothing rather than failing', () => {
    const broken = [{ kind: 'hologram' }, { kind: 'options', options: 'yes' }, { kind: 'options', title: 'Pick', options: [{ label: 1 }] }] as unknown as AgentContent[];
    expect(dialectFor('carbon').message('m3', 'text', [], broken).output.generic).toEqual([
      { response_type: 'text', text: 'text' },
      { response_type: 'text', text: 'Pick' },
    ]);
  });
});

describe('rich agent content on watsonx web chat (text fallbacks)', () => {
  const items = dialectFor('watsonx').message('m1', '', [], every).output.generic ?? [];

  it('files as markdown links, errors and option lists as text, media and user_defined as they are', () => {
    expect(items.map((item) => item.response_type)).toEqual(['text', 'image', 'video', 'text', 'text', 'user_defined']);
    expect(items[0]?.text).toBe('[invoice 42.pdf](https://files.example.com/invoice%2042.pdf)');
    expect(items[3]?.text).toBe('The attachment could not be scanned and was not delivered.');
    expect(items[4]?.text).toBe('Which plan?\n1. Basic\n2. Gold \\*plus\\*');
  });
});

describe('rich content through the desk', () => {
  it('an agent message with only content (no text) reaches the host, typed, after the join', () => {
    const { scheduler, flush } = virtualTime();
    const content: AgentContent[] = [{ kind: 'options', options: [{ label: 'Yes', value: 'yes' }] }];
    const adapter = scriptedAdapter({ events: () => concat(of(ev.connected(), ev.joined(ann), { type: 'agentMessage' as const, id: 'm1', text: '', content }), NEVER) });
    const { desk, host } = deskOn(adapter, scheduler);
    void desk.startChat(connectMessage());
    flush();
    expect(hostLog(host)).toEqual(['agentJoined(Ann)', 'sendMessageToUser(1. Yes)']);
  });

  it('a port on the engine keeps the content, also when the engine rebuilds the message (sender, index)', () => {
    const { scheduler, flush } = virtualTime();
    const content: AgentContent[] = [{ kind: 'error', text: 'Upload failed at the desk' }];
    const events: AdapterEvent[] = [{ type: 'connected' }, { type: 'agentMessage', id: 'm1', text: '', agentId: 'a1', sender: { nickname: 'Ann' }, index: 1, content }];
    const port: AdapterPort<unknown> = { name: 'rich', open: () => ({ connect: () => concat(of(...events), NEVER), sendMessage: () => of(undefined) }) };
    const { desk, host } = deskOn(createAdapter(port, {}), scheduler);
    void desk.startChat(connectMessage());
    flush();
    expect(hostLog(host)).toEqual(['agentJoined(Ann)', 'sendMessageToUser(Upload failed at the desk)']);
    expect((host.callsOf('sendMessageToUser')[0]?.args[0] as { output: { generic: { response_type: string }[] } }).output.generic[0]?.response_type).toBe('inline_error');
  });
});
