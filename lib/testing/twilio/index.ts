/**
 * rx-service-desk/testing/twilio: fakes of the Twilio Programmable Chat and Conversations SDK objects, typed from the
 * SDKs' own declarations (install `twilio-chat` and/or `@twilio/conversations` to type-check against them).
 */
export { FakeSdkObject, FakeTwilioClientBase, listenersOn } from './fake-base.js';
export type { FakeConnectionListener, FakeInit } from './fake-base.js';
export { FakeTwilioMedia, FakeTwilioParticipant, FakeTwilioTarget, FakeTwilioUser } from './fake-target.js';
export type { FakeJson, FakeParticipantInit, FakeTargetDialect } from './fake-target.js';
export { fakeWorld } from './fake-world.js';
export type { FakeWorld, FakeWorldOptions, FakeWorldParts } from './fake-world.js';
export { FakeChatChannel, FakeChatClient, FakeChatMember, FakeChatMessage, fakeTwilioChat } from './fake-chat.js';
export type { FakeTwilioChat, FakeTwilioChatOptions } from './fake-chat.js';
export {
  FakeConversation,
  FakeConversationsClient,
  FakeConversationsMessage,
  FakeParticipant,
  fakeTwilioConversations,
} from './fake-conversations.js';
export type { FakeTwilioConversations, FakeTwilioConversationsOptions } from './fake-conversations.js';
