import { twilioConversations } from '../../../lib/adapters/twilio-conversations';
import { fakeTwilioConversations } from '../../../lib/testing';
import type { KitWorld, TwilioKit } from '../twilio-common/kit';
import { twilioScenarios } from '../twilio-common/scenarios';

export const conversationsKit: TwilioKit = {
  name: 'twilio-conversations',
  nativeEnd: { signal: 'closedState', send: (world) => world.target.setState('closed') },
  markReadMethod: 'advanceLastReadMessageIndex',
  membersMethod: 'getParticipants',
  create: (m, world, options) => {
    const desk = fakeTwilioConversations({
      scheduler: m.scheduler,
      ...(world.latencyMs !== undefined ? { latencyMs: world.latencyMs } : {}),
      ...(world.init ? { init: world.init } : {}),
      ...(world.status ? { status: world.status as 'joined' } : {}),
    });
    const adapter = twilioConversations({ getSession: () => Promise.reject(new Error('unused')), ...options, createClient: desk.createClient });
    const kitWorld: KitWorld = {
      target: desk.conversation,
      get clients() {
        return desk.clients;
      },
      get client() {
        return desk.client;
      },
      session: desk.session,
      agent: desk.agent,
      customer: desk.customer,
      media: desk.media,
      listenerCount: desk.listenerCount,
    };
    return { world: kitWorld, adapter };
  },
};

twilioScenarios(conversationsKit);
