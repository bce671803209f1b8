import { createLogger, redact } from '../../lib/core/logger';

function sink() {
  const lines: { level: string; args: unknown[] }[] = [];
  const write = (level: string) => (...args: unknown[]) => lines.push({ level, args });
  return { lines, sink: { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') } };
}

describe('logger', () => {
  it('is quiet by default: errors only', () => {
    const out = sink();
    const logger = createLogger({ sink: out.sink });
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(out.lines.map((line) => line.level)).toEqual(['error']);
  });

  it('writes from the chosen level up, with a prefix', () => {
    const out = sink();
    const logger = createLogger({ level: 'info', sink: out.sink, prefix: '[test]' });
    logger.debug('d');
    logger.info('joined', { channelSid: 'CH1' });
    expect(out.lines).toEqual([{ level: 'info', args: ['[test] joined', { channelSid: 'CH1' }] }]);
    createLogger({ level: 'silent', sink: out.sink }).error('nothing');
    expect(out.lines).toHaveLength(1);
  });

  it('never writes tokens or secrets, and message bodies only at debug', () => {
    const out = sink();
    const logger = createLogger({ level: 'debug', sink: out.sink });
    const context = { token: 'eyJhbGciOi.secret.part', headers: { Authorization: 'Bearer abc' }, apiKey: 'k', text: 'my card is 4111', nested: [{ jwt: 'x', sid: 'MB1' }] };
    logger.info('sending', context);
    logger.debug('sending', context);
    const [info, debug] = out.lines.map((line) => JSON.stringify(line.args));
    for (const secret of ['eyJhbGciOi', 'Bearer abc', '"k"', '"x"']) {
      expect(info).not.toContain(secret);
      expect(debug).not.toContain(secret);
    }
    expect(info).not.toContain('4111');
    expect(info).toContain('MB1');
    expect(debug).toContain('4111');
  });

  it('redact keeps an error as name, message and code', () => {
    const error = Object.assign(new Error('boom'), { code: 'E1' });
    expect(redact({ error }, 'info')).toEqual({ error: { name: 'Error', message: 'boom', code: 'E1' } });
  });
});
