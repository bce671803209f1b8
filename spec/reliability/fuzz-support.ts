/**
 * Shared pieces of the fuzz specs: hostile and wrong-typed values, a mutator that breaks valid frames in the ways
 * vendors and proxies do (a field missing, a field of the wrong type, a huge or hostile string), a socket that can
 * deliver binary frames, a logger that records errors, and a checker that every host call carries well-formed data.
 */
import fc from 'fast-check';
import type { Logger } from '../../lib/core/logger';
import type { RecordedCall } from '../../lib/testing';
import { FakeWebSocket } from '../../lib/testing';
import { runs } from '../support/runs';

/** fast-check options: `numRuns` scaled by the shared knob (spec/support/runs.ts), and FUZZ_SEED / FUZZ_PATH to replay a failure. */
export function fuzzOptions(numRuns: number): fc.Parameters<unknown> {
  const seed = process.env.FUZZ_SEED;
  const path = process.env.FUZZ_PATH;
  return {
    numRuns: runs(numRuns),
    ...(seed !== undefined ? { seed: Number(seed) } : {}),
    ...(path !== undefined ? { path } : {}),
  };
}

/** A string far larger than any vendor allows (100 000 characters). */
export const HUGE = '<b>huge</b> '.repeat(8_334).slice(0, 100_000);

/** Markup, script and URL schemes that must reach the host as plain data. */
export const HOSTILE_STRINGS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  "'';!--\"<XSS>=&{()}",
  'javascript:alert(1)',
  'JaVaScRiPt:alert(document.cookie)',
  'data:text/html,<script>alert(1)</script>',
  '[click me](javascript:alert(1))',
  '![x](javascript:alert(1))',
  '<a href="javascript:alert(1)">x</a>',
  '</textarea><script>alert(1)</script>',
  '{{constructor.constructor("alert(1)")()}}',
  '${alert(1)}',
  '\u0000\u202e\ufeff\u2028',
  '__proto__',
  'constructor',
  '',
  '   ',
] as const;

/** A hostile string: markup, script, odd code points, or a huge one. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { withCrossShrink: true },
  { weight: 24, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 12, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constant(HUGE) },
);

/** Any JSON value of the wrong type for a field: null, numbers, booleans, strings, arrays, objects. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  { withCrossShrink: true },
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(-1, 0, 1e308, Number.MAX_SAFE_INTEGER),
  fc.string({ maxLength: 12 }),
  hostileString,
  fc.constantFrom({}, [], [null], [{}], ''),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
);

type Path = readonly (string | number)[];

function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [];
  const out: Path[] = [];
  for (const [key, item] of Object.entries(value)) {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    out.push(path, ...pathsOf(item, path));
  }
  return out;
}

interface Mutation {
  readonly pick: number;
  readonly remove: boolean;
  readonly value: unknown;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({ pick: fc.nat(), remove: fc.boolean(), value: wrongValue });

function applyMutation(target: unknown, mutation: Mutation): unknown {
  const { pick, remove } = mutation;
  // A copy: generated constants are shared between runs, and a later mutation may write inside this value.
  const value = structuredClone(mutation.value);
  const paths = pathsOf(target);
  if (paths.length === 0) return value;
  const path = paths[pick % paths.length] as Path;
  let parent = target as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (remove) delete parent[last];
  else parent[last] = value;
  return target;
}

/** A valid frame broken by one to three mutations: a field (at any depth) removed or given a wrong value. */
export function mutated<T extends object>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc
    .tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([frame, mutations]) => mutations.reduce<unknown>((current, step) => applyMutation(current, step), structuredClone(frame)));
}

/** Text that is not JSON (or not a whole JSON document). */
export const notJson: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', ' ', '{', '}', '{"class":', '[1,2', 'undefined', 'NaN', "{'single':'quotes'}", '<html><body>502 Bad Gateway</body></html>', '\u0000'),
  fc.string({ unit: 'binary', maxLength: 60 }).filter((text) => {
    try {
      JSON.parse(text);
      return false;
    } catch {
      return true;
    }
  }),
);

/** A whole frame of random JSON (any shape). */
export const randomJson: fc.Arbitrary<string> = fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? 'null');

/** A FakeWebSocket that can also deliver non-text frames (binary data, as `ws` and browsers can). */
export class BinaryFakeWebSocket extends FakeWebSocket {
  readonly #messageListeners = new Set<(event: { data: unknown }) => void>();

  override addEventListener(type: string, listener: (event: never) => void): void {
    super.addEventListener(type, listener);
    if (type === 'message') this.#messageListeners.add(listener as (event: { data: unknown }) => void);
  }

  override removeEventListener(type: string, listener: (event: never) => void): void {
    super.removeEventListener(type, listener);
    if (type === 'message') this.#messageListeners.delete(listener as (event: { data: unknown }) => void);
  }

