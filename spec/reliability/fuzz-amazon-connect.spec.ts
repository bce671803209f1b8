/**
 * Fuzzing the Amazon Connect adapter: malformed `aws/chat` items (missing and wrong-typed fields at any depth, random
 * JSON, content that is not JSON, huge and hostile strings) and malformed transcript pages must be skipped with a
 * warning, never reach the host as an exception or an error, and never hide or repeat the valid messages around them.
 * `npm run test:reliability`: 7 000 decoded items + 700 live chats of 1 to 8 items + 200 gap fills of 1 to 6 items,
 * about 10 800 malformed payloads (10 s); `npm test` draws a sample of that (spec/support/runs.ts; the same cases
 * every run). A failure
 * prints fast-check's seed and path: replay it with
 * FUZZ_SEED=<seed> FUZZ_PATH=<path> npx jest spec/reliability/fuzz-amazon-connect -t '<test name>'.
 */
import fc from 'fast-check';
import { decodeConnectItem } from '../../lib/adapters/amazon-connect';
import { hostLog } from '../../lib/testing';
import { openChat } from '../../lib/testing/conformance/chat';
import { amazonConnectHarness, connectWorld } from '../adapters/amazon-connect/harness';
import { runs as sampled } from '../support/runs';
import { fuzzOptions, hostCallProblems, hostileString, mutated, notJson, randomJson, recordingLogger, same, textsOf, wrongValue } from './fuzz-support';

/** The full sample under `npm run test:reliability`, the shared knob's sample elsewhere (spec/support/runs.ts). */
const runs = (full: number) => fuzzOptions(sampled(full));

const isoTime = fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((date) => date.toISOString());
const role = fc.constantFrom('AGENT', 'CUSTOMER', 'SYSTEM', 'CUSTOM_BOT', 'SUPERVISOR');
const contentType = fc.constantFrom(
  'text/plain',
  'text/markdown',
  'application/vnd.amazonaws.connect.event.participant.joined',
  'application/vnd.amazonaws.connect.event.participant.left',
  'application/vnd.amazonaws.connect.event.chat.ended',
  'application/vnd.amazonaws.connect.event.transfer.succeeded',
  'application/vnd.amazonaws.connect.event.typing',
);

/** Valid Connect items, the templates the garbage is made from. */
const validItem = fc.record({
  Id: fc.string({ minLength: 1, maxLength: 12 }),
  AbsoluteTime: isoTime,
  Type: fc.constantFrom('MESSAGE', 'EVENT', 'ATTACHMENT', 'MESSAGE_METADATA'),
  ContentType: contentType,
  Content: hostileString,
  ParticipantId: fc.string({ maxLength: 8 }),
  DisplayName: fc.oneof(fc.constantFrom('Ann', 'Bob'), hostileString),
  ParticipantRole: role,
  Attachments: fc.array(fc.record({ AttachmentId: fc.string({ maxLength: 8 }), AttachmentName: hostileString, ContentType: fc.string({ maxLength: 12 }), Status: fc.constant('APPROVED') }), { maxLength: 2 }),
});

/** Broken valid items, random JSON, wrong values: anything (a mutation may leave an item valid). */
const badItem = fc.oneof({ weight: 6, arbitrary: mutated(validItem) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) }, { weight: 1, arbitrary: wrongValue });

/**
 * Items that are not Connect items at all (a mutation that left the item valid is a real event, not garbage), and
 * that chatjs itself does not act on: it ends the chat on any item whose ContentType is chat.ended (bundle 5684).
 */
const malformedItem = badItem.filter((item) => decodeConnectItem(item) === undefined && !JSON.stringify(item ?? null).includes('chat.ended'));

describe('fuzz: Amazon Connect items', () => {
  it('decodeConnectItem takes any value without throwing, and what it decodes is well-typed', () => {
    fc.assert(
      fc.property(fc.oneof(badItem, validItem), (item) => {
        const decoded = decodeConnectItem(item);
        if (decoded === undefined || decoded.kind === 'skip' || decoded.kind === 'transfer') return;
        if (decoded.kind === 'agentFiles') {
          for (const file of decoded.files) if (typeof file.AttachmentId !== 'string' || typeof file.AttachmentName !== 'string') throw new Error('a file without string id and name');
          return;
        }
        const { event } = decoded;
        if (event.type === 'agentMessage' && (typeof event.id !== 'string' || event.id === '' || typeof event.text !== 'string')) throw new Error('an agent message without id or text');
        if (event.type === 'agentJoined' && typeof event.agent.id !== 'string') throw new Error('a join without agent id');
      }),
      runs(7_000),
    );
  });
});

