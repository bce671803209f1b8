import { backoffDelay, DEFAULT_RETRY_POLICY } from '../../lib/core/backoff';
import { ServiceDeskError, isRetryable, toServiceDeskError } from '../../lib/core/errors';

describe('errors', () => {
  it('ServiceDeskError has a stable name, a code, retryable and a cause', () => {
    const cause = new Error('ECONNRESET');
    const error = new ServiceDeskError('CONNECT_FAILED', 'Could not reach the desk.', { retryable: true, cause, context: { attempt: 2 } });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'ServiceDeskError', code: 'CONNECT_FAILED', retryable: true, cause, context: { attempt: 2 } });
    expect(new ServiceDeskError('CONFIG', 'x').retryable).toBe(false);
  });

  it('unknown errors are retryable; a ServiceDeskError says for itself', () => {
    expect(isRetryable(new Error('socket hang up'))).toBe(true);
    expect(isRetryable('string')).toBe(true);
    expect(isRetryable(new ServiceDeskError('AUTH_FAILED', 'denied'))).toBe(false);
  });

  it('toServiceDeskError wraps with a message that keeps the detail, and keeps a ServiceDeskError as is', () => {
    const wrapped = toServiceDeskError(new Error('401'), 'AUTH_FAILED', 'The token was rejected.', false);
    expect(wrapped).toMatchObject({ code: 'AUTH_FAILED', message: 'The token was rejected. (401)', retryable: false });
    const original = new ServiceDeskError('SEND_FAILED', 'x');
    expect(toServiceDeskError(original, 'CONFIG', 'y')).toBe(original);
    expect(toServiceDeskError(undefined, 'CONFIG', 'y').message).toBe('y');
  });
});

describe('backoff', () => {
  it('grows exponentially, is capped, and takes the jitter off the top', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, initialDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0.5 };
    expect([1, 2, 3, 4, 5, 6].map((retry) => backoffDelay(retry, policy, () => 0))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect([1, 2, 3].map((retry) => backoffDelay(retry, policy, () => 1))).toEqual([50, 100, 200]);
    for (let i = 0; i < 100; i += 1) {
      const delay = backoffDelay(4, policy);
      expect(delay).toBeGreaterThanOrEqual(400);
      expect(delay).toBeLessThanOrEqual(800);
    }
  });
});
