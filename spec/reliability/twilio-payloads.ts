/**
 * Malformed and hostile Twilio SDK payloads for the reliability suite (fuzzing and hostile content): what a buggy SDK
 * build, a proxy or a desk customisation could hand the adapters instead of a Member, Participant or Message.
 */
import fc from 'fast-check';
import { VirtualPromise, settleAfter } from '../../lib/testing';

/** Markup and scheme tricks a desk could put in names, attributes and message bodies. */
export const HOSTILE_TEXTS: readonly string[] = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  'javascript:alert(1)',
  '[click](javascript:alert(1))',
  '![x](https://evil.example/x.png)',
  '<a href="javascript:alert(1)">Ann</a>',
  '{{constructor.constructor("alert(1)")()}}',
  '\u202Egnp.exe',
  'Ann\u0000Bob',
  '__proto__',
  'constructor',
];

/** Avatar URLs that must never reach the host as a picture (scripts, documents, local files, no scheme). */
export const UNSAFE_URLS: readonly string[] = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(1)',
  'java\tscript:alert(1)',
  'vbscript:msgbox(1)',
  'data:text/html,<script>alert(1)</script>',
  'data:text/html;base64,' + Buffer.from('<script>alert(1)</script>').toString('base64'),
  'file:///etc/passwd',
  '//evil.example/a.png',
  'ftp://evil.example/a.png',
];

/** Long strings, built once (the fuzzer reuses the references, so they cost nothing per case). */
const HUGE_TEXTS: readonly string[] = ['x'.repeat(200_000), '<b>'.repeat(50_000), '{"member_type":"agent","pad":"' + 'a'.repeat(100_000) + '"}'];

/** Any value at all, including the awkward ones (null prototypes, boxed values, BigInt, Map, Set, sparse arrays). */
export const anyValue: fc.Arbitrary<unknown> = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withSparseArray: true,
  withTypedArray: true,
  maxDepth: 2,
});

/** Text as a desk might send it: ordinary, unicode, hostile or huge. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string(), weight: 3 },
  { arbitrary: fc.string({ unit: 'grapheme' }), weight: 1 },
  { arbitrary: fc.constantFrom(...HOSTILE_TEXTS), weight: 2 },
  { arbitrary: fc.constantFrom(...HUGE_TEXTS), weight: 1 },
);

/** A field that should be a string: a string, null, missing, or anything else. */
const stringish: fc.Arbitrary<unknown> = fc.oneof(anyText, fc.constant(null), fc.constant(undefined), anyValue);

/** A number field (index, size): integers, NaN, infinities, negative zero, or not a number at all. */
const numberish: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -5, max: 50 }),
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, Number.MAX_VALUE),
  anyValue,
);

/** SDK attributes: an object, a JSON string, a non-JSON string, null, or anything. */
export const anyAttributes: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.constant('{not json'),
  fc.json(),
  fc.dictionary(fc.constantFrom('member_type', 'full_name', 'avatar_url', 'status', 'nickname'), fc.oneof(anyText, anyValue)).map((attributes) => attributes as unknown),
  anyText,
  anyValue,
);

/** A `getUser` method answering garbage, failing, never settling, or not a method. */
const anyGetUser: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(undefined),
  anyValue,
  fc.record({ friendlyName: stringish, attributes: anyAttributes, identity: stringish }, { requiredKeys: [] }).map((user) => () => settleAfter({}, () => user)),
  anyValue.map((user) => () => settleAfter({}, () => user)),
  fc.constant(() =>
    settleAfter({}, () => {
      throw new Error('user not found');
    }),
  ),
  fc.constant(() => 42),
  fc.constant(() => null),
  fc.constant(() => new VirtualPromise<never>()),
);

/** A member/participant with every field possibly missing or wrong. */
export const anyParticipant: fc.Arbitrary<unknown> = fc.record(
  {
    sid: fc.oneof(fc.constantFrom('MB9', 'MB8'), stringish),
    identity: fc.oneof(fc.constantFrom('mallory', '', 'guest-1'), stringish),
    attributes: anyAttributes,
    getUser: anyGetUser,
    lastConsumedMessageIndex: numberish,
    lastReadMessageIndex: numberish,
  },
  { requiredKeys: [] },
);

const anyUrl: fc.Arbitrary<unknown> = fc.oneof(fc.webUrl(), fc.constantFrom(...UNSAFE_URLS), stringish);

/** A media item of either SDK, with wrong-typed fields and a `getContentTemporaryUrl` answering garbage. */
export const anyMedia: fc.Arbitrary<unknown> = fc.record(
  {
    sid: fc.oneof(fc.constantFrom('ME1', 'ME2'), stringish),
    filename: stringish,
    contentType: fc.oneof(fc.constantFrom('image/png', 'application/pdf'), stringish),
    size: numberish,
    getContentTemporaryUrl: fc.oneof(fc.constant(undefined), anyValue, anyUrl.map((url) => () => settleAfter({}, () => url))),
  },
  { requiredKeys: [] },
);

/** A message of either SDK with every field possibly missing or wrong, media included. */
export const anyMessage: fc.Arbitrary<unknown> = fc.record(
  {
    sid: fc.oneof(fc.constantFrom('IM9', 'IM8'), stringish),
    index: numberish,
    author: fc.oneof(fc.constantFrom('ann', 'mallory', 'guest-1'), stringish),
    body: stringish,
    type: fc.oneof(fc.constantFrom('text', 'media'), anyValue),
    attributes: anyAttributes,
    media: fc.oneof(anyMedia, anyValue),
    attachedMedia: fc.oneof(fc.array(fc.oneof(anyMedia, anyValue), { maxLength: 3 }), anyValue),
    getTemporaryContentUrlsForAttachedMedia: fc.oneof(
      fc.constant(undefined),
      anyValue,
      fc.dictionary(fc.constantFrom('ME1', 'ME2', 'ME3'), anyUrl).map((urls) => () => settleAfter({}, () => new Map(Object.entries(urls)))),
      anyValue.map((urls) => () => settleAfter({}, () => urls)),
    ),
  },
  { requiredKeys: [] },
);

/** An `updated` payload of a channel/conversation or a member/participant. */
export const anyUpdate: fc.Arbitrary<unknown> = fc.record(
  {
    channel: fc.oneof(fc.record({ attributes: anyAttributes, state: anyValue }, { requiredKeys: [] }), anyValue),
    conversation: fc.oneof(fc.record({ attributes: anyAttributes, state: anyValue }, { requiredKeys: [] }), anyValue),
    member: fc.oneof(anyParticipant, anyValue),
    participant: fc.oneof(anyParticipant, anyValue),
    updateReasons: fc.oneof(
      fc.array(fc.constantFrom('attributes', 'state', 'lastConsumedMessageIndex', 'lastReadMessageIndex', 'friendlyName')),
      anyText,
      anyValue,
    ),
  },
  { requiredKeys: [] },
);

/** Any payload for an SDK event: the shapes above or anything at all. */
export const anyPayload: fc.Arbitrary<unknown> = fc.oneof(anyParticipant, anyMessage, anyUpdate, anyMedia, anyValue, anyText);
