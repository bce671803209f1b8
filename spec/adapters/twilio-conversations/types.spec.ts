import type { TwilioConversationsOptions } from '../../../lib/adapters/twilio-conversations';
import type { Client, Conversation, Message, Participant } from '@twilio/conversations';
import type { ConversationLike, ConversationsClientLike, ConversationsMessageLike, ConversationsParticipantLike } from '../../../lib/adapters/twilio-conversations/types';

// Compile-time proof (npx tsc) that the real SDK objects fit what the adapter asks for: `createClient` can return a
// real `Client`, and the fakes in rx-service-desk/testing are typed against the same declarations.
type Fits<Real, Like> = Real extends Like ? true : false;
const proofs: [Fits<Client, ConversationsClientLike>, Fits<Conversation, ConversationLike>, Fits<Participant, ConversationsParticipantLike>, Fits<Message, ConversationsMessageLike>] = [true, true, true, true];

describe('twilio-conversations types', () => {
  it('accepts the real SDK classes', () => {
    expect(proofs).toEqual([true, true, true, true]);
  });

  it('the SDK constructor fits createClient, with the log level the adapter passes', () => {
    // Never called: the SDK is not loaded at run time here, only its types are checked.
    const Sdk = null as unknown as typeof Client;
    const create: TwilioConversationsOptions['createClient'] = (token, clientOptions) => new Sdk(token, clientOptions);
    expect(typeof create).toBe('function');
  });
});
