import type { TwilioChatOptions } from '../../../lib/adapters/twilio-chat';
import type { Channel, Client, Member, Message } from 'twilio-chat';
import type { ChatChannelLike, ChatClientLike, ChatMemberLike, ChatMessageLike } from '../../../lib/adapters/twilio-chat/types';

// Compile-time proof (npx tsc) that the real SDK objects fit what the adapter asks for: `createClient` can return a
// real `Client`, and the fakes in rx-service-desk/testing are typed against the same declarations.
type Fits<Real, Like> = Real extends Like ? true : false;
const proofs: [Fits<Client, ChatClientLike>, Fits<Channel, ChatChannelLike>, Fits<Member, ChatMemberLike>, Fits<Message, ChatMessageLike>] = [true, true, true, true];

describe('twilio-chat types', () => {
  it('accepts the real SDK classes', () => {
    expect(proofs).toEqual([true, true, true, true]);
  });

  it('the SDK constructor fits createClient, with the log level the adapter passes', () => {
    // Never called: the SDK is not loaded at run time here, only its types are checked.
    const Sdk = null as unknown as typeof Client;
    const create: TwilioChatOptions['createClient'] = (token, clientOptions) => new Sdk(token, clientOptions);
    expect(typeof create).toBe('function');
  });
});
