/**
 * The Amazon Connect conformance world: the participant simulator core, the network between it and each page's fake
 * amazon-connect-chatjs (which can hold a join, lose an answer, refuse the next request or cut a reloaded page off),
 * and the adapter under test. The core is used through its public API only.
 */
import type { SchedulerLike } from 'rxjs';
import { amazonConnect, type AmazonConnectOptions } from '../../../lib/adapters/amazon-connect';
import type { ServiceDeskAdapter } from '../../../lib/core/adapter';
import {
  connectSimulatorCore,
  type ConnectApiResult,
  type ConnectSimulatorCore,
  type ConnectSocketPeer,
} from '../../../lib/simulator/amazon-connect';
import { fakeChatJs, type FakeChatJs } from '../../../lib/testing/amazon-connect';
import type { ConformanceAgent, ConformanceDriver, ConformanceHarness, ReceivedFile, ReceivedMessage } from '../../../lib/testing';
import { settleAfter } from '../../../lib/testing';
import { ServiceDeskError } from '../../../lib/core/errors';

/** How long the agent's CCP shows the customer typing after the last typing event (Connect sends no "stopped"). */
export const CUSTOMER_TYPING_FADE_MS = 10_000;
const LATENCY_MS = 1;

interface Page {
  readonly chatjs: FakeChatJs;
  readonly peers: Set<ConnectSocketPeer>;
  cut: boolean;
}

