/**
 * rx-service-desk/testing: the fakes, recorders and marble helpers our own specs use, for yours.
 */
export { recordingCallback } from './recording-callback.js';
export type { RecordedCall, RecordingCallback, RecordingCallbackOptions } from './recording-callback.js';
export { FakeEmitter } from './fake-emitter.js';
export { ev, scriptedAdapter, silentVendor } from './scripted-adapter.js';
export type { ScriptedAdapter, ScriptedAdapterOptions } from './scripted-adapter.js';
export { FakeWebSocket, fakeSocketFactory } from './fake-web-socket.js';
export type { FakeSocketFactory } from './fake-web-socket.js';
export { trackingScheduler } from './tracking-scheduler.js';
export type { TrackingScheduler } from './tracking-scheduler.js';
export { BOOKKEEPING_CALLS, CHECKLIST, describeHostCall, hostLog } from './checklist.js';
export { VirtualPromise, settleAfter } from './twilio/virtual-promise.js';
export type { FakeTiming } from './twilio/virtual-promise.js';
export { FakeSdkObject, FakeTwilioClientBase, listenersOn } from './twilio/fake-base.js';
export type { FakeInit } from './twilio/fake-base.js';
export { FakeTwilioMedia, FakeTwilioParticipant, FakeTwilioTarget, FakeTwilioUser } from './twilio/fake-target.js';
export type { FakeJson, FakeParticipantInit, FakeTargetDialect } from './twilio/fake-target.js';
export { fakeWorld } from './twilio/fake-world.js';
export type { FakeWorld, FakeWorldOptions, FakeWorldParts } from './twilio/fake-world.js';
export { FakeChatChannel, FakeChatClient, FakeChatMember, FakeChatMessage, fakeTwilioChat } from './twilio/fake-chat.js';
export type { FakeTwilioChat, FakeTwilioChatOptions } from './twilio/fake-chat.js';
export {
  FakeConversation,
  FakeConversationsClient,
  FakeConversationsMessage,
  FakeParticipant,
  fakeTwilioConversations,
} from './twilio/fake-conversations.js';
export type { FakeTwilioConversations, FakeTwilioConversationsOptions } from './twilio/fake-conversations.js';
