import { twilioChat } from '../../../lib/adapters/twilio-chat';
import { fakeTwilioChat } from '../../../lib/testing';
import type { KitWorld, TwilioKit } from '../twilio-common/kit';
import { twilioScenarios } from '../twilio-common/scenarios';

export const chatKit: TwilioKit = {
  name: 'twilio-chat',
  nativeEnd: { signal: 'statusAttribute', send: (world) => world.target.markInactive() },
  markReadMethod: 'advanceLastConsumedMessageIndex',
  membersMethod: 'getMembers',
  create: (m, world, options) => {
    const chat = fakeTwilioChat({
      scheduler: m.scheduler,
      ...(world.latencyMs !== undefined ? { latencyMs: world.latencyMs } : {}),
      ...(world.init ? { init: world.init } : {}),
      ...(world.status ? { status: world.status as 'joined' } : {}),
    });
    const adapter = twilioChat({ getSession: () => Promise.reject(new Error('unused')), ...options, createClient: chat.createClient });
    const kitWorld: KitWorld = {
      target: chat.channel,
      get clients() {
        return chat.clients;
      },
      get client() {
        return chat.client;
      },
      session: chat.session,
      agent: chat.agent,
      customer: chat.customer,
      media: chat.media,
      listenerCount: chat.listenerCount,
    };
    return { world: kitWorld, adapter };
  },
};

twilioScenarios(chatKit);
