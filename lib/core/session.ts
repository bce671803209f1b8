import {
  BehaviorSubject,
  Observable,
  EMPTY,
  Subject,
  catchError,
  concat,
  concatMap,
  defaultIfEmpty,
  defer,
  distinctUntilChanged,
  endWith,
  exhaustMap,
  filter,
  finalize,
  from,
  ignoreElements,
  map,
  merge,
  mergeMap,
  of,
  retry,
  skipWhile,
  switchMap,
  take,
  takeUntil,
  throttleTime,
  throwError,
  timeout,
  timer,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import type { HostFileUpload } from '../host/types.js';
import type { AdapterSession, OutgoingFile, ServiceDeskAdapter, SessionRequest } from './adapter.js';
import { backoffDelay, type RetryPolicy } from './backoff.js';
import { ServiceDeskError, isRetryable, toServiceDeskError } from './errors.js';
import type { Capabilities, DomainEvent } from './events.js';
import { validateUploads } from './files.js';
import { createNormalizer, type NormalizeStart } from './normalize.js';
import { consume, consumeInto, onFirstUse } from './operators.js';

/** A user message waiting in the outbound queue. */
export interface QueuedMessage {
  readonly id: string;
  readonly text: string;
  readonly files: readonly HostFileUpload[];
  /** Called once: with nothing when the text reached the vendor, with the error when it did not. */
  settle(error?: ServiceDeskError): void;
}

/** What the host asks of a running session, as streams. */
export interface SessionCommands {
  readonly messages: Observable<QueuedMessage>;
  readonly typing: Observable<boolean>;
  readonly read: Observable<void>;
  readonly filesSelected: Observable<readonly HostFileUpload[]>;
  readonly end: Observable<void>;
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

const isEnd = (event: DomainEvent) => event.type === 'chatEnded' || event.type === 'sessionFailed';

function toOutgoingFile(upload: HostFileUpload): OutgoingFile {
  const { file } = upload;
  return { id: upload.id, file, name: file.name, type: file.type || 'application/octet-stream', size: file.size };
}

/**
 * The first answer of a command: done on its first value or on completion, failed on its error, or with a retryable
 * SEND_FAILED after `ms` without an answer. As `take(1)`, `defaultIfEmpty`, `timeout({ first })` (the timer starts
 * after subscribing, as `timeout`'s does), without their three subscribers, and no timer at all when the command
 * answers at once.
 */
function answered(command: Observable<unknown>, ms: number, scheduler: SchedulerLike, what: string): Observable<void> {
  return new Observable<void>((subscriber) => {
    let done = false;
    let timer: Subscription | undefined;
    const succeed = () => {
      if (done) return;
      done = true;
      subscriber.next();
      subscriber.complete();
    };
    const answer = command.subscribe({
      next: succeed,
      complete: succeed,
      error: (error: unknown) => {
        done = true;
        subscriber.error(error);
      },
    });
    if (!done) {
      timer = scheduler.schedule(() => subscriber.error(new ServiceDeskError('SEND_FAILED', `${what}: no answer within ${ms} ms.`, { retryable: true })), ms);
    }
    return () => {
      timer?.unsubscribe();
      answer.unsubscribe();
    };
  });
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs one chat session and hands each normalised domain event to `deliver`, synchronously and in order; the
 * returned observable is the session's lifecycle (it emits nothing). It connects through the adapter with bounded,
 * jittered retries (and a connect timeout), reconnects after a retryable failure, sends user messages through an
 * ordered queue that waits while the connection is down, throttles typing and read receipts, and validates selected
 * files. It completes when the chat ends (agent, failure or user); unsubscribing tears down everything the adapter
 * made. Events leave RxJS after one hop, which keeps the per-event cost low (see docs/performance.md).
 *
 * @example
 * runSessionInto(adapter, request, commands, options, {}, (event) => show(event.type)).subscribe();
 */
export function runSessionInto(
  adapter: ServiceDeskAdapter,
  request: SessionRequest,
  commands: SessionCommands,
  options: SessionOptions,
  start: NormalizeStart,
  deliver: (event: DomainEvent) => void,
): Observable<never> {
  const { scheduler, logger } = request;
  return defer(() => {
    const finished$ = new Subject<void>();
    const normalizeStep = createNormalizer({
      ...start,
      ...(adapter.dedupesMessages ? { dedupe: false } : {}),
      onMalformed: (event) => logger.error('skipped a malformed domain event', { type: (event as { type?: unknown } | null)?.type }),
    });
    let over = false;
    const emit = (event: DomainEvent) => {
      if (over) return;
      over = isEnd(event);
      try {
        deliver(event);
      } finally {
        if (over) finished$.next();
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
      return EMPTY;
    }
    const online$ = new BehaviorSubject(false);
    let capabilities: Partial<Capabilities> = { ...adapter.capabilities };

    // --- inbound: connect, retry, reconnect ---------------------------------------------------------------
    let failures = 0;
    let everConnected = false;
    const attempt$ = defer(() => {
      let up = false;
      const up$ = new Subject<void>();
      const settle = () => {
        up = true;
        up$.next();
      };
      const connectTimeout$ = timer(options.connectTimeoutMs, scheduler).pipe(
        takeUntil(up$),
        filter(() => !up),
        mergeMap(() =>
          throwError(() => new ServiceDeskError('CONNECT_TIMEOUT', `${adapter.name} did not answer within ${options.connectTimeoutMs} ms.`, { retryable: true })),
        ),
      );
      const inbound = (event: DomainEvent) => {
        switch (event.type) {
          case 'connected':
            settle();
            failures = 0;
            everConnected = true;
            online$.next(true);
            break;
          case 'connectionRestored':
            online$.next(true);
            break;
          case 'connectionLost':
            online$.next(false);
            break;
          case 'capabilities':
            capabilities = { ...capabilities, ...event.capabilities };
            break;
        }
        process(event);
      };
      return merge(connectTimeout$, consumeInto(session.events$, inbound).pipe(finalize(settle)));
    }).pipe(
      catchError((error: unknown) => {
        online$.next(false);
        logger.warn(`${adapter.name}: connection failed`, { error, retryable: isRetryable(error) });
        return everConnected && isRetryable(error)
          ? concat(of<DomainEvent>({ type: 'connectionLost', reason: reason(error) }), throwError(() => error))
          : throwError(() => error);
      }),
      retry({
        delay: (error: unknown) => {
          failures += 1;
          if (!isRetryable(error) || failures > options.retry.maxRetries) return throwError(() => error);
          const delay = backoffDelay(failures, options.retry, options.random);
          logger.info(`${adapter.name}: retry ${failures} of ${options.retry.maxRetries} in ${delay} ms`);
          return timer(delay, scheduler);
        },
      }),
      endWith<DomainEvent>({ type: 'chatEnded', reason: `${adapter.name} closed the session` }),
      catchError((error: unknown) => {
        const failed = everConnected
          ? toServiceDeskError(error, 'CONNECTION_LOST', `The connection to ${adapter.name} could not be restored.`)
          : toServiceDeskError(error, 'CONNECT_FAILED', `Could not connect to ${adapter.name}.`);
        return of<DomainEvent>({ type: 'sessionFailed', error: failed });
      }),
    );

    // --- outbound: an ordered queue that waits while offline -----------------------------------------------
    /**
     * Runs a command once online, and again after a retryable failure (backoff, up to `sendRetries` more tries, each
     * waiting until online again): emits once and completes when it is answered, errors with the last failure. Written
     * by hand (what `defer`, `retry` and a wait on `online$` would do) because it runs for every message sent.
     */
    const reliably = (run: () => Observable<unknown>, what: string): Observable<void> =>
      new Observable<void>((subscriber) => {
        let tries = 0;
        let current: Subscription | undefined;
        const once = () => answered(run(), options.sendTimeoutMs, scheduler, what);
        const attempt = () => {
          // Online (the usual case): the command runs at once, without a subscriber on online$.
          const running = (online$.value ? once() : online$.pipe(filter(Boolean), take(1), concatMap(once))).subscribe({
            next: () => subscriber.next(),
            complete: () => subscriber.complete(),
            error: (error: unknown) => {
              tries += 1;
              if (!isRetryable(error) || tries > options.sendRetries) {
                subscriber.error(error);
                return;
              }
              logger.info(`${what}: attempt ${tries + 1}`, { error });
              current = scheduler.schedule(attempt, backoffDelay(tries, options.retry, options.random));
            },
          });
          // A command that answered at once has closed `running`, and may have scheduled the next try in `current`.
          if (!running.closed) current = running;
        };
        attempt();
        return () => current?.unsubscribe();
      });

    const sendQueued = (message: QueuedMessage): Observable<DomainEvent> => {
      let failure: ServiceDeskError | undefined;
      let settled = false;
      const settle = (error?: ServiceDeskError) => {
        if (settled) return;
        settled = true;
        message.settle(error);
      };
      // One subscriber where `map` and `catchError` would be two: this runs for every message.
      const text$: Observable<DomainEvent> = message.text
        ? new Observable<DomainEvent>((subscriber) =>
            reliably(() => session.sendMessage({ id: message.id, text: message.text }), 'sending a message').subscribe({
              next: () => subscriber.next({ type: 'messageSent', messageId: message.id }),
              error: (error: unknown) => {
                failure = toServiceDeskError(error, 'SEND_FAILED', 'The message could not be delivered.', false);
                logger.warn('a user message failed', { messageId: message.id, error: failure });
                subscriber.next({ type: 'messageFailed', messageId: message.id, reason: failure.message });
                subscriber.complete();
              },
              complete: () => subscriber.complete(),
            }),
          )
        : EMPTY;
      const files$ =
        message.files.length === 0
          ? EMPTY
          : from(message.files).pipe(
              concatMap((upload): Observable<DomainEvent> => {
                const sendFile = session.sendFile;
                if (!sendFile) return of({ type: 'fileUploadStatus', fileId: upload.id, error: `${adapter.name} does not take files.` });
                return reliably(() => sendFile.call(session, toOutgoingFile(upload)), 'uploading a file').pipe(
                  map((): DomainEvent => ({ type: 'fileUploadStatus', fileId: upload.id })),
                  catchError((error: unknown) => {
                    logger.warn('a file upload failed', { fileId: upload.id, error });
                    return of<DomainEvent>({ type: 'fileUploadStatus', fileId: upload.id, error: `${upload.file.name} could not be sent: ${reason(error)}` });
                  }),
                );
              }),
            );
      // Settled when everything was sent or failed, or when the chat ended first (as `tap` + `finalize`, in one
      // subscriber). The error is built only then: building one per message cost more than the send itself.
      const all$ = files$ === EMPTY ? text$ : concat(text$, files$);
      return new Observable<DomainEvent>((subscriber) => {
        const sending = all$.subscribe({
          next: (event) => subscriber.next(event),
          error: (error: unknown) => subscriber.error(error),
          complete: () => {
            settle(failure);
            subscriber.complete();
          },
        });
        return () => {
          sending.unsubscribe();
          if (!settled) settle(new ServiceDeskError('NOT_CONNECTED', 'The chat ended before the message was sent.'));
        };
      });
    };
    const outbound$ = commands.messages.pipe(concatMap(sendQueued));

    // --- typing, read receipts, file checks ------------------------------------------------------------------
    const sendTyping = session.sendTyping;
    const heartbeat = adapter.typingHeartbeatMs;
    // The typing, read receipt and file check pipelines are built when first used (see onFirstUse): most of an open
    // chat's heap otherwise.
    const typing$ = sendTyping
      ? onFirstUse(commands.typing, (typing) =>
          typing.pipe(
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
            filter(() => online$.value),
            concatMap((isTyping) =>
              sendTyping.call(session, isTyping).pipe(
                take(1),
                timeout({ first: options.sendTimeoutMs, scheduler }),
                catchError((error: unknown) => {
                  logger.debug('typing indicator not sent', { error });
                  return EMPTY;
                }),
              ),
            ),
            ignoreElements(),
          ),
        )
      : EMPTY;

    const markRead = session.markRead;
    const read$ = markRead
      ? onFirstUse(commands.read, (read) =>
          read.pipe(
            throttleTime(options.readThrottleMs, scheduler, { leading: true, trailing: true }),
            filter(() => online$.value),
            exhaustMap(() =>
              markRead.call(session).pipe(
                take(1),
                timeout({ first: options.sendTimeoutMs, scheduler }),
                catchError((error: unknown) => {
                  logger.debug('read receipt not sent', { error });
                  return EMPTY;
                }),
              ),
            ),
            ignoreElements(),
          ),
        )
      : EMPTY;

    const checks$ = onFirstUse(commands.filesSelected, (selected) => selected.pipe(mergeMap((uploads) => validateUploads(uploads, capabilities))));

    // --- user ends: leave politely, then tear down ------------------------------------------------------------
    const end = session.end;
    const ended$ = commands.end.pipe(
      take(1),
      exhaustMap(() =>
        end
          ? end.call(session).pipe(
              take(1),
              defaultIfEmpty(undefined),
              timeout({ first: options.endTimeoutMs, scheduler, with: () => of(undefined) }),
              catchError((error: unknown) => {
                logger.warn(`${adapter.name}: leaving the chat failed`, { error });
                return of(undefined);
              }),
            )
          : of(undefined),
      ),
    );

    if (Object.keys(capabilities).length) process({ type: 'capabilities', capabilities });
    return merge(attempt$.pipe(consume(process)), outbound$.pipe(consume(process)), typing$, read$, checks$.pipe(consume(process))).pipe(
      takeUntil(finished$),
      takeUntil(ended$),
    );
  });
}

/**
 * {@link runSessionInto} as one ordered observable of normalised domain events, for custom integrations that
 * compose the session with RxJS (split it into domain streams, bind it with `bind`).
 *
 * @example
 * const events$ = runSession(adapter, request, commands, options);
 * bind(events$.pipe(toHostCalls(dialectFor('carbon'))), params.callback, { logger });
 */
export function runSession(
  adapter: ServiceDeskAdapter,
  request: SessionRequest,
  commands: SessionCommands,
  options: SessionOptions,
  start: NormalizeStart = {},
): Observable<DomainEvent> {
  return new Observable<DomainEvent>((subscriber) =>
    runSessionInto(adapter, request, commands, options, start, (event) => subscriber.next(event)).subscribe({
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    }),
  );
}
