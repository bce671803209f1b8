import {
  Subject,
  defer,
  distinctUntilChanged,
  exhaustMap,
  filter,
  from,
  concatMap,
  ignoreElements,
  map,
  of,
  skipWhile,
  switchMap,
  take,
  takeUntil,
  throttleTime,
  timeout,
  timer,
  catchError,
  EMPTY,
  Observable,
  type Subscription,
} from 'rxjs';
import type { HostFileUpload } from '../host/types.js';
import type { AdapterSession, OutgoingFile, ServiceDeskAdapter, SessionRequest } from './adapter.js';
import { backoffDelay, type RetryPolicy } from './backoff.js';
import { ServiceDeskError, isRetryable, toServiceDeskError } from './errors.js';
import type { Capabilities, DomainEvent } from './events.js';
import { validateUploads } from './files.js';
import { createNormalizer, type NormalizeStart, type NormalizedEmit } from './normalize.js';
import { consumeInto } from './operators.js';

/** A user message waiting in the outbound queue. */
export interface QueuedMessage {
  readonly id: string;
  readonly text: string;
  readonly files: readonly HostFileUpload[];
  /** Called once: with nothing when the text reached the vendor, with the error when it did not. */
  settle(error?: ServiceDeskError): void;
}

/** What the host asks of a running session: plain calls, ignored once the session is over. */
export interface SessionCommands {
  /** Queues a user message (sent after the ones before it). */
  send(message: QueuedMessage): void;
  typing(isTyping: boolean): void;
  read(): void;
  /** Checks files the user picked against what the chat takes (a `fileUploadStatus` error for each refused one). */
  filesSelected(uploads: readonly HostFileUpload[]): void;
  /** The user ends the chat: leave politely (bounded by `endTimeoutMs`), then stop. */
  end(): void;
}

/** A running session, from {@link runSessionInto}. */
export interface RunningSession extends SessionCommands {
  /** Stops at once: everything the adapter made is torn down; `finished` is not called. */
  stop(): void;
}

/** Timing and retry settings of a session (see `ServiceDeskOptions` for the defaults). */
export interface SessionOptions {
  readonly retry: RetryPolicy;
  readonly connectTimeoutMs: number;
  readonly sendTimeoutMs: number;
  readonly sendRetries: number;
  readonly endTimeoutMs: number;
  readonly typingThrottleMs: number;
  readonly maxTypingMs: number;
  readonly readThrottleMs: number;
  readonly random: () => number;
}

