/**
 * The one knob for how long the reliability specs run (property runs, chaos runs and seeds). `npm test` plays a
 * sample of each: SAMPLE of the full count. `npm run test:reliability` (and `.ci/run`) plays the full count.
 * FUZZ_RUNS_FACTOR=<n> sets the share by hand, e.g. `FUZZ_RUNS_FACTOR=10 npx jest spec/reliability` for a long local
 * run, or `FUZZ_RUNS_FACTOR=1 npx jest spec/reliability/fuzz-twilio.spec.ts` for the full count of one spec.
 */

/** The share of the full count `npm test` plays. */
export const SAMPLE = 0.05;

/** npm sets `npm_lifecycle_event` to the script it runs, on every platform, and jest workers inherit it. */
const reliabilityScript = process.env.npm_lifecycle_event === 'test:reliability';

/** The share of the full counts this run plays: FUZZ_RUNS_FACTOR, else 1 under `test:reliability`, else SAMPLE. */
export const RUNS_FACTOR = Number(process.env.FUZZ_RUNS_FACTOR ?? (reliabilityScript ? 1 : SAMPLE));

/**
 * How many runs to play of a reliability check whose full count is `full` (never fewer than one).
 *
 * @example
 * fc.assert(property, { numRuns: runs(3_000) }); // 150 under npm test, 3,000 under npm run test:reliability
 */
export function runs(full: number): number {
  return Math.max(1, Math.round(full * RUNS_FACTOR));
}
