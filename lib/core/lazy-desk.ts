import type {
  AdditionalDataToAgent,
  EndChatInfo,
  HostFileUpload,
  HostMessageRequest,
  HostMessageResponse,
  HostState,
  ServiceDesk,
  ServiceDeskFactoryParameters,
  StartChatOptions,
} from '../host/types.js';
import type { ServiceDeskAdapter } from './adapter.js';
import type { RxServiceDesk, ServiceDeskOptions } from './desk.js';
import { ServiceDeskError, toServiceDeskError } from './errors.js';

/** Options of {@link lazyServiceDeskFactory}: those of `createServiceDesk`, with `name` required, and `resumable`. */
export interface LazyServiceDeskOptions extends ServiceDeskOptions {
  /** The integration name the host reports (1 to 40 characters). Required: the host asks for it before the adapter loads. */
  name: string;
  /**
   * Whether the adapter can resume a chat after a page reload (its `canResume`: the simulated desk, Genesys, Amazon
   * Connect, and the Twilio adapters given `getToken` can). The host reads whether the desk has `reconnect` when it creates the desk, before the adapter
   * loads, so the app says it here. `true`: the desk has `reconnect`, which loads the adapter and resumes (or answers
   * `false` when the adapter cannot). Default `false`: no `reconnect`, and the host warns that a reload ends the chat.
   */
  resumable?: boolean;
}

/** One call made before the desk loaded, replayed in order once it has. */
interface Queued {
  /** Part of the chat being started: dropped (`cancel`) when the user ends that chat before the desk loaded. */
  readonly chat: boolean;
  /** A state update, merged with the next ones until another call is queued. */
  readonly state?: HostState;
  run(desk: RxServiceDesk): void;
  /** The desk could not load. */
  fail?(error: ServiceDeskError): void;
  cancel?(): void;
}

/**
 * A `serviceDeskFactory` whose desk loads the library's session and the vendor adapter with `import()` only when
 * they are needed (`startChat`, `reconnect`, `areAnyAgentsOnline`, a message without a chat), so that a page
 * downloads a small shell until then. Calls made while it loads are replayed in order; `endChat` while it loads
 * cancels the chat before the vendor hears of it; a failed load rejects `startChat` with a `CONNECT_FAILED` error
 * (the host then shows it as a failed connection), and the next `startChat` tries again.
 *
 * @example
 * import { lazyServiceDeskFactory } from 'rx-service-desk/lazy';
 *
 * const config = {
 *   serviceDeskFactory: lazyServiceDeskFactory(() => import('rx-service-desk/simulator').then((m) => m.simulatedDesk()), {
 *     name: 'Simulated desk',
 *     resumable: true,
 *   }),
 * };
 */
export function lazyServiceDeskFactory(
  load: () => Promise<ServiceDeskAdapter>,
  options: LazyServiceDeskOptions,
): (parameters: ServiceDeskFactoryParameters) => Promise<ServiceDesk> {
  const { resumable = false, ...deskOptions } = options;
  const name = typeof options.name === 'string' ? options.name.trim() : '';
  if (!name || name.length > 40) {
    throw new ServiceDeskError('CONFIG', `The desk name must be 1 to 40 characters (got "${name}"): set options.name.`);
  }
  return async (parameters) => lazyDesk(load, parameters, { ...deskOptions, name }, resumable);
}

