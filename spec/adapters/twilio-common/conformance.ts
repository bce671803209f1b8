import type { SchedulerLike, Subscription } from 'rxjs';
import type { ServiceDeskAdapter } from '../../../lib/core/adapter';
import { ServiceDeskError } from '../../../lib/core/errors';
import type { TwilioOptions } from '../../../lib/adapters/twilio-common/adapter';
import type { TwilioAvailability, TwilioToken } from '../../../lib/adapters/twilio-common/types';
import { VirtualPromise, settleAfter, type ConformanceAgent, type ConformanceDriver, type ConformanceHarness, type TokenRefresh } from '../../../lib/testing';
import type { FakeTwilioClientBase, FakeTwilioParticipant, FakeWorld } from '../../../lib/testing/twilio';
import type { KitMessage, KitWorld } from './kit';

/** How long each fake SDK call takes, in ms. */
const LATENCY_MS = 2;
/** A leave-first transfer's gap, inside the adapters' transfer grace window (30 s). */
const HANDOVER_MS = 1_000;
/**
 * How long the desk shows the user typing after each `typing()` call (Twilio has no typing-stopped call): the SDKs'
 * default typing timeout, 5 s (conversations `configuration.js:140`, twilio-chat `configuration.js:135`).
 */
const TYPING_SHOWN_MS = 5_000;
/**
 * What the SDKs reject a REST command the desk refuses with: a plain Error naming the status (conversations
 * `command-executor.js:185-186`; twilio-chat's command executor alike).
 */
const refusal = (status: number) => new Error(`Request responded with a non-success code ${status}`);

/** What one SDK brings to the Twilio conformance harness. */
export interface TwilioConformanceParts {
  readonly name: string;
  /** A fake world whose clients initialise only when told (the network decides). */
  world(scheduler: SchedulerLike): KitWorld & Pick<FakeWorld<unknown, FakeTwilioParticipant, FakeTwilioClientBase>, 'createClient'>;
  adapter(options: TwilioOptions<never>): ServiceDeskAdapter;
  /** How the desk ends the chat in this SDK's Flex. */
  end(world: KitWorld): void;
  /** The read-horizon method the adapter calls. */
  readonly markReadMethod: string;
  /** What the vendor cannot express. */
  readonly cannot?: ConformanceHarness['cannot'];
}

/** The name of a file as the SDK call carried it: FormData (twilio-chat) or `{ filename }` (Conversations). */
function fileName(sent: unknown): string {
  if (typeof FormData === 'function' && sent instanceof FormData) return (sent.get('file') as File | null)?.name ?? '';
  return typeof (sent as { filename?: unknown })?.filename === 'string' ? (sent as { filename: string }).filename : '';
}

/**
 * A conformance harness for a Twilio adapter over its fake SDK. The network layer lives here: while it is down
 * the client is `connecting` (twilsock retries by itself) and new clients do not initialise; a page reload
 * detaches the old page from the chat as a closed tab would.
 *
 * @example
 * describeAdapterConformance(twilioConformanceHarness(chatParts), { describe, it, expect });
 */
