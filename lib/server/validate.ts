import { CHAT_CONTEXT_LIMITS, RESERVED_KEYS } from '../host/context.js';
import { badRequest } from './errors.js';
import { isDisplayName } from './identity.js';

/**
 * Reads a JSON body that must be an object with only the `allowed` keys (an unknown key is a 400, so typos surface).
 *
 * @example
 * const input = readObject(body, ['kind', 'friendlyName']);
 */
export function readObject(body: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (body === undefined) throw badRequest(`Send a JSON object body with ${allowed.map((key) => `"${key}"`).join(', ')}.`);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('The request body must be a JSON object.');
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw badRequest(`Unknown field(s): ${unknown.slice(0, 5).map((key) => JSON.stringify(key.slice(0, 40))).join(', ')}.`);
  return body as Record<string, unknown>;
}

/**
 * Reads query parameters that must be among `allowed`, each given at most once.
 *
 * @example
 * const { messageId } = readQuery(url.searchParams, ['messageId']);
 */
export function readQuery(query: URLSearchParams, allowed: readonly string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const key of new Set(query.keys())) {
    if (!allowed.includes(key)) throw badRequest(`Unknown query parameter ${JSON.stringify(key.slice(0, 40))}.`);
    const values = query.getAll(key);
    if (values.length > 1) throw badRequest(`Give "${key}" once.`);
    out[key] = values[0];
  }
  return out;
}

/**
 * An optional display name: absent, or 1-100 printable characters.
 *
 * @example
 * optionalDisplayName(input.friendlyName, 'friendlyName'); // 'Ada' | undefined
 */
export function optionalDisplayName(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (!isDisplayName(value)) throw badRequest(`"${field}" must be text of 1 to 100 printable characters.`);
  return value;
}

/** How deep a JSON value given by a browser may nest, and how many keys and values it may hold in all. */
const MAX_DEPTH = 8;
const MAX_NODES = 256;

/**
 * Checks the shape of a parsed JSON value without recursion, so that 5,000 nested arrays cannot overflow the stack of
 * a later `JSON.stringify`: throws a 400 when it nests deeper than {@link MAX_DEPTH} or holds more than
 * {@link MAX_NODES} keys and values, or has an object key that the chat context would refuse
 * ({@link CHAT_CONTEXT_LIMITS}.keyPattern, {@link RESERVED_KEYS}): what every vendor's attributes take.
 */
function checkShape(value: unknown, field: string): void {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  let nodes = 0;
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (next.value === null || typeof next.value !== 'object') continue;
    if (next.depth >= MAX_DEPTH) throw badRequest(`"${field}" must nest at most ${MAX_DEPTH} levels deep.`);
    if (!Array.isArray(next.value)) {
      const bad = Object.keys(next.value).find((key) => !CHAT_CONTEXT_LIMITS.keyPattern.test(key) || RESERVED_KEYS.has(key));
      if (bad !== undefined) {
        throw badRequest(`"${field}" has a key name that is not allowed: ${JSON.stringify(bad.slice(0, 40))} (letters, digits, _ . - and at most 64 characters, starting with a letter or _).`);
      }
    }
    const children = Object.values(next.value);
    nodes += children.length;
    if (nodes > MAX_NODES) throw badRequest(`"${field}" must have at most ${MAX_NODES} keys and values in all.`);
    for (const child of children) stack.push({ value: child, depth: next.depth + 1 });
  }
}

/**
 * An optional plain JSON object of at most `maxBytes` once serialised, nesting at most 8 levels and holding at most
 * 256 keys and values (checked before anything recursive runs on it).
 *
 * @example
 * optionalObject(input.preEngagement, 'preEngagement', 4096);
 */
export function optionalObject(value: unknown, field: string, maxBytes: number): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw badRequest(`"${field}" must be a JSON object.`);
  checkShape(value, field);
  if (Buffer.byteLength(JSON.stringify(value)) > maxBytes) throw badRequest(`"${field}" must be at most ${maxBytes} bytes of JSON.`);
  return value as Record<string, unknown>;
}