/** A chat on the fake chatjs in virtual time, started, with Ann joined and her first message shown. */
function connectedChat(options: { transcriptGarbage?: unknown[] } = {}) {
  const logger = recordingLogger();
  let world: ReturnType<typeof connectWorld> | undefined;
  const chat = openChat({
    ...amazonConnectHarness,
    deskOptions: { logger },
    create: ({ scheduler }) => {
      world = connectWorld(scheduler);
      return world;
    },
  });
  if (!world) throw new Error('no world');
  const { core } = world;
  if (options.transcriptGarbage) {
    const garbage = options.transcriptGarbage;
    const original = core.participant.bind(core);
    core.participant = (path, bearer, body) => {
      const result = original(path, bearer, body);
      if (path !== '/participant/transcript' || result.status !== 200) return result;
      const page = result.body as { Transcript: unknown[] };
      return { ...result, body: { ...page, Transcript: [...garbage, ...page.Transcript, ...garbage] } };
    };
  }
  void chat.start();
  chat.flush();
  core.join('Ann');
  core.say('valid 0');
  chat.flush();
  return { chat, world, logger };
}

const raw = (world: ReturnType<typeof connectWorld>, item: unknown) => {
  const content = typeof item === 'string' ? item : JSON.stringify(typeof item === 'object' && item !== null && !Array.isArray(item) ? { ...item, ...world.ids() } : item);
  return JSON.stringify({ topic: 'aws/chat', contentType: 'application/json', content });
};

describe('fuzz: Amazon Connect items through the adapter and the desk', () => {
  it('garbage on the socket is skipped: no exception, no error, and each next valid message shows once, in order', () => {
    const live = fc.oneof({ weight: 4, arbitrary: malformedItem }, { weight: 1, arbitrary: notJson }, { weight: 1, arbitrary: randomJson.filter((text) => !text.includes('chat.ended')) });
    fc.assert(
      fc.property(fc.array(live, { minLength: 1, maxLength: 8 }), (items) => {
        const { chat, world, logger } = connectedChat();
        same(hostLog(chat.host), ['agentJoined(Ann)', 'sendMessageToUser(valid 0)'], 'the chat before the garbage');
        items.forEach((item, index) => {
          world.core.sendRaw(raw(world, item));
          world.core.say(`valid ${index + 1}`);
        });
        chat.flush();
        const texts = textsOf(chat.host.calls).filter((text) => text.startsWith('valid '));
        same(texts, ['valid 0', ...items.map((_, index) => `valid ${index + 1}`)], 'the valid messages');
        same(hostLog(chat.host).filter((line) => /^(setErrorStatus|agentEndedChat)/.test(line)), [], 'error and end calls');
        same(logger.errors, [], 'errors logged');
        same(hostCallProblems(chat.host.calls), [], 'malformed host calls');
        void chat.desk.endChat();
        chat.flush();
        same(world.driver.open(), { listeners: 0, sockets: 0, timers: 0 }, 'what stayed open');
      }),
      runs(700),
    );
  });

  it('garbage in the transcript pages of a gap fill is skipped, and the messages missed during the drop show once', () => {
    fc.assert(
      fc.property(fc.array(malformedItem, { minLength: 1, maxLength: 6 }), (garbage) => {
        const { chat, world, logger } = connectedChat({ transcriptGarbage: garbage });
        world.driver.dropConnection();
        world.core.say('missed 1');
        world.core.say('missed 2');
        chat.flush();
        world.driver.restoreConnection();
        chat.flush();
        world.core.say('after');
        chat.flush();
        same(textsOf(chat.host.calls), ['valid 0', 'missed 1', 'missed 2', 'after'], 'the messages');
        same(logger.errors, [], 'errors logged');
        same(hostCallProblems(chat.host.calls), [], 'malformed host calls');
      }),
      runs(200),
    );
  });
});
