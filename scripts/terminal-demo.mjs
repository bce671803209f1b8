// A scripted user talks to the simulated desk through the real pipeline; every host callback is printed with its
// time. Runs on the built package (dist/): `npm run demo:terminal` builds it first.
import { createServiceDesk } from '../dist/index.js';
import { simulatedDesk } from '../dist/simulator.js';

const started = Date.now();
const stamp = () => `+${((Date.now() - started) / 1000).toFixed(2)}s`.padStart(8);
const print = (who, text) => process.stdout.write(`${stamp()}  ${who.padEnd(6)} ${text}\n`);
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const describe = (method, args) => {
  switch (method) {
    case 'updateAgentAvailability':
      return `you are number ${args[0].positionInQueue} in the queue (about ${args[0].estimatedWaitTime} min)`;
    case 'agentJoined':
      return `${args[0].nickname} joined the chat`;
    case 'beginTransferToAnotherAgent':
      return `transfer started${args[0] ? ` to ${args[0].nickname}` : ''}`;
    case 'sendMessageToUser':
      return `message: ${args[0].output.generic.map((item) => item.text ?? `[${item.response_type}]`).join(' ')}`;
    case 'agentTyping':
      return args[0] ? 'agent is typing...' : 'agent stopped typing';
    case 'agentReadMessages':
      return 'agent read your messages';
    case 'setErrorStatus':
      return `error status ${JSON.stringify(args[0])}`;
    default:
      return method;
  }
};

let agent = '';
let onEnded;
const ended = new Promise((resolve) => (onEnded = resolve));
const waiters = [];
const waitFor = (predicate) => new Promise((resolve) => waiters.push({ predicate, resolve }));

// A Carbon AI Chat-like host callback: each call returns a Promise, and is printed.
const callback = new Proxy(
  { persistedState: () => undefined, updatePersistedState: () => undefined },
  {
    get(target, method) {
      if (method in target) return target[method];
      return async (...args) => {
        if (method === 'updateCapabilities') return;
        if (method === 'agentJoined') agent = args[0].nickname;
        print(method === 'sendMessageToUser' ? agent || 'desk' : 'desk', describe(method, args));
        for (const waiter of waiters.splice(0)) {
          if (waiter.predicate(method, args)) waiter.resolve();
          else waiters.push(waiter);
        }
        if (method === 'agentEndedChat') onEnded();
      };
    },
  },
);

const messageIs = (pattern) => (method, args) =>
  method === 'sendMessageToUser' && pattern.test(JSON.stringify(args[0]));

const desk = createServiceDesk(
  simulatedDesk({ engine: { timing: { queueStepMs: 600, readMs: 150, typingStartMs: 250, replyMs: 700, transferMs: 800 } } }),
  { callback },
);

const say = async (text) => {
  print('user', text);
  await desk.sendMessageToAgent({ input: { text } }, `user-${Date.now()}`);
};

print('user', 'asks the assistant for a human agent');
await desk.startChat({
  output: { generic: [{ response_type: 'connect_to_agent', message_to_human_agent: 'The user wants to change a booking.' }] },
});
await waitFor(messageIs(/How can I help/));
await desk.userTyping(true);
await wait(300);
await say('Hello! I need to move my flight to Friday.');
await desk.userTyping(false);
await waitFor(messageIs(/You said/));
await say('transfer');
await waitFor(messageIs(/Bob here/));
await say('Thanks Bob. Can you send me the form?');
await waitFor(messageIs(/You said/));
await say('end');
await ended;
print('desk', 'chat over');
process.exit(0);
