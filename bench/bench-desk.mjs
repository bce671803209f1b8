// The vendor of the per-event, per-chat and load benchmarks: an EventEmitter per chat (the vendor SDK's channel),
// decoded by a port the way a vendor adapter on the engine decodes its SDK's events, and answering sends at once.
import { Observable, of } from 'rxjs';

/** The user's identity at the vendor: the vendor echoes the user's own messages, which a decoder skips. */
export const ME = 'guest-42';

/** The host's connect message (no summary). */
export const CONNECT = { output: { generic: [] } };

/** A vendor port over one chat's emitter (`memberJoined`, `messageAdded`, `typingStarted`, `typingEnded`). */
export function benchPort(channel) {
  return {
    name: 'bench desk',
    open: () => ({
      connect: () =>
        new Observable((subscriber) => {
          const on = (name, handler) => {
            channel.on(name, handler);
            subscriber.add(() => channel.off(name, handler));
          };
          on('memberJoined', (member) => subscriber.next({ type: 'agentJoined', agent: { id: member.identity, nickname: member.friendlyName } }));
          on('messageAdded', (message) => {
            if (message.author !== ME) {
              subscriber.next({ type: 'agentMessage', id: message.sid, text: message.body, agentId: message.author, sender: { nickname: message.friendlyName }, index: message.index });
            }
          });
          on('typingStarted', (member) => subscriber.next({ type: 'agentTyping', isTyping: true, agentId: member.identity }));
          on('typingEnded', (member) => subscriber.next({ type: 'agentTyping', isTyping: false, agentId: member.identity }));
          subscriber.next({ type: 'connected' });
        }),
      sendMessage: () => of(true),
    }),
  };
}
