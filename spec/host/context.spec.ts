/** The routing and pre-chat context: one bounded, flat shape for every vendor, read once when a chat starts. */
import { NEVER, concat, of } from 'rxjs';
import { createServiceDesk } from '../../lib/core/desk';
import { createAdapter } from '../../lib/core/engine/engine';
import type { AdapterPort, PortRequest } from '../../lib/core/engine/port';
import { CHAT_CONTEXT_LIMITS, readChatContext } from '../../lib/host/context';
import { recordingCallback } from '../../lib/testing';
import { connectMessage, virtualTime } from '../support/virtual';

function capture() {
  const warnings: unknown[][] = [];
  const logger = { debug() {}, info() {}, error() {}, warn: (...args: unknown[]) => void warnings.push(args) };
  return { logger, warnings };
}

describe('readChatContext', () => {
  it('flattens additional_data and the pre-chat payload into text attributes; the assistant wins a clash', () => {
    const { logger } = capture();
    const context = readChatContext(
      { transferInfo: { additional_data: { queue: 'billing', skill: 'de' } }, startPayload: { queue: 'x', orders: 3, vip: false, nested: { a: 1 }, list: [1] } },
      logger,
    );
    expect(context.attributes).toEqual({ queue: 'billing', skill: 'de', orders: '3', vip: 'false' });
  });

  it('leaves out bad key names, prototype keys, long values, and anything past the count and byte bounds, logging key names only', () => {
    const { logger, warnings } = capture();
    const payload = JSON.parse('{"__proto__": "x", "ok": "yes", "bad key": "v", "1st": "v", "long": "' + 'x'.repeat(300) + '", "secret": "' + 'y'.repeat(300) + '"}') as Record<string, unknown>;
    const context = readChatContext({ startPayload: payload }, logger);
    expect(context.attributes).toEqual({ ok: 'yes' });
    expect(Object.getPrototypeOf(context.attributes)).toBe(Object.prototype);
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings)).not.toContain('xxx');
    expect(warnings[0]?.[1]).toEqual({ keys: ['__proto__', 'bad key', '1st', 'long', 'secret'] });

    const many = Object.fromEntries(Array.from({ length: 40 }, (_value, index) => [`k${index}`, 'v']));
    expect(Object.keys(readChatContext({ startPayload: many }, logger).attributes)).toHaveLength(CHAT_CONTEXT_LIMITS.maxAttributes);
    const big = Object.fromEntries(Array.from({ length: 20 }, (_value, index) => [`k${index}`, 'v'.repeat(200)]));
    const kept = readChatContext({ startPayload: big }, logger).attributes;
    expect(new TextEncoder().encode(JSON.stringify(kept)).length).toBeLessThanOrEqual(CHAT_CONTEXT_LIMITS.maxTotalBytes);
    expect(Object.keys(kept).length).toBeGreaterThan(5);
  });

  it('a payload that is not an object keeps no attributes but stays available as preChat', () => {
    const { logger } = capture();
    expect(readChatContext({ startPayload: 'plain' }, logger)).toEqual({ attributes: {}, preChat: 'plain' });
    expect(readChatContext({}, logger)).toEqual({ attributes: {} });
  });
});

describe('the context reaches a port built on the engine', () => {
  it('PortRequest.context is what the desk read', () => {
    const { scheduler, flush } = virtualTime();
    const requests: PortRequest<unknown>[] = [];
    const port: AdapterPort<unknown> = {
      name: 'ctx',
      open: (request) => {
        requests.push(request);
        return { connect: () => concat(of({ type: 'connected' as const }), NEVER), sendMessage: () => of(undefined) };
      },
    };
    const host = recordingCallback({ host: 'carbon', scheduler });
    const desk = createServiceDesk(createAdapter(port, {}), { callback: host.callback }, { scheduler });
    void desk.startChat(connectMessage(), { preStartChatPayload: { plan: 'gold' } });
    flush();
    expect(requests[0]?.context).toEqual({ attributes: { plan: 'gold' }, preChat: { plan: 'gold' } });
  });
});
