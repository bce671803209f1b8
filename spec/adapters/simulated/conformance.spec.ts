import type { SchedulerLike } from 'rxjs';
import {
  SimulatedDeskEngine,
  engineTransport,
  simulatedDeskOver,
  type ClientFrame,
  type DeskFrame,
  type SimulatorTransport,
  type TransportConnection,
  type TransportHandlers,
} from '../../../lib/simulator';
import { describeAdapterConformance, type ConformanceAgent, type ConformanceDriver, type ConformanceHarness } from '../../../lib/testing';

const HANDOVER_MS = 1_000;
const FILE_ENTRY = /^Sent a file: (.*) \(\d+ KB\)$/;

/** One client connection as the network between the adapter and the engine sees it. */
interface Link {
  readonly handlers: TransportHandlers;
  /** The connection at the engine (none while the network is down). */
  engine?: TransportConnection;
  /** The adapter closed it (its listener is gone). */
  clientClosed: boolean;
  /** The desk or the network closed it (the socket is gone). */
  serverClosed: boolean;
  /** A reloaded page's link: nothing goes in or out. */
  cut: boolean;
}

/**
 * The network between simulated desk adapters (one per page) and one engine: it can be down, cut a page off,
 * hold a join behind the next message, lose the answer of a send, and rewrite or refuse the next frames as the
 * driver asks. The engine itself is used through its public agent API only.
 */
function network(engine: SimulatedDeskEngine, scheduler: SchedulerLike) {
  const desk = engineTransport(engine);
  const links: Link[] = [];
  const typing: boolean[] = [];
  let reads = 0;
  let down = false;
  let redeliver = false;
  let holdJoinMs: number | undefined;
  let heldJoin: DeskFrame | undefined;
  let loseAnswer = false;
  let lostAnswerOf: string | undefined;
  let refuseMessage = false;
  let refuseUpload = false;
  let refuseStart = false;

  const conversationId = () => {
    const id = engine.list().at(-1)?.id;
    if (!id) throw new Error('No chat at the simulated desk yet: start the chat before driving the agent.');
    return id;
  };
  const live = () => links.filter((link) => !link.cut && !link.clientClosed && !link.serverClosed);
  const later = (delay: number, action: () => void) => void scheduler.schedule(action, delay);

  /** The desk side of a frame from the client: what the driver asked to change on the way. */
  const outbound = (link: Link, frame: ClientFrame): ClientFrame | undefined => {
    if (frame.t === 'start' && refuseStart) {
      refuseStart = false;
      later(0, () => {
        link.handlers.frame({ t: 'error', code: 'REJECTED', message: 'The desk refused this chat (conformance).' });
        link.serverClosed = true;
        link.handlers.close('refused');
      });
      return undefined;
    }
    if (frame.t === 'resume' && redeliver) {
      redeliver = false;
      return { ...frame, lastSeq: 0 };
    }
    if (frame.t === 'message' && refuseMessage) {
      refuseMessage = false;
      return { ...frame, text: 'fail' };
    }
    if (frame.t === 'file' && refuseUpload) {
      refuseUpload = false;
      return { ...frame, name: `reject-${frame.name}` };
    }
    if ((frame.t === 'message' || frame.t === 'file') && loseAnswer) {
      loseAnswer = false;
      lostAnswerOf = frame.id;
    }
    if (frame.t === 'typing') typing.push(frame.on);
    if (frame.t === 'read') reads += 1;
    return frame;
  };

  /** The client side of a frame from the desk. */
  const inbound = (link: Link, frame: DeskFrame) => {
    if (holdJoinMs !== undefined && frame.t === 'join') {
      heldJoin = frame;
      return;
    }
    if (lostAnswerOf !== undefined && 'id' in frame && frame.id === lostAnswerOf && frame.t !== 'message') {
      lostAnswerOf = undefined;
      engine.dropConnection(conversationId(), 0);
      return;
    }
    link.handlers.frame(frame);
    if (heldJoin && frame.t === 'message') {
      const join = heldJoin;
      const gap = holdJoinMs ?? 0;
      heldJoin = undefined;
      holdJoinMs = undefined;
      if (gap === 0) link.handlers.frame(join);
      else later(gap, () => !link.cut && !link.clientClosed && link.handlers.frame(join));
    }
  };

  const page = (): SimulatorTransport => ({
    open: (handlers) => {
      const link: Link = { handlers, clientClosed: false, serverClosed: false, cut: false };
      links.push(link);
      if (down) {
        later(0, () => {
          link.serverClosed = true;
          if (!link.clientClosed) handlers.close('the network is down');
        });
        return { send: () => undefined, close: () => void (link.clientClosed = true) };
      }
      const connection = desk.open({
        frame: (frame) => {
          if (!link.cut && !link.clientClosed) inbound(link, frame);
        },
        close: (reason) => {
          link.serverClosed = true;
          if (!link.cut && !link.clientClosed) handlers.close(reason);
        },
      });
      link.engine = connection;
      return {
        send: (frame) => {
          if (link.cut || link.clientClosed) return;
          const changed = outbound(link, frame);
          if (changed) connection.send(changed);
        },
        close: () => {
          link.clientClosed = true;
          connection.close();
        },
      };
    },
  });

  return {
    page,
    conversationId,
    setDown(value: boolean, replay = false) {
      down = value;
      redeliver = replay;
    },
    holdNextJoin: (gapMs: number) => void (holdJoinMs = gapMs),
    loseNextAnswer: () => void (loseAnswer = true),
    refuseNextMessage: () => void (refuseMessage = true),
    refuseNextUpload: () => void (refuseUpload = true),
    refuseNextStart: () => void (refuseStart = true),
    /** A frame from the desk that is not in its protocol, on every live link. */
    deliver(frame: unknown) {
      for (const link of live()) later(0, () => link.handlers.frame(frame as DeskFrame));
    },
    /** The page reloads: every link of the old page is cut off and closed at the desk, without a word to the page. */
    cutAll() {
      for (const link of links) {
        if (link.cut) continue;
        link.cut = true;
        if (!link.clientClosed && !link.serverClosed) link.engine?.close();
      }
    },
    typing,
    reads: () => reads,
    open: () => ({
      listeners: links.filter((link) => !link.cut && !link.clientClosed).length,
      sockets: live().length,
      // The adapter starts no timer outside the desk's scheduler; the engine's timers are the desk's own.
      timers: 0,
    }),
  };
}

