/**
 * Hostile content through both Twilio adapters: agent friendly names, avatar attributes (javascript: and other
 * unsafe URLs), message bodies and media file names carrying HTML, script or markdown reach the host as data. Carbon
 * profiles carry `user_type: 'human'` and a picture only for a safe scheme; texts arrive unchanged. Media is typed rich
 * content (issue 12 item 2): on Carbon AI Chat a file is a link button card (the name a plain label, the URL its
 * destination, built as data, no markup); the only markup we build (the file link of the watsonx dialect) escapes the
 * name and keeps the URL inside the link.
 */
import fc from 'fast-check';
import { marbles } from 'rxjs-marbles/jest';
import type { HostAgentProfile, HostGenericItem, HostMessageResponse } from '../../lib/host/types';
import { CONNECT, kitDesk, scenario, type KitDesk, type TwilioKit } from '../adapters/twilio-common/kit';
import { TWILIO_KITS } from '../adapters/twilio-common/kits';
import { runs } from '../support/runs';
import { virtualTime } from '../support/virtual';
import { HOSTILE_TEXTS, UNSAFE_URLS, anyText } from './twilio-payloads';

const SAFE_URLS = ['https://img.example/ann.png', 'http://img.example/ann.png', 'data:image/png;base64,iVBORw0KGgo='];

/** What markdown treats specially; our attachment link must escape each of these in the name. */
const MARKDOWN = '\\`*_{}[]()<>#!|~';
const escaped = `\\\\[${MARKDOWN.replace(/[\\\]^-]/g, '\\$&')}]`;
const plain = `[^${MARKDOWN.replace(/[\\\]^-]/g, '\\$&')}]`;
const LINK = new RegExp(`^\\[((?:${escaped}|${plain})*)\\]\\(([^\\s()<>"'\`]+)\\)$`);

/** Reads an attachment link we built: `[name](url)`, every markdown character of the name escaped. */
function readLink(text: string): { name: string; url: string } | undefined {
  const match = LINK.exec(text);
  return match ? { name: match[1]!.replace(/\\(.)/g, '$1'), url: match[2]! } : undefined;
}

/** Runs one desk in virtual time with `act` at frame 5, for property runs (no marble context). */
function runOnce(kit: TwilioKit, act: (s: KitDesk) => void): KitDesk {
  const clock = virtualTime();
  const s = kitDesk(clock, kit);
  void s.desk.startChat(CONNECT);
  clock.at(5, () => act(s));
  clock.flush();
  return s;
}

const profiles = (calls: readonly { args: readonly unknown[] }[]) => calls.map((call) => call.args[0] as HostAgentProfile);
const generic = (call: { args: readonly unknown[] } | undefined) => (call?.args[0] as HostMessageResponse).output.generic as HostGenericItem[];

