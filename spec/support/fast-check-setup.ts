/**
 * Property tests draw the same cases on every `npm test` run, so that CI cannot flake; set FUZZ_EXPLORE=1 to draw
 * new cases each run (fast-check prints the seed of a failure, replay it with FUZZ_SEED or the spec's own variable).
 */
import fc from 'fast-check';

if (!process.env.FUZZ_EXPLORE) fc.configureGlobal({ seed: 20251125 });
