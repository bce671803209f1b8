import type { VirtualTimeScheduler } from 'rxjs';
import type { ServiceDeskAdapter } from '../../core/adapter.js';
import type { ServiceDeskOptions } from '../../core/desk.js';

/**
 * What a vendor may be unable to express. A harness lists the ones its vendor (or its fake) cannot play in
 * {@link ConformanceHarness.cannot}, each with the reason; the scenarios that need it are reported as skipped with
 * that reason, under the same name as on every other adapter.
 */
export type ConformanceFeature =
  /** The desk reports the user's place in the queue before an agent joins ({@link ConformanceDriver.queue}). */
  | 'queue'
  /** The desk can say that no agent is online ({@link ConformanceDriver.setAgentsOnline}). */
  | 'availability'
  /** Agents have a picture the host can show. */
  | 'avatar'
  /** Agents send files or links to files ({@link ConformanceDriver.agentSendsFile}). */
  | 'agentFiles'
  /** The user sends files to the desk, and the desk can refuse one ({@link ConformanceDriver.refuseNextUpload}). */
  | 'userFiles'
  /** The desk shows the agent typing. */
  | 'agentTyping'
  /** The desk learns when the user types and stops. */
  | 'userTyping'
  /** The desk tells when the agent has read the user's messages. */
  | 'agentRead'
  /** The desk learns when the user has read the agent's messages. */
  | 'userRead'
  /**
   * A join event separate from the agent's first message ({@link ConformanceDriver.messageBeforeJoin}). Without
   * it (a vendor whose agent shows up with their first message), the suite has each joining agent say `GREETING`
   * right after {@link ConformanceDriver.agentJoins}, and expects that greeting after the join.
   */
  | 'joinEvent'
  /** A transfer where the new agent joins before the old one leaves. */
  | 'transferJoinFirst'
  /** A transfer where the old agent leaves before the new one joins. */
  | 'transferLeaveFirst'
  /** An agent leaves without ending the chat and without a transfer ({@link ConformanceDriver.agentLeaves}). */
  | 'agentLeaves'
  /** The desk refuses one user message ({@link ConformanceDriver.refuseNextMessage}). */
  | 'refuseMessage'
  /** The desk refuses to start a chat ({@link ConformanceDriver.refuseNextStart}). */
  | 'refuseStart'
  /** Frames the adapter cannot decode ({@link ConformanceDriver.malformedFrame}). */
  | 'malformedFrames'
  /** The connection drops after a send reached the desk, before its answer ({@link ConformanceDriver.loseNextAnswer}). */
  | 'lostAnswers'
  /** Session tokens that expire and are refreshed ({@link ConformanceDriver.expireToken}). */
  | 'tokens'
  /** The server closes the connection with no token event ({@link ConformanceDriver.serverCloses}). */
  | 'serverClose'
  /** The desk ends the session with a terminal error mid-chat ({@link ConformanceDriver.failSession}). */
  | 'sessionFailure'
  /** A chat survives a page reload (`reconnect()` with the persisted state, {@link ConformanceDriver.reloadPage}). */
  | 'resume';

/** An agent as the suite names them; the driver makes the vendor describe them this way. */
export interface ConformanceAgent {
  readonly id: string;
  readonly nickname: string;
  readonly avatarUrl?: string;
}

/** One user message as the desk received it. */
export interface ReceivedMessage {
  /** The host's message id (the `messageID` of `sendMessageToAgent`), as the vendor carries it. */
  readonly hostId: string | undefined;
  readonly text: string;
}

/** One user file as the desk received it. */
export interface ReceivedFile {
  /** The host's upload id, when the vendor carries it. */
  readonly hostId?: string;
  readonly name: string;
}