  /** Delivers `data` as it is: a string, an ArrayBuffer, a Buffer, or anything else. */
  receiveData(data: unknown): void {
    for (const listener of [...this.#messageListeners]) listener({ data });
  }
}

/** Non-text frame payloads. */
export const binaryData: fc.Arbitrary<unknown> = fc.oneof(
  fc.uint8Array({ maxLength: 32 }).map((bytes) => bytes.buffer),
  fc.uint8Array({ maxLength: 32 }).map((bytes) => Buffer.from(bytes)),
  fc.constantFrom(undefined, null, 42, {}, []),
);

/** A logger that keeps what was logged at error level (nothing should be: garbage is a warning at most). */
export function recordingLogger(): Logger & { readonly errors: string[]; readonly warnings: number } {
  const errors: string[] = [];
  let warnings = 0;
  return {
    errors,
    get warnings() {
      return warnings;
    },
    debug: () => undefined,
    info: () => undefined,
    warn: () => {
      warnings += 1;
    },
    error: (message, context) => errors.push(`${message} ${JSON.stringify(context ?? {})}`),
  };
}

const SAFE_URL = /^(https?:|blob:|data:image\/(png|gif|jpe?g|webp|svg\+xml)[;,])/i;
const isString = (value: unknown): value is string => typeof value === 'string';
const isCount = (value: unknown) => value === undefined || (typeof value === 'number' && Number.isFinite(value) && value >= 0);

function profileProblem(profile: unknown): string | undefined {
  if (typeof profile !== 'object' || profile === null) return 'a profile that is not an object';
  const { id, nickname, user_type: userType, profile_picture_url: avatar } = profile as Record<string, unknown>;
  if (!isString(id) || !id) return 'a profile without a string id';
  if (!isString(nickname)) return 'a profile without a string nickname';
  if (userType !== 'human') return "a profile without user_type 'human'";
  if (avatar !== undefined && !(isString(avatar) && SAFE_URL.test(avatar))) return 'an avatar URL that is not http(s), blob or an image data URL';
  return undefined;
}

function messageProblem(args: readonly unknown[]): string | undefined {
  const [message, agentId] = args as [Record<string, unknown>, unknown];
  if (!isString(message?.id) || !message.id) return 'a message without a string id';
  if (agentId !== undefined && !isString(agentId)) return 'a message whose agent id is not a string';
  const generic = (message.output as { generic?: unknown } | undefined)?.generic;
  if (!Array.isArray(generic) || generic.length === 0) return 'a message without output.generic items';
  for (const item of generic as Record<string, unknown>[]) {
    if (item.response_type === 'text' && isString(item.text)) continue;
    if (item.response_type === 'image' && isString(item.source) && SAFE_URL.test(item.source) && isString(item.title)) continue;
    return `a message item that is not text or a safe image: ${JSON.stringify(item).slice(0, 200)}`;
  }
  return undefined;
}

/**
 * What is wrong with one host call's arguments, if anything: every value the host gets must be of the type the host
 * expects (string ids and nicknames, text items, booleans, finite counts, JSON-serialisable persisted state).
 */
export function hostCallProblem(call: Pick<RecordedCall, 'method' | 'args'>): string | undefined {
  const [first] = call.args;
  switch (call.method) {
    case 'agentJoined':
      return profileProblem(first);
    case 'beginTransferToAnotherAgent':
      return first === undefined ? undefined : profileProblem(first);
    case 'sendMessageToUser':
      return messageProblem(call.args);
    case 'agentTyping':
      return typeof first === 'boolean' ? undefined : 'agentTyping without a boolean';
    case 'updateAgentAvailability': {
      const { positionInQueue, estimatedWaitTime, message } = (first ?? {}) as Record<string, unknown>;
      if (!isCount(positionInQueue) || !isCount(estimatedWaitTime)) return 'a queue position or wait that is not a finite count';
      return message === undefined || isString(message) ? undefined : 'a queue message that is not text';
    }
    case 'updateCapabilities': {
      const caps = (first ?? {}) as Record<string, unknown>;
      const booleans = ['allowFileUploads', 'allowMultipleFileUploads'].every((key) => caps[key] === undefined || typeof caps[key] === 'boolean');
      const types = caps.allowedFileUploadTypes === undefined || isString(caps.allowedFileUploadTypes);
      return booleans && types ? undefined : `capabilities of the wrong types: ${JSON.stringify(caps)}`;
    }
    case 'updatePersistedState':
      return JSON.stringify(JSON.parse(JSON.stringify(first))) === JSON.stringify(first) ? undefined : 'persisted state that is not JSON';
    default:
      return undefined;
  }
}

/** The problems of every call, as `method: problem` lines (an empty list when all is well). */
export function hostCallProblems(calls: readonly Pick<RecordedCall, 'method' | 'args'>[]): string[] {
  return calls.flatMap((call) => {
    const problem = hostCallProblem(call);
    return problem ? [`${call.method}: ${problem}`] : [];
  });
}

/** The texts of the agent messages (`sendMessageToUser` calls, the library's own status lines left out) among `calls`. */
export function textsOf(calls: readonly Pick<RecordedCall, 'method' | 'args'>[]): string[] {
  return calls
    .filter((call) => call.method === 'sendMessageToUser')
    .map((call) => (call.args[0] as { output: { generic: { text?: string; agent_message_type?: string }[] } }).output.generic)
    .filter((generic) => !generic.every((item) => item.agent_message_type === 'system'))
    .map((generic) => generic.map((item) => item.text ?? '').join(' | '));
}

/**
 * A cheap assertion for property bodies that run thousands of times (jest's `expect` builds an Error per call):
 * throws with both values when `actual` and `expected` differ as JSON.
 */
export function same(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const b = JSON.stringify(expected);
  if (a !== b) throw new Error(`${what}: expected ${b.slice(0, 500)}, got ${a.slice(0, 500)}`);
}
