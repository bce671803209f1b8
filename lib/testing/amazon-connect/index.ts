/**
 * rx-service-desk/testing/amazon-connect: a fake `amazon-connect-chatjs` over the participant simulator core, in
 * virtual time, for your specs of the Amazon Connect adapter.
 */
export { fakeChatJs } from './fake-chatjs.js';
export type { FakeChatJs, FakeChatJsOptions } from './fake-chatjs.js';
