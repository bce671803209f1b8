import { WebSocket } from 'ws';
import { createServiceDesk } from '../../../lib/core/desk';
import { genesysWebMessaging, wsSocketFactory, type GenesysWebMessagingOptions } from '../../../lib/adapters/genesys';
import { middlewareClient } from '../../../lib/client';
import { startGenesysSimulator, type GenesysSimulator } from '../../../lib/simulator/genesys';
import { CHECKLIST, hostLog, recordingCallback, trackingScheduler } from '../../../lib/testing';
import { handoff, shownTexts } from './helpers';

// The one real-socket smoke test of Genesys: the real adapter over ws and HTTP on 127.0.0.1 against the simulator's
// ws shell, on the wall clock. Everything else runs in virtual time on the in-memory desk (scenarios.spec.ts). The
// waits here poll for what the sockets did; no test waits for time to pass.

/** Polls until `check` holds, failing with `what` after `timeoutMs`. */
async function waitFor(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

let sim: GenesysSimulator;

beforeEach(async () => {
  sim = await startGenesysSimulator();
});

afterEach(async () => {
  await sim.close();
});

function realDesk(adapter: Partial<GenesysWebMessagingOptions> = {}) {
  const timers = trackingScheduler();
  const host = recordingCallback({ host: 'carbon' });
  const desk = createServiceDesk(
    genesysWebMessaging({
      deploymentId: sim.deploymentId,
      webSocketUrl: sim.url,
      apiUrl: sim.httpUrl,
      socketFactory: wsSocketFactory(WebSocket, { origin: 'http://127.0.0.1:5173' }),
      heartbeatMs: 1_000,
      ...adapter,
    }),
    { callback: host.callback },
    { scheduler: timers.scheduler, retry: { initialDelayMs: 20, maxDelayMs: 100, maxRetries: 8, factor: 2, jitter: 0 } },
  );
  return { desk, host, timers };
}

describe('Genesys Web Messaging over real sockets (smoke)', () => {
  it('a whole chat: summary, join, messages both ways, a file, a drop and its gap, the user ends; nothing left', async () => {
    const { desk, host, timers } = realDesk();
    await desk.startChat(handoff());
    expect((await sim.nextGuestMessage()).text).toBe('User needs help with a refund');
    sim.join('Ann');
    await waitFor(() => shownTexts(host).length === 1, 'the join');
    await desk.sendMessageToAgent({ input: { text: 'my order is late' } }, 'u1');
    const file = Object.assign(new Blob(['%PDF-1.4 receipt'], { type: 'application/pdf' }), { name: 'receipt.pdf' });
    await desk.sendMessageToAgent({ input: { text: 'the receipt' } }, 'u2', { filesToUpload: [{ id: 'f1', file }] });
    await waitFor(() => sim.guestMessages.length === 4, 'the file message');
    const uploaded = sim.guestMessages[3]?.attachments[0];
    expect(await (await fetch(uploaded?.url ?? '')).text()).toBe('%PDF-1.4 receipt');
    sim.drop();
    sim.say('while down');
    await waitFor(() => shownTexts(host).length === 2, 'the gap filled from the history');
    sim.say('after');
    await waitFor(() => shownTexts(host).length === 3, 'the live message');
    expect(shownTexts(host)).toEqual(['Hello, this is Ann. How can I help?', 'while down', 'after']);
    expect(sim.guestMessages.map((message) => message.text)).toEqual(['User needs help with a refund', 'my order is late', 'the receipt', '']);
    await desk.endChat();
    await waitFor(() => sim.connections === 0, 'the socket to close');
    expect(timers.live).toBe(0);
  });

  it('plugs the middleware client answers straight into the adapter options', async () => {
    const paths: string[] = [];
    const answers: Record<string, unknown> = {
      '/genesys/availability': { online: true, agentsOnQueue: 2, waiting: 5, waitMinutes: 4 },
      '/genesys/auth-code': { code: 'signed-identity' },
    };
    const fakeFetch = (async (input: string | URL | Request) => {
      const url = new URL(String(input));
      paths.push(url.pathname);
      const body = url.pathname === '/genesys/agent-profile' ? { id: 'u-7', nickname: 'Ann Smith', avatarUrl: 'https://example.com/ann.png' } : answers[url.pathname];
      return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
    }) as typeof fetch;
    const api = middlewareClient({ baseUrl: 'https://middleware.example', fetch: fakeFetch });
    const { desk, host } = realDesk({
      checkAvailability: () => api.genesysAvailability(),
      queuePollMs: 1_000,
      lookupProfile: ({ messageId }) => api.genesysAgentProfile(messageId),
      getAuthCode: async () => (await api.genesysAuthCode()).code,
    });
    await expect(desk.areAnyAgentsOnline(handoff())).resolves.toBe(true);
    await desk.startChat(handoff());
    await waitFor(() => host.callsOf('updateAgentAvailability').length > 0, 'a queue update');
    sim.join('Ann');
    await waitFor(() => shownTexts(host).length >= 1, 'the join');
    expect(hostLog(host).slice(0, 2)).toEqual(['updateAgentAvailability({"estimatedWaitTime":4})', ...CHECKLIST.firstJoin('Ann Smith')]);
    expect(host.callsOf('agentJoined')[0]?.args[0]).toMatchObject({ nickname: 'Ann Smith', profile_picture_url: 'https://example.com/ann.png' });
    expect(paths).toEqual(expect.arrayContaining(['/genesys/availability', '/genesys/auth-code', '/genesys/agent-profile']));
    await desk.endChat();
  });
});
