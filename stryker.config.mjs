// Mutation testing of the verdict (src/invariants), the skill reader (src/skill) and the
// thread-tool contract (src/contract), one folder at a time: `npm run mutate` (all three) or
// `npm run mutate -- invariants`. Incremental: a second run re-tests only mutants whose code
// or covering tests changed (mutation/NAME.incremental.json, made from the committed report).
import { MEASURED, PAGES, target } from './scripts/mutate-targets.mjs';

const t = target();
// A partial run (a few files) reports under its own name so it never replaces the target's report.
const report = process.env.MUTATE_REPORT ?? t.name;
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts', related: false },
  mutate: t.mutate,
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: `${MEASURED}/${report}.incremental.json`,
  reporters: ['progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: `${PAGES}/${report}.html` },
  jsonReporter: { fileName: `${MEASURED}/${report}.json` },
  thresholds: { high: t.goal, low: t.goal - 5, break: null },
  concurrency: 2,
  timeoutMS: 20_000,
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['.scratch', 'reports', 'explore-out', '.stryker-tmp'],
  cleanTempDir: 'always',
};
