/**
 * The simulated desk on the demo server: one `SimulatedDeskEngine` shared by every chat page (over `/ws/desk`) and
 * every agent console (over `/ws/console`, plus `GET /api/conversations` and `POST /api/console`).
 */
import type { WebSocket } from 'ws';
import type { AgentContent } from '../../../lib/core/events.js';
import { DEFAULT_AGENTS, SimulatedDeskEngine, type EngineTiming, type SimAgent } from '../../../lib/simulator/index.js';
import type { ConsoleCommand, ConsoleUpdate, RichSample } from '../../shared/console-protocol.js';
import { answerCommand, sendJson } from '../http-util.js';
import { parseJson, toClientFrame, toConsoleCommand } from '../validate.js';
import { sendFrame, serveConsole } from '../ws-util.js';
import type { ServerVendor, VendorFactory } from './types.js';

/** Options of {@link simulatedVendor}. */
export interface SimulatedVendorOptions {
  /** The scripted agent's timing (see `DEFAULT_TIMING`). */
  timing?: Partial<EngineTiming>;
  agents?: readonly SimAgent[];
}

/** The WebSocket close code the server uses when the desk drops a chat connection. */
export const DESK_CLOSED = 4000;

/** Carries one chat page's WebSocket to the engine: JSON frames both ways, and a close on either side closes both. */
function bridgeDesk(socket: WebSocket, engine: SimulatedDeskEngine): void {
  const connection = engine.connect({
    frame: (frame) => sendFrame(socket, frame),
    // Close reasons are limited to 123 bytes.
    close: (reason) => socket.close(DESK_CLOSED, reason.slice(0, 120)),
  });
  socket.on('message', (data) => {
    const frame = toClientFrame(parseJson(String(data)));
    if (frame) connection.send(frame);
    else sendFrame(socket, { t: 'error', code: 'BAD_FRAME', message: 'The desk did not understand that frame.' });
  });
  socket.on('close', () => connection.close());
  socket.on('error', () => socket.terminate());
}

/** Runs one console command. `say` and `typing` take the chat over from the scripted agent first. */
function apply(engine: SimulatedDeskEngine, agents: readonly SimAgent[], command: ConsoleCommand, filesUrl: string): string | undefined {
  const conversation = engine.get(command.id);
  if (!conversation) return `no conversation "${command.id}"`;
  const agent = 'agentId' in command && command.agentId ? agents.find((candidate) => candidate.id === command.agentId) : undefined;
  if ('agentId' in command && command.agentId && !agent) return `no agent "${command.agentId}"`;
  if ((command.op === 'say' || command.op === 'rich' || (command.op === 'typing' && command.on)) && conversation.auto) engine.setAuto(command.id, false);
  switch (command.op) {
    case 'join':
      engine.join(command.id, agent);
      break;
    case 'say':
      engine.say(command.id, command.text);
      break;
    case 'typing':
      engine.setTyping(command.id, command.on);
      break;
    case 'read':
      engine.markRead(command.id);
      break;
    case 'transfer':
      engine.transfer(command.id, agent);
      break;
    case 'queue':
      engine.setQueue(command.id, command.position, command.waitMinutes);
      break;
    case 'drop':
      engine.dropConnection(command.id, command.outageMs);
      break;
    case 'end':
      engine.end(command.id);
      break;
    case 'auto':
      engine.setAuto(command.id, command.on);
      break;
    case 'rich':
      engine.say(command.id, RICH_TEXT[command.kind], undefined, [richSample(command.kind, filesUrl)]);
      break;
    case 'share':
      if (command.on) engine.requestScreenShare(command.id);
      else engine.endScreenShare(command.id);
      break;
  }
  return undefined;
}

const RICH_TEXT: Readonly<Record<RichSample, string>> = {
  file: 'Here is your invoice.',
  image: 'This is where the reset button is.',
  error: '',
  options: '',
};

/** A sample of each kind of rich content; files served by the demo itself (its CSP allows only its own origin). */
function richSample(kind: RichSample, filesUrl: string): AgentContent {
  switch (kind) {
    case 'file':
      return { kind: 'file', url: `${filesUrl}claim-form.pdf`, name: 'claim-form.pdf', mimeType: 'application/pdf' };
    case 'image':
      return { kind: 'image', url: `${filesUrl}router.svg`, altText: 'The back of a router, the reset button circled', title: 'Reset button' };
    case 'error':
      return { kind: 'error', text: 'Your last file could not be scanned and was not delivered to the agent.' };
    case 'options':
      return { kind: 'options', title: 'What would you like to do?', options: [{ label: 'Track my order', value: 'Track my order' }, { label: 'Talk about billing', value: 'Talk about billing' }] };
  }
}

/**
 * The simulated desk as a demo vendor. The agents' files are served by the demo itself (`/files/`), so nothing the
 * chat shows comes from elsewhere.
 *
 * @example
 * const vendors = { simulated: simulatedVendor({ timing: { queueStepMs: 500 } }) };
 */
export function simulatedVendor(options: SimulatedVendorOptions = {}): VendorFactory {
  return ({ origin }): ServerVendor => {
    const agents = options.agents?.length ? options.agents : DEFAULT_AGENTS;
    const engine = new SimulatedDeskEngine({
      fileBaseUrl: `${origin}/files/`,
      agents,
      ...(options.timing ? { timing: options.timing } : {}),
    });
    const consoles = new Set<WebSocket>();
    // The console protocol sends whole conversations: read one only when a console is open.
    const changes = engine.changes$.subscribe(({ id }) => {
      const conversation = consoles.size > 0 ? engine.get(id) : undefined;
      if (!conversation) return;
      const update: ConsoleUpdate = { t: 'conversation', conversation };
      for (const socket of consoles) sendFrame(socket, update);
    });
    const command = (value: unknown): string | undefined => {
      const parsed = toConsoleCommand(value);
      return typeof parsed === 'string' ? parsed : apply(engine, agents, parsed, `${origin}/files/`);
    };

    return {
      client: { deskPath: '/ws/desk' },
      sockets: {
        '/ws/desk': (socket) => bridgeDesk(socket, engine),
        '/ws/console': (socket) => serveConsole(socket, consoles, { t: 'hello', conversations: engine.list(), agents }, command),
      },
      route: async (request, response, url) => {
        if (url.pathname === '/api/conversations' && request.method === 'GET') {
          sendJson(response, 200, { conversations: engine.list(), agents });
          return true;
        }
        if (url.pathname === '/api/console' && request.method === 'POST') {
          await answerCommand(request, response, command);
          return true;
        }
        return false;
      },
      close: () => {
        changes.unsubscribe();
        for (const socket of consoles) socket.close(1001, 'server stopping');
        engine.dispose();
      },
    };
  };
}
