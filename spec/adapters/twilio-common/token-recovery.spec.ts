import { marbles } from 'rxjs-marbles/jest';
import { silentLogger } from '../../../lib/core/logger';
import { hostLog, settleAfter } from '../../../lib/testing';
import { CONNECT, scenario, type Scenario } from './kit';
import { TWILIO_KITS } from './kits';

/**
 * The longest a token recovery may take with the default options before the chat goes on or ends: three attempts
 * (`tokenRetries` 2), each bounded by `tokenTimeoutMs` (10 s), with the backoff between them (0.5 s, 1 s).
 */
const RETRY_BUDGET_MS = 3 * 10_000 + 500 + 1_000;

/** Fresh tokens `<prefix>-1`, `<prefix>-2`, … from getToken. */
function tokens(prefix: (n: number) => string) {
  let n = 0;
  return { getToken: () => settleAfter({}, () => ({ token: prefix(++n) })) };
}

/** Ann joins at 5; `trouble` at 11; Ann writes at `laterAt`. */
function play(s: Scenario, trouble: () => void, laterAt = 40_000): void {
  s.play('-----a-----b', { a: () => s.world.target.add(s.world.agent('Ann')), b: trouble });
  s.play(`${laterAt}ms c`, { c: () => s.world.target.deliver(s.world.target.createMessage('ann', 'still there?')) });
}

/** When the host was told the chat ended (-1: never). */
const endedAt = (s: Scenario) => s.host.calls.find((call) => call.method === 'agentEndedChat')?.at ?? -1;

describe.each(TWILIO_KITS)('$name: a token refresh ends or recovers within the retry budget', (kit) => {
  it('a refreshed token the desk denies again is followed by the next fresh one, and the chat goes on', marbles((m) => {
    const s = scenario(m, kit, tokens((n) => (n === 1 ? 'bad-1' : `good-${n}`)));
    play(s, () => {
      s.world.client!.accepts = (token) => !token.startsWith('bad');
      s.world.client!.tokenAboutToExpire();
    });
    void s.desk.startChat(CONNECT);
    m.flush();
    expect(s.world.client!.updatedTokens).toEqual(['bad-1', 'good-2']);
    expect(s.world.client!.connectionState).toBe('connected');
    expect(s.world.clients).toHaveLength(1);
    // The refused token is replaced at once: back within the disconnect grace, the user sees nothing.
    expect(hostLog(s.host)).toEqual(['agentJoined(Ann)', 'sendMessageToUser(still there?)']);
  }));

  it('a token the desk denies every time ends the chat with a token error within the retry budget', marbles((m) => {
    const failures: unknown[] = [];
    const logger = { ...silentLogger, warn: (_: string, context?: Readonly<Record<string, unknown>>) => failures.push(context?.['error']) };
    const s = scenario(m, kit, tokens((n) => `bad-${n}`), {}, { logger });
    play(s, () => {
      s.world.client!.accepts = (token) => !token.startsWith('bad');
      s.world.client!.tokenAboutToExpire();
    });
    void s.desk.startChat(CONNECT);
    m.flush();
    // The routine refresh, then the engine's first try and its two retries (tokenRetries).
    expect(s.world.client!.updatedTokens).toEqual(['bad-1', 'bad-2', 'bad-3', 'bad-4']);
    expect(endedAt(s)).toBeGreaterThan(11);
    expect(endedAt(s)).toBeLessThanOrEqual(11 + RETRY_BUDGET_MS);
    expect(failures.at(-1)).toMatchObject({ code: 'AUTH_FAILED', retryable: false, message: expect.stringMatching(/token/) });
    expect(s.world.listenerCount()).toBe(0);
  }));

  it('the desk denying the token in use (denied with a terminal connectionError) is cured with a fresh token', marbles((m) => {
    const s = scenario(m, kit, tokens((n) => `fresh-${n}`));
    play(s, () => s.world.client!.denyToken());
    void s.desk.startChat(CONNECT);
    m.flush();
    expect(s.world.client!.updatedTokens).toEqual(['fresh-1']);
    expect(s.world.client!.connectionState).toBe('connected');
    expect(hostLog(s.host)).toEqual(['agentJoined(Ann)', 'sendMessageToUser(still there?)']);
  }));

  it('an updateToken that never settles is given up after tokenTimeoutMs: later token signals are heard', marbles((m) => {
    const s = scenario(m, kit, tokens((n) => `fresh-${n}`));
    play(s, () => {
      s.world.client!.hangNext('updateToken');
      s.world.client!.tokenAboutToExpire();
    });
    s.play('20000ms a', { a: () => s.world.client!.tokenAboutToExpire() });
    void s.desk.startChat(CONNECT);
    m.flush();
    expect(s.world.client!.callsOf('updateToken')).toEqual([['fresh-1'], ['fresh-2']]);
    expect(s.world.client!.token).toBe('fresh-2');
    expect(hostLog(s.host)).toEqual(['agentJoined(Ann)', 'sendMessageToUser(still there?)']);
  }));

  it('a server close with no token event (401: disconnected) reconnects with a fresh token', marbles((m) => {
    const s = scenario(m, kit, tokens((n) => `fresh-${n}`));
    play(s, () => s.world.client!.closedByServer());
    void s.desk.startChat(CONNECT);
    m.flush();
    expect(s.world.client!.updatedTokens).toEqual(['fresh-1']);
    expect(s.world.client!.connectionState).toBe('connected');
    expect(hostLog(s.host)).toEqual(['agentJoined(Ann)', 'sendMessageToUser(still there?)']);
  }));

  it('a server close that no new token cures (getSession answers the same token) ends within the retry budget', marbles((m) => {
    const s = scenario(m, kit);
    play(s, () => s.world.client!.closedByServer(), 4 * 60 * 60 * 1000);
    void s.desk.startChat(CONNECT);
    m.flush();
    expect(s.world.client!.connectionState).toBe('disconnected');
    expect(endedAt(s)).toBeGreaterThan(11);
    expect(endedAt(s)).toBeLessThanOrEqual(11 + RETRY_BUDGET_MS);
    expect(s.world.listenerCount()).toBe(0);
  }));

  it('an expired token (disconnecting, tokenExpired, disconnected) reconnects with a fresh token, quietly', marbles((m) => {
    const s = scenario(m, kit, tokens((n) => `fresh-${n}`));
    play(s, () => s.world.client!.tokenExpired());
    void s.desk.startChat(CONNECT);
    m.flush();
    expect(s.world.client!.token).toBe('fresh-1');
    expect(s.world.client!.connectionState).toBe('connected');
    expect(hostLog(s.host)).toEqual(['agentJoined(Ann)', 'sendMessageToUser(still there?)']);
  }));
});