describe.each(TWILIO_KITS)('hostile content through $name', (kit) => {
  describe('agent names', () => {
    it.each(HOSTILE_TEXTS)('friendly name %p: the Carbon profile carries it as the nickname, unchanged', (name) =>
      marbles((m) => {
        const s = scenario(m, kit);
        s.play('-----a-----b-----c', {
          a: () => s.world.target.add(s.world.agent('Ann', { friendlyName: name })),
          b: () => s.world.target.remove(s.world.target.present[0]!),
          c: () => s.world.target.add(s.world.agent('Bob', { identity: name, friendlyName: '', attributes: { member_type: 'agent', full_name: name } })),
        });
        void s.desk.startChat(CONNECT);
        m.flush();
        const nickname = name.trim() || 'ann';
        expect(profiles(s.host.callsOf('agentJoined'))).toEqual([
          { id: 'ann', nickname, user_type: 'human' },
          { id: name, nickname: name.trim() || name, user_type: 'human' },
        ]);
        expect(profiles(s.host.callsOf('beginTransferToAnotherAgent'))).toEqual([{ id: name, nickname: name.trim() || name, user_type: 'human' }]);
      })(),
    );

    it('any friendly name at all: a string nickname, user_type human, and nothing else added', () => {
      fc.assert(
        fc.property(anyText, (name) => {
          const s = runOnce(kit, (desk) => desk.world.target.add(desk.world.agent('Ann', { friendlyName: name })));
          expect(profiles(s.host.callsOf('agentJoined'))).toEqual([{ id: 'ann', nickname: name.trim() || 'ann', user_type: 'human' }]);
        }),
        { numRuns: runs(300) },
      );
    });
  });

  describe('avatars', () => {
    it.each(UNSAFE_URLS)('avatar %p (member or user attribute, object or JSON string): no profile picture', (url) =>
      marbles((m) => {
        const s = scenario(m, kit);
        s.play('-----a-----b-----c', {
          a: () => s.world.target.add(s.world.agent('Ann', { userAttributes: { avatar_url: url } })),
          b: () => s.world.target.add(s.world.agent('Bob', { attributes: { member_type: 'agent', avatar_url: url } })),
          c: () => s.world.target.add(s.world.agent('Cy', { attributes: JSON.stringify({ member_type: 'agent', avatar_url: url }) })),
        });
        void s.desk.startChat(CONNECT);
        m.flush();
        const shown = [...profiles(s.host.callsOf('agentJoined')), ...profiles(s.host.callsOf('beginTransferToAnotherAgent'))];
        expect(shown).toHaveLength(5);
        for (const profile of shown) {
          expect(profile).not.toHaveProperty('profile_picture_url');
          expect(profile.user_type).toBe('human');
        }
        expect(JSON.stringify(s.host.calls.map((call) => call.args))).not.toMatch(/script:|data:text|file:|evil\.example/i);
      })(),
    );

    it.each(SAFE_URLS)('avatar %p: kept unchanged as the profile picture', (url) =>
      marbles((m) => {
        const s = scenario(m, kit);
        s.play('-----a', { a: () => s.world.target.add(s.world.agent('Ann', { userAttributes: { avatar_url: url } })) });
        void s.desk.startChat(CONNECT);
        m.flush();
        expect(profiles(s.host.callsOf('agentJoined'))).toEqual([{ id: 'ann', nickname: 'Ann', profile_picture_url: url, user_type: 'human' }]);
      })(),
    );
  });

  describe('message bodies', () => {
    it.each(HOSTILE_TEXTS)('body %p: one text item, unchanged', (body) =>
      marbles((m) => {
        const s = scenario(m, kit);
        const message = s.world.target.createMessage('ann', body, 3);
        s.play('-----a-----b', { a: () => s.world.target.add(s.world.agent('Ann')), b: () => s.world.target.deliver(message) });
        void s.desk.startChat(CONNECT);
        m.flush();
        expect(s.host.callsOf('sendMessageToUser').map((call) => call.args)).toEqual([
          [{ id: message.sid, output: { generic: [{ response_type: 'text', text: body }] } }, 'ann'],
        ]);
      })(),
    );

    it('any body at all: one text item, unchanged (or nothing for an empty body)', () => {
      fc.assert(
        fc.property(anyText, (body) => {
          const s = runOnce(kit, (desk) => desk.world.target.deliver(desk.world.target.createMessage('ann', body, 3)));
          const shown = s.host.callsOf('sendMessageToUser').map((call) => call.args[0]);
          expect(shown).toEqual(body ? [{ id: 'IM0003', output: { generic: [{ response_type: 'text', text: body }] } }] : []);
        }),
        { numRuns: runs(300) },
      );
    });
  });

  describe('media', () => {
    it.each(HOSTILE_TEXTS)('file name %p with a safe URL on Carbon: one file card, the name its plain label, the URL its destination', (filename) =>
      marbles((m) => {
        const s = scenario(m, kit);
        const url = 'https://media.example.test/ME1?Expires=1&Signature=a_b~c';
        const media = s.world.media({ filename, contentType: 'application/pdf', url });
        s.play('-----a', { a: () => s.world.target.deliver(s.world.target.createMessage('ann', '', 4, media)) });
        void s.desk.startChat(CONNECT);
        m.flush();
        expect(generic(s.host.callsOf('sendMessageToUser')[0])).toEqual([{ response_type: 'button', button_type: 'url', kind: 'link', url, label: filename, target: '_blank' }]);
      })(),
    );

    it.each(HOSTILE_TEXTS)('file name %p with a safe URL on watsonx: one link, the name escaped, the URL inside the link', (filename) =>
      marbles((m) => {
        const s = scenario(m, kit, {}, {}, { host: 'watsonx' });
        const url = 'https://media.example.test/ME1?Expires=1&Signature=a_b~c';
        const media = s.world.media({ filename, contentType: 'application/pdf', url });
        s.play('-----a', { a: () => s.world.target.deliver(s.world.target.createMessage('ann', '', 4, media)) });
        void s.desk.startChat(CONNECT);
        m.flush();
        const items = generic(s.host.callsOf('sendMessageToUser')[0]);
        expect(items).toHaveLength(1);
        expect(items[0]!.response_type).toBe('text');
        expect(readLink(items[0]!.text!)).toEqual({ name: filename, url });
      })(),
    );

    it.each(UNSAFE_URLS)('media URL %p: no link, no image, the name as text', (url) =>
      marbles((m) => {
        const s = scenario(m, kit);
        const pdf = s.world.media({ filename: 'invoice.pdf', contentType: 'application/pdf', url });
        const png = s.world.media({ filename: '<img src=x onerror=alert(1)>', contentType: 'image/png', url });
        s.play('-----a-----b', {
          a: () => s.world.target.deliver(s.world.target.createMessage('ann', '', 4, pdf)),
          b: () => s.world.target.deliver(s.world.target.createMessage('ann', '', 5, png)),
        });
        void s.desk.startChat(CONNECT);
        m.flush();
        const items = s.host.callsOf('sendMessageToUser').flatMap((call) => generic(call));
        expect(items.map((item) => item.response_type)).toEqual(['text', 'text']);
        expect(JSON.stringify(items)).not.toContain(url.trim());
        expect(items.map((item) => item.text)).toEqual(['invoice.pdf (link removed)', expect.stringContaining('(link removed)')]);
        expect(items[1]!.text).not.toMatch(/(^|[^\\])</);
      })(),
    );

    it('an image with a hostile title: an image item whose title is data', () =>
      marbles((m) => {
        const s = scenario(m, kit);
        const title = '<img src=x onerror=alert(1)>';
        const png = s.world.media({ filename: title, contentType: 'image/png', url: 'https://media.example.test/ME1.png' });
        s.play('-----a', { a: () => s.world.target.deliver(s.world.target.createMessage('ann', '', 4, png)) });
        void s.desk.startChat(CONNECT);
        m.flush();
        expect(generic(s.host.callsOf('sendMessageToUser')[0])).toEqual([{ response_type: 'image', source: 'https://media.example.test/ME1.png', title, alt_text: title }]);
      })());
  });
});