function toOutgoingFile(upload: HostFileUpload): OutgoingFile {
  const { file } = upload;
  return { id: upload.id, file, name: file.name, type: file.type || 'application/octet-stream', size: file.size };
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs one chat session and hands each normalised domain event (and its type) to `deliver`, synchronously and in
 * order, then calls `finished` once when the chat ends (agent, failure or user). It connects through the adapter with
 * bounded, jittered retries (and a connect timeout), reconnects after a retryable failure, sends user messages through
 * an ordered queue that waits while the connection is down, throttles typing and read receipts, and checks selected
 * files. When it ends, or on `stop()`, everything still running is torn down (the connection, a send in flight,
 * timers, the typing and read pipelines) and nothing more reaches `deliver`; queued messages not yet started are left
 * to the caller (the desk settles them). Written as plain state and callbacks, not operator chains: this is per chat,
 * per event and per message (heap and time, see docs/performance.md); the typing and read-receipt pipelines and file
 * uploads (rare) are RxJS.
 *
 * @example
 * const session = runSessionInto(adapter, request, options, {}, (event) => show(event.type), () => show('over'));
 * session.send({ id: 'm1', text: 'Hello', files: [], settle: () => {} });
 */
export function runSessionInto(
  adapter: ServiceDeskAdapter,
  request: SessionRequest,
  options: SessionOptions,
  start: NormalizeStart,
  deliver: NormalizedEmit,
  finished: () => void,
): RunningSession {
  const { scheduler, logger } = request;
  /** Teardowns of whatever runs (the connection, a send, a timer, a pipeline), run once at the end. */
  const teardowns = new Set<() => void>();
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    for (const teardown of teardowns) teardown();
    teardowns.clear();
  };
  /** Keeps `teardown` until it is run at the end or released (the work finished first); returns the release. */
  const hold = (teardown: () => void): (() => void) => {
    if (stopped) {
      teardown();
      return () => undefined;
    }
    teardowns.add(teardown);
    return () => teardowns.delete(teardown);
  };

  const normalizeStep = createNormalizer({
    ...start,
    ...(adapter.dedupesMessages ? { dedupe: false } : {}),
    onMalformed: (event) => logger.error('skipped a malformed domain event', { type: (event as { type?: unknown } | null)?.type }),
  });
  let over = false;
  const emit: NormalizedEmit = (event, type = event.type) => {
    // Nothing reaches the host after the end, whatever still answers late.
    if (over || stopped) return;
    over = type === 'chatEnded' || type === 'sessionFailed';
    try {
      deliver(event, type);
    } finally {
      if (over) {
        stop();
        finished();
      }
    }
  };
  // A malformed event (an adapter bug, a custom stream's mistake) is logged and skipped: it must not read as a
  // connection failure and reconnect, nor end the session.
  const process = (event: DomainEvent) => {
    try {
      normalizeStep(event, emit);
    } catch (error) {
      logger.error('skipped an event the session could not process', { type: (event as { type?: unknown } | null)?.type, error });
    }
  };

  let session: AdapterSession;
  try {
    session = adapter.open(request);
  } catch (error) {
    process({ type: 'sessionFailed', error: toServiceDeskError(error, 'CONFIG', `${adapter.name} could not open a session.`, false) });
    const ignore = () => undefined;
    return { send: ignore, typing: ignore, read: ignore, filesSelected: ignore, end: ignore, stop };
  }

  // --- online: sends and typing wait for it -----------------------------------------------------------------------
  let online = false;
  /** Sends waiting until the connection is up. */
  let waiting: (() => void)[] = [];
  const setOnline = (up: boolean) => {
    online = up;
    if (!up || waiting.length === 0) return;
    const ready = waiting;
    waiting = [];
    for (const go of ready) go();
  };
  /** Calls `go` once online (at once when online); returns the cancel. */
  const whenOnline = (go: () => void): (() => void) => {
    if (online) {
      go();
      return () => undefined;
    }
    waiting.push(go);
    return () => {
      waiting = waiting.filter((other) => other !== go);
    };
  };
  let capabilities: Partial<Capabilities> = { ...adapter.capabilities };

  // --- inbound: connect, retry, reconnect -----------------------------------------------------------------------
  let failures = 0;
  let everConnected = false;
  /** The connection attempt running: events of an older one are ignored. */
  let attempt: object | undefined;
  /** Ends the running attempt: its subscription and its connect deadline. */
  let closeAttempt: () => void = () => undefined;
  const connect = () => {
    const current = {};
    attempt = current;
    let connection: Subscription | undefined;
    let deadline: Subscription | undefined = scheduler.schedule(
      () => failed(current, new ServiceDeskError('CONNECT_TIMEOUT', `${adapter.name} did not answer within ${options.connectTimeoutMs} ms.`, { retryable: true })),
      options.connectTimeoutMs,
    );
    const up = () => {
      deadline?.unsubscribe();
      deadline = undefined;
    };
    const close = () => {
      up();
      connection?.unsubscribe();
    };
    const release = hold(close);
    closeAttempt = () => {
      release();
      close();
    };
    const inbound = (event: DomainEvent) => {
      switch (event.type) {
        case 'connected':
          up();
          failures = 0;
          everConnected = true;
          setOnline(true);
          break;
        case 'connectionRestored':
          setOnline(true);
          break;
        case 'connectionLost':
          setOnline(false);
          break;
        case 'capabilities':
          capabilities = { ...capabilities, ...event.capabilities };
          break;
      }
      process(event);
    };
    // The engine's events come straight from its ordered step (see consumeInto); a custom adapter's through its
    // observable.
    const subscription = consumeInto(session.events$, (event) => {
      if (attempt !== current) return;
      try {
        inbound(event);
      } catch (error) {
        failed(current, error);
      }
    }).subscribe({
      error: (error: unknown) => failed(current, error),
      complete: () => {
        if (attempt !== current) return;
        up();
        process({ type: 'chatEnded', reason: `${adapter.name} closed the session` });
      },
    });
    // An attempt that failed while subscribing is over: its subscription goes too.
    if (attempt === current && !stopped) connection = subscription;
    else subscription.unsubscribe();
  };
  /** The attempt `current` failed: reconnect after a backoff when the error is retryable and retries are left. */
  const failed = (current: object, error: unknown) => {
    if (attempt !== current || stopped) return;
    attempt = undefined;
    closeAttempt();
    setOnline(false);
    logger.warn(`${adapter.name}: connection failed`, { error, retryable: isRetryable(error) });
    if (everConnected && isRetryable(error)) process({ type: 'connectionLost', reason: reason(error) });
    failures += 1;
    if (!isRetryable(error) || failures > options.retry.maxRetries) {
      process({
        type: 'sessionFailed',
        error: everConnected
          ? toServiceDeskError(error, 'CONNECTION_LOST', `The connection to ${adapter.name} could not be restored.`)
          : toServiceDeskError(error, 'CONNECT_FAILED', `Could not connect to ${adapter.name}.`),
      });
      return;
    }
    const delay = backoffDelay(failures, options.retry, options.random);
    logger.info(`${adapter.name}: retry ${failures} of ${options.retry.maxRetries} in ${delay} ms`);
    const backoff = scheduler.schedule(() => {
      releaseBackoff();
      connect();
    }, delay);
    const releaseBackoff = hold(() => backoff.unsubscribe());
  };

  // --- outbound: one message at a time, in order, waiting while offline -------------------------------------
  /**
   * Runs a command once online, and again after a retryable failure (backoff, up to `sendRetries` more tries, each
   * waiting until online again): `done` on its first value or completion, `failed` with the last failure. Each try
   * gets `sendTimeoutMs` to answer (no timer when it answers at once). Returns the teardown.
   */
  const reliably = (run: () => Observable<unknown>, what: string, done: () => void, failed: (error: unknown) => void): (() => void) => {
    let tries = 0;
    /** Cancels the wait until online (a no-op once the try has started). */
    let cancelWait: () => void = () => undefined;
    let running: Subscription | undefined;
    let backoff: Subscription | undefined;
    let deadline: Subscription | undefined;
    const retry = (error: unknown) => {
      deadline?.unsubscribe();
      tries += 1;
      if (!isRetryable(error) || tries > options.sendRetries) {
        failed(error);
        return;
      }
      logger.info(`${what}: attempt ${tries + 1}`, { error });
      backoff = scheduler.schedule(() => {
        cancelWait = whenOnline(once);
      }, backoffDelay(tries, options.retry, options.random));
    };
    const once = () => {
      let answered = false;
      const succeed = () => {
        if (answered) return;
        answered = true;
        deadline?.unsubscribe();
        done();
      };
      let command: Observable<unknown>;
      try {
        command = run();
      } catch (error) {
        // A command that throws instead of returning an observable (a hand-written adapter): a failed try.
        answered = true;
        retry(error);
        return;
      }
      const subscription = command.subscribe({
        next: succeed,
        complete: succeed,
        error: (error: unknown) => {
          if (answered) return;
          answered = true;
          retry(error);
        },
      });
      if (answered) return;
      running = subscription;
      deadline = scheduler.schedule(() => {
        answered = true;
        subscription.unsubscribe();
        retry(new ServiceDeskError('SEND_FAILED', `${what}: no answer within ${options.sendTimeoutMs} ms.`, { retryable: true }));
      }, options.sendTimeoutMs);
    };
    cancelWait = whenOnline(once);
    return () => {
      cancelWait();
      running?.unsubscribe();
      backoff?.unsubscribe();
      deadline?.unsubscribe();
    };
  };

  /** Each file of a message in turn, reliably: one `fileUploadStatus` each. */
  const sendFiles = (uploads: readonly HostFileUpload[]): Observable<DomainEvent> =>
    from(uploads).pipe(
      concatMap((upload): Observable<DomainEvent> => {
        const sendFile = session.sendFile;
        if (!sendFile) return of({ type: 'fileUploadStatus', fileId: upload.id, error: `${adapter.name} does not take files.` });
        return new Observable<DomainEvent>((subscriber) =>
          reliably(
            () => sendFile.call(session, toOutgoingFile(upload)),
            'uploading a file',
            () => {
              subscriber.next({ type: 'fileUploadStatus', fileId: upload.id });
              subscriber.complete();
            },
            (error) => {
              logger.warn('a file upload failed', { fileId: upload.id, error });
              subscriber.next({ type: 'fileUploadStatus', fileId: upload.id, error: `${upload.file.name} could not be sent: ${reason(error)}` });
              subscriber.complete();
            },
          ),
        );
      }),
    );

  /**
   * Sends one queued message, its text then its files, reporting each outcome as an event; settles the message
   * (with the text's failure, if any) and calls `next`. The teardown settles a message not yet sent: the chat ended
   * first. Its error is built only then: building one per message cost more than the send itself.
   */
  const sendQueued = (message: QueuedMessage, next: () => void): (() => void) => {
    let failure: ServiceDeskError | undefined;
    let settled = false;
    let cancel: (() => void) | undefined;
    const settle = (error?: ServiceDeskError) => {
      if (settled) return;
      settled = true;
      message.settle(error);
    };
    const end = () => {
      settle(failure);
      next();
    };
    const afterText = () => {
      if (message.files.length === 0) {
        end();
        return;
      }
      const files = sendFiles(message.files).subscribe({ next: process, complete: end });
      cancel = () => files.unsubscribe();
    };
    if (message.text) {
      let textDone = false;
      const cancelText = reliably(
        () => session.sendMessage({ id: message.id, text: message.text }),
        'sending a message',
        () => {
          textDone = true;
          process({ type: 'messageSent', messageId: message.id });
          afterText();
        },
        (error) => {
          textDone = true;
          failure = toServiceDeskError(error, 'SEND_FAILED', 'The message could not be delivered.', false);
          logger.warn('a user message failed', { messageId: message.id, error: failure });
          process({ type: 'messageFailed', messageId: message.id, reason: failure.message });
          afterText();
        },
      );
      if (!textDone) cancel = cancelText;
    } else afterText();
    return () => {
      cancel?.();
      if (!settled) settle(new ServiceDeskError('NOT_CONNECTED', 'The chat ended before the message was sent.'));
    };
  };

  const queue: QueuedMessage[] = [];
  let sending = false;
  const sendNext = () => {
    // A loop, not recursion: a vendor that answers at once finishes each send inside `sendQueued`.
    while (!sending && queue.length > 0 && !stopped) {
      sending = true;
      let inside = true;
      let releaseSend: () => void = () => undefined;
      const cancelSend = sendQueued(queue.shift()!, () => {
        sending = false;
        releaseSend();
        if (!inside) sendNext();
      });
      inside = false;
      if (sending) releaseSend = hold(cancelSend);
    }
  };

  // --- typing and read receipts: RxJS pipelines (throttling, heartbeats), built on first use --------------------
  /** A pipeline fed through a Subject, built at its first value and torn down at the end. */
  const firstUse = <T>(build: (values: Observable<T>) => Observable<never>) => {
    let values: Subject<T> | undefined;
    return (value: T) => {
      if (stopped) return;
      if (!values) {
        const input = new Subject<T>();
        values = input;
        const subscription = build(input).subscribe();
        hold(() => subscription.unsubscribe());
      }
      values.next(value);
    };
  };
  /** A command whose failure only matters to the logs: its first answer, within `sendTimeoutMs`. */
  const bestEffort = (command: () => Observable<unknown>, what: string) =>
    defer(command).pipe(
      take(1),
      timeout({ first: options.sendTimeoutMs, scheduler }),
      catchError((error: unknown) => {
        logger.debug(`${what} not sent`, { error });
        return EMPTY;
      }),
    );
  const sendTyping = session.sendTyping;
  const heartbeat = adapter.typingHeartbeatMs;
  const typing = sendTyping
    ? firstUse<boolean>((typing$) =>
        typing$.pipe(
          distinctUntilChanged(),
          skipWhile((isTyping) => !isTyping),
          switchMap((isTyping) =>
            isTyping && heartbeat
              ? timer(0, heartbeat, scheduler).pipe(
                  takeUntil(timer(options.maxTypingMs, scheduler)),
                  map(() => true),
                )
              : of(isTyping),
          ),
          throttleTime(options.typingThrottleMs, scheduler, { leading: true, trailing: true }),
          filter(() => online),
          concatMap((isTyping) => bestEffort(() => sendTyping.call(session, isTyping), 'typing indicator')),
          ignoreElements(),
        ),
      )
    : () => undefined;
  const markRead = session.markRead;
  const read = markRead
    ? firstUse<void>((read$) =>
        read$.pipe(
          throttleTime(options.readThrottleMs, scheduler, { leading: true, trailing: true }),
          filter(() => online),
          exhaustMap(() => bestEffort(() => markRead.call(session), 'read receipt')),
          ignoreElements(),
        ),
      )
    : () => undefined;

  // --- the user ends: leave politely (bounded), then stop ------------------------------------------------------------
  let ending = false;
  const end = () => {
    if (ending || stopped) return;
    ending = true;
    const leave = session.end;
    let done = false;
    const left = () => {
      if (done) return;
      done = true;
      stop();
      finished();
    };
    if (!leave) {
      left();
      return;
    }
    const failed = (error: unknown) => {
      logger.warn(`${adapter.name}: leaving the chat failed`, { error });
      left();
    };
    let command: Observable<unknown>;
    try {
      command = leave.call(session);
    } catch (error) {
      failed(error);
      return;
    }
    const leaving = command.subscribe({ next: left, complete: left, error: failed });
    if (done) return;
    const deadline = scheduler.schedule(left, options.endTimeoutMs);
    hold(() => {
      leaving.unsubscribe();
      deadline.unsubscribe();
    });
  };

  if (Object.keys(capabilities).length) process({ type: 'capabilities', capabilities });
  if (!stopped) connect();
  return {
    send(message) {
      if (stopped) return;
      queue.push(message);
      sendNext();
    },
    typing,
    read,
    filesSelected(uploads) {
      if (stopped) return;
      for (const status of validateUploads(uploads, capabilities)) process(status);
    },
    end,
    stop,
  };
}