const sim = (agent: ConformanceAgent) => ({ id: agent.id, nickname: agent.nickname, ...(agent.avatarUrl ? { avatarUrl: agent.avatarUrl } : {}) });

/** The simulated desk, driven by hand through the engine's agent API (the scripted agent is off). */
export const simulatedDeskHarness: ConformanceHarness = {
  name: 'simulated desk',
  handoverMs: HANDOVER_MS,
  cannot: {
    availability: 'the simulated desk always answers that agents are online',
    transferJoinFirst: 'the simulated desk announces each transfer, then the old agent leaves before the new one joins',
    agentLeaves: 'a simulated desk agent leaves only in a transfer or by ending the chat',
    tokens: 'the simulated desk session token does not expire',
  },
  create: ({ scheduler }) => {
    let tokens = 0;
    const engine = new SimulatedDeskEngine({
      scheduler,
      autoAgent: false,
      queuePosition: 1,
      timing: { transferMs: HANDOVER_MS },
      createToken: () => `sim-token-${++tokens}`,
    });
    const net = network(engine, scheduler);
    const chat = () => net.conversationId();
    const transcript = () => engine.get(chat())?.transcript ?? [];
    const driver: ConformanceDriver = {
      agentJoins: (agent) => engine.join(chat(), sim(agent)),
      agentSays: (text) => {
        engine.say(chat(), text);
        return transcript().at(-1)?.id ?? '';
      },
      agentSendsFile: (name, url) => engine.say(chat(), '', [{ name, url }]),
      agentTypes: (isTyping) => engine.setTyping(chat(), isTyping),
      agentReads: () => engine.markRead(chat()),
      transfer: (to, order) => {
        if (order === 'joinFirst') throw new Error('The simulated desk cannot play a join-first transfer.');
        engine.transfer(chat(), sim(to));
      },
      agentEnds: () => engine.end(chat()),
      messageBeforeJoin: (agent, text, gapMs) => {
        net.holdNextJoin(gapMs);
        engine.join(chat(), sim(agent));
        engine.say(chat(), text);
      },
      queue: (position, waitMinutes) => engine.setQueue(chat(), position, waitMinutes),
      dropConnection: () => {
        net.setDown(true);
        engine.dropConnection(chat(), 0);
      },
      restoreConnection: (options) => net.setDown(false, options?.redeliver ?? false),
      serverCloses: () => engine.dropConnection(chat(), 0),
      malformedFrame: () => net.deliver({ t: 'message', seq: 'not a number', id: '', text: 42 }),
      loseNextAnswer: () => net.loseNextAnswer(),
      refuseNextMessage: () => net.refuseNextMessage(),
      refuseNextUpload: () => net.refuseNextUpload(),
      refuseNextStart: () => net.refuseNextStart(),
      failSession: () => net.deliver({ t: 'error', code: 'REJECTED', message: 'The desk closed this session (conformance).' }),
      reloadPage: () => {
        net.cutAll();
        return simulatedDeskOver(net.page());
      },
      received: () => {
        const entries = engine.list().at(-1)?.transcript ?? [];
        const user = entries.filter((entry) => entry.from === 'user');
        return {
          chats: engine.list().length,
          summary: entries.filter((entry) => entry.from === 'system' && entry.id.includes('-summary-')).map((entry) => entry.text.replace(/^Summary: /, '')),
          messages: user.filter((entry) => !FILE_ENTRY.test(entry.text)).map((entry) => ({ hostId: entry.id, text: entry.text })),
          files: user.flatMap((entry) => {
            const name = FILE_ENTRY.exec(entry.text)?.[1];
            return name === undefined ? [] : [{ hostId: entry.id, name }];
          }),
          typing: [...net.typing],
          reads: net.reads(),
          userEnded: entries.at(-1)?.text === 'The user ended the chat.',
        };
      },
      open: () => net.open(),
    };
    return { adapter: simulatedDeskOver(net.page()), driver };
  },
};

describeAdapterConformance(simulatedDeskHarness, { describe, it, expect });
