import { createServiceDesk } from '../../../lib/core/desk';
import { silentLogger } from '../../../lib/core/logger';
import { middlewareClient } from '../../../lib/client';
import { twilioConversations } from '../../../lib/adapters/twilio-conversations';
import { firstValueFrom, filter } from 'rxjs';
import { hostLog, recordingCallback, CHECKLIST, type HostMethod, type RecordingCallback } from '../../../lib/testing';
import { fakeTwilioConversations } from '../../../lib/testing/twilio';

/** A middleware that answers the Twilio endpoints of the contract, recording what it was asked. */
function fakeMiddleware() {
  const asked: string[] = [];
  const bodies: unknown[] = [];
  let tokens = 0;
  const answer = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    asked.push(`${init?.method ?? 'GET'} ${url.replace('https://shop.example/desk', '')}`);
    if (typeof init?.body === 'string') bodies.push(JSON.parse(init.body));
    if (url.endsWith('/twilio/session')) return answer({ token: 'token-1', identity: 'guest-1', expiresAt: Date.now() + 3_600_000, conversationSid: 'CH0001' });
    if (url.endsWith('/twilio/token')) return answer({ token: `fresh-${++tokens}`, identity: 'guest-1', expiresAt: Date.now() + 3_600_000 });
    if (url.includes('/twilio/availability')) return answer({ online: true, agentsAvailable: 2, position: 1, waitMinutes: 3 });
    return answer({ error: { code: 'NOT_FOUND', message: 'no such endpoint' } }, 404);
  }) as typeof globalThis.fetch;
  return { fetch, asked, bodies };
}

/** Resolves once the desk has called `method` on the host (at once if it already has): the host's own signal. */
const hostCalled = (host: RecordingCallback, method: HostMethod) =>
  host.callsOf(method).length > 0 ? Promise.resolve() : firstValueFrom(host.calls$.pipe(filter((call) => call.method === method)));

describe('twilio-conversations with the middleware client', () => {
  it('gets the session, availability and a fresh token through rx-service-desk/client', async () => {
    const server = fakeMiddleware();
    const api = middlewareClient({ baseUrl: 'https://shop.example/desk', fetch: server.fetch });
    const world = fakeTwilioConversations();
    const host = recordingCallback({ host: 'carbon' });
    const adapter = twilioConversations({
      getSession: () => api.twilioSession('conversations', { friendlyName: 'Visitor' }),
      getToken: () => api.twilioToken('conversations').then((answer) => answer.token),
      checkAvailability: ({ session }) => api.twilioAvailability(session?.taskSid ? { taskSid: session.taskSid } : {}),
      createClient: world.createClient,
      queuePollMs: 60_000,
    });
    const desk = createServiceDesk(adapter, { callback: host.callback }, { logger: silentLogger });

    await expect(desk.areAnyAgentsOnline({ output: { generic: [] } })).resolves.toBe(true);
    await desk.startChat({ output: { generic: [{ response_type: 'connect_to_agent', message_to_human_agent: 'help' }] } });
    await hostCalled(host, 'updateAgentAvailability');
    world.conversation.add(world.agent('Ann'));
    await hostCalled(host, 'agentJoined');
    // The adapter answers tokenAboutToExpire with the middleware's token, given to the SDK's updateToken: await that call.
    const client = world.client!;
    const updateToken = client.updateToken.bind(client);
    const updated = new Promise((resolve) => {
      jest.spyOn(client, 'updateToken').mockImplementationOnce((token) => {
        const answer = updateToken(token);
        resolve(answer);
        return answer;
      });
    });
    client.tokenAboutToExpire();
    await updated;
    await desk.endChat();

    expect(world.clients.map((client) => client.token)).toEqual(['fresh-1']);
    expect(world.conversation.sent).toEqual(['help']);
    expect(hostLog(host)).toEqual(['updateAgentAvailability({"message":"You are number 1 in line. The wait is about 3 minutes."})', ...CHECKLIST.firstJoin('Ann')]);
    expect(server.asked).toEqual(['GET /twilio/availability', 'POST /twilio/session', 'GET /twilio/availability', 'POST /twilio/token']);
    expect(world.listenerCount()).toBe(0);
  });

  it('sends the routing and pre-chat context as preEngagement in POST /twilio/session (issue 12 item 1)', async () => {
    const server = fakeMiddleware();
    const api = middlewareClient({ baseUrl: 'https://shop.example/desk', fetch: server.fetch });
    const world = fakeTwilioConversations();
    const host = recordingCallback({ host: 'carbon' });
    const adapter = twilioConversations({
      getSession: (request) => api.twilioSession('conversations', { preEngagement: request?.context?.attributes }),
      createClient: world.createClient,
    });
    const desk = createServiceDesk(adapter, { callback: host.callback }, { logger: silentLogger });
    const connect = { response_type: 'connect_to_agent', message_to_human_agent: 'help', transfer_info: { additional_data: { queue: 'billing' } } };

    await desk.startChat({ output: { generic: [connect] } }, { preStartChatPayload: { plan: 'gold' } });
    await desk.endChat();

    expect(server.bodies).toEqual([{ kind: 'conversations', preEngagement: { queue: 'billing', plan: 'gold' } }]);
  });
});
