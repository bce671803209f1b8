/// <reference types="amazon-connect-chatjs" />
/**
 * The adapter's structural chatjs types (lib/adapters/amazon-connect/types.ts) accept the real SDK's declared types
 * (node_modules/amazon-connect-chatjs/dist/index.d.ts): if a chatjs release changes a signature the adapter relies
 * on, this file stops compiling (`npm test` runs tsc first).
 */
import type { ChatJs, ChatJsCustomerSession } from '../../../lib/adapters/amazon-connect';

type Accepts<Ours, Theirs extends Ours> = Theirs;

export type SessionFits = Accepts<ChatJsCustomerSession, connect.CustomerChatSession>;
export type ChatSessionFits = Accepts<ChatJs['ChatSession'], Pick<typeof connect.ChatSession, 'create'>>;

describe('amazon-connect-chatjs declared types', () => {
  it('are checked at compile time (this file compiles)', () => {
    expect(true).toBe(true);
  });
});