/** What the desk (the fake vendor) received from the user's side, for the chat under test. */
export interface DeskReceived {
  /** Chats started at the desk. A resume or a reconnect of the same chat is not a new chat. */
  readonly chats: number;
  /** The conversation summary as the desk got it (its lines, or one text). Not in {@link messages}. */
  readonly summary: readonly string[];
  /** User messages, in the order the desk got them, each as often as the desk got it. */
  readonly messages: readonly ReceivedMessage[];
  /** User files the desk accepted or refused, in order, each as often as the desk got it. */
  readonly files: readonly ReceivedFile[];
  /**
   * User typing as the desk shows it (`true` typing, `false` stopped), in order. Repeats of `true` (heartbeats)
   * may appear. A vendor with no stop signal (its indicator fades) records `false` when the indicator fades.
   */
  readonly typing: readonly boolean[];
  /** How many read receipts the user side sent. */
  readonly reads: number;
  /** Whether the user side left or ended the chat at the desk. */
  readonly userEnded: boolean;
}

/** What the adapter still holds open at the vendor's fake. Every count must be 0 once a chat has ended. */
export interface OpenResources {
  /** Listeners the adapter added on SDK emitters or transports and has not removed. */
  readonly listeners: number;
  /** Sockets, clients or transport connections open. */
  readonly sockets: number;
  /** Timers the adapter's SDK or fake started outside the desk's scheduler and that are still alive. */
  readonly timers: number;
}

/** How a token refresh answers in {@link ConformanceDriver.expireToken}. */
export type TokenRefresh =
  /** A fresh token that works. */
  | 'works'
  /** The refreshed token is denied again (and every later one). */
  | 'denied'
  /** The refresh never settles (every refresh hangs). */
  | 'hangs';

/** How a transfer plays at the vendor. */
export type TransferOrder = 'joinFirst' | 'leaveFirst';

/**
 * Plays the vendor's side of one chat against the adapter's fake: the agent, the desk and the network. Every
 * method acts at the current virtual time (the suite schedules calls with the test's scheduler); what the vendor
 * then sends reaches the adapter as the real vendor would send it (asynchronously, with the fake's latency).
 * The methods marked with a feature are needed only when the harness does not list that feature in `cannot`.
 */
export interface ConformanceDriver {
  /** The agent joins the chat (the first agent, or after {@link agentLeaves}). */
  agentJoins(agent: ConformanceAgent): void;
  /** The current agent sends a text message. Returns the vendor's id of the message. */
  agentSays(text: string): string;
  /** `agentFiles`: the current agent sends a file, shown to the user as a link to `url`. */
  agentSendsFile?(name: string, url: string): void;
  /** `agentTyping`: the current agent starts or stops typing. */
  agentTypes?(isTyping: boolean): void;
  /** `agentRead`: the current agent has read the user's messages. */
  agentReads?(): void;
  /**
   * `transferJoinFirst` / `transferLeaveFirst`: the current agent hands the chat to `to`. `leaveFirst`: the old
   * agent leaves (or the vendor announces the transfer) now, and `to` joins {@link ConformanceHarness.handoverMs}
   * later. `joinFirst`: `to` joins now and the old agent leaves right after.
   */
  transfer?(to: ConformanceAgent, order: TransferOrder): void;
  /** `agentLeaves`: the current agent leaves, with no transfer; the chat goes on without an agent. */
  agentLeaves?(): void;
  /** The agent ends the chat. */
  agentEnds(): void;
  /**
   * `joinEvent`: `agent` (not yet in the chat) joins and says `text`, but the vendor delivers the message `gapMs`
   * BEFORE the join event (0: both in the same tick, the message first).
   */
  messageBeforeJoin?(agent: ConformanceAgent, text: string, gapMs: number): void;
  /** `queue`: the desk reports the user's place in the queue (pushed, or answered to the adapter's next poll). */
  queue?(position: number, waitMinutes: number): void;
  /** `availability`: whether the desk says agents are online (for `areAnyAgentsOnline`). Default online. */
  setAgentsOnline?(online: boolean): void;
  /** The network drops: the adapter's connection closes and cannot be made again until {@link restoreConnection}. */
  dropConnection(): void;
  /**
   * The network is back: the adapter may connect again. With `redeliver`, the desk sends again what it had
   * already delivered (as a vendor history read overlapping the live stream does); vendors that always re-read
   * history on reconnect may ignore it.
   */
  restoreConnection(options?: { readonly redeliver?: boolean }): void;
  /** `serverClose`: the server closes the connection with no token event (Twilio after a 401/417 close). */
  serverCloses?(): void;
  /** `tokens`: the session token expires now; each refresh the adapter asks for answers as `refresh` says. */
  expireToken?(refresh: TokenRefresh): void;
  /** `malformedFrames`: the vendor sends a frame or event the adapter cannot decode. */
  malformedFrame?(): void;
  /** `lostAnswers`: the next user message or file reaches the desk, then the connection drops before its answer. */
  loseNextAnswer?(): void;
  /** `refuseMessage`: the desk refuses the next user message (a non-retryable failure) with `reason`. */
  refuseNextMessage?(reason: string): void;
  /** `userFiles`: the desk refuses the next user file with `reason`. */
  refuseNextUpload?(reason: string): void;
  /** `refuseStart`: the desk refuses the next chat start (a bad deployment, a rejected request). */
  refuseNextStart?(): void;
  /** `sessionFailure`: the desk ends the session with a terminal error (not a retryable drop). */
  failSession?(): void;
  /**
   * `resume`: the page reloads. The old page's adapter is cut off (nothing in or out, as a closed tab), and this
   * returns the adapter the new page builds, on the same desk.
   */
  reloadPage?(): ServiceDeskAdapter;
  /** What the desk received from the user's side for the chat under test. */
  received(): DeskReceived;
  /** What the adapter still holds open at the fake. */
  open(): OpenResources;
}

