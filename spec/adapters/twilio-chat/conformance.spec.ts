import { twilioChat } from '../../../lib/adapters/twilio-chat';
import { describeAdapterConformance } from '../../../lib/testing';
import { fakeTwilioChat } from '../../../lib/testing/twilio';
import { twilioConformanceHarness } from '../twilio-common/conformance';

describeAdapterConformance(
  twilioConformanceHarness({
    name: 'twilio-chat',
    world: (scheduler) => fakeTwilioChat({ scheduler, latencyMs: 2, init: 'manual' }),
    adapter: (options) => twilioChat(options),
    end: (world) => world.target.markInactive(),
    markReadMethod: 'advanceLastConsumedMessageIndex',
    cannot: {
      agentLeaves: 'in legacy Flex chat the last agent leaving ends the chat (endWhenAgentLeaves, on by default for twilio-chat)',
    },
  }),
  { describe, it, expect },
);