export function twilioConformanceHarness(parts: TwilioConformanceParts): ConformanceHarness {
  return {
    name: parts.name,
    handoverMs: HANDOVER_MS,
    ...(parts.cannot ? { cannot: parts.cannot } : {}),
    create: ({ scheduler }) => {
      const world = parts.world(scheduler);
      const target = world.target;
      const timing = { scheduler, latencyMs: LATENCY_MS };
      let down = false;
      let chats = 0;
      let refuseStart = false;
      let online = true;
      let queue: { position: number; waitMinutes: number } | undefined;
      let refresh: TokenRefresh = 'works';
      let tokens = 0;
      /** Clients of the page on screen (a reload starts a new list). */
      let page: FakeTwilioClientBase[] = [];
      const agents = new Map<string, FakeTwilioParticipant>();
      let current: FakeTwilioParticipant | undefined;
      const client = () => page.at(-1);
      const later = (delay: number, run: () => void) => void scheduler.schedule(run, delay);
      const participant = (agent: ConformanceAgent) => {
        const known = agents.get(agent.id);
        if (known) return known;
        const made = world.agent(agent.nickname, { identity: agent.id, ...(agent.avatarUrl ? { userAttributes: { avatar_url: agent.avatarUrl } } : {}) });
        agents.set(agent.id, made);
        return made;
      };
      const say = (who: FakeTwilioParticipant, text: string) => target.deliver(target.createMessage(String(who.identity), text)).sid;
      // What the desk shows of the user typing: on at each typing() call, off TYPING_SHOWN_MS after the last one.
      const typingShown: boolean[] = [];
      let fading: Subscription | undefined;
      const sdkTyping = target.typing.bind(target);
      target.typing = () => {
        if (!fading) typingShown.push(true);
        fading?.unsubscribe();
        fading = scheduler.schedule(() => {
          fading = undefined;
          typingShown.push(false);
        }, TYPING_SHOWN_MS);
        return sdkTyping();
      };

      const createClient = (token: string, clientOptions?: unknown) => {
        const made = world.createClient(token, clientOptions);
        page.push(made);
        later(LATENCY_MS, () => {
          if (!down) made.initialize();
        });
        return made;
      };
      const getToken = (): PromiseLike<TwilioToken> => {
        if (refresh === 'hangs') return new VirtualPromise<TwilioToken>();
        tokens += 1;
        return settleAfter(timing, () => ({ token: `${refresh === 'denied' ? 'denied' : 'fresh'}-${tokens}` }));
      };
      const options = (): TwilioOptions<never> => ({
        getSession: () =>
          settleAfter(timing, () => {
            if (refuseStart) {
              refuseStart = false;
              throw new ServiceDeskError('CONNECT_FAILED', 'The middleware refused this chat (conformance).', { retryable: false });
            }
            chats += 1;
            return world.session();
          }),
        getToken,
        createClient: createClient as never,
        // Answers at once: the adapter hands areAnyAgentsOnline a real Promise, which settles on the microtask queue
        // only, and the suite lets microtasks run before it flushes virtual time.
        checkAvailability: () => settleAfter({}, (): TwilioAvailability => ({ online, ...(queue ? { position: queue.position, waitMinutes: queue.waitMinutes } : {}) })),
        queuePollMs: 1_000,
      });

      const ownMessages = () => target.messages.filter((message: KitMessage) => message.author === target.ownIdentity);
      const hostIdOf = (message: KitMessage) => {
        const attributes = (message as { attributes?: unknown }).attributes as Record<string, unknown> | undefined;
        return typeof attributes?.['rxMessageId'] === 'string' ? attributes['rxMessageId'] : undefined;
      };

      const driver: ConformanceDriver = {
        agentJoins: (agent) => {
          current = participant(agent);
          target.add(current);
        },
        agentSays: (text) => say(current!, text),
        agentSendsFile: (name, url) => void target.deliver(target.createMessage(String(current!.identity), '', undefined, world.media({ filename: name, url }))),
        agentTypes: (isTyping) => target.setTyping(current!, isTyping),
        agentReads: () => target.read(current!, Math.max(-1, ...ownMessages().map((message) => message.index))),
        transfer: (to, order) => {
          const from = current!;
          current = participant(to);
          const next = current;
          if (order === 'joinFirst') {
            target.add(next);
            target.remove(from);
          } else {
            target.remove(from);
            later(HANDOVER_MS, () => target.add(next));
          }
        },
        agentLeaves: () => target.remove(current!),
        agentEnds: () => parts.end(world),
        messageBeforeJoin: (agent, text, gapMs) => {
          current = participant(agent);
          const joining = current;
          say(joining, text);
          if (gapMs === 0) target.add(joining);
          else later(gapMs, () => target.add(joining));
        },
        queue: (position, waitMinutes) => void (queue = { position, waitMinutes }),
        setAgentsOnline: (value) => void (online = value),
        dropConnection: () => {
          down = true;
          client()?.setConnectionState('connecting');
        },
        restoreConnection: () => {
          down = false;
          for (const each of page) {
            if (each.connectionState === 'unknown') each.initialize();
            else if (each.connectionState === 'connecting') each.setConnectionState('connected');
          }
        },
        serverCloses: () => client()?.closedByServer(),
        expireToken: (how) => {
          refresh = how;
          for (const each of page) each.accepts = (token) => !token.startsWith('denied');
          client()?.tokenExpired();
        },
        malformedFrame: () => {
          target.emit('messageAdded', { sid: 42, body: { not: 'text' } });
          target.emit('updated', null);
        },
        loseNextAnswer: () => void target.loseNextAnswer('sendMessage', 'reject'),
        refuseNextMessage: () => void target.failNext('sendMessage', refusal(403)),
        refuseNextUpload: () => void target.failNext('sendMessage', refusal(413)),
        refuseNextStart: () => void (refuseStart = true),
        failSession: () => client()?.connectionError(true, 'Connection error: the server closed the connection for good'),
        reloadPage: () => {
          target.removeAllListeners();
          page = [];
          return parts.adapter(options());
        },
        received: () => {
          const own = ownMessages();
          const sent = own.map((message, i) => ({ message, sent: target.sent[i] }));
          const summary = sent.filter(({ message }) => hostIdOf(message)?.startsWith('rx-summary-'));
          const user = sent.filter(({ message }) => !hostIdOf(message)?.startsWith('rx-summary-'));
          const hostId = (message: KitMessage) => hostIdOf(message);
          return {
            chats,
            summary: summary.map(({ sent: text }) => String(text)),
            messages: user.filter(({ sent: text }) => typeof text === 'string').map(({ message, sent: text }) => ({ hostId: hostId(message), text: String(text) })),
            files: user
              .filter(({ sent: file }) => typeof file !== 'string')
              .map(({ message, sent: file }) => {
                const id = hostId(message);
                return id === undefined ? { name: fileName(file) } : { hostId: id, name: fileName(file) };
              }),
            typing: [...typingShown],
            reads: target.callsOf(parts.markReadMethod).length,
            userEnded: target.callsOf('leave').length > 0,
          };
        },
        open: () => ({
          listeners: target.listenerCount() + page.reduce((sum, each) => sum + each.listenerCount(), 0),
          sockets: page.filter((each) => each.shutdowns === 0).length,
          timers: 0,
        }),
      };
      return { adapter: parts.adapter(options()), driver };
    },
  };
}
