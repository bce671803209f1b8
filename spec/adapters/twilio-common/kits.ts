import { twilioChat } from '../../../lib/adapters/twilio-chat';
import { twilioConversations } from '../../../lib/adapters/twilio-conversations';
import { fakeTwilioChat, fakeTwilioConversations } from '../../../lib/testing/twilio';
import type { KitClock, KitWorldOptions, TwilioKit } from './kit';

/** The fake world's options from a kit's clock and world settings. */
const fakeOptions = (m: KitClock, world: KitWorldOptions) => ({
  scheduler: m.scheduler,
  ...(world.latencyMs !== undefined ? { latencyMs: world.latencyMs } : {}),
  ...(world.init ? { init: world.init } : {}),
  ...(world.status ? { status: world.status as 'joined' } : {}),
});

/** The Programmable Chat adapter over its fake SDK. */
export const chatKit: TwilioKit = {
  name: 'twilio-chat',
  nativeEnd: { signal: 'statusAttribute', send: (world) => world.target.markInactive() },
  markReadMethod: 'advanceLastConsumedMessageIndex',
  membersMethod: 'getMembers',
  create: (m, world, options) => {
    const chat = fakeTwilioChat(fakeOptions(m, world));
    const adapter = twilioChat({ getSession: () => Promise.reject(new Error('unused')), ...options, createClient: chat.createClient });
    return { world: chat, adapter };
  },
};

/** The Conversations adapter over its fake SDK. */
export const conversationsKit: TwilioKit = {
  name: 'twilio-conversations',
  nativeEnd: { signal: 'closedState', send: (world) => world.target.setState('closed') },
  markReadMethod: 'advanceLastReadMessageIndex',
  membersMethod: 'getParticipants',
  create: (m, world, options) => {
    const desk = fakeTwilioConversations(fakeOptions(m, world));
    const adapter = twilioConversations({ getSession: () => Promise.reject(new Error('unused')), ...options, createClient: desk.createClient });
    return { world: desk, adapter };
  },
};

/** Both Twilio adapters, for suites that run the same checks on each. */
export const TWILIO_KITS: readonly TwilioKit[] = [chatKit, conversationsKit];
