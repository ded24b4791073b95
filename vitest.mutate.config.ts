import { defineConfig } from 'vitest/config';
// @ts-expect-error: a plain ES module shared with stryker.config.mjs
import { target } from './scripts/mutate-targets.mjs';

// The tests one mutation target runs (MUTATE_TARGET, set by scripts/mutate.ts).
export default defineConfig({
  test: {
    include: (target() as { tests: string[] }).tests,
    testTimeout: 20_000,
    pool: 'forks',
  },
});
