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

  it('the SDK constructor fits createClient', () => {
    const create: (token: string) => ConversationsClientLike = (token) => ({ token }) as unknown as Client;
    expect(typeof create).toBe('function');
  });
});
