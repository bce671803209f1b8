import type { SchedulerLike } from 'rxjs';
import { genesysWebMessaging, type GenesysWebMessagingOptions } from '../../../lib/adapters/genesys';
import type { SocketFactory, WebSocketLike } from '../../../lib/adapters/genesys/socket';
import { describeAdapterConformance, settleAfter, type ConformanceAgent, type ConformanceDriver, type ConformanceHarness } from '../../../lib/testing';
import { inMemoryGenesys, type GenesysDesk } from '../../../lib/testing/genesys';
import { SocketListeners, type SocketListener } from '../../../lib/testing/socket-listeners';

// The conformance suite on the Genesys Web Messaging adapter, against the in-memory desk (lib/testing/genesys) in
// the suite's virtual time. The desk is used through its agent API; what the suite asks of the network (down,
// a page cut off, a refused message or file) is played here, between the adapter's sockets and the desk.

type Json = Record<string, unknown>;

/** What the network does to the next guest frame of a kind. */
interface Refusal {
  readonly reason: string;
}

/** One guest socket as the network sees it: forwards both ways unless the network is down or the page is cut. */
class NetSocket implements WebSocketLike {
  readonly #listeners = new SocketListeners();
  cut = false;

  constructor(
    readonly inner: WebSocketLike,
    private readonly outbound: (socket: NetSocket, data: string) => boolean,
  ) {
    for (const type of ['open', 'message', 'close', 'error'] as const) {
      inner.addEventListener(type as 'open', ((event: unknown) => {
        if (!this.cut) this.emit(type, event);
      }) as () => void);
    }
  }

  get readyState(): number {
    return this.inner.readyState;
  }

  addEventListener(type: string, listener: SocketListener): void {
    this.#listeners.add(type, listener);
  }

  removeEventListener(type: string, listener: SocketListener): void {
    this.#listeners.remove(type, listener);
  }

  send(data: string): void {
    if (this.cut) return;
    if (this.outbound(this, data)) this.inner.send(data);
  }

  close(code?: number, reason?: string): void {
    this.inner.close(code, reason);
  }

  /** Delivers a frame the network makes up (an answer in the desk's stead). */
  emit(type: string, event: unknown): void {
    this.#listeners.emit(type, event);
  }

  listenerCount(): number {
    return this.#listeners.count();
  }
}

/** The network between Genesys adapters (one per page) and one in-memory desk. */
function network(desk: GenesysDesk, inner: SocketFactory, scheduler: SchedulerLike) {
  const sockets: NetSocket[] = [];
  const refusedFiles: string[] = [];
  let down = false;
  let refuseMessage: Refusal | undefined;
  let refuseUpload: Refusal | undefined;
  const later = (action: () => void) => void scheduler.schedule(action, 1);

  /** The desk side of a guest frame: false when the network answers it itself. */
  const outbound = (socket: NetSocket, data: string): boolean => {
    const frame = JSON.parse(data) as Json;
    const message = frame.message as Json | undefined;
    if (refuseMessage && frame.action === 'onMessage' && message?.type === 'Text' && !String(frame.tracingId).startsWith('rx-summary-')) {
      const { reason } = refuseMessage;
      refuseMessage = undefined;
      later(() => socket.emit('message', { data: JSON.stringify({ type: 'response', class: 'string', code: 4000, body: reason, tracingId: frame.tracingId }) }));
      return false;
    }
    if (refuseUpload && frame.action === 'onAttachment') {
      const { reason } = refuseUpload;
      refuseUpload = undefined;
      refusedFiles.push(String(frame.fileName));
      const body = { attachmentId: frame.attachmentId, errorCode: 4001, errorMessage: reason };
      later(() => socket.emit('message', { data: JSON.stringify({ type: 'message', class: 'GenerateUrlError', code: 200, body, tracingId: frame.tracingId }) }));
      return false;
    }
    return true;
  };

  const page = (): SocketFactory => (url) => {
    const socket = new NetSocket(inner(url), outbound);
    sockets.push(socket);
    // While the network is down, a new socket fails like a refused connection: error, then close 1006.
    if (down) socket.inner.close();
    return socket;
  };

  return {
    page,
    setDown(value: boolean) {
      down = value;
      if (value) desk.drop();
    },
    refuseNextMessage: (reason: string) => void (refuseMessage = { reason }),
    refuseNextUpload: (reason: string) => void (refuseUpload = { reason }),
    refusedFiles,
    /** The page reloads: its sockets are cut off and closed at the desk, without a word to the page. */
    cutAll() {
      for (const socket of sockets) {
        if (socket.cut) continue;
        socket.cut = true;
        socket.inner.close();
      }
    },
    open: () => {
      const current = sockets.filter((socket) => !socket.cut);
      return {
        listeners: current.reduce((total, socket) => total + socket.listenerCount(), 0),
        sockets: current.filter((socket) => socket.readyState < 3).length,
        timers: 0,
      };
    },
  };
}

