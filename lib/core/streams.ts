import { merge, type Observable } from 'rxjs';
import { ofType, type DomainEvent, type DomainEventType, type EventOf } from './events.js';

/** The typed domain streams of one chat session. Each is a filtered view of the same ordered event stream. */
export interface DomainStreams {
  connected$: Observable<EventOf<'connected'>>;
  availability$: Observable<EventOf<'queueUpdate'>>;
  agentJoined$: Observable<EventOf<'agentJoined'>>;
  transfer$: Observable<EventOf<'transferStarted'>>;
  agentLeft$: Observable<EventOf<'agentLeft'>>;
  chatEnded$: Observable<EventOf<'chatEnded'>>;
  messages$: Observable<EventOf<'agentMessage'>>;
  typing$: Observable<EventOf<'agentTyping'>>;
  read$: Observable<EventOf<'agentRead'>>;
  screenShare$: Observable<EventOf<'screenShareRequested' | 'screenShareEnded'>>;
  connection$: Observable<EventOf<'connectionLost' | 'connectionRestored'>>;
  delivery$: Observable<EventOf<'messageSent' | 'messageFailed'>>;
  fileStatus$: Observable<EventOf<'fileUploadStatus'>>;
  capabilities$: Observable<EventOf<'capabilities'>>;
  persist$: Observable<EventOf<'persist'>>;
  failure$: Observable<EventOf<'sessionFailed'>>;
}

const STREAM_TYPES: { readonly [K in keyof DomainStreams]: readonly DomainEventType[] } = {
  connected$: ['connected'],
  availability$: ['queueUpdate'],
  agentJoined$: ['agentJoined'],
  transfer$: ['transferStarted'],
  agentLeft$: ['agentLeft'],
  chatEnded$: ['chatEnded'],
  messages$: ['agentMessage'],
  typing$: ['agentTyping'],
  read$: ['agentRead'],
  screenShare$: ['screenShareRequested', 'screenShareEnded'],
  connection$: ['connectionLost', 'connectionRestored'],
  delivery$: ['messageSent', 'messageFailed'],
  fileStatus$: ['fileUploadStatus'],
  capabilities$: ['capabilities'],
  persist$: ['persist'],
  failure$: ['sessionFailed'],
};

/**
 * Splits one ordered event stream into the typed domain streams. Subscribe to the streams through
 * {@link mergeStreams} (or share `events$` first) so that the source is subscribed once.
 *
 * @example
 * const streams = splitStreams(events$.pipe(share()));
 * streams.messages$.subscribe(m => show(m.text));
 */
export function splitStreams(events$: Observable<DomainEvent>): DomainStreams {
  const streams = {} as Record<keyof DomainStreams, Observable<DomainEvent>>;
  for (const key of Object.keys(STREAM_TYPES) as (keyof DomainStreams)[]) {
    streams[key] = events$.pipe(ofType(...STREAM_TYPES[key]));
  }
  return streams as unknown as DomainStreams;
}


/**
 * Merges domain streams back into one event stream, the form the binder takes. Streams split from one shared
 * source keep their order as long as the transformations in between are synchronous.
 *
 * @example
 * const redacted = { ...streams, messages$: streams.messages$.pipe(map(m => ({ ...m, text: redact(m.text) }))) };
 * const events$ = mergeStreams(redacted);
 */
export function mergeStreams(streams: DomainStreams): Observable<DomainEvent> {
  return merge(...(Object.keys(STREAM_TYPES) as (keyof DomainStreams)[]).map((key) => streams[key]));
}
