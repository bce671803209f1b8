import { defer, mergeMap, type Observable } from 'rxjs';
import type { Attachment } from '../../core/events.js';
import type { Logger } from '../../core/logger.js';
import { parseAttributes } from './participants.js';
import type { MessageInfo } from './types.js';

/**
 * Reads one page of history and decodes each message; a message that cannot be decoded is logged and skipped.
 *
 * @example
 * historyOf(() => channel.getMessages(30), decodeChatMessage, logger)
 */
export function historyOf<M>(
  page: () => PromiseLike<{ readonly items: readonly M[] }>,
  decode: (message: M) => MessageInfo,
  logger: Logger,
): Observable<MessageInfo> {
  return defer(() => page()).pipe(
    mergeMap((result) =>
      (result?.items ?? []).flatMap((message) => {
        try {
          return [decode(message)];
        } catch (error) {
          logger.warn('skipped a history message the adapter could not read', { error });
          return [];
        }
      }),
    ),
  );
}

/** The message attribute that carries the host's message id by default (see `messageIdAttribute`). */
export const DEFAULT_MESSAGE_ID_ATTRIBUTE = 'rxMessageId';

/**
 * The host's message id in a message's attributes under `key`, when it is a non-empty string (attributes are read
 * as `parseAttributes` reads them: an object, or a JSON string of one).
 *
 * @example
 * hostIdOf({ rxMessageId: 'u-1', other: 1 }, 'rxMessageId'); // 'u-1'
 * hostIdOf(null, 'rxMessageId'); // undefined
 */
export function hostIdOf(attributes: unknown, key: string): string | undefined {
  const value = parseAttributes(attributes)[key];
  return typeof value === 'string' && value ? value : undefined;
}

/**
 * Checks the fields every message needs (a sid and a finite numeric index: it becomes the read horizon and is
 * persisted as JSON); throws otherwise so the event is skipped.
 *
 * @example
 * const { sid, index } = messageKey(message);
 */
export function messageKey(message: { readonly sid?: unknown; readonly index?: unknown } | null | undefined): { sid: string; index: number } {
  if (typeof message?.sid !== 'string' || typeof message.index !== 'number' || !Number.isFinite(message.index)) {
    throw new TypeError('not a message: no sid or index');
  }
  return { sid: message.sid, index: message.index };
}

/**
 * The fields of a message that both SDKs carry alike: sid, index, author, text, the host's message id from the
 * attribute `idAttribute`, and the sender's member or participant sid (`participantSid`, as each SDK names it).
 * Throws, like {@link messageKey}, when the message has no sid or index.
 *
 * @example
 * messageInfo(message, message.memberSid, 'rxMessageId'); // { sid: 'IM1', index: 3, author: 'ann', text: 'Hello' }
 */
export function messageInfo(
  message: { readonly sid?: unknown; readonly index?: unknown; readonly author?: unknown; readonly body?: unknown; readonly attributes?: unknown },
  participantSid: unknown,
  idAttribute: string,
): MessageInfo {
  const { sid, index } = messageKey(message);
  const author = typeof message.author === 'string' && message.author ? message.author : undefined;
  const text = typeof message.body === 'string' ? message.body : '';
  const hostId = hostIdOf(message.attributes, idAttribute);
  return {
    sid,
    index,
    author,
    text,
    ...(typeof participantSid === 'string' && participantSid ? { participantSid } : {}),
    ...(hostId !== undefined ? { hostId } : {}),
  };
}

/**
 * An attachment for a media item of either SDK and its temporary URL. Fields that are not what the SDK declares are
 * left out; a URL that is not a non-empty string throws (the message is then shown without its media).
 *
 * @example
 * attachmentOf('https://…', { filename: 'a.pdf', contentType: 'application/pdf', size: 10 })
 */
export function attachmentOf(
  url: string,
  media: { readonly filename?: string | null; readonly contentType?: string | null; readonly size?: number | null },
): Attachment {
  if (typeof url !== 'string' || !url) throw new TypeError('no temporary URL for the media');
  const { filename, contentType, size } = media;
  return {
    url,
    ...(typeof filename === 'string' && filename ? { name: filename } : {}),
    ...(typeof contentType === 'string' && contentType ? { mimeType: contentType } : {}),
    ...(typeof size === 'number' && Number.isFinite(size) ? { size } : {}),
  };
}