/** The Genesys Web Messaging adapter on the in-memory desk. */
export const genesysHarness: ConformanceHarness = {
  name: 'genesys web messaging',
  cannot: {
    agentRead: 'Web Messaging has no read receipts',
    userRead: 'Web Messaging has no read receipts',
    userTyping: 'Web Messaging has no guest typing stop: a Typing On shows for a few seconds',
    joinEvent: 'Web Messaging has no agent join event: an agent shows with their first message',
    agentLeaves: 'Web Messaging tells the guest nothing when an agent leaves without ending the chat',
    tokens: 'the Web Messaging session token is made by the guest and does not expire; the history JWT is fetched anew for each read',
  },
  create: ({ scheduler }) => {
    const genesys = inMemoryGenesys({ scheduler, latencyMs: 1 });
    const desk = genesys.desk;
    const net = network(desk, genesys.socketFactory, scheduler);
    let online = true;
    let queue: { position: number; waitMinutes: number } | undefined;
    let chats = 0;
    let userEnded = false;
    desk.on('session', ({ newSession }) => void (newSession && (chats += 1)));
    desk.on('cleared', () => void (userEnded = true));
    const typing: boolean[] = [];
    desk.on('guestTyping', () => void typing.push(true));
    const options = (): GenesysWebMessagingOptions => ({
      deploymentId: desk.deploymentId,
      webSocketUrl: genesys.webSocketUrl,
      apiUrl: genesys.apiUrl,
      socketFactory: net.page(),
      fetch: genesys.fetch,
      queuePollMs: 1_000,
      // Before the chat at once (the engine answers areAnyAgentsOnline through a promise); while queued, 1 ms later.
      checkAvailability: ({ phase }) =>
        phase === 'beforeChat' ? settleAfter({}, () => ({ online })) : settleAfter({ scheduler, latencyMs: 1 }, () => ({ online, ...queue })),
    });
    const assign = (agent: ConformanceAgent) => desk.assign(agent.nickname, agent.avatarUrl);
    const driver: ConformanceDriver = {
      agentJoins: assign,
      agentSays: (text) => desk.say(text),
      agentSendsFile: (name, url) => desk.attach({ name, type: 'application/pdf', url }),
      // Typing On carries its duration; Web Messaging sends no Off: the indicator stops when the duration ends.
      agentTypes: (isTyping) => void (isTyping && desk.typing(1_000)),
      transfer: (to) => assign(to),
      agentEnds: () => desk.end({ readOnly: true }),
      queue: (position, waitMinutes) => void (queue = { position, waitMinutes }),
      setAgentsOnline: (value) => void (online = value),
      dropConnection: () => net.setDown(true),
      restoreConnection: () => net.setDown(false),
      serverCloses: () => desk.drop(),
      malformedFrame: () => desk.sendRaw('{"type":"message","class":"StructuredMessage","code":200,"body":{"direction":"Outbound","text":42}'),
      loseNextAnswer: () => desk.dropBeforeNextEcho(),
      refuseNextMessage: (reason) => net.refuseNextMessage(reason),
      refuseNextUpload: (reason) => net.refuseNextUpload(reason),
      refuseNextStart: () => desk.rejectDeployment('Deployment is inactive (conformance).'),
      failSession: () => desk.expireSession(),
      reloadPage: () => {
        net.cutAll();
        return genesysWebMessaging(options());
      },
      received: () => {
        const fromGuest = desk.guestMessages.filter((message) => message.token === desk.activeToken);
        const summary = fromGuest.filter((message) => message.tracingId?.startsWith('rx-summary-'));
        const rest = fromGuest.filter((message) => !summary.includes(message));
        return {
          chats,
          summary: summary.map((message) => message.text),
          messages: rest.filter((message) => message.attachments.length === 0).map((message) => ({ hostId: message.tracingId, text: message.text })),
          files: [
            ...rest.flatMap((message) => message.attachments.map((attachment) => ({ name: attachment.filename ?? '', ...(message.tracingId ? { hostId: message.tracingId } : {}) }))),
            ...net.refusedFiles.map((name) => ({ name })),
          ],
          typing: [...typing],
          reads: 0,
          userEnded,
        };
      },
      open: () => net.open(),
    };
    return { adapter: genesysWebMessaging(options()), driver };
  },
};

describeAdapterConformance(genesysHarness, { describe, it, expect });
