/**
 * Checks of what browsers send the demo server: a malformed frame or command is refused, never passed on (the desk
 * trusts the shapes it is given).
 */
import type { ClientFrame } from '../../lib/simulator/index.js';
import { RICH_SAMPLES, type ConsoleCommand } from '../shared/console-protocol.js';

type Fields = Record<string, unknown>;

const MAX_TEXT = 10_000;

const isRecord = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown, max = MAX_TEXT): value is string => typeof value === 'string' && value.length <= max;
const isId = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 200;
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const optional = (value: unknown, check: (value: unknown) => boolean) => value === undefined || check(value);

/** Parses JSON, or returns `undefined`. */
export function parseJson(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * A chat client's frame for the simulated desk, or `undefined` when it is not one.
 *
 * @example
 * toClientFrame(parseJson('{"t":"message","id":"m1","text":"hi"}')); // { t: 'message', id: 'm1', text: 'hi' }
 */
export function toClientFrame(value: unknown): ClientFrame | undefined {
  if (!isRecord(value)) return undefined;
  const frame = value as Fields & { t?: unknown };
  switch (frame.t) {
    case 'start':
      return Array.isArray(frame.summary) && frame.summary.every((line) => isText(line)) && optional(frame.userName, isText)
        ? (frame as ClientFrame)
        : undefined;
    case 'resume':
      return isId(frame.token) && isCount(frame.lastSeq) ? (frame as ClientFrame) : undefined;
    case 'message':
      return isId(frame.id) && isText(frame.text) ? (frame as ClientFrame) : undefined;
    case 'file':
      return isId(frame.id) && isText(frame.name, 500) && isCount(frame.size) && isText(frame.mimeType, 200) ? (frame as ClientFrame) : undefined;
    case 'typing':
      return typeof frame.on === 'boolean' ? (frame as ClientFrame) : undefined;
    case 'read':
    case 'end':
      return frame as ClientFrame;
    case 'screenShare':
      return SCREEN_SHARE_ANSWERS.includes(frame.answer as string) ? (frame as ClientFrame) : undefined;
    default:
      return undefined;
  }
}

const SCREEN_SHARE_ANSWERS: readonly string[] = ['accepted', 'declined', 'cancelled', 'timedOut', 'unsupported', 'stopped'];

/**
 * An agent console's command, or the reason it is refused.
 *
 * @example
 * toConsoleCommand({ op: 'say', id: 'conv-1', text: 'Hello' }); // the command
 * toConsoleCommand({ op: 'say', id: 'conv-1' }); // 'a "say" command needs ...'
 */
export function toConsoleCommand(value: unknown): ConsoleCommand | string {
  if (!isRecord(value) || !isId(value.id)) return 'a command needs an "op" and the conversation "id"';
  const command = value as Fields & { op?: unknown };
  const valid = (() => {
    switch (command.op) {
      case 'join':
      case 'transfer':
        return optional(command.agentId, isId);
      case 'say':
        return isText(command.text) && command.text.trim().length > 0;
      case 'typing':
      case 'auto':
        return typeof command.on === 'boolean';
      case 'queue':
        return isCount(command.position) && optional(command.waitMinutes, isCount);
      case 'drop':
        return optional(command.outageMs, (ms) => isCount(ms) && (ms as number) <= 60_000);
      case 'read':
      case 'end':
        return true;
      case 'rich':
        return (RICH_SAMPLES as readonly unknown[]).includes(command.kind);
      case 'share':
        return typeof command.on === 'boolean';
      default:
        return undefined;
    }
  })();
  if (valid === undefined) return `unknown op "${String(command.op)}"`;
  return valid ? (command as ConsoleCommand) : `a "${String(command.op)}" command has missing or malformed fields`;
}