function lazyDesk(
  load: () => Promise<ServiceDeskAdapter>,
  parameters: ServiceDeskFactoryParameters,
  options: ServiceDeskOptions & { name: string },
  resumable: boolean,
): ServiceDesk {
  if (!parameters?.callback) {
    throw new ServiceDeskError('CONFIG', 'No host callback: pass the parameters the host gives serviceDeskFactory.');
  }
  const { name, logger } = options;
  let desk: RxServiceDesk | undefined;
  let loading = false;
  let queue: Queued[] = [];
  // A chat was started (or resumed) while the desk loads, and not ended.
  let chatQueued = false;
  let everStarted = false;

  const activate = (loaded: RxServiceDesk) => {
    if (!resumable && loaded.reconnect) logger?.warn(`${name}: the adapter can resume a chat after a reload; set resumable: true to offer it`);
    desk = loaded;
    // Calls made while the queue drains (the host answering a callback) queue behind it, so the order holds.
    for (let entry = queue.shift(); entry; entry = queue.shift()) {
      try {
        entry.run(loaded);
      } catch (error) {
        // One call the loaded desk refused (a host bug) must not hold back the calls queued after it.
        logger?.error(`${name}: a call made while the desk loaded failed`, { error });
        entry.fail?.(toServiceDeskError(error, 'CONFIG', `${name}: a call made while the desk loaded failed.`, false));
      }
    }
  };

  const fail = (error: unknown) => {
    loading = false;
    chatQueued = false;
    const failure = toServiceDeskError(error, 'CONNECT_FAILED', `Could not load ${name}: check the network and try again.`, true);
    // State updates wait for the next attempt; every other call fails.
    const failed = queue;
    queue = failed.filter((entry) => entry.state);
    for (const entry of failed) entry.fail?.(failure);
  };

  const enqueue = (entry: Queued) => {
    queue.push(entry);
    if (loading) return;
    loading = true;
    Promise.all([import('./desk.js'), load()])
      .then(([{ createServiceDesk }, adapter]) => createServiceDesk(adapter, parameters, options))
      .then(activate, fail);
  };

  /** Whether calls go to the loaded desk now: it has loaded and nothing waits before them. */
  const ready = (): RxServiceDesk | undefined => (queue.length === 0 ? desk : undefined);

  /** A call that only matters to a running chat: none before the desk loaded unless one is being started. */
  const duringChat = (run: (loaded: RxServiceDesk) => void) => {
    const now = ready();
    if (now) run(now);
    else if (desk || chatQueued) queue.push({ chat: true, run });
  };

  const lazy: ServiceDesk = {
    getName: () => name,

    startChat(connectMessage: HostMessageResponse, startChatOptions?: StartChatOptions) {
      const now = ready();
      if (now) return now.startChat(connectMessage, startChatOptions);
      everStarted = true;
      chatQueued = true;
      return new Promise<void>((resolve, reject) =>
        enqueue({ chat: true, run: (loaded) => resolve(loaded.startChat(connectMessage, startChatOptions)), fail: reject, cancel: resolve }),
      );
    },

    async endChat(info?: EndChatInfo) {
      const now = ready();
      if (now) return now.endChat(info);
      if (desk) return new Promise<void>((resolve) => queue.push({ chat: false, run: (loaded) => resolve(loaded.endChat(info)) }));
      if (!chatQueued) return;
      // Ended while the desk loads: the chat never reaches the vendor.
      chatQueued = false;
      const cancelled = queue.filter((entry) => entry.chat);
      queue = queue.filter((entry) => !entry.chat);
      for (const entry of cancelled) entry.cancel?.();
    },

    sendMessageToAgent(message: HostMessageRequest, messageID: string, additionalData?: AdditionalDataToAgent) {
      const now = ready();
      if (now) return now.sendMessageToAgent(message, messageID, additionalData);
      if (!desk && !chatQueued && everStarted) {
        return Promise.reject(new ServiceDeskError('NOT_CONNECTED', 'No chat with an agent is running: call startChat first.'));
      }
      // Without a chat ever started, the loaded desk tells the host that none runs.
      return new Promise<void>((resolve, reject) =>
        enqueue({
          chat: chatQueued,
          run: (loaded) => resolve(loaded.sendMessageToAgent(message, messageID, additionalData)),
          fail: reject,
          cancel: () => reject(new ServiceDeskError('NOT_CONNECTED', 'The chat ended before the message was sent.')),
        }),
      );
    },

    async userTyping(isTyping: boolean) {
      duringChat((loaded) => void loaded.userTyping(isTyping));
    },

    async userReadMessages() {
      duringChat((loaded) => void loaded.userReadMessages());
    },

    async screenShareStop() {
      duringChat((loaded) => void loaded.screenShareStop());
    },

    filesSelectedForUpload(uploads: HostFileUpload[]) {
      duringChat((loaded) => loaded.filesSelectedForUpload(uploads));
    },

    areAnyAgentsOnline(connectMessage: HostMessageResponse) {
      const now = ready();
      if (now) return now.areAnyAgentsOnline(connectMessage);
      return new Promise<boolean | null>((resolve) =>
        enqueue({
          chat: false,
          run: (loaded) => resolve(loaded.areAnyAgentsOnline(connectMessage)),
          fail: (error) => {
            logger?.warn(`${name}: availability check failed`, { error });
            resolve(options.agentsOnlineWhenUnknown ?? null);
          },
        }),
      );
    },

    updateState(state: HostState) {
      const now = ready();
      if (now) return now.updateState(state);
      const last = queue.at(-1);
      if (last?.state) Object.assign(last.state, state);
      else {
        const merged = { ...state };
        queue.push({ chat: false, state: merged, run: (loaded) => loaded.updateState(merged) });
      }
    },
  };
  if (!resumable) return lazy;

  const resume = (loaded: RxServiceDesk) => {
    if (loaded.reconnect) return loaded.reconnect();
    logger?.warn(`${name}: resumable is set but the adapter cannot resume a chat; not resuming`);
    return Promise.resolve(false);
  };
  const reconnect = () => {
    const now = ready();
    if (now) return resume(now);
    everStarted = true;
    chatQueued = true;
    return new Promise<boolean>((resolve) =>
      enqueue({
        chat: true,
        run: (loaded) => resolve(resume(loaded)),
        fail: (error) => {
          logger?.warn(`${name}: could not resume the chat`, { error });
          resolve(false);
        },
        cancel: () => resolve(false),
      }),
    );
  };
  return { ...lazy, reconnect };
}
