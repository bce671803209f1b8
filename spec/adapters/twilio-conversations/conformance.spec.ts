import { twilioConversations } from '../../../lib/adapters/twilio-conversations';
import { describeAdapterConformance } from '../../../lib/testing';
import { fakeTwilioConversations } from '../../../lib/testing/twilio';
import { twilioConformanceHarness } from '../twilio-common/conformance';

describeAdapterConformance(
  twilioConformanceHarness({
    name: 'twilio-conversations',
    world: (scheduler) => fakeTwilioConversations({ scheduler, latencyMs: 2, init: 'manual' }),
    adapter: (options) => twilioConversations(options),
    end: (world) => world.target.setState('closed'),
    markReadMethod: 'advanceLastReadMessageIndex',
  }),
  { describe, it, expect },
);