/** One conformance test's world, also used by the vendor-specific specs. */
export function connectWorld(scheduler: SchedulerLike, extra: Partial<AmazonConnectOptions> = {}) {
  const urls = new Map<string, string>();
  const core = connectSimulatorCore({ scheduler, downloadUrl: (id) => urls.get(id) ?? `https://files.example.invalid/${id}` });
  const later = (delay: number, action: () => void) => void scheduler.schedule(action, delay);
  const messages: ReceivedMessage[] = [];
  const files: ReceivedFile[] = [];
  const typing: boolean[] = [];
  const pages: Page[] = [];
  let summary: string[] = [];
  let chats = 0;
  let reads = 0;
  let userEnded = false;
  let online = true;
  let fade: { unsubscribe(): void } | undefined;
  let refuse: { path: string; reason: string } | undefined;
  let refuseStart = false;
  let loseAnswerOf: string | undefined;
  let holdJoin: { gapMs: number; frame?: string } | undefined;
  let contact: { ContactId: string } | undefined;
  let lastCustomerMessage: string | undefined;
  let agentsOnline = true;

  core.on('message', ({ id, text, clientToken }) => {
    lastCustomerMessage = id;
    messages.push({ hostId: clientToken, text });
  });
  core.on('attachment', ({ attachment }) => files.push({ name: attachment.AttachmentName }));
  core.on('disconnected', () => {
    userEnded = true;
  });
  core.on('event', ({ contentType }) => {
    if (contentType.endsWith('.message.read')) reads += 1;
    if (!contentType.endsWith('.typing')) return;
    typing.push(true);
    fade?.unsubscribe();
    fade = scheduler.schedule(() => typing.push(false), CUSTOMER_TYPING_FADE_MS);
  });

  /** What one page's fake sees of the core: the network rules of the driver in between. */
  const pageCore = (page: Page): ConnectSimulatorCore => {
    const view = Object.create(core) as ConnectSimulatorCore;
    view.participant = (path, bearer, body): ConnectApiResult => {
      if (page.cut) return { status: 503, body: { message: 'The page is gone.' } };
      if (refuse && refuse.path === path) {
        const { reason } = refuse;
        refuse = undefined;
        return { status: 400, body: { message: reason }, headers: { 'x-amzn-ErrorType': 'ValidationException' } };
      }
      const result = core.participant(path, bearer, body);
      if (loseAnswerOf === path) {
        loseAnswerOf = undefined;
        for (const each of pages) each.chatjs.drop();
        later(2_000, () => pages.forEach((each) => !each.cut && each.chatjs.restore()));
      }
      return result;
    };
    view.openSocket = (token, client) => {
      if (page.cut) return undefined;
      const peer = core.openSocket(token, {
        send: (text) => {
          if (page.cut) return;
          if (holdJoin && holdJoin.frame === undefined && text.includes('participant.joined') && text.includes('AGENT')) {
            holdJoin.frame = text;
            return;
          }
          client.send(text);
          if (holdJoin?.frame && text.includes('"MESSAGE"')) {
            const { frame, gapMs } = holdJoin;
            holdJoin = undefined;
            if (gapMs === 0) client.send(frame);
            else later(gapMs, () => !page.cut && client.send(frame));
          }
        },
        drop: () => client.drop(),
      });
      if (peer) page.peers.add(peer);
      return peer;
    };
    return view;
  };

  const newPage = (): ServiceDeskAdapter => {
    const page: Page = { peers: new Set(), cut: false, chatjs: undefined as unknown as FakeChatJs };
    Object.assign(page, { chatjs: fakeChatJs({ core: pageCore(page), scheduler, latencyMs: LATENCY_MS }) });
    if (!online) page.chatjs.drop();
    pages.push(page);
    return amazonConnect({
      chatjs: page.chatjs,
      region: 'us-east-1',
      startChat: (request) =>
        settleAfter({ scheduler, latencyMs: LATENCY_MS }, () => {
          if (refuseStart) {
            refuseStart = false;
            throw new ServiceDeskError('CONNECT_FAILED', 'POST /amazon-connect/chat answered 400 (conformance).');
          }
          chats += 1;
          summary = request.initialMessage === undefined ? [] : [request.initialMessage];
          const start = core.startChatContact({
            ParticipantDetails: { DisplayName: 'Ada' },
            ...(request.initialMessage === undefined ? {} : { InitialMessage: { ContentType: 'text/plain', Content: request.initialMessage } }),
          }).body as { ContactId: string; ParticipantId: string; ParticipantToken: string };
          contact = start;
          return { contactId: start.ContactId, participantId: start.ParticipantId, participantToken: start.ParticipantToken };
        }),
      checkAvailability: () => settleAfter({}, () => ({ online: agentsOnline })),
      ...extra,
    });
  };

  const adapter = newPage();

  /** The contact ids chatjs checks on every socket item (bundle 5069). */
  const ids = () => ({ ContactId: contact?.ContactId, InitialContactId: contact?.ContactId });

  const driver: ConformanceDriver = {
    agentJoins: (agent: ConformanceAgent) => void core.join(agent.nickname),
    agentSays: (text) => core.say(text),
    agentSendsFile: (name, url) => {
      core.attach({ name, type: 'application/pdf', data: new Uint8Array([37, 80, 68, 70]) });
      const id = core.transcript.at(-1)?.Attachments?.[0]?.AttachmentId;
      if (id) urls.set(id, url);
    },
    agentTypes: (isTyping) => isTyping && core.type(),
    agentReads: () => lastCustomerMessage !== undefined && core.receipt(lastCustomerMessage, 'read'),
    transfer: (to) => {
      core.transfer();
      later(1_000, () => !userEnded && core.join(to.nickname));
    },
    agentLeaves: () => core.leave(),
    agentEnds: () => core.end(),
    messageBeforeJoin: (agent, text, gapMs) => {
      holdJoin = { gapMs };
      core.join(agent.nickname);
      core.say(text);
    },
    setAgentsOnline: (value) => {
      agentsOnline = value;
    },
    dropConnection: () => {
      online = false;
      for (const page of pages) page.chatjs.drop();
    },
    restoreConnection: () => {
      online = true;
      for (const page of pages) if (!page.cut) page.chatjs.restore();
    },
    serverCloses: () => core.dropSockets(),
    malformedFrame: () => core.sendRaw(JSON.stringify({ topic: 'aws/chat', content: JSON.stringify({ Id: 42, Type: 'MESSAGE', Content: ['x'], ...ids() }) })),
    loseNextAnswer: () => {
      loseAnswerOf = '/participant/message';
    },
    refuseNextMessage: (reason) => {
      refuse = { path: '/participant/message', reason };
    },
    refuseNextUpload: (reason) => {
      refuse = { path: '/participant/start-attachment-upload', reason };
    },
    refuseNextStart: () => {
      refuseStart = true;
    },
    failSession: () => core.expire(),
    reloadPage: () => {
      for (const page of pages) {
        page.cut = true;
        for (const peer of page.peers) peer.closed();
      }
      return newPage();
    },
    received: () => ({ chats, summary, messages: [...messages], files: [...files], typing: [...typing], reads, userEnded }),
    open: () => ({
      listeners: pages.filter((page) => !page.cut).reduce((sum, page) => sum + page.chatjs.listeners, 0),
      sockets: pages.filter((page) => !page.cut).reduce((sum, page) => sum + page.chatjs.sockets, 0),
      timers: 0,
    }),
  };
  return { adapter, driver, core, pages, ids };
}

/** The Amazon Connect harness of `describeAdapterConformance`. */
export const amazonConnectHarness: ConformanceHarness = {
  name: 'amazon-connect',
  handoverMs: 1_000,
  cannot: {
    queue: 'Connect tells the customer no place in the queue (a contact flow may say it in a message, shown as a queue line)',
    avatar: 'Connect participants have a display name and no picture',
    transferJoinFirst: 'Connect hands a chat over by disconnecting the first agent (transfer.succeeded, participant.left) before the next one accepts',
    tokens: 'the participant token lives as long as the chat and cannot be refreshed; chatjs renews the connection token by itself',
  },
  deskOptions: {},
  create: ({ scheduler }) => {
    const { adapter, driver } = connectWorld(scheduler);
    return { adapter, driver };
  },
};
