import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
// @ts-expect-error: a plain ES module shared with stryker.config.mjs
import { target } from './scripts/mutate-targets.mjs';

const tests = (target() as { tests: string[] }).tests;
// The direct tests of the files being mutated (MUTATE_FIRST, set by scripts/mutate.ts) go
// before the rest: a mutant is mostly killed by its own file's tests, and every covering test
// listed before the one that kills it runs first (hundreds, when its file is parsed by all).
const first = (process.env.MUTATE_FIRST ?? '').split(',').filter(Boolean);

// Files run in the order the target lists them, fast and focused first. Stryker stops a
// mutant's run at its first failing test, so a mutant the small unit tests kill is decided in
// well under a second; vitest's own order (slowest first) ran the whole skill-findings suite
// (20 s) before them for every mutant.
class ListedOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const path = relative(this.ctx.config.root, f.moduleId).split('\\').join('/');
      const early = first.indexOf(path);
      if (early >= 0) return early;
      const i = tests.indexOf(path);
      return first.length + (i < 0 ? tests.length : i);
    };
    return [...files].sort((a, b) => rank(a) - rank(b));
  }
}

// The tests one mutation target runs (MUTATE_TARGET, set by scripts/mutate.ts).
export default defineConfig({
  test: {
    include: tests,
    testTimeout: 20_000,
    pool: 'forks',
    setupFiles: ['test/setup/fixed-fast-check-seed.ts'],
    sequence: { sequencer: ListedOrder },
  },
});