/** One test's vendor world: the adapter under test and its driver. */
export interface ConformanceWorld {
  readonly adapter: ServiceDeskAdapter;
  readonly driver: ConformanceDriver;
}

/** What the suite gives the harness for one test. */
export interface ConformanceContext {
  /**
   * The test's virtual clock. Run every fake timer and latency on it. The desk runs on a tracking wrapper of the
   * same clock, so its timers (and the adapter's, through `SessionRequest.scheduler`) are counted apart from
   * the fake's.
   */
  readonly scheduler: VirtualTimeScheduler;
}

/**
 * How the conformance suite drives one adapter: a factory of a fresh vendor world per test, and what the vendor
 * cannot express.
 *
 * It changes only by additions, so a harness written against it keeps working. How to write one: "Testing it" in
 * docs/writing-an-adapter.md.
 */
export interface ConformanceHarness {
  /** The adapter's name in the run's titles (`describeAdapterConformance` prefixes every scenario with it). */
  readonly name: string;
  /** A fresh world per test. Called inside the test, before anything else. */
  create(context: ConformanceContext): ConformanceWorld;
  /** Features the vendor cannot express, each with the reason printed in the skipped scenario's title. */
  readonly cannot?: Partial<Record<ConformanceFeature, string>>;
  /**
   * `leaveFirst` transfers: the time from the old agent's leave to the new agent's join, in ms. It must be at
   * least 2 and within the adapter's transfer grace window. Default 1 000.
   */
  readonly handoverMs?: number;
  /**
   * Extra desk options (vendor timings the adapter needs). The suite's own retry policy, connect timeout and
   * scheduler win over these, so that the retry budget is the same for every adapter.
   */
  readonly deskOptions?: ServiceDeskOptions;
}

/** What the suite calls on the test runner: jest's and vitest's `describe`, `it` and `expect` fit it. */
export interface ConformanceRunner {
  describe(name: string, body: () => void): void;
  it: ConformanceIt;
  expect: ConformanceExpect;
}

/** A runner's `it` (or `test`) with `skip`. */
export interface ConformanceIt {
  (name: string, body: () => Promise<void>): void;
  skip(name: string, body: () => Promise<void>): void;
}

/** The matchers the suite uses; jest's and vitest's `expect` have them. */
export interface ConformanceMatchers {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toContain(expected: unknown): void;
  toMatchObject(expected: object): void;
  toBeGreaterThan(expected: number): void;
  toBeLessThanOrEqual(expected: number): void;
}

/** A runner's `expect`. */
export type ConformanceExpect = (actual: unknown) => ConformanceMatchers & { readonly not: ConformanceMatchers };
