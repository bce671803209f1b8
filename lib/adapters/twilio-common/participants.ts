import { catchError, defer, map, of, timeout, type Observable, type SchedulerLike } from 'rxjs';
import type { Agent } from '../../core/events.js';
import type { Logger } from '../../core/logger.js';
import type { ParticipantLike, ParticipantOptions, UserLike } from './types.js';

/** What a member or participant is to us. `unknown` members (no identity, no role) are ignored. */
export type Role = 'self' | 'agent' | 'customer' | 'unknown';

const NO_ATTRIBUTES: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * Reads SDK attributes defensively: an object is kept, a JSON string is parsed, anything else (null, a non-JSON
 * string, an array, a number) counts as no attributes.
 *
 * @example
 * parseAttributes('{"member_type":"agent"}'); // { member_type: 'agent' }
 * parseAttributes(null); // {}
 */
export function parseAttributes(value: unknown): Readonly<Record<string, unknown>> {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return NO_ATTRIBUTES;
    }
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : NO_ATTRIBUTES;
}

/**
 * The id the adapter uses for an agent: the identity, or the member sid when there is none.
 *
 * @example
 * participantId({ sid: 'MB1', identity: 'ann@example.com' }); // 'ann@example.com'
 */
export function participantId(participant: ParticipantLike): string | undefined {
  const identity = typeof participant.identity === 'string' && participant.identity ? participant.identity : undefined;
  return identity ?? (typeof participant.sid === 'string' && participant.sid ? participant.sid : undefined);
}

/**
 * Tells us, an agent and a customer apart: our own identity first, then `options.classify`, then the role attribute
 * (Flex: `member_type`), then "a chat member who is not us is an agent". A member without identity and without a
 * role is `unknown` (an SMS participant, or a malformed payload).
 *
 * @example
 * classify({ sid: 'MB1', identity: 'ann', attributes: { member_type: 'agent' } }, 'guest-1'); // 'agent'
 */
export function classify(participant: ParticipantLike, ownIdentity: string, options: ParticipantOptions = {}): Role {
  const identity = typeof participant.identity === 'string' && participant.identity ? participant.identity : undefined;
  if (identity !== undefined && identity === ownIdentity) return 'self';
  const attributes = parseAttributes(participant.attributes);
  const decided = options.classify?.(participant, attributes);
  if (decided) return decided;
  const role = attributes[options.roleAttribute ?? 'member_type'];
  if (typeof role === 'string') {
    if ((options.agentRoles ?? ['agent']).includes(role)) return 'agent';
    if ((options.customerRoles ?? ['guest', 'customer']).includes(role)) return 'customer';
  }
  if (identity === undefined) return 'unknown';
  return 'agent';
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function url(value: unknown): string | undefined {
  const candidate = text(value);
  return candidate && /^(https?:|data:image\/)/i.test(candidate) ? candidate : undefined;
}

/**
 * Builds an agent profile from a member and (when it could be loaded) its user: nickname from the user's friendly
 * name, then the nickname attribute (member, then user), then the identity; avatar from the avatar attribute.
 *
 * @example
 * agentProfile({ sid: 'MB1', identity: 'ann' }, { friendlyName: 'Ann' }); // { id: 'ann', nickname: 'Ann' }
 */
export function agentProfile(participant: ParticipantLike, user: UserLike | undefined, options: ParticipantOptions = {}): Agent {
  const id = participantId(participant) ?? 'agent';
  const own = parseAttributes(participant.attributes);
  const theirs = parseAttributes(user?.attributes);
  const nicknameKey = options.nicknameAttribute ?? 'full_name';
  const avatarKey = options.avatarAttribute ?? 'avatar_url';
  const nickname = text(user?.friendlyName) ?? text(own[nicknameKey]) ?? text(theirs[nicknameKey]) ?? id;
  const avatarUrl = url(own[avatarKey]) ?? url(theirs[avatarKey]);
  return avatarUrl ? { id, nickname, avatarUrl } : { id, nickname };
}

/**
 * Loads an agent's profile: `getUser()` with a timeout, falling back to what the member itself carries when the
 * user cannot be loaded. Never errors.
 *
 * @example
 * const agent$ = loadProfile(member, options, scheduler, logger); // emits { id, nickname, avatarUrl? } once
 */
export function loadProfile(
  participant: ParticipantLike,
  options: ParticipantOptions,
  scheduler: SchedulerLike,
  logger: Logger,
): Observable<Agent> {
  if (typeof participant.getUser !== 'function') return of(agentProfile(participant, undefined, options));
  return defer(() => participant.getUser!()).pipe(
    timeout({ first: options.profileTimeoutMs ?? 3_000, scheduler }),
    map((user) => agentProfile(participant, user ?? undefined, options)),
    catchError((error: unknown) => {
      logger.debug('agent profile not loaded: using the member attributes', { error });
      return of(agentProfile(participant, undefined, options));
    }),
  );
}

/**
 * Checks that an SDK payload is a member/participant (an object with a sid); throws otherwise, so that the decoder
 * skips the event.
 *
 * @example
 * asParticipant(member).sid;
 */
export function asParticipant<P extends ParticipantLike>(value: P | null | undefined): P {
  if (typeof value !== 'object' || value === null || typeof value.sid !== 'string') {
    throw new TypeError('not a member/participant: no sid');
  }
  return value;
}
