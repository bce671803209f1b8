/** Log levels, from the most to the least verbose. `silent` logs nothing. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** A levelled logger. Context objects are redacted before they reach the sink. */
export interface Logger {
  debug(message: string, context?: Readonly<Record<string, unknown>>): void;
  info(message: string, context?: Readonly<Record<string, unknown>>): void;
  warn(message: string, context?: Readonly<Record<string, unknown>>): void;
  error(message: string, context?: Readonly<Record<string, unknown>>): void;
}

/** Where log lines go: `console` fits, and so does any object with these four methods. */
export type LogSink = Pick<Console, 'debug' | 'info' | 'warn' | 'error'>;

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** The least severe level written. Default `'error'`: quiet unless something is broken. */
  level?: LogLevel;
  /** Default `console`. */
  sink?: LogSink;
  /** Prefix of every line. Default `'[rx-service-desk]'`. */
  prefix?: string;
}

const RANK: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
const SECRET_KEY = /token|secret|password|passwd|authorization|jwt|api[-_]?key|credential|cookie|signature/i;
const BODY_KEY = /^(text|body|message|messageText|content|summary)$/i;

/**
 * Redacts a log context: values under secret-looking keys are always replaced, message bodies are kept only at
 * debug level. Exported for adapters that build their own log lines.
 *
 * @example
 * redact({ token: 'eyJ…', text: 'hi', sid: 'CH1' }, 'info'); // { token: '[redacted]', text: '[redacted]', sid: 'CH1' }
 */
export function redact(value: unknown, level: LogLevel, depth = 0): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, ...('code' in value ? { code: value.code } : {}) };
  }
  if (value === null || typeof value !== 'object' || depth > 4) return value;
  if (Array.isArray(value)) return value.map((item) => redact(item, level, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (SECRET_KEY.test(key)) out[key] = '[redacted]';
    else if (level !== 'debug' && BODY_KEY.test(key) && typeof item === 'string') out[key] = '[redacted]';
    else out[key] = redact(item, level, depth + 1);
  }
  return out;
}

/**
 * Creates a levelled logger that never writes secrets, and message bodies only at debug level.
 *
 * @example
 * const logger = createLogger({ level: 'debug' });
 * logger.info('channel joined', { channelSid: 'CH123', token: 'never printed' });
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = RANK[options.level ?? 'error'];
  const sink = options.sink ?? console;
  const prefix = options.prefix ?? '[rx-service-desk]';
  const write = (level: Exclude<LogLevel, 'silent'>) => (message: string, context?: Readonly<Record<string, unknown>>) => {
    if (RANK[level] < threshold) return;
    if (context === undefined) sink[level](`${prefix} ${message}`);
    else sink[level](`${prefix} ${message}`, redact(context, level));
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** A logger that drops everything. */
export const silentLogger: Logger = createLogger({ level: 'silent' });
