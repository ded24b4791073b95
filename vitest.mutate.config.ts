import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
// @ts-expect-error: a plain ES module shared with stryker.config.mjs
import { target } from './scripts/mutate-targets.mjs';

const tests = (target() as { tests: string[] }).tests;

// Files run in the order the target lists them, fast and focused first. Stryker stops a
// mutant's run at its first failing test, so a mutant the small unit tests kill is decided in
// well under a second; vitest's own order (slowest first) ran the whole skill-findings suite
// (20 s) before them for every mutant.
class ListedOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = tests.indexOf(relative(this.ctx.config.root, f.moduleId).split('\\').join('/'));
      return i < 0 ? tests.length : i;
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
    sequence: { sequencer: ListedOrder },
  },
});
